/**
 * A PCI device's config space as QEMU holds it: the register bytes and,
 * beside them, the three masks that decide what a guest may change and
 * what a migration compares (QEMU: PCIDevice.config/cmask/wmask/w1cmask).
 *
 *   cmask   bits compared on load ("check mask")
 *   wmask   bits a guest can write
 *   w1cmask bits a guest clears by writing 1 ("write-1-to-clear")
 *
 * Like rust-vmm's PciConfiguration, the value grows only through a few
 * operations (registerBar, addCapability, addExtCapability), which record
 * what they laid out so a failing byte can be named.
 */
import { PCI, PCI_COMMAND, PCI_STATUS, PCI_SUBDEVICE_ID_QEMU, PCI_SUBVENDOR_ID_REDHAT_QUMRANET } from './regs.js';

export interface BarInfo {
  index: number; // 0..5, or 6 for the ROM BAR (QEMU's PCI_ROM_SLOT)
  offset: number; // config offset of the BAR register
  size: number; // bytes, a power of two
  type: number; // PCI_BASE_ADDRESS_* bits as written by pci_register_bar
  name: string; // what the region holds, e.g. "virtio legacy I/O"
}

export interface FieldInfo {
  offset: number; // absolute config offset
  length: number;
  name: string;
}

export interface CapabilityInfo {
  id: number;
  offset: number;
  size: number;
  name: string;
  extended: boolean;
  fields: FieldInfo[];
}

export interface ConfigSpace {
  /** Bytes sent in the migration stream: 256 (conventional) or 4096 (PCI Express). */
  size: number;
  config: Uint8Array;
  cmask: Uint8Array;
  wmask: Uint8Array;
  w1cmask: Uint8Array;
  /** Bytes taken by capabilities (QEMU: PCIDevice.used), for pci_find_space. */
  used: Uint8Array;
  bars: BarInfo[];
  capabilities: CapabilityInfo[];
}

export interface HeaderIds {
  vendorId: number;
  deviceId: number;
  revision: number;
  /** Class word: base class and sub-class (0x0100 = SCSI storage), as QEMU's class_id. */
  classId: number;
  /** Programming interface byte (0x09); 0 unless the device sets it. */
  progIf?: number;
  /** Both zero: QEMU's default subsystem (1af4:1100). */
  subsystemVendorId?: number;
  subsystemId?: number;
  multifunction?: boolean;
  /**
   * A PCI-to-PCI bridge (type-1 header): 0x2c..0x2f are the prefetchable
   * base/limit upper halves there, so do_pci_register_device writes no
   * subsystem IDs. The bridge masks come from bridge.ts (pci_init_mask_bridge).
   */
  bridge?: boolean;
}

export type Mask = 'config' | 'cmask' | 'wmask' | 'w1cmask';

export function getLE(a: Uint8Array, off: number, len: number): number {
  let v = 0;
  for (let i = len - 1; i >= 0; i--) v = v * 256 + a[off + i];
  return v;
}

export function setLE(a: Uint8Array, off: number, len: number, value: number): void {
  let v = value;
  for (let i = 0; i < len; i++) {
    a[off + i] = v & 0xff;
    v = Math.floor(v / 256);
  }
}

/** Sets bits (test_and_set_mask) in a little-endian register of one array. */
export function orLE(a: Uint8Array, off: number, len: number, bits: number): void {
  setLE(a, off, len, (getLE(a, off, len) | bits) >>> 0);
}

/** Clears bits (test_and_clear_mask) in a little-endian register of one array. */
export function clearLE(a: Uint8Array, off: number, len: number, bits: number): void {
  setLE(a, off, len, (getLE(a, off, len) & ~bits) >>> 0);
}

/**
 * A fresh device as do_pci_register_device leaves it, before its realize
 * adds BARs and capabilities. `size` is pci_config_size() at that moment
 * (4096 when QEMU_PCI_CAP_EXPRESS is already set).
 */
export function createConfigSpace(ids: HeaderIds, size: number): ConfigSpace {
  const n = PCI.EXPRESS_CONFIG_SPACE_SIZE;
  const cs: ConfigSpace = {
    size,
    config: new Uint8Array(n),
    cmask: new Uint8Array(n),
    wmask: new Uint8Array(n),
    w1cmask: new Uint8Array(n),
    used: new Uint8Array(n),
    bars: [],
    capabilities: [],
  };
  const c = cs.config;
  setLE(c, PCI.VENDOR_ID, 2, ids.vendorId);
  setLE(c, PCI.DEVICE_ID, 2, ids.deviceId);
  c[PCI.REVISION_ID] = ids.revision;
  c[PCI.CLASS_PROG] = ids.progIf ?? 0;
  setLE(c, PCI.CLASS_DEVICE, 2, ids.classId);
  if (ids.bridge) {
    // subsystem IDs exist only in a type-0 header
  } else if (ids.subsystemVendorId || ids.subsystemId) {
    setLE(c, PCI.SUBSYSTEM_VENDOR_ID, 2, ids.subsystemVendorId ?? 0);
    setLE(c, PCI.SUBSYSTEM_ID, 2, ids.subsystemId ?? 0);
  } else {
    setLE(c, PCI.SUBSYSTEM_VENDOR_ID, 2, PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
    setLE(c, PCI.SUBSYSTEM_ID, 2, PCI_SUBDEVICE_ID_QEMU);
  }
  initCmask(cs);
  initWmask(cs);
  initW1cmask(cs);
  // QEMU: pci_init_multifunction — the bit lives in the (checked) header type byte.
  if (ids.multifunction) c[PCI.HEADER_TYPE] |= 0x80;
  return cs;
}

/** QEMU: pci_init_cmask — the header bytes a migration compares. */
function initCmask(cs: ConfigSpace): void {
  setLE(cs.cmask, PCI.VENDOR_ID, 2, 0xffff);
  setLE(cs.cmask, PCI.DEVICE_ID, 2, 0xffff);
  cs.cmask[PCI.STATUS] = PCI_STATUS.CAP_LIST;
  cs.cmask[PCI.REVISION_ID] = 0xff;
  cs.cmask[PCI.CLASS_PROG] = 0xff;
  setLE(cs.cmask, PCI.CLASS_DEVICE, 2, 0xffff);
  cs.cmask[PCI.HEADER_TYPE] = 0xff;
  cs.cmask[PCI.CAPABILITY_LIST] = 0xff;
}

/** QEMU: pci_init_wmask — command bits, cache line, IRQ line, and everything past the header. */
function initWmask(cs: ConfigSpace): void {
  cs.wmask[PCI.CACHE_LINE_SIZE] = 0xff;
  cs.wmask[PCI.INTERRUPT_LINE] = 0xff;
  setLE(cs.wmask, PCI.COMMAND, 2,
    PCI_COMMAND.IO | PCI_COMMAND.MEMORY | PCI_COMMAND.MASTER | PCI_COMMAND.INTX_DISABLE | PCI_COMMAND.SERR);
  cs.wmask.fill(0xff, PCI.CONFIG_HEADER_SIZE, cs.size);
}

/** QEMU: pci_init_w1cmask — the error bits of Status are write-1-to-clear. */
function initW1cmask(cs: ConfigSpace): void {
  setLE(cs.w1cmask, PCI.STATUS, 2,
    PCI_STATUS.PARITY | PCI_STATUS.SIG_TARGET_ABORT | PCI_STATUS.REC_TARGET_ABORT |
    PCI_STATUS.REC_MASTER_ABORT | PCI_STATUS.SIG_SYSTEM_ERROR | PCI_STATUS.DETECTED_PARITY);
}

/** The bytes QEMU sends for this device (pci_config_size at save time). */
export function streamBytes(cs: ConfigSpace): Uint8Array {
  return cs.config.slice(0, cs.size);
}
