// ivshmem-plain and ivshmem-doorbell: why the verdict stays unknown, the
// layout against a real ivshmem-plain over a 1 MiB memory-backend-ram, and
// the peer-mode migration blocker as the real source QEMU reports it.
import { afterAll, describe, expect, it } from 'vitest';
import { buildSide, hex } from './misc-build.js';
import { buildIvshmem, IVSHMEM_PEER_BLOCKER } from '../../src/devices/ivshmem.js';
import { type BuildContext } from '../../src/devices/model.js';
import { type ResolvedProperty } from '../../src/devices/properties.js';
import { describe1, caseName, type DeviceCase } from '../real-qemu/cases.js';
import { byteDiffs, helpProperties, parseCase, releasesUnderTest, sideOf } from '../real-qemu/harness.js';
import { probeBlindBits } from '../../src/config-space/probe-blind.js';
import { rehearseMigration } from '../../src/qemu/migrate.js';
import { modelledProperties, probeWith, specWith } from './misc-real-qemu.js';

const MiB = 1024 * 1024;

function ctxOf(props: Record<string, string>, release = '10.0'): BuildContext {
  const m = new Map<string, ResolvedProperty>(Object.entries(props).map(([k, v]) => [k, { value: v, source: 'explicit' }]));
  return { release, smp: 1, bus: { express: false, root: true }, props: m, netdevQueues: 1 };
}

describe('ivshmem-plain', () => {
  const b = buildIvshmem('ivshmem-plain', ctxOf({ memdev: 'm0', master: 'on' }), MiB);
  it('is 1af4:1110 revision 01, class 0500, no interrupt pin, no capabilities', () => {
    expect(hex(b.cs.config, 0, 12)).toBe('f4 1a 10 11 00 00 00 00 01 00 00 05');
    expect([b.cs.config[0x3d], b.cs.config[0x34]]).toEqual([0, 0]);
  });
  it('BAR0 is 256 bytes (wmask 00 ff ff ff); BAR2 the 1 MiB region, 64-bit prefetchable: config 0c, wmask 00 00 f0 ff ff ff ff ff', () => {
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 ff ff ff');
    expect(hex(b.cs.config, 0x18, 8)).toBe('0c 00 00 00 00 00 00 00');
    expect(hex(b.cs.wmask, 0x18, 8)).toBe('00 00 f0 ff ff ff ff ff');
  });
  it('the checker says unknown: the backend size is not in the description, and master=off blocks migration', () => {
    const plain = buildSide('ivshmem-plain', { memdev: 'm0' });
    expect(plain.kind).toBe('unknown');
    expect(plain.kind === 'unknown' && plain.reason).toBe(
      `ivshmem-plain: BAR2 and its RAM block are as large as memory backend "m0", which the description does not give; master=off: the source QEMU refuses to migrate ("${IVSHMEM_PEER_BLOCKER}")`);
  });
});

describe('ivshmem-doorbell (modelled from the source, not probed)', () => {
  it('vectors=4: MSI-X at 0x40 with 4 entries in an exclusive 4 KiB BAR1 (table at 0, PBA at 0x800)', () => {
    const b = buildIvshmem('ivshmem-doorbell', ctxOf({ vectors: '4', master: 'on' }), MiB);
    expect(hex(b.cs.config, 0x40, 12)).toBe('11 00 03 00 01 00 00 00 01 08 00 00');
    expect(hex(b.cs.wmask, 0x14, 4)).toBe('00 f0 ff ff');
  });
  it('is unknown too, its section named …/ivshmem-doorbell', () => {
    const b = buildSide('ivshmem-doorbell', { chardev: 'c0', master: 'on' });
    expect(b).toMatchObject({ kind: 'unknown', section: '0000:00:05.0/ivshmem-doorbell' });
  });
});

const MEM = ['-object', 'memory-backend-ram,id=m0,size=1M,share=on'];
const PROBES: DeviceCase[] = [
  { driver: 'ivshmem-plain', properties: { memdev: 'm0', master: 'on' }, placements: ['i440fx', 'q35-root'] },
  { driver: 'ivshmem-plain', properties: { memdev: 'm0', master: 'off', multifunction: 'on' }, placements: ['i440fx'] },
];
const figures: string[] = [];
describe.runIf(releasesUnderTest().length > 0)('ivshmem-plain against real QEMU (1 MiB memory-backend-ram)', () => {
  for (const q of releasesUnderTest()) {
    let probes = 0;
    describe(q.version, () => {
      for (const c of PROBES) {
        for (const p of c.placements!) {
          const side = sideOf(parseCase(describe1(q.release, c, p), caseName(c, p)))!;
          it(caseName(c, p), async () => {
            const model = buildIvshmem('ivshmem-plain', ctxOf(c.properties!, q.release), MiB).cs;
            const real = await probeWith(q, side, 'dut', MEM);
            expect(byteDiffs(model.config, real.config, 256)).toEqual([]);
            expect(byteDiffs(model.wmask, real.wmask, 256, probeBlindBits(model))).toEqual([]);
            probes++;
          });
        }
      }
      it('master=off: the source refuses to migrate with the peer-mode blocker', async () => {
        const vm = parseCase(describe1(q.release, { driver: 'ivshmem-plain', properties: { memdev: 'm0' } }, 'i440fx'), 'ivshmem');
        const side = sideOf(vm)!;
        const real = await rehearseMigration({ binary: q.binary, srcArgs: specWith(vm, side, MEM), dstArgs: specWith(vm, side, MEM) });
        expect(real.ok).toBe(false);
        expect(real.failedAt).toBe('source');
        expect(real.firstError).toContain(IVSHMEM_PEER_BLOCKER);
      });
      it('master=on: migrates and loads', async () => {
        const vm = parseCase(describe1(q.release, { driver: 'ivshmem-plain', properties: { memdev: 'm0', master: 'on' } }, 'q35-root'), 'ivshmem');
        const side = sideOf(vm)!;
        const real = await rehearseMigration({ binary: q.binary, srcArgs: specWith(vm, side, MEM), dstArgs: specWith(vm, side, MEM) });
        expect(real.ok, real.firstError).toBe(true);
      });
      afterAll(() => { figures.push(`QEMU ${q.release}: ivshmem-plain ${probes} probe cases (256 bytes each), blocker and master=on migrations checked`); });
    });
  }
  afterAll(() => { for (const l of figures) console.log(l); });
});

describe.runIf(releasesUnderTest().length > 0)('ivshmem-plain/ivshmem-doorbell: -device help lists the family\'s properties', () => {
  for (const q of releasesUnderTest()) {
    for (const driver of ['ivshmem-plain', 'ivshmem-doorbell']) {
      it(`${driver} on ${q.version}`, () => {
        expect(modelledProperties(driver, q.release)).toEqual(helpProperties(q.binary, driver));
      });
    }
  }
});
