// nvme migrated for real on every installed QEMU. Up to 10.2 its vmsd is
// .unmigratable: the SOURCE refuses the migrate command with exactly the
// line checkMigration predicts, whatever the destination. On 11.1 nvme
// migrates (state not modelled: the prediction is unknown) — with a
// namespace the source completes, without one the source QEMU crashes
// (SIGSEGV); a destination without the device refuses the section.

import { afterAll, describe, expect, it } from 'vitest';
import { checkMigration } from '../../src/check/migration.js';
import { inRange } from '../../src/profiles/versions.js';
import { QemuExitedError } from '../../src/qemu/errors.js';
import { flipDescriptions, type Flip } from './flips.js';
import { CI, rehearseReal, releasesUnderTest, sideOf } from './harness.js';

const qemus = releasesUnderTest();
const s = { serial: 'cc0001' };
const withDisk = { ...s, drive: 'nvme-disk0' };
const FLIPS: Flip[] = [
  { name: 'identical nvme', placement: 'q35-root', driver: 'nvme', src: s, dst: s },
  { name: 'identical nvme with a namespace (drive=)', placement: 'i440fx', driver: 'nvme', src: withDisk, dst: withDisk },
  { name: 'nvme behind a root port, max_ioqpairs 64 → 8', placement: 'q35-port', driver: 'nvme', src: withDisk, dst: { ...withDisk, max_ioqpairs: '8' } },
  { name: 'nvme with a namespace only on the source', placement: 'i440fx', driver: 'nvme', src: withDisk, dstAbsent: true },
];
/** release → [attempts, refused by the source as predicted] */
const figures = new Map<string, [number, number]>();

describe.runIf(qemus.length > 0 || CI)('nvme: the source refuses to migrate it (up to 10.2)', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const f of FLIPS) {
        const { src, dst } = flipDescriptions(q.release, f);
        if (!sideOf(src) || !sideOf(dst)) continue;
        it(f.name, async () => {
          const predicted = checkMigration(src, dst);
          const [n, refused] = figures.get(q.release) ?? [0, 0];
          if (inRange(q.release, undefined, '10.2')) {
            const real = await rehearseReal(q, src, dst);
            expect(real.failedAt).toBe('source');
            expect(predicted.verdict).toBe('incompatible');
            expect(real.firstError).toBe(predicted.firstError);
            expect(real.firstError).toMatch(/^State blocked by non-migratable device '0000:00:0[25]\.0(:00\.0)?\/nvme'$/);
            const dev = predicted.devices.find((d) => d.id === 'dut')!;
            expect(dev.verdict.kind === 'incompatible' && dev.verdict.mismatches[0].description).toContain('unplug the device before migrating');
            figures.set(q.release, [n + 1, refused + 1]);
            return;
          }
          // 11.x: nvme migrates. A section the destination lacks, or another queue count
          // (its state's shape), fails as for any device; otherwise its state is not
          // modelled — never "compatible".
          const hasNamespace = f.src?.drive !== undefined;
          if (predicted.verdict === 'incompatible') {
            const real = await rehearseReal(q, src, dst);
            expect(predicted.verdict).toBe('incompatible');
            expect(real.firstError).toBe(predicted.firstError);
          } else if (hasNamespace) {
            expect(predicted.verdict).toBe('unknown');
            const real = await rehearseReal(q, src, dst);
            expect(real.failedAt).not.toBe('source');
            expect(real.ok).toBe(true);
          } else {
            expect(predicted.verdict).toBe('unknown');
            await expect(rehearseReal(q, src, dst)).rejects.toThrow(QemuExitedError);
          }
          figures.set(q.release, [n + 1, refused]);
        });
      }
    });
  }
  afterAll(() => {
    for (const [release, [n, refused]] of figures) console.log(`QEMU ${release}: nvme ${n} migration attempts as predicted, ${refused} of them refused by the source`);
  });
});
