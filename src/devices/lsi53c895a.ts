/**
 * lsi53c895a (LSI 53C895A Ultra2 SCSI) and lsi53c810, which differs only
 * in its device ID (lsi53c810_class_init). QEMU: lsi_scsi_realize
 * (hw/scsi/lsi53c895a.c) — latency timer 0xff (read-only: the header's
 * latency timer is not guest-writable in QEMU), interrupt pin A; BAR0 256
 * bytes of I/O ("lsi-io"), BAR1 1 KiB of memory ("lsi-mmio"), BAR2 the
 * 8 KiB SCRIPTS RAM ("lsi-ram"), all 32-bit; no capabilities, no option
 * ROM of its own (an empty class romfile: only romfile= adds one). The class sets subsystem ID 0x1000 with subsystem vendor
 * 0, which do_pci_register_device writes as given (no QEMU default IDs).
 * A conventional PCI device: 256 bytes on every bus.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { pciTypeChain } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** lsi_class_init: PCI_VENDOR_ID_LSI_LOGIC, PCI_DEVICE_ID_LSI_53C895A (lsi53c810: PCI_DEVICE_ID_LSI_53C810), revision 0, PCI_CLASS_STORAGE_SCSI. */
const VENDOR = 0x1000;
const DEVICE_IDS: Record<string, number> = {
  lsi53c895a: 0x0012,
  // QEMU's alias for lsi53c895a (qdev_alias_table); libvirt's <controller type='scsi' model='lsilogic'> uses it.
  lsi: 0x0012,
  lsi53c810: 0x0001,
};
const CLASS_STORAGE_SCSI = 0x0100;
const SUBSYSTEM_ID = 0x1000;
const IO_SIZE = 0x100;
const MMIO_SIZE = 0x400;
const RAM_SIZE = 0x2000;
/** The vmsd's name ("lsiscsi"), which names the section. */
const VMSD = 'lsiscsi';

function buildLsi(driver: string, ctx: BuildContext): BuiltDevice {
  return buildPlainPci(ctx, {
    vendorId: VENDOR, deviceId: DEVICE_IDS[driver], revision: 0, classId: CLASS_STORAGE_SCSI,
    subsystemVendorId: 0, subsystemId: SUBSYSTEM_ID,
  }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_IO, size: IO_SIZE, name: 'LSI registers (I/O)' },
    { index: 1, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: MMIO_SIZE, name: 'LSI registers (memory)' },
    { index: 2, type: PCI_BASE_ADDRESS.SPACE_MEMORY, size: RAM_SIZE, name: 'LSI SCRIPTS RAM' },
  ], { file: '', vmsd: VMSD }, (cs) => { cs.config[PCI.LATENCY_TIMER] = 0xff; });
}

export const lsi53c895a: DeviceModel = {
  drivers: Object.keys(DEVICE_IDS),
  families: ['pci-device', 'lsi53c895a'],
  sectionName: VMSD,
  configField: 'parent_obj',
  typeChain: (driver) => pciTypeChain('lsi53c895a', driver),
  build: buildLsi,
};
