/**
 * i6300esb (Intel 6300ESB watchdog). QEMU: i6300esb_realize
 * (hw/watchdog/wdt_i6300esb.c) — BAR0, 16 bytes of memory, and nothing
 * else: no interrupt pin (realize never sets PCI_INTERRUPT_PIN), no
 * capabilities, no class option ROM. Its registers at 0x60 and 0x68 are
 * answered from device state by i6300esb_config_read for 16-bit and 8-bit
 * accesses respectively; config space itself keeps the defaults.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** i6300esb_class_init: PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_ESB_9, revision 0, PCI_CLASS_SYSTEM_OTHER. */
const VENDOR = 0x8086;
const DEVICE = 0x25ab;
const CLASS_SYSTEM_OTHER = 0x0880;
const REGS_SIZE = 0x10;
/** vmstate_i6300esb's name: the section is 0000:00:SS.F/i6300esb_wdt. */
const VMSD = 'i6300esb_wdt';

function buildI6300esb(ctx: BuildContext): BuiltDevice {
  return buildPlainPci(ctx, { vendorId: VENDOR, deviceId: DEVICE, revision: 0, classId: CLASS_SYSTEM_OTHER }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: REGS_SIZE, name: 'i6300esb watchdog registers' },
  ], { file: '', vmsd: VMSD }, (cs) => { cs.config[PCI.INTERRUPT_PIN] = 0; });
}

export const i6300esb: DeviceModel = {
  drivers: ['i6300esb'],
  families: ['pci-device', 'i6300esb'],
  sectionName: VMSD,
  configField: 'dev',
  typeChain: () => deviceFamily('i6300esb').typeChains.pci,
  build: (_driver, ctx) => buildI6300esb(ctx),
};
