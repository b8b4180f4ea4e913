// Given a bridge or port on this QEMU, alone or with a device behind it,
// every config byte and every writable bit of our model equals what the
// real binary shows (after the same bus numbering a firmware does).

import { describe, expect, it } from 'vitest';
import { PCI_EXP } from '../../src/config-space/pcie-cap.js';
import { PCI_CAP_ID } from '../../src/config-space/regs.js';
import { type ConfigSpace } from '../../src/config-space/config-space.js';
import { guestWriteValue } from '../../src/config-space/guest-write.js';
import { topology } from '../../src/rehearse/program.js';
import { rootBusName } from '../../src/check/placement.js';
import { inRange } from '../../src/profiles/versions.js';
import { bridgeCaseName, BRIDGE_CASES, describeBridge } from './bridge-cases.js';
import { buildOf, byteDiffs, CI, parseCase, probeReal, refusalOf, releasesUnderTest, sideOf } from './harness.js';

/**
 * Bits a probe cannot see: Slot Control's Electromechanical Interlock
 * Control is writable but pcie_cap_slot_write_config clears it at once,
 * so it always reads 0.
 */
function unprobeable(cs: ConfigSpace): (i: number) => number {
  const exp = cs.capabilities.find((c) => c.id === PCI_CAP_ID.EXP && !c.extended);
  return (i) => (exp && i === exp.offset + PCI_EXP.SLTCTL + 1 ? 0x08 : 0);
}

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('bridges: config space and writable bits equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const c of BRIDGE_CASES) {
        const vm = parseCase(describeBridge(q.release, c), bridgeCaseName(c));
        const side = sideOf(vm);
        if (!side || (c.since && !inRange(q.release, c.since))) continue; // this release does not offer that machine type or property
        it(bridgeCaseName(c), async () => {
          const built = buildOf(side, 'dut');
          if (built.kind === 'refused') {
            // The model says QEMU refuses the device: QEMU must say so too, in the same words.
            expect(await refusalOf(q, side)).toContain(built.reason);
            return;
          }
          if (built.kind === 'unknown') {
            // Only a property this release does not have may make a case unknown; QEMU must refuse it.
            const prop = /: ([\w-]+)=.* \(on the -device line\)$/.exec(built.reason)?.[1];
            expect(prop, built.reason).toBeDefined();
            expect(await refusalOf(q, side)).toMatch(new RegExp(`Property '[\\w-]+\\.${prop}' not found`));
            return;
          }
          const model: ConfigSpace = { ...built.cs, config: built.cs.config.slice() };
          // The harness numbers the buses like a firmware before probing.
          const topo = topology(side.vm, rootBusName(side.machine.family));
          const me = topo.bridges.find((b) => b.id === 'dut')!;
          guestWriteValue(model, 0x18, 4, BigInt(me.bdf.bus | (me.secondary << 8) | (me.subordinate << 16)));
          const real = await probeReal(q, side, 'dut', model.size as 256 | 4096);
          expect(byteDiffs(model.config, real.config, model.size)).toEqual([]);
          expect(byteDiffs(model.wmask, real.wmask, model.size, unprobeable(model))).toEqual([]);
        });
      }
    });
  }
});
