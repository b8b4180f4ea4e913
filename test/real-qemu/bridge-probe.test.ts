// Given a bridge or port on this QEMU, alone or with a device behind it,
// every config byte and every writable bit of our model equals what the
// real binary shows (after the same bus numbering a firmware does).

import { describe, it } from 'vitest';
import { inRange } from '../../src/profiles/versions.js';
import { bridgeCaseName, BRIDGE_CASES, describeBridge } from './bridge-cases.js';
import { CI, expectProbeAgrees, parseCase, releasesUnderTest, sideOf } from './harness.js';

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('bridges: config space and writable bits equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const c of BRIDGE_CASES) {
        const side = sideOf(parseCase(describeBridge(q.release, c), bridgeCaseName(c)));
        if (!side || (c.since && !inRange(q.release, c.since))) continue; // this release does not offer that machine type or property
        it(bridgeCaseName(c), async () => {
          await expectProbeAgrees(q, side, 'dut');
        });
      }
    });
  }
});
