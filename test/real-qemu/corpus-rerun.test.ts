// A sample of the recorded corpus re-run for real on the binaries installed
// here: QEMU must still do what was recorded (and what we predict).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseVmJson } from '../../src/inputs/vm.js';
import { rehearse } from '../../src/rehearse/run.js';
import { CI, QEMUS, releasesUnderTest } from './harness.js';

interface Observation { id: string; srcQemu: string; dstQemu: string; source: object; destination: object; outcome: string; firstError: string | null }

const observations: Observation[] = readFileSync(fileURLToPath(new URL('../corpus/observations.jsonl', import.meta.url)), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l));

const byVersion = new Map(QEMUS.map((q) => [q.version, q]));
// Every 8th observation whose two builds are installed here.
const sample = observations.filter((o) => byVersion.has(o.srcQemu) && byVersion.has(o.dstQemu)).filter((_, n) => n % 8 === 0);

describe.runIf(releasesUnderTest().length > 0 || CI)(`${sample.length} recorded migrations re-run for real`, () => {
  it('has a sample to run when QEMU 7.2 is installed', () => {
    expect(sample.length).toBeGreaterThan(0);
  });
  for (const o of sample) {
    it(o.id, async () => {
      const r = await rehearse(byVersion.get(o.srcQemu)!.binary, byVersion.get(o.dstQemu)!.binary,
        parseVmJson(o.source, 'src.json'), parseVmJson(o.destination, 'dst.json'));
      expect({ outcome: r.ok ? 'loaded' : 'failed', firstError: r.firstError ?? null }).toEqual({ outcome: o.outcome, firstError: o.firstError });
    });
  }
});
