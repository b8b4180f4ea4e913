/**
 * What the PCI-to-PCI bridges QEMU offers (pcie-root-port, pci-bridge,
 * pcie-pci-bridge) share beyond the type-1 header: the *-reserve hints
 * (pci_bridge_qemu_reserve_cap_init) and the option ROM a type-1 header
 * cannot take.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { pciBridgeQemuReserveCapInit, ReserveError, type ResReserve } from '../config-space/bridge-reserve.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { type BuildContext, propNumber, propValue } from './model.js';

/** A property QEMU reads as uint32/uint64 "-1 = unset". */
function reserveValue(ctx: BuildContext, name: string): bigint {
  const v = propValue(ctx, name);
  if (v === undefined) return -1n;
  const n = BigInt(v);
  return n === 0xffffffffn || n === 0xffffffffffffffffn ? -1n : n;
}

export function reservesOf(ctx: BuildContext): ResReserve {
  return {
    bus: reserveValue(ctx, 'bus-reserve'),
    io: reserveValue(ctx, 'io-reserve'),
    memNonPref: reserveValue(ctx, 'mem-reserve'),
    memPref32: reserveValue(ctx, 'pref32-reserve'),
    memPref64: reserveValue(ctx, 'pref64-reserve'),
  };
}

/** The resource-reserve capability when a hint is set; QEMU's refusal of a bad combination. */
export function addReserveCap(cs: ConfigSpace, res: ResReserve, notes: string[]): void {
  try {
    if (pciBridgeQemuReserveCapInit(cs, res)) notes.push('resource-reserve capability present (a *-reserve property is set)');
  } catch (e) {
    if (e instanceof ReserveError) throw new RealizeError(e.message);
    throw e;
  }
}

/**
 * pci_qdev_realize → pci_add_option_rom: bridges have no class ROM; a
 * romfile= with the ROM BAR enabled aborts QEMU (pci_register_bar asserts
 * that a type-1 header has no region above 1, though it would place the
 * ROM at 0x38).
 */
export function refuseBridgeRom(ctx: BuildContext): void {
  if ((propValue(ctx, 'romfile') ?? '') !== '' && propNumber(ctx, 'rombar', 1) !== 0) {
    throw new RealizeError("Assertion `hdr_type != PCI_HEADER_TYPE_BRIDGE || region_num < 2' failed");
  }
}
