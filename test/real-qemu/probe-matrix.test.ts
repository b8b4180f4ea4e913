// Given this device on this QEMU, every config byte and every writable bit
// of our model equals what the real binary shows (read through qtest,
// writable bits probed like a guest: write ff, read, write 00, read).

import { describe, expect, it } from 'vitest';
import { PCI_EXP } from '../../src/config-space/pcie-cap.js';
import { PCI_CAP_ID } from '../../src/config-space/regs.js';
import { type ConfigSpace } from '../../src/config-space/config-space.js';
import { caseName, describe1, PLACEMENTS, PROBE_DEVICES } from './cases.js';
import { buildOf, byteDiffs, CI, parseCase, probeReal, refusalOf, releasesUnderTest, sideOf } from './harness.js';

/** Bits a probe cannot see: Initiate FLR resets the function and reads back 0 (pcie_cap_flr_write_config). */
function unprobeable(cs: ConfigSpace): (i: number) => number {
  const exp = cs.capabilities.find((c) => c.id === PCI_CAP_ID.EXP && !c.extended);
  return (i) => (exp && i === exp.offset + PCI_EXP.DEVCTL + 1 ? 0x80 : 0);
}

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('config space and writable bits equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const c of PROBE_DEVICES) {
        for (const p of PLACEMENTS) {
          const vm = parseCase(describe1(q.release, c, p), caseName(c, p));
          const side = sideOf(vm);
          if (!side) continue; // this release does not offer that machine type
          it(caseName(c, p), async () => {
            const built = buildOf(side!, 'dut');
            if (built.kind === 'refused') {
              // The model says QEMU refuses the device: QEMU must say so too, in the same words.
              expect(await refusalOf(q, side!)).toContain(built.reason);
              return;
            }
            if (built.kind === 'unknown') {
              // Only a property this release does not have may make a probe case unknown; QEMU must refuse it.
              const prop = /: ([\w-]+)=.* \(on the -device line\)$/.exec(built.reason)?.[1];
              expect(prop, built.reason).toBeDefined();
              expect(await refusalOf(q, side!)).toMatch(new RegExp(`Property '[\\w-]+\\.${prop}' not found`));
              return;
            }
            const model = built.cs;
            const real = await probeReal(q, side!, 'dut', model.size as 256 | 4096);
            expect(byteDiffs(model.config, real.config, model.size)).toEqual([]);
            expect(byteDiffs(model.wmask, real.wmask, model.size, unprobeable(model))).toEqual([]);
          });
        }
      }
    });
  }
});
