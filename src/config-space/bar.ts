/**
 * Base Address Registers. QEMU: pci_register_bar (hw/pci/pci.c).
 */
import { type BarInfo, type ConfigSpace, setLE } from './config-space.js';
import { PCI, PCI_BASE_ADDRESS, PCI_ROM_ADDRESS_ENABLE } from './regs.js';

export class BarError extends Error {}

/**
 * Config offset of BAR `index` (6 = ROM: 0x30 in a type-0 header, 0x38 in
 * a type-1 bridge header — QEMU: pci_register_bar picks PCI_ROM_ADDRESS1
 * when pc->is_bridge).
 */
export function barOffset(index: number, bridge = false): number {
  if (index === PCI.ROM_SLOT) return bridge ? PCI.ROM_ADDRESS1 : PCI.ROM_ADDRESS;
  return PCI.BASE_ADDRESS_0 + 4 * index;
}

/** A type-1 header: the header type byte (bit 7 is multi-function) reads 1. */
export function isBridgeHeader(cs: ConfigSpace): boolean {
  return (cs.config[PCI.HEADER_TYPE] & 0x7f) === PCI.HEADER_TYPE_BRIDGE;
}

export function isIoBar(type: number): boolean {
  return (type & PCI_BASE_ADDRESS.SPACE_IO) !== 0;
}

export function is64BitBar(type: number): boolean {
  return !isIoBar(type) && (type & PCI_BASE_ADDRESS.MEM_TYPE_64) !== 0;
}

/**
 * Registers a BAR of `size` bytes: the type bits go into config, the
 * address bits above the size become writable, and the whole register
 * (two for a 64-bit BAR) becomes checked. A smaller BAR therefore has
 * more writable low bits; a grown BAR turns low address bits read-only.
 */
export function registerBar(cs: ConfigSpace, index: number, type: number, size: number, name: string): BarInfo {
  if (!(size > 0 && Number.isInteger(Math.log2(size)))) {
    throw new BarError(`BAR${index} size ${size} is not a power of two`);
  }
  if (cs.bars.some((b) => b.index === index)) throw new BarError(`BAR${index} registered twice`);
  const offset = barOffset(index, isBridgeHeader(cs));
  // wmask = ~(size - 1), computed as 64 bits in two halves.
  const lowMask = size >= 2 ** 32 ? 0 : (~(size - 1) >>> 0);
  const highMask = size >= 2 ** 32 ? (~(size / 2 ** 32 - 1) >>> 0) : 0xffffffff;
  const enable = index === PCI.ROM_SLOT ? PCI_ROM_ADDRESS_ENABLE : 0;
  setLE(cs.config, offset, 4, type);
  if (is64BitBar(type)) {
    setLE(cs.wmask, offset, 4, (lowMask | enable) >>> 0);
    setLE(cs.wmask, offset + 4, 4, highMask);
    cs.cmask.fill(0xff, offset, offset + 8);
  } else {
    setLE(cs.wmask, offset, 4, (lowMask | enable) >>> 0);
    cs.cmask.fill(0xff, offset, offset + 4);
  }
  const bar: BarInfo = { index, offset, size, type, name };
  cs.bars.push(bar);
  return bar;
}

export function describeBarType(type: number): string {
  if (isIoBar(type)) return 'I/O';
  const bits = is64BitBar(type) ? '64-bit' : '32-bit';
  return type & PCI_BASE_ADDRESS.MEM_PREFETCH ? `${bits} prefetchable memory` : `${bits} memory`;
}
