// Devices behind PCI expander bridges (pxb on pc, pxb-pcie on q35) against
// real QEMU: their sections are named through the expander
// ("0000:<bus_nr>:<pxb slot>:…", check/placement.ts) and a pxb-pcie's bus
// has no ACPI hot-plug, so the destination fails exactly where predicted.
// The expander itself is not modelled (unknown), so the prediction is
// checked line for line rather than by verdict.

import { afterAll, describe, expect, it } from 'vitest';
import { checkMigration } from '../../src/check/migration.js';
import { CI, parseCase, rehearseReal, releasesUnderTest } from './harness.js';

type Dev = { id: string; driver: string; addr?: string; bus?: string; properties?: Record<string, string> };

const q35Tree = (busNr = '0x20', disk = true): Dev[] => [
  { id: 'pxb1', driver: 'pxb-pcie', addr: '0x5', properties: { bus_nr: busNr } },
  { id: 'rp1', driver: 'pcie-root-port', bus: 'pxb1', addr: '0x0', properties: { chassis: '5' } },
  ...(disk ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'rp1' }] : []),
];
const pcTree = (busNr = '0x30', diskAddr: string | null = '0x3'): Dev[] => [
  { id: 'pxb1', driver: 'pxb', addr: '0x6', properties: { bus_nr: busNr } },
  ...(diskAddr ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'pxb1', addr: diskAddr }] : []),
];

interface PxbFlip { name: string; family: 'pc' | 'q35'; src: Dev[]; dst: Dev[]; section?: string }

const FLIPS: PxbFlip[] = [
  { name: 'identical pxb-pcie trees', family: 'q35', src: q35Tree(), dst: q35Tree() },
  { name: 'identical pxb trees', family: 'pc', src: pcTree(), dst: pcTree() },
  { name: 'disk behind a root port on a pxb-pcie only on the source', family: 'q35', src: q35Tree(), dst: q35Tree('0x20', false), section: '0000:20:05.0:00.0:00.0/virtio-blk' },
  { name: 'disk behind a pxb only on the source', family: 'pc', src: pcTree(), dst: pcTree('0x30', null), section: '0000:30:06.0:00.0:03.0/virtio-blk' },
  { name: 'pxb-pcie bus_nr 0x20 → 0x21 (every section behind it renamed)', family: 'q35', src: q35Tree(), dst: q35Tree('0x21'), section: '0000:20:05.0:00.0/pcie-root-port' },
  { name: 'disk behind a pxb at slot 3 → 4', family: 'pc', src: pcTree(), dst: pcTree('0x30', '0x4'), section: '0000:30:06.0:00.0:03.0/virtio-blk' },
];

const qemus = releasesUnderTest();
const figures = new Map<string, [number, number]>();

describe.runIf(qemus.length > 0 || CI)('devices behind PCI expander bridges migrate as predicted', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const f of FLIPS) {
        it(f.name, async () => {
          const machine = `${f.family === 'q35' ? 'pc-q35' : 'pc-i440fx'}-${q.release}`;
          const src = parseCase({ qemu: q.release, machine, devices: f.src }, 'src.json');
          const dst = parseCase({ qemu: q.release, machine, devices: f.dst }, 'dst.json');
          const predicted = checkMigration(src, dst);
          // The expander is unknown; every device behind it is modelled.
          expect(predicted.devices.filter((d) => d.verdict.kind === 'unknown').map((d) => d.driver)).toEqual([f.src[0].driver]);
          if (f.section) expect(predicted.devices.map((d) => d.section)).toContain(f.section);
          const real = await rehearseReal(q, src, dst);
          expect({ ok: real.ok, firstError: real.ok ? undefined : real.firstError }).toEqual({ ok: predicted.firstError === undefined, firstError: predicted.firstError });
          const [n, refused] = figures.get(q.release) ?? [0, 0];
          figures.set(q.release, [n + 1, refused + (real.ok ? 0 : 1)]);
        });
      }
    });
  }
  afterAll(() => {
    for (const [release, [n, refused]] of figures) console.log(`QEMU ${release}: pxb ${n} migrations (${refused} refused), first line as predicted`);
  });
});
