/**
 * The type-1 (PCI-to-PCI bridge) header: bus numbers, the I/O, memory and
 * prefetchable windows, secondary status and bridge control. QEMU:
 * pci_init_mask_bridge (hw/pci/pci.c, at registration), pci_bridge_initfn,
 * pci_bridge_reset and pci_bridge_disable_base_limit (hw/pci/pci_bridge.c).
 */
import { type ConfigSpace, clearLE, orLE, setLE } from './config-space.js';
import { PCI, PCI_STATUS } from './regs.js';

/** Type-1 header registers (PCI-to-PCI Bridge Architecture spec; pci_regs.h). */
export const PCI_BRIDGE = {
  PRIMARY_BUS: 0x18,
  SECONDARY_BUS: 0x19,
  SUBORDINATE_BUS: 0x1a,
  SEC_LATENCY_TIMER: 0x1b,
  IO_BASE: 0x1c,
  IO_LIMIT: 0x1d,
  SEC_STATUS: 0x1e,
  MEMORY_BASE: 0x20,
  MEMORY_LIMIT: 0x22,
  PREF_MEMORY_BASE: 0x24,
  PREF_MEMORY_LIMIT: 0x26,
  PREF_BASE_UPPER32: 0x28,
  PREF_LIMIT_UPPER32: 0x2c,
  IO_BASE_UPPER16: 0x30,
  IO_LIMIT_UPPER16: 0x32,
  CONTROL: 0x3e,
} as const;

/** Bridge Control bits. */
export const PCI_BRIDGE_CTL = {
  PARITY: 0x001,
  SERR: 0x002,
  ISA: 0x004,
  VGA: 0x008,
  VGA_16BIT: 0x010,
  MASTER_ABORT: 0x020,
  BUS_RESET: 0x040,
  FAST_BACK: 0x080,
  DISCARD: 0x100,
  SEC_DISCARD: 0x200,
  DISCARD_STATUS: 0x400,
  DISCARD_SERR: 0x800,
} as const;

/** Address bits of the window registers (the low bits hold the window type). */
const IO_RANGE_MASK = 0xf0; // PCI_IO_RANGE_MASK & 0xff
const IO_RANGE_TYPE_MASK = 0x0f;
const IO_RANGE_TYPE_16 = 0x00;
const MEMORY_RANGE_MASK = 0xfff0;
const PREF_RANGE_MASK = 0xfff0;
const PREF_RANGE_TYPE_MASK = 0x000f;
const PREF_RANGE_TYPE_64 = 0x0001;

/** PCI_CLASS_BRIDGE_PCI. */
export const PCI_CLASS_BRIDGE_PCI = 0x0604;

/**
 * QEMU: pci_init_mask_bridge — bus numbers and the secondary latency timer
 * writable; window address bits writable; the window type bits (16-bit I/O,
 * 64-bit prefetchable) set and compared on load; Bridge Control writable
 * except the discard bits' status (write-1-to-clear).
 */
export function pciInitMaskBridge(cs: ConfigSpace): void {
  cs.wmask.fill(0xff, PCI_BRIDGE.PRIMARY_BUS, PCI_BRIDGE.PRIMARY_BUS + 4);
  cs.wmask[PCI_BRIDGE.IO_BASE] = IO_RANGE_MASK;
  cs.wmask[PCI_BRIDGE.IO_LIMIT] = IO_RANGE_MASK;
  setLE(cs.wmask, PCI_BRIDGE.MEMORY_BASE, 2, MEMORY_RANGE_MASK);
  setLE(cs.wmask, PCI_BRIDGE.MEMORY_LIMIT, 2, MEMORY_RANGE_MASK);
  setLE(cs.wmask, PCI_BRIDGE.PREF_MEMORY_BASE, 2, PREF_RANGE_MASK);
  setLE(cs.wmask, PCI_BRIDGE.PREF_MEMORY_LIMIT, 2, PREF_RANGE_MASK);
  cs.wmask.fill(0xff, PCI_BRIDGE.PREF_BASE_UPPER32, PCI_BRIDGE.PREF_BASE_UPPER32 + 8);

  cs.config[PCI_BRIDGE.IO_BASE] |= IO_RANGE_TYPE_16;
  cs.config[PCI_BRIDGE.IO_LIMIT] |= IO_RANGE_TYPE_16;
  orLE(cs.config, PCI_BRIDGE.PREF_MEMORY_BASE, 2, PREF_RANGE_TYPE_64);
  orLE(cs.config, PCI_BRIDGE.PREF_MEMORY_LIMIT, 2, PREF_RANGE_TYPE_64);

  const C = PCI_BRIDGE_CTL;
  setLE(cs.wmask, PCI_BRIDGE.CONTROL, 2,
    C.PARITY | C.SERR | C.ISA | C.VGA | C.VGA_16BIT | C.MASTER_ABORT | C.BUS_RESET |
    C.FAST_BACK | C.DISCARD | C.SEC_DISCARD | C.DISCARD_SERR);
  setLE(cs.w1cmask, PCI_BRIDGE.CONTROL, 2, C.DISCARD_STATUS);

  cs.cmask[PCI_BRIDGE.IO_BASE] |= IO_RANGE_TYPE_MASK;
  cs.cmask[PCI_BRIDGE.IO_LIMIT] |= IO_RANGE_TYPE_MASK;
  orLE(cs.cmask, PCI_BRIDGE.PREF_MEMORY_BASE, 2, PREF_RANGE_TYPE_MASK);
  orLE(cs.cmask, PCI_BRIDGE.PREF_MEMORY_LIMIT, 2, PREF_RANGE_TYPE_MASK);
}

export interface BridgeInitOptions {
  /** The secondary bus is PCI Express (a PCIe port's bus, pci_bus_is_express). */
  expressSecondary: boolean;
  /**
   * x-pci-express-writeable-slt-bug (8.2+, on for machine types <= 8.1 via
   * hw_compat_8_1); releases before 8.2 always had the bug (pass true).
   */
  writeableSltBug: boolean;
}

/**
 * QEMU: pci_bridge_initfn — 66 MHz and fast back-to-back in Status and
 * Secondary Status, class 0604, header type 1 (keeping the multi-function
 * bit); on an Express secondary bus the secondary latency timer is
 * read-only 0 unless the 8.1-and-older bug is kept.
 */
export function pciBridgeInitfn(cs: ConfigSpace, opts: BridgeInitOptions): void {
  orLE(cs.config, PCI.STATUS, 2, PCI_STATUS.MHZ_66 | PCI_STATUS.FAST_BACK);
  setLE(cs.config, PCI.CLASS_DEVICE, 2, PCI_CLASS_BRIDGE_PCI);
  cs.config[PCI.HEADER_TYPE] = (cs.config[PCI.HEADER_TYPE] & 0x80) | PCI.HEADER_TYPE_BRIDGE;
  setLE(cs.config, PCI_BRIDGE.SEC_STATUS, 2, PCI_STATUS.MHZ_66 | PCI_STATUS.FAST_BACK);
  if (opts.expressSecondary && !opts.writeableSltBug) cs.wmask[PCI_BRIDGE.SEC_LATENCY_TIMER] = 0;
}

/**
 * QEMU: pci_bridge_reset — bus numbers, latency timer, the windows'
 * address bits, the upper halves and Bridge Control back to 0.
 */
export function pciBridgeReset(cs: ConfigSpace): void {
  const c = cs.config;
  c.fill(0, PCI_BRIDGE.PRIMARY_BUS, PCI_BRIDGE.SEC_LATENCY_TIMER + 1);
  c[PCI_BRIDGE.IO_BASE] &= ~IO_RANGE_MASK;
  c[PCI_BRIDGE.IO_LIMIT] &= ~IO_RANGE_MASK;
  clearLE(c, PCI_BRIDGE.MEMORY_BASE, 2, MEMORY_RANGE_MASK);
  clearLE(c, PCI_BRIDGE.MEMORY_LIMIT, 2, MEMORY_RANGE_MASK);
  clearLE(c, PCI_BRIDGE.PREF_MEMORY_BASE, 2, PREF_RANGE_MASK);
  clearLE(c, PCI_BRIDGE.PREF_MEMORY_LIMIT, 2, PREF_RANGE_MASK);
  setLE(c, PCI_BRIDGE.PREF_BASE_UPPER32, 4, 0);
  setLE(c, PCI_BRIDGE.PREF_LIMIT_UPPER32, 4, 0);
  setLE(c, PCI_BRIDGE.CONTROL, 2, 0);
}

/**
 * QEMU: pci_bridge_disable_base_limit — every window closed (base above
 * limit): base address bits all ones, limit address bits zero.
 */
export function pciBridgeDisableBaseLimit(cs: ConfigSpace): void {
  const c = cs.config;
  c[PCI_BRIDGE.IO_BASE] |= IO_RANGE_MASK;
  c[PCI_BRIDGE.IO_LIMIT] &= ~IO_RANGE_MASK;
  orLE(c, PCI_BRIDGE.MEMORY_BASE, 2, MEMORY_RANGE_MASK);
  clearLE(c, PCI_BRIDGE.MEMORY_LIMIT, 2, MEMORY_RANGE_MASK);
  orLE(c, PCI_BRIDGE.PREF_MEMORY_BASE, 2, PREF_RANGE_MASK);
  clearLE(c, PCI_BRIDGE.PREF_MEMORY_LIMIT, 2, PREF_RANGE_MASK);
  setLE(c, PCI_BRIDGE.PREF_BASE_UPPER32, 4, 0);
  setLE(c, PCI_BRIDGE.PREF_LIMIT_UPPER32, 4, 0);
}

/** The type-1 header's fields, for naming a byte. */
export const BRIDGE_HEADER_FIELDS: [number, number, string][] = [
  [PCI_BRIDGE.PRIMARY_BUS, 1, 'Primary Bus Number'],
  [PCI_BRIDGE.SECONDARY_BUS, 1, 'Secondary Bus Number'],
  [PCI_BRIDGE.SUBORDINATE_BUS, 1, 'Subordinate Bus Number'],
  [PCI_BRIDGE.SEC_LATENCY_TIMER, 1, 'Secondary Latency Timer'],
  [PCI_BRIDGE.IO_BASE, 1, 'I/O Base'],
  [PCI_BRIDGE.IO_LIMIT, 1, 'I/O Limit'],
  [PCI_BRIDGE.SEC_STATUS, 2, 'Secondary Status'],
  [PCI_BRIDGE.MEMORY_BASE, 2, 'Memory Base'],
  [PCI_BRIDGE.MEMORY_LIMIT, 2, 'Memory Limit'],
  [PCI_BRIDGE.PREF_MEMORY_BASE, 2, 'Prefetchable Memory Base'],
  [PCI_BRIDGE.PREF_MEMORY_LIMIT, 2, 'Prefetchable Memory Limit'],
  [PCI_BRIDGE.PREF_BASE_UPPER32, 4, 'Prefetchable Base Upper 32 Bits'],
  [PCI_BRIDGE.PREF_LIMIT_UPPER32, 4, 'Prefetchable Limit Upper 32 Bits'],
  [PCI_BRIDGE.IO_BASE_UPPER16, 2, 'I/O Base Upper 16 Bits'],
  [PCI_BRIDGE.IO_LIMIT_UPPER16, 2, 'I/O Limit Upper 16 Bits'],
  [0x35, 3, 'Reserved'],
  [PCI_BRIDGE.CONTROL, 2, 'Bridge Control'],
];
