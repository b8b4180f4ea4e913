/**
 * The check a destination QEMU applies to a device's config space when it
 * loads a migration stream. QEMU: get_pci_config_device (hw/pci/pci.c).
 *
 * For every byte i, in ascending order, the load fails when
 *   (src[i] ^ dst.config[i]) & dst.cmask[i] & ~dst.wmask[i] & ~dst.w1cmask[i]
 * is non-zero. Only the destination's masks count. QEMU stops at the first
 * failing byte; we also collect the others so the report can name them all.
 */
import { type ConfigSpace } from './config-space.js';

export interface ByteFailure {
  i: number;
  read: number; // the byte the source sent
  device: number; // the destination's own byte
  cmask: number;
  wmask: number;
  w1cmask: number;
  /** The bits that differ and are compared. */
  bits: number;
}

/** The mask of bits the destination compares at byte i. */
export function checkedBits(dst: ConfigSpace, i: number): number {
  return dst.cmask[i] & ~dst.wmask[i] & ~dst.w1cmask[i] & 0xff;
}

/** The failure at byte i, if that byte fails. */
export function failingAt(src: Uint8Array, dst: ConfigSpace, i: number): ByteFailure | undefined {
  const bits = (src[i] ^ dst.config[i]) & checkedBits(dst, i);
  return bits ? { i, read: src[i], device: dst.config[i], cmask: dst.cmask[i], wmask: dst.wmask[i], w1cmask: dst.w1cmask[i], bits } : undefined;
}

export function failingBytes(src: Uint8Array, dst: ConfigSpace): ByteFailure[] {
  const out: ByteFailure[] = [];
  for (let i = 0; i < dst.size; i++) {
    const f = failingAt(src, dst, i);
    if (f) out.push(f);
  }
  return out;
}

/** QEMU's error line, byte for byte (lower-case hex, no padding, no space after "w1cmask:"). */
export function badConfigMessage(f: ByteFailure): string {
  const h = (n: number) => n.toString(16);
  return `get_pci_config_device: Bad config data: i=0x${h(f.i)} read: ${h(f.read)} device: ${h(f.device)} ` +
    `cmask: ${h(f.cmask)} wmask: ${h(f.wmask)} w1cmask:${h(f.w1cmask)}`;
}
