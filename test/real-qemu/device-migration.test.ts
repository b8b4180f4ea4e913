// The families of test/real-qemu/families.ts migrated for real on every
// installed QEMU: a source and a destination that differ in one thing,
// and the destination does what checkMigration predicts — it loads, or it
// fails with the predicted lines.

import { afterAll, describe, it } from 'vitest';
import { inRange } from '../../src/profiles/versions.js';
import { DEVICE_FAMILIES } from './families.js';
import { flipDescriptions } from './flips.js';
import { CI, expectMigrationAgrees, releasesUnderTest, sideOf } from './harness.js';

const qemus = releasesUnderTest();
/** release → family → [migrations, of which the destination refused] */
const figures = new Map<string, Map<string, [number, number]>>();

describe.runIf(qemus.length > 0 || CI)('device migrations predicted exactly', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const fam of DEVICE_FAMILIES) {
        for (const f of fam.flips) {
          if (f.since && !inRange(q.release, f.since)) continue;
          const { src, dst } = flipDescriptions(q.release, f);
          if (!sideOf(src) || !sideOf(dst)) continue; // a machine type this release does not offer
          it(f.name, async () => {
            const real = await expectMigrationAgrees(q, src, dst);
            const byFamily = figures.get(q.release) ?? new Map<string, [number, number]>();
            const [n, failed] = byFamily.get(fam.family) ?? [0, 0];
            byFamily.set(fam.family, [n + 1, failed + (real.ok ? 0 : 1)]);
            figures.set(q.release, byFamily);
          });
        }
      }
    });
  }
  afterAll(() => {
    for (const [release, byFamily] of figures) {
      console.log(`QEMU ${release}: ${[...byFamily].map(([f, [n, failed]]) => `${f} ${n} migrations (${failed} refused)`).join(', ')}`);
    }
  });
});
