/**
 * UHCI USB 1.1 host controllers: piix3-usb-uhci, piix4-usb-uhci and the six
 * ICH9 companions ich9-usb-uhci1..6. QEMU: usb_uhci_common_realize
 * (hw/usb/hcd-uhci.c) — programming interface 00, Serial Bus Release
 * Number 0x10 (USB 1.0) at 0x60, the interrupt pin of the type's
 * UHCIInfo (PIIX: D; ICH9: A, B, C, A, B, C), BAR4 32 bytes of I/O ("for
 * consistency with real hardware"); then uhci_reset writes the USB clock
 * byte 0x6a := 01. No capabilities, no class ROM. The migrated state has
 * a fixed shape: UHCI_PORTS (2) ports, checked by VMSTATE_UINT8_EQUAL.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { pciTypeChain } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

const VENDOR_INTEL = 0x8086;
const CLASS_SERIAL_USB = 0x0c03;
/** USB_SBRN, USB_RELEASE_1 */
const SBRN = 0x60;
const USB_RELEASE_1 = 0x10;
/** uhci_reset: "usb clock" */
const USB_CLOCK = 0x6a;
const IO_SIZE = 0x20;
const IO_BAR = 4;
const VMSD = 'uhci';

/** uhci_info[]: device ID, revision and interrupt pin (1 = A) of each type. */
const TYPES: Record<string, { deviceId: number; revision: number; pin: number }> = {
  'piix3-usb-uhci': { deviceId: 0x7020, revision: 0x01, pin: 4 },
  'piix4-usb-uhci': { deviceId: 0x7112, revision: 0x01, pin: 4 },
  'ich9-usb-uhci1': { deviceId: 0x2934, revision: 0x03, pin: 1 },
  'ich9-usb-uhci2': { deviceId: 0x2935, revision: 0x03, pin: 2 },
  'ich9-usb-uhci3': { deviceId: 0x2936, revision: 0x03, pin: 3 },
  'ich9-usb-uhci4': { deviceId: 0x2937, revision: 0x03, pin: 1 },
  'ich9-usb-uhci5': { deviceId: 0x2938, revision: 0x03, pin: 2 },
  'ich9-usb-uhci6': { deviceId: 0x2939, revision: 0x03, pin: 3 },
};

function buildUhci(driver: string, ctx: BuildContext): BuiltDevice {
  const t = TYPES[driver];
  return buildPlainPci(ctx, { vendorId: VENDOR_INTEL, deviceId: t.deviceId, revision: t.revision, classId: CLASS_SERIAL_USB }, [
    { index: IO_BAR, type: PCI_BASE_ADDRESS.SPACE_IO, size: IO_SIZE, name: 'UHCI registers (I/O)' },
  ], { file: '', vmsd: VMSD }, (cs) => {
    cs.config[PCI.INTERRUPT_PIN] = t.pin;
    cs.config[SBRN] = USB_RELEASE_1;
    cs.config[USB_CLOCK] = 0x01;
  });
}

export const uhci: DeviceModel = {
  drivers: Object.keys(TYPES),
  families: ['pci-device', 'uhci'],
  sectionName: VMSD,
  configField: 'dev',
  typeChain: (driver) => pciTypeChain('uhci', driver),
  build: buildUhci,
};
