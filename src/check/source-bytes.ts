/**
 * The bytes the source sends for a device: its freshly built config space
 * with the guest's writes applied through the masks (a real config write),
 * or a full dump when the description carries one. Registers the guest
 * programs but the description does not give are marked unknown, so the
 * predicate can say "at-risk" instead of guessing.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { is64BitBar } from '../config-space/bar.js';
import { guestWriteValue } from '../config-space/guest-write.js';
import { PCI } from '../config-space/regs.js';
import { type GuestValues } from '../inputs/vm.js';

export interface SourceBytes {
  bytes: Uint8Array;
  /** Per byte, the bits whose value the guest may have changed and we were not told. */
  unknown: Uint8Array;
  notes: string[];
  assumptions: string[];
  /** The bytes came from a dump, not from the model: any byte may differ. */
  raw: boolean;
}

export function sourceBytes(cs: ConfigSpace, guest: GuestValues | undefined): SourceBytes {
  const notes: string[] = [];
  const assumptions: string[] = [];
  const unknown = new Uint8Array(cs.size);
  if (guest?.config) {
    if (guest.config.length !== cs.size) {
      notes.push(`the config dump has ${guest.config.length} bytes; QEMU sends ${cs.size} for this device`);
    }
    const bytes = new Uint8Array(cs.size);
    bytes.set(guest.config.subarray(0, cs.size));
    return { bytes, unknown, notes, assumptions, raw: true };
  }
  const work: ConfigSpace = { ...cs, config: cs.config.slice(0, cs.size) };
  // Registers the guest programs: the header and every capability.
  markGuestRegisters(cs, unknown);
  for (const [index, addr] of guest?.bars ?? []) {
    const bar = cs.bars.find((b) => b.index === index);
    if (!bar) {
      notes.push(`guest value for ${index === PCI.ROM_SLOT ? 'the ROM BAR' : `BAR${index}`} ignored: the device has no such BAR`);
      continue;
    }
    const off = bar.offset;
    const width = is64BitBar(bar.type) ? 8 : 4;
    guestWriteValue(work, off, width, addr);
    unknown.fill(0, off, off + width);
  }
  if (guest?.command !== undefined) {
    guestWriteValue(work, PCI.COMMAND, 2, BigInt(guest.command));
    unknown.fill(0, PCI.COMMAND, PCI.COMMAND + 2);
  }
  for (const r of guest?.registers ?? []) {
    guestWriteValue(work, r.offset, r.width, r.value);
    unknown.fill(0, r.offset, r.offset + r.width);
  }
  if (!guest) assumptions.push('no guest values given: every guest-programmable register is treated as unknown');
  else if (unknown.some((b) => b !== 0)) assumptions.push('registers the description does not give are treated as unknown');
  assumptions.push('unused config space is taken to hold its reset value (guests do not write there)');
  return { bytes: work.config.subarray(0, cs.size), unknown, notes, assumptions, raw: false };
}

/**
 * The guest values as a key: two devices with the same build and the same
 * key send the same bytes. Undefined for a raw dump (not worth keeping).
 */
export function guestKey(guest: GuestValues | undefined): string | undefined {
  if (!guest) return 'none';
  if (guest.config) return undefined;
  let k = 'g';
  for (const [index, addr] of guest.bars) k += `b${index}=${addr.toString(16)}`;
  if (guest.command !== undefined) k += `c${guest.command}`;
  for (const r of guest.registers) k += `r${r.offset}/${r.width}=${r.value.toString(16)}`;
  return k;
}

/** The writable bits of the header and of every capability. */
function markGuestRegisters(cs: ConfigSpace, unknown: Uint8Array): void {
  for (let i = 0; i < PCI.CONFIG_HEADER_SIZE; i++) unknown[i] = cs.wmask[i];
  for (const c of cs.capabilities) {
    for (let i = c.offset; i < c.offset + c.size && i < cs.size; i++) unknown[i] = cs.wmask[i] | cs.w1cmask[i];
  }
}
