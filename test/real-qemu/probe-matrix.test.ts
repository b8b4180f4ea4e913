// Given this device on this QEMU, every config byte and every writable bit
// of our model equals what the real binary shows (read through qtest,
// writable bits probed like a guest: write ff, read, write 00, read).

import { describe, it } from 'vitest';
import { caseName, describe1, PLACEMENTS, PROBE_DEVICES } from './cases.js';
import { CI, expectProbeAgrees, parseCase, releasesUnderTest, sideOf } from './harness.js';

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('config space and writable bits equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const c of PROBE_DEVICES) {
        for (const p of PLACEMENTS) {
          const side = sideOf(parseCase(describe1(q.release, c, p), caseName(c, p)));
          if (!side) continue; // this release does not offer that machine type
          it(caseName(c, p), async () => {
            await expectProbeAgrees(q, side, 'dut');
          });
        }
      }
    });
  }
});
