/**
 * EHCI USB 2.0 host controllers: usb-ehci (ICH4) and the ICH9 pair
 * ich9-usb-ehci1/ich9-usb-ehci2. QEMU: usb_ehci_pci_realize
 * (hw/usb/hcd-ehci-pci.c) — programming interface 0x20 (EHCI), interrupt
 * pin D, Serial Bus Release Number 0x20 (USB 2.0) at 0x60, frame length
 * adjustment 0x20 at 0x61, the legacy-support words USBLEGSUP (0x68 := 01)
 * and USBLEGCTLSTS (0x6f := c0), then BAR0 = the 4 KiB register block
 * (MMIO_SIZE). No capabilities, no class ROM; EHCI_PORTS (6) ports in the
 * migrated state whatever the properties.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { pciTypeChain } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

const VENDOR_INTEL = 0x8086;
const CLASS_SERIAL_USB = 0x0c03;
const PROG_IF_EHCI = 0x20;
/** USB_SBRN, USB_RELEASE_2 */
const SBRN = 0x60;
const USB_RELEASE_2 = 0x20;
const FLADJ = 0x61;
const USBLEGSUP = 0x68;
const USBLEGCTLSTS_HI = 0x6f;
const MMIO_SIZE = 0x1000;
const VMSD = 'ehci';

/** ehci_pci_info[]: device ID and revision of each type. */
const TYPES: Record<string, { deviceId: number; revision: number }> = {
  'usb-ehci': { deviceId: 0x24cd, revision: 0x10 },
  'ich9-usb-ehci1': { deviceId: 0x293a, revision: 0x03 },
  'ich9-usb-ehci2': { deviceId: 0x293c, revision: 0x03 },
};

function buildEhci(driver: string, ctx: BuildContext): BuiltDevice {
  const t = TYPES[driver];
  return buildPlainPci(ctx, {
    vendorId: VENDOR_INTEL, deviceId: t.deviceId, revision: t.revision, classId: CLASS_SERIAL_USB, progIf: PROG_IF_EHCI,
  }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: MMIO_SIZE, name: 'EHCI registers' },
  ], { file: '', vmsd: VMSD }, (cs) => {
    cs.config[PCI.INTERRUPT_PIN] = 4;
    cs.config[SBRN] = USB_RELEASE_2;
    cs.config[FLADJ] = 0x20;
    cs.config[USBLEGSUP] = 0x01;
    cs.config[USBLEGCTLSTS_HI] = 0xc0;
  });
}

export const ehci: DeviceModel = {
  drivers: Object.keys(TYPES),
  families: ['pci-device', 'ehci'],
  sectionName: VMSD,
  configField: 'pcidev',
  typeChain: (driver) => pciTypeChain('ehci', driver),
  build: buildEhci,
};
