/**
 * Capability lists. QEMU: pci_add_capability (hw/pci/pci.c) and
 * pcie_add_capability (hw/pci/pcie.c).
 */
import { type CapabilityInfo, type ConfigSpace, type FieldInfo, setLE } from './config-space.js';
import { PCI, PCI_STATUS } from './regs.js';

export class CapabilityError extends Error {}

/** A field of a capability, offset relative to the capability start. */
export interface CapField {
  at: number;
  length: number;
  name: string;
}

/**
 * QEMU: pci_find_space — the first run of `size` free bytes at or above
 * 0x40. `used` is marked in whole dwords, so capabilities stay aligned.
 */
export function findSpace(cs: ConfigSpace, size: number): number {
  let offset = PCI.CONFIG_HEADER_SIZE;
  for (let i = PCI.CONFIG_HEADER_SIZE; i < PCI.CONFIG_SPACE_SIZE; i++) {
    if (cs.used[i]) offset = i + 1;
    else if (i - offset + 1 === size) return offset;
  }
  throw new CapabilityError(`no room for a ${size}-byte capability`);
}

/**
 * Adds a capability at `offset` (0: first free space) and links it at the
 * HEAD of the list: its next pointer takes the old 0x34 value and 0x34
 * points to it, so the list reads in reverse order of addition. The whole
 * capability becomes read-only and checked; callers re-open the bits the
 * spec makes writable.
 */
export function addCapability(
  cs: ConfigSpace, id: number, offset: number, size: number, name: string, fields: CapField[] = [],
): number {
  const pos = offset || findSpace(cs, size);
  if (offset) {
    for (let i = offset; i < offset + size; i++) {
      if (cs.used[i]) throw new CapabilityError(`capability ${name} at 0x${offset.toString(16)} overlaps another`);
    }
  }
  cs.config[pos] = id;
  cs.config[pos + 1] = cs.config[PCI.CAPABILITY_LIST];
  cs.config[PCI.CAPABILITY_LIST] = pos;
  cs.config[PCI.STATUS] |= PCI_STATUS.CAP_LIST;
  cs.used.fill(0xff, pos, pos + alignUp(size, 4));
  cs.wmask.fill(0, pos, pos + size);
  cs.cmask.fill(0xff, pos, pos + size);
  cs.capabilities.push(capInfo(id, pos, size, name, false, fields));
  return pos;
}

/**
 * Adds a PCI Express extended capability at an explicit offset >= 0x100,
 * chained after the last one. QEMU: pcie_add_capability.
 */
export function addExtCapability(
  cs: ConfigSpace, id: number, version: number, offset: number, size: number, name: string, fields: CapField[] = [],
): number {
  if (offset < PCI.CONFIG_SPACE_SIZE || offset + size > PCI.EXPRESS_CONFIG_SPACE_SIZE) {
    throw new CapabilityError(`extended capability ${name} at 0x${offset.toString(16)} out of range`);
  }
  if (offset !== PCI.CONFIG_SPACE_SIZE) {
    const prev = lastExtCapability(cs);
    if (prev === undefined) throw new CapabilityError(`extended capability ${name} has no predecessor`);
    // next pointer: bits 20..31 of the header dword.
    const header = (cs.config[prev + 2] | (cs.config[prev + 3] << 8)) & 0x000f;
    setLE(cs.config, prev + 2, 2, header | (offset << 4));
  }
  setLE(cs.config, offset, 4, (id | (version << 16)) >>> 0);
  cs.wmask.fill(0, offset, offset + size);
  cs.w1cmask.fill(0, offset, offset + size);
  cs.cmask.fill(0xff, offset, offset + size);
  cs.capabilities.push(capInfo(id, offset, size, name, true, fields));
  return offset;
}

function lastExtCapability(cs: ConfigSpace): number | undefined {
  const ext = cs.capabilities.filter((c) => c.extended).map((c) => c.offset);
  if (!ext.includes(PCI.CONFIG_SPACE_SIZE)) return undefined;
  let at: number = PCI.CONFIG_SPACE_SIZE;
  for (;;) {
    const next = (cs.config[at + 2] | (cs.config[at + 3] << 8)) >> 4;
    if (!next) return at;
    at = next;
  }
}

function capInfo(id: number, offset: number, size: number, name: string, extended: boolean, fields: CapField[]): CapabilityInfo {
  const abs: FieldInfo[] = fields.map((f) => ({ offset: offset + f.at, length: f.length, name: f.name }));
  return { id, offset, size, name, extended, fields: abs };
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
