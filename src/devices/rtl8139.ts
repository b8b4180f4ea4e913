/**
 * rtl8139 (Realtek RTL8139C+). QEMU: pci_rtl8139_realize
 * (hw/net/rtl8139.c) — interrupt pin A, a capability pointer of 0xdc
 * without the capability list bit in the status register (nothing lives
 * there), BAR0 256 bytes of I/O and BAR1 256 bytes of memory aliasing the
 * same registers; then pci_add_option_rom with efi-rtl8139.rom.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** rtl8139_class_init: PCI_VENDOR_ID_REALTEK, PCI_DEVICE_ID_REALTEK_8139, RTL8139_PCI_REVID (8139C+), PCI_CLASS_NETWORK_ETHERNET. */
const VENDOR = 0x10ec;
const DEVICE = 0x8139;
const REVISION = 0x20;
const CLASS_NETWORK_ETHERNET = 0x0200;
const REGS_SIZE = 0x100;
/** The vmsd's name ("rtl8139"), which names the section and the ROM block. */
const VMSD = 'rtl8139';

function buildRtl8139(ctx: BuildContext): BuiltDevice {
  return buildPlainPci(ctx, { vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_NETWORK_ETHERNET }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_IO, size: REGS_SIZE, name: 'rtl8139 registers (I/O)' },
    { index: 1, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: REGS_SIZE, name: 'rtl8139 registers (memory alias)' },
  ], { file: 'efi-rtl8139.rom', vmsd: VMSD }, (cs) => { cs.config[PCI.CAPABILITY_LIST] = 0xdc; });
}

export const rtl8139: DeviceModel = {
  drivers: ['rtl8139'],
  families: ['pci-device', 'rtl8139'],
  sectionName: VMSD,
  configField: 'parent_obj',
  typeChain: () => deviceFamily('rtl8139').typeChains.pci,
  build: (_driver, ctx) => buildRtl8139(ctx),
};
