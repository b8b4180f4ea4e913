// Every recorded real migration (test/corpus/observations.jsonl, made by
// scripts/record-corpus.mjs from real QEMU binaries) against the
// prediction: same outcome, and for failures the same first line. Fast: no
// QEMU needed. The source config bytes QEMU held are checked against the
// bytes the model says the source sends.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';
import { worst } from '../../src/check/verdict.js';

interface Observation {
  id: string; srcQemu: string; dstQemu: string; source: object; destination: object;
  outcome: 'loaded' | 'failed'; failedAt: string | null; firstError: string | null; stderr: string[];
  sourceConfig: Record<string, string>;
}

/** The corpus migrated stopped VMs (-S): no guest ran, so no virtio feature was negotiated. */
const guestless = (vm: object): object => ({
  ...vm, devices: (vm as { devices: { guest?: object }[] }).devices.map((d) => ({ ...d, guest: { features: '0x0', ...(d.guest ?? {}) } })),
});

const file = fileURLToPath(new URL('./observations.jsonl', import.meta.url));
const observations: Observation[] = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe(`${observations.length} recorded real migrations agree with the prediction`, () => {
  for (const o of observations) {
    it(o.id, () => {
      const src = parseVmJson(guestless(o.source), 'src.json');
      const dst = parseVmJson(o.destination, 'dst.json');
      const r = checkMigration(src, dst);
      // A pcie-root-port identical on both sides does not change the outcome while it is not modelled.
      const verdict = r.verdict === 'unknown' ? worst(r.devices.filter((d) => d.driver !== 'pcie-root-port').map((d) => d.verdict.kind)) : r.verdict;
      if (verdict === 'unknown') {
        // Only a property the release lacks may leave a case unknown; QEMU must have refused it at start.
        expect(o.firstError).toMatch(/Property '.*' not found/);
        return;
      }
      expect(verdict).not.toBe('at-risk');
      expect({ outcome: verdict === 'compatible' ? 'loaded' : 'failed', firstError: r.firstError ?? null })
        .toEqual({ outcome: o.outcome, firstError: o.firstError });
      for (const d of r.devices) {
        if (!d.compared || !o.sourceConfig[d.id]) continue;
        const real = o.sourceConfig[d.id].slice(0, d.compared.source.size * 2);
        expect(Buffer.from(d.compared.sent).toString('hex'), `${d.id}: bytes the source sent`).toBe(real);
      }
    });
  }
});
