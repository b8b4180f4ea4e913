// Real-QEMU checks for the misc families whose devices need a host backend
// the shared harness does not create (an -audiodev for AC97; ivshmem-plain's
// memory backends are now described: test/real-qemu/ivshmem-cases.ts), or whose probe sees a register that is not
// config space (i6300esb's lock register at 0x68). Same steps as
// test/real-qemu/harness.ts, with backend arguments put before the devices.

import { expect } from 'vitest';
import { type InstalledQemu } from '../../src/qemu/installed.js';
import { type VmDescription } from '../../src/inputs/vm.js';
import { rootBusName } from '../../src/check/placement.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { programGuest, topology } from '../../src/rehearse/program.js';
import { withSession } from '../../src/qemu/session.js';
import { probeDevice, type ProbeResult } from '../../src/qemu/probe.js';
import { rehearseMigration, type MigrationRehearsal } from '../../src/qemu/migrate.js';
import { type MachineSpec } from '../../src/qemu/spawn.js';
import { probeBlindBits } from '../../src/config-space/probe-blind.js';
import { checkMigration } from '../../src/check/migration.js';
import { type SideContext } from '../../src/check/build.js';
import { buildOf, byteDiffs, expectOutcomeAgrees, sideOf } from '../real-qemu/harness.js';
import { modelFor } from '../../src/devices/registry.js';
import { propertyTable } from '../../src/devices/properties.js';
import { deviceFamily } from '../../src/profiles/data.js';

/** The description's machine spec with `backends` before its devices and `after` (e.g. codecs on a device's bus) behind them. */
export function specWith(vm: VmDescription, side: SideContext, backends: string[], after: string[] = []): MachineSpec {
  const base = vmMachineSpec(vm, side.machine.name, rootBusName(side.machine.family));
  // vm-args already gives backend properties (audiodev, memdev …) their placeholder backends: skip those ids here.
  const idOf = (arg: string) => /(?:^|,)id=([^,]+)/.exec(arg)?.[1];
  const own = new Set((base.args ?? []).map(idOf).filter((id) => id !== undefined));
  const extra = backends.flatMap((arg, i) => (i % 2 === 0 && !own.has(idOf(backends[i + 1]) ?? '') ? [arg, backends[i + 1]] : []));
  return { ...base, args: [...extra, ...(base.args ?? []), ...after] };
}

export async function probeWith(q: InstalledQemu, side: SideContext, id: string, backends: string[], after: string[] = []): Promise<ProbeResult> {
  const topo = topology(side.vm, rootBusName(side.machine.family));
  const size = side.machine.family === 'q35' ? 4096 : 256;
  return withSession({ binary: q.binary, spec: specWith(side.vm, side, backends, after) }, async (s) => {
    await programGuest(s.qtest, side.vm, topo);
    return probeDevice(s, topo.bdf.get(id)!, size);
  });
}

/**
 * The model of device `id` against a probe of the real device: config and
 * writable bits byte for byte over the bytes the model migrates (256 on
 * i440fx, which has no MMCONFIG), `ignore` giving bits left out.
 * Returns the bytes compared and the probe, for further assertions.
 */
export async function expectProbeAgreesWith(
  q: InstalledQemu, side: SideContext, id: string, backends: string[], ignore: (i: number) => number = () => 0, after: string[] = [],
): Promise<{ bytes: number; real: ProbeResult }> {
  const built = buildOf(side, id);
  if (built.kind !== 'built') throw new Error(`model did not build ${id}: ${built.kind}: ${built.reason}`);
  const size = side.machine.family === 'q35' ? built.cs.size : Math.min(built.cs.size, 256);
  const real = await probeWith(q, side, id, backends, after);
  expect(byteDiffs(built.cs.config, real.config, size, ignore)).toEqual([]);
  const blind = probeBlindBits(built.cs);
  expect(byteDiffs(built.cs.wmask, real.wmask, size, (i) => blind(i) | ignore(i))).toEqual([]);
  return { bytes: size, real };
}

/** A real migration with the backends on both sides, against checkMigration: same outcome, same lines. */
export async function expectMigrationAgreesWith(
  q: InstalledQemu, src: VmDescription, dst: VmDescription, backends: string[], after: string[] = [],
): Promise<MigrationRehearsal> {
  const s = sideOf(src)!;
  const d = sideOf(dst)!;
  const predicted = checkMigration(src, dst);
  const real = await rehearseMigration({
    binary: q.binary,
    srcArgs: specWith(src, s, backends, after),
    dstArgs: specWith(dst, d, backends, after),
    program: (qtest) => programGuest(qtest, src, topology(src, rootBusName(s.machine.family))),
  });
  expectOutcomeAgrees(predicted, real);
  return real;
}

/** The properties the family data has for `driver` on a release (as the shared help check computes them). */
export function modelledProperties(driver: string, release: string): string[] {
  const model = modelFor(driver)!;
  const table = propertyTable(model.families.map(deviceFamily), release);
  return [...table].filter(([, p]) => !p.drivers || p.drivers.includes(driver)).map(([name]) => name).sort();
}
