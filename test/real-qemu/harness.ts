// Shared steps of the real-QEMU suites: build a case with our model and
// with a real binary, and the version gating (CI=true demands at least 7.2).

import { installedQemus, type InstalledQemu } from '../../src/qemu/installed.js';
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine, type Machine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide, type SideContext } from '../../src/check/build.js';
import { QemuStartError } from '../../src/qemu/errors.js';
import { rootBusName } from '../../src/check/placement.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { programGuest, topology } from '../../src/rehearse/program.js';
import { withSession } from '../../src/qemu/session.js';
import { probeDevice, type ProbeResult } from '../../src/qemu/probe.js';
import { rehearseMigration, type MigrationRehearsal } from '../../src/qemu/migrate.js';
import { type ConfigSpace } from '../../src/config-space/config-space.js';

export const QEMUS: InstalledQemu[] = installedQemus();
export const CI = process.env.CI === 'true';

/** The releases to test: every installed one; under CI, 7.2 must be among them. */
export function releasesUnderTest(): InstalledQemu[] {
  if (CI && !QEMUS.some((q) => q.release === '7.2')) {
    throw new Error('CI=true but QEMU 7.2 is not installed (scripts/install-qemu.sh)');
  }
  return QEMUS;
}

export function sideOf(vm: VmDescription): SideContext | undefined {
  const profile = machineProfile(vm.qemu);
  if (!profile) return undefined;
  let machine: Machine;
  try {
    machine = resolveMachine(profile, vm.machine);
  } catch {
    return undefined; // this release does not offer that machine type
  }
  return { vm, release: vm.qemu, machine };
}

export function modelOf(side: SideContext, id: string): ConfigSpace {
  const b = buildOf(side, id);
  if (b.kind !== 'built') throw new Error(`model did not build ${id}: ${b.kind}: ${b.reason}`);
  return b.cs;
}

export function buildOf(side: SideContext, id: string): BuiltSide {
  return buildDevice(side, side.vm.devices.find((d) => d.id === id)!);
}

/** Starts the case in real QEMU expecting a refusal; returns QEMU's error line. */
export async function refusalOf(q: InstalledQemu, side: SideContext): Promise<string> {
  const root = rootBusName(side.machine.family);
  try {
    await withSession({ binary: q.binary, spec: vmMachineSpec(side.vm, side.machine.name, root) }, async () => undefined);
  } catch (e) {
    if (e instanceof QemuStartError) return e.message;
    throw e;
  }
  return 'QEMU started';
}

export async function probeReal(q: InstalledQemu, side: SideContext, id: string, size: 256 | 4096): Promise<ProbeResult> {
  const root = rootBusName(side.machine.family);
  const spec = vmMachineSpec(side.vm, side.machine.name, root);
  const topo = topology(side.vm, root);
  return withSession({ binary: q.binary, spec }, async (s) => {
    await programGuest(s.qtest, side.vm, topo);
    return probeDevice(s, topo.bdf.get(id)!, size);
  });
}

export function parseCase(json: object, name: string): VmDescription {
  return parseVmJson(json, name);
}

/** "0x10: model 01 qemu c1" lines for every byte that differs. */
export function byteDiffs(model: Uint8Array, real: Uint8Array, size: number, ignore: (i: number) => number = () => 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const mask = ~ignore(i) & 0xff;
    if ((model[i] & mask) !== (real[i] & mask)) {
      out.push(`0x${i.toString(16)}: model ${model[i].toString(16).padStart(2, '0')} qemu ${real[i].toString(16).padStart(2, '0')}`);
    }
  }
  return out;
}

/** Migrates src → dst for real on one binary: source programmed like the guest, stream to a file, destination loads it. */
export async function rehearseReal(q: InstalledQemu, src: VmDescription, dst: VmDescription): Promise<MigrationRehearsal> {
  const s = sideOf(src)!;
  const d = sideOf(dst)!;
  const topo = topology(src, rootBusName(s.machine.family));
  return rehearseMigration({
    binary: q.binary,
    srcArgs: vmMachineSpec(src, s.machine.name, rootBusName(s.machine.family)),
    dstArgs: vmMachineSpec(dst, d.machine.name, rootBusName(d.machine.family)),
    program: (qtest) => programGuest(qtest, src, topo),
  });
}
