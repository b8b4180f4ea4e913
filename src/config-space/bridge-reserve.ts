/**
 * QEMU's resource-reservation hint for firmware: a Red Hat vendor-specific
 * capability telling SeaBIOS/OVMF how many buses and how much I/O and
 * memory to reserve behind a bridge. QEMU: pci_bridge_qemu_reserve_cap_init
 * (hw/pci/pci_bridge.c), struct PCIBridgeQemuCap.
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addCapability } from './capability.js';
import { PCI_CAP_ID } from './regs.js';

/** All ones (a uint32 or uint64 -1): "no hint" for that resource. */
export const RESERVE_UNSET = -1n;

export interface ResReserve {
  bus: bigint;
  io: bigint;
  memNonPref: bigint;
  memPref32: bigint;
  memPref64: bigint;
}

export class ReserveError extends Error {}

const CAP_LEN = 32;
const REDHAT_PCI_CAP_RESOURCE_RESERVE = 1;
const GiB = 1n << 30n;
const U32 = (1n << 32n) - 1n;
const U64 = (1n << 64n) - 1n;

/** QEMU's refusals, in its words. */
export function checkReserve(r: ResReserve): void {
  if (r.memPref32 !== RESERVE_UNSET && r.memPref64 !== RESERVE_UNSET) {
    throw new ReserveError('PCI resource reserve cap: PREF32 and PREF64 conflict');
  }
  if (r.memNonPref !== RESERVE_UNSET && r.memNonPref >= 4n * GiB) {
    throw new ReserveError('PCI resource reserve cap: mem-reserve must be less than 4G');
  }
  if (r.memPref32 !== RESERVE_UNSET && r.memPref32 >= 4n * GiB) {
    throw new ReserveError('PCI resource reserve cap: pref32-reserve  must be less than 4G');
  }
}

/** Adds the capability at the first free offset unless every hint is unset; returns its offset or 0. */
export function pciBridgeQemuReserveCapInit(cs: ConfigSpace, r: ResReserve): number {
  checkReserve(r);
  if ([r.bus, r.io, r.memNonPref, r.memPref32, r.memPref64].every((v) => v === RESERVE_UNSET)) return 0;
  const pos = addCapability(cs, PCI_CAP_ID.VNDR, 0, CAP_LEN, 'QEMU resource reserve (vendor-specific)', [
    { at: 2, length: 1, name: 'Vendor capability length' },
    { at: 3, length: 1, name: 'Red Hat capability type' },
    { at: 4, length: 4, name: 'Bus numbers to reserve' },
    { at: 8, length: 8, name: 'I/O to reserve' },
    { at: 16, length: 4, name: 'Memory to reserve' },
    { at: 20, length: 4, name: '32-bit prefetchable memory to reserve' },
    { at: 24, length: 8, name: '64-bit prefetchable memory to reserve' },
  ]);
  const put = (at: number, len: 4 | 8, v: bigint) => {
    const x = v & (len === 4 ? U32 : U64);
    setLE(cs.config, pos + at, 4, Number(x & U32));
    if (len === 8) setLE(cs.config, pos + at + 4, 4, Number(x >> 32n));
  };
  cs.config[pos + 2] = CAP_LEN;
  cs.config[pos + 3] = REDHAT_PCI_CAP_RESOURCE_RESERVE;
  put(4, 4, r.bus);
  put(8, 8, r.io);
  put(16, 4, r.memNonPref);
  put(20, 4, r.memPref32);
  put(24, 8, r.memPref64);
  return pos;
}
