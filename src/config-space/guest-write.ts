/**
 * What a guest's config write does to the bytes. QEMU:
 * pci_default_write_config — each byte keeps its read-only bits, takes the
 * written value in its writable bits, and clears the write-1-to-clear bits
 * the guest wrote as 1.
 */
import { type ConfigSpace } from './config-space.js';

export function guestWrite(cs: ConfigSpace, offset: number, bytes: ArrayLike<number>): void {
  for (let i = 0; i < bytes.length; i++) {
    const at = offset + i;
    const val = bytes[i] & 0xff;
    const w = cs.wmask[at];
    const w1c = cs.w1cmask[at];
    cs.config[at] = ((cs.config[at] & ~w) | (val & w)) & ~(val & w1c) & 0xff;
  }
}

/** Writes a little-endian value of `length` bytes (1, 2, 4 or 8). */
export function guestWriteValue(cs: ConfigSpace, offset: number, length: number, value: bigint): void {
  const bytes: number[] = [];
  let v = value;
  for (let i = 0; i < length; i++) {
    bytes.push(Number(v & 0xffn));
    v >>= 8n;
  }
  guestWrite(cs, offset, bytes);
}
