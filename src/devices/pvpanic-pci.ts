/**
 * pvpanic-pci, QEMU's guest panic notifier on PCI (6.0+). QEMU:
 * pvpanic_pci_realizefn (hw/misc/pvpanic-pci.c) — BAR0 is the 2-byte
 * pvpanic register (pvpanic_setup_io(..., 2)), so every address bit but
 * bit 0 is writable; no interrupt pin, no capabilities, no class ROM.
 * The events property is what the register reads, not config space.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { inRange } from '../profiles/versions.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** pvpanic_pci_class_init: PCI_VENDOR_ID_REDHAT, PCI_DEVICE_ID_REDHAT_PVPANIC, revision 1, PCI_CLASS_SYSTEM_OTHER. */
const VENDOR = 0x1b36;
const DEVICE = 0x0011;
const REVISION = 0x01;
const CLASS_SYSTEM_OTHER = 0x0880;
const REGS_SIZE = 2;
const VMSD = 'pvpanic-pci';
/** hw/misc/pvpanic-pci.c first appears in QEMU 6.0. */
const SINCE = '6.0';

function buildPvpanicPci(ctx: BuildContext): BuiltDevice {
  // qdev_new refuses an unknown type before anything is built (qemu_opts → qdev_device_add).
  if (!inRange(ctx.release, SINCE)) throw new RealizeError("'pvpanic-pci' is not a valid device model name");
  return buildPlainPci(ctx, { vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_SYSTEM_OTHER }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: REGS_SIZE, name: 'pvpanic register' },
  ], { file: '', vmsd: VMSD }, (cs) => { cs.config[PCI.INTERRUPT_PIN] = 0; });
}

export const pvpanicPci: DeviceModel = {
  drivers: ['pvpanic-pci'],
  families: ['pci-device', 'pvpanic-pci'],
  sectionName: VMSD,
  configField: 'dev',
  typeChain: () => deviceFamily('pvpanic-pci').typeChains.pci,
  build: (_driver, ctx) => buildPvpanicPci(ctx),
};
