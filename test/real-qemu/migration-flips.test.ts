// Given a source and a destination that differ in one thing, the
// destination QEMU does what we predict: it loads, or it fails with the
// first line we predicted, byte for byte.

import { describe, expect, it } from 'vitest';
import { checkMigration } from '../../src/check/migration.js';
import { rehearseMigration } from '../../src/qemu/migrate.js';
import { rootBusName } from '../../src/check/placement.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { programGuest, topology } from '../../src/rehearse/program.js';
import { machineProfile } from '../../src/profiles/data.js';
import { type VmDescription } from '../../src/inputs/vm.js';
import { type InstalledQemu } from '../../src/qemu/installed.js';
import { CI, buildOf, parseCase, releasesUnderTest, sideOf } from './harness.js';
import { FLIPS, type Flip } from './flips.js';
import { describe1 } from './cases.js';
import { firmwareBars } from '../../src/rehearse/firmware.js';

function previousMachine(release: string, family: string): string {
  const names = Object.keys(machineProfile(release)!.machineTypes).filter((n) => n.startsWith(family));
  const own = `${family}-${release}`;
  const older = names.filter((n) => n !== own && !/\.\d+\.\d+$/.test(n));
  const v = (n: string) => n.slice(family.length + 1).split('.').map(Number);
  older.sort((a, b) => v(b)[0] - v(a)[0] || v(b)[1] - v(a)[1]);
  return older[0];
}

/** Firmware-like addresses for every BAR the case does not place itself. */
function guestBars(src: VmDescription, f: Flip): Record<string, string> {
  const built = buildOf(sideOf(src)!, 'dut');
  return { ...(built.kind === 'built' ? firmwareBars(built.cs) : {}), ...(f.bars ?? {}) };
}

function descriptions(release: string, f: Flip): { src: VmDescription; dst: VmDescription } {
  const base = describe1(release, { driver: f.driver }, f.placement) as { machine: string; devices: Record<string, unknown>[] };
  const family = f.placement === 'i440fx' ? 'pc-i440fx' : 'pc-q35';
  const srcJson = structuredClone(base);
  const dstJson = structuredClone(base);
  const srcDev = srcJson.devices.at(-1)!;
  const dstDev = dstJson.devices.at(-1)!;
  srcDev.properties = { ...(f.src ?? {}) };
  dstDev.properties = { ...(f.dst ?? {}) };
  if (f.dstDriver) dstDev.driver = f.dstDriver;
  if (f.dstAddr) dstDev.addr = f.dstAddr;
  if (f.dstAbsent) dstJson.devices.pop();
  if (f.dstMachine === 'previous') dstJson.machine = previousMachine(release, family);
  const src0 = parseCase(srcJson, `${f.name} (source)`);
  srcDev.guest = { bars: guestBars(src0, f), ...(f.registers ? { registers: f.registers } : {}) };
  return { src: parseCase(srcJson, 'src.json'), dst: parseCase(dstJson, 'dst.json') };
}

async function rehearse(q: InstalledQemu, src: VmDescription, dst: VmDescription) {
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

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('migrations predicted exactly', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const f of FLIPS) {
        it(f.name, async () => {
          const { src, dst } = descriptions(q.release, f);
          const predicted = checkMigration(src, dst);
          const real = await rehearse(q, src, dst);
          const verdict = predicted.verdict;
          if (verdict === 'unknown') {
            // Only a property this release lacks may leave a flip unknown; QEMU must refuse it at start.
            expect(real.ok).toBe(false);
            expect(real.firstError).toMatch(/Property '.*' not found/);
            return;
          }
          expect(verdict, JSON.stringify(predicted.devices.map((d) => d.verdict))).not.toBe('at-risk');
          expect({ ok: real.ok, firstError: real.ok ? undefined : real.firstError })
            .toEqual({ ok: verdict === 'compatible', firstError: predicted.firstError });
        });
      }
    });
  }
});
