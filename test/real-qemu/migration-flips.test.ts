// Given a source and a destination that differ in one thing, the
// destination QEMU does what we predict: it loads, or it fails with the
// first line we predicted, byte for byte.

import { describe, it } from 'vitest';
import { CI, expectMigrationAgrees, releasesUnderTest } from './harness.js';
import { FLIPS, flipDescriptions } from './flips.js';

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('migrations predicted exactly', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const f of FLIPS) {
        it(f.name, async () => {
          const { src, dst } = flipDescriptions(q.release, f);
          await expectMigrationAgrees(q, src, dst);
        });
      }
    });
  }
});
