// The PCI functions pc and q35 create themselves (check/builtin-devices.ts)
// against real QEMU: in a machine with no -device at all, every config byte
// of I440FX/PIIX3/piix3-ide/PIIX4_PM (pc) and mch/ICH9-LPC/ich9-ahci/ICH9-SMB (q35) equals the
// model; the writable bits too where probing is harmless (not the host
// bridges, whose PAM/SMRAM/PCIEXBAR writes remap memory, nor the LPC bridge,
// whose PMBASE/RCBA writes move I/O and MMIO). Then machine-only VMs migrate
// for real and load, as predicted.

import { afterAll, describe, expect, it } from 'vitest';
import { withSession } from '../../src/qemu/session.js';
import { readConfig } from '../../src/qemu/pci-config-io.js';
import { probeDevice } from '../../src/qemu/probe.js';
import { buildI440fx } from '../../src/devices/chipset.js';
import { probeBlindBits } from '../../src/config-space/probe-blind.js';
import { machineFunctions } from '../../src/check/builtin-devices.js';
import { checkMigration } from '../../src/check/migration.js';
import { byteDiffs, CI, expectMigrationAgrees, parseCase, releasesUnderTest, sideOf } from './harness.js';

/** The harness starts QEMU with -m 32: the i440FX's RAM size register reads 32 / 8. */
const HARNESS_MIB = 32;
/** ICH9-SMB's HOSTC SSRESET clears itself as soon as it is written: a probe never sees it. */
const SELF_CLEARING: Record<string, Record<number, number>> = { 'ICH9-SMB': { 0x40: 0x08 } };
const PROBE_WMASK = new Set(['PIIX3', 'ICH9-SMB', 'ich9-ahci', 'piix3-ide', 'PIIX4_PM']);

const MACHINES = (release: string) => [
  `pc-i440fx-${release}`, `pc-q35-${release}`, 'pc-q35-5.2', 'pc-q35-2.9', 'pc-i440fx-5.2', 'pc-q35-10.1',
];

const qemus = releasesUnderTest();
const figures = new Map<string, { functions: number; bytes: number; migrations: number }>();
const tally = (release: string) => {
  const f = figures.get(release) ?? { functions: 0, bytes: 0, migrations: 0 };
  figures.set(release, f);
  return f;
};

describe.runIf(qemus.length > 0 || CI)('the machine\'s own PCI functions equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const machine of [...new Set(MACHINES(q.release))]) {
        const vm = parseCase({ qemu: q.release, machine, devices: [] }, `${machine}.json`);
        const side = sideOf(vm);
        if (!side) continue; // not offered by this release
        it(`${machine}: config space of every function the machine creates`, async () => {
          const fns = machineFunctions(side).map((f) => (f.driver === 'i440FX' ? { ...f, cs: buildI440fx(HARNESS_MIB).cs } : f));
          expect(fns.map((f) => `${f.path}/${f.vmsd}`)).toEqual(side.machine.family === 'q35'
            ? ['0000:00:00.0/mch', '0000:00:1f.0/ICH9LPC', ...(fns.some((f) => f.driver === 'ich9-ahci') ? ['0000:00:1f.2/ich9_ahci'] : []), '0000:00:1f.3/ich9_smb']
            : ['0000:00:00.0/I440FX', '0000:00:01.0/PIIX3', ...(fns.some((f) => f.driver === 'piix3-ide') ? [`0000:00:01.1/${fns.find((f) => f.driver === 'piix3-ide')!.vmsd}`] : []), '0000:00:01.3/piix4_pm']);
          const spec = { machine: side.machine.name, smp: 1, args: [] };
          const bdf = (path: string) => ({ bus: 0, device: parseInt(path.slice(8, 10), 16), fn: Number(path.slice(11)) });
          await withSession({ binary: q.binary, spec }, async (s) => {
            for (const f of fns) {
              const real = await readConfig(s.qtest, bdf(f.path), 256);
              expect(byteDiffs(f.cs.config, real, 256), `${f.path} config`).toEqual([]);
            }
          });
          for (const f of fns.filter((x) => PROBE_WMASK.has(x.driver))) {
            // One fresh VM per probed function: probing writes every byte.
            await withSession({ binary: q.binary, spec }, async (s) => {
              const p = await probeDevice(s, bdf(f.path), 256);
              // Bits a probe cannot see (MSI Multiple Message Enable clamped by msi_write_config …), as the device suites leave out.
              const blind = SELF_CLEARING[f.driver] ?? {};
              const hidden = probeBlindBits(f.cs);
              expect(byteDiffs(f.cs.wmask, p.wmask, 256, (i) => (blind[i] ?? 0) | hidden(i)), `${f.path} wmask`).toEqual([]);
            });
          }
          const t = tally(q.release);
          t.functions += fns.length;
          t.bytes += fns.length * 256;
        });
        it(`${machine}: a machine-only VM migrates and loads, as predicted`, async () => {
          expect(checkMigration(vm, vm).verdict).toBe('compatible');
          await expectMigrationAgrees(q, vm, vm);
          tally(q.release).migrations++;
        });
      }
      const q35 = `pc-q35-${q.release}`;
      it(`${q35}: mch extended-tseg-mbytes 16 → 32 on the destination (0x50 writable, not compared) loads`, async () => {
        const src = parseCase({ qemu: q.release, machine: q35, globals: { 'mch.extended-tseg-mbytes': '16' }, devices: [] }, 'src.json');
        const dst = parseCase({ qemu: q.release, machine: q35, globals: { 'mch.extended-tseg-mbytes': '32' }, devices: [] }, 'dst.json');
        expect(checkMigration(src, dst).verdict).toBe('compatible');
        await expectMigrationAgrees(q, src, dst);
        tally(q.release).migrations++;
      });
    });
  }
  afterAll(() => {
    for (const [release, t] of figures) {
      console.log(`QEMU ${release}: machine functions ${t.functions} compared (${t.bytes} bytes), ${t.migrations} real migrations agree`);
    }
  });
});
