/**
 * e1000 (Intel 82540EM) and its e1000-82544gc / e1000-82545em variants.
 * QEMU: pci_e1000_realize (hw/net/e1000.c) — interrupt pin A, BAR0 the
 * 128 KiB register block (PNPMMIO_SIZE), BAR1 64 bytes of I/O
 * (IOPORT_SIZE); then pci_add_option_rom with efi-e1000.rom. No
 * capabilities. The cache line size realize writes (0x10) is cleared by
 * pci_do_device_reset at machine reset. Its compat properties
 * (autonegotiation, mitigation, extra_mac_registers, migrate_tso_props,
 * init-vet) only shape the migrated state's subsections, which the
 * source sends and the destination accepts whatever its own flags.
 */
import { PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { pciTypeChain } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** e1000_class_init: PCI_VENDOR_ID_INTEL, e1000_devices[] (revision 3 for all), PCI_CLASS_NETWORK_ETHERNET. */
const VENDOR = 0x8086;
const DEVICE_IDS: Record<string, number> = {
  e1000: 0x100e, // E1000_DEV_ID_82540EM
  'e1000-82544gc': 0x100c, // E1000_DEV_ID_82544GC_COPPER
  'e1000-82545em': 0x100f, // E1000_DEV_ID_82545EM_COPPER
};
const REVISION = 0x03;
const CLASS_NETWORK_ETHERNET = 0x0200;
const PNPMMIO_SIZE = 0x20000;
const IOPORT_SIZE = 0x40;
/** The vmsd's name ("e1000"), which names the section and the ROM block. */
const VMSD = 'e1000';

function buildE1000(driver: string, ctx: BuildContext): BuiltDevice {
  return buildPlainPci(ctx, { vendorId: VENDOR, deviceId: DEVICE_IDS[driver], revision: REVISION, classId: CLASS_NETWORK_ETHERNET }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: PNPMMIO_SIZE, name: 'e1000 registers' },
    { index: 1, type: PCI_BASE_ADDRESS.SPACE_IO, size: IOPORT_SIZE, name: 'e1000 I/O window' },
  ], { file: 'efi-e1000.rom', vmsd: VMSD });
}

export const e1000: DeviceModel = {
  drivers: Object.keys(DEVICE_IDS),
  families: ['pci-device', 'e1000'],
  sectionName: VMSD,
  configField: 'parent_obj',
  typeChain: (driver) => pciTypeChain('e1000', driver),
  build: buildE1000,
};
