// The families of test/real-qemu/families.ts on every installed QEMU: each
// -device type's help lists exactly the properties the family data has for
// that release, and every probe case's config bytes and writable bits equal
// the model's (or QEMU refuses the case in the predicted words).

import { afterAll, describe, expect, it } from 'vitest';
import { deviceFamily } from '../../src/profiles/data.js';
import { propertyTable } from '../../src/devices/properties.js';
import { modelFor } from '../../src/devices/registry.js';
import { inRange } from '../../src/profiles/versions.js';
import { caseName, describe1, PLACEMENTS } from './cases.js';
import { DEVICE_FAMILIES } from './families.js';
import { CI, expectProbeAgrees, helpProperties, parseCase, releasesUnderTest, sideOf } from './harness.js';

const qemus = releasesUnderTest();
/** release → family → [cases, of which QEMU refused as predicted, bytes compared] */
const figures = new Map<string, Map<string, [number, number, number]>>();

function tally(release: string, family: string, bytes: number): void {
  const byFamily = figures.get(release) ?? new Map<string, [number, number, number]>();
  const [n, refused, b] = byFamily.get(family) ?? [0, 0, 0];
  byFamily.set(family, [n + 1, refused + (bytes ? 0 : 1), b + bytes]);
  figures.set(release, byFamily);
}

describe.runIf(qemus.length > 0 || CI)('devices: properties, config space and writable bits equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const fam of DEVICE_FAMILIES) {
        for (const driver of fam.drivers) {
          it(`${driver}: -device help lists the family's properties`, () => {
            const model = modelFor(driver)!;
            const table = propertyTable(model.families.map(deviceFamily), q.release);
            const modelled = [...table].filter(([, p]) => !p.drivers || p.drivers.includes(driver)).map(([name]) => name).sort();
            expect(modelled).toEqual(helpProperties(q.binary, driver));
          });
        }
        for (const c of fam.probes) {
          if (c.since && !inRange(q.release, c.since)) continue;
          for (const p of c.placements ?? PLACEMENTS) {
            const side = sideOf(parseCase(describe1(q.release, c, p), caseName(c, p)));
            if (!side) continue; // this release does not offer that machine type
            it(caseName(c, p), async () => {
              tally(q.release, fam.family, await expectProbeAgrees(q, side, 'dut'));
            });
          }
        }
      }
    });
  }
  afterAll(() => {
    for (const [release, byFamily] of figures) {
      const line = [...byFamily].map(([f, [n, refused, b]]) => `${f} ${n} cases (${refused} refused as predicted), ${b} bytes`).join('; ');
      console.log(`QEMU ${release}: ${line}`);
    }
  });
});
