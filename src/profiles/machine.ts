/**
 * Machine types: aliases and the compat properties each versioned type
 * applies. QEMU: hw/core/machine.c hw_compat_X_Y[], hw/i386/pc.c
 * pc_compat_X_Y[], and the *_machine_options chains of pc_piix.c/pc_q35.c.
 */
import { type GlobalProperty, type MachineProfile } from './data.js';

export interface Machine {
  /** The versioned name QEMU sends in the migration stream ("pc-i440fx-7.2"). */
  name: string;
  family: 'i440fx' | 'q35';
  /** Every compat property, in the order QEMU applies them (later wins). */
  compat: { property: GlobalProperty; array: string }[];
}

export class MachineError extends Error {}

const resolved = new Map<string, Machine | MachineError>();

/**
 * The machine a -machine value names; the same object for the same release
 * and name (it is never modified). A name the release lacks is remembered
 * too: an upgrade wave asks about the same dropped type thousands of times.
 */
export function resolveMachine(profile: MachineProfile, requested: string): Machine {
  const key = `${profile.qemu}|${requested}`;
  let m = resolved.get(key);
  if (!m) {
    try {
      m = buildMachine(profile, requested);
    } catch (e) {
      if (!(e instanceof MachineError)) throw e;
      m = e;
    }
    if (resolved.size >= 10_000) resolved.clear();
    resolved.set(key, m);
  }
  if (m instanceof MachineError) throw m;
  return m;
}

function buildMachine(profile: MachineProfile, requested: string): Machine {
  const name = profile.aliases[requested] ?? requested;
  const mt = profile.machineTypes[name];
  if (!mt) {
    throw new MachineError(`machine type "${requested}" does not exist in QEMU ${profile.qemu}`);
  }
  const compat = mt.compat.flatMap((array) =>
    (profile.compatArrays[array] ?? []).map((property) => ({ property, array })));
  return { name, family: mt.family, compat };
}
