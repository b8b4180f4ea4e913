// AC97 read as the spec, then against real QEMU with an explicit
// `-audiodev none` (10.0 and 11.1 refuse AC97 on a host without a default
// audio driver, and the shared harness creates no audio backend).
import { afterAll, describe, expect, it } from 'vitest';
import { build, hex } from './misc-build.js';
import { describe1, caseName, type DeviceCase } from '../real-qemu/cases.js';
import { flipDescriptions, type Flip } from '../real-qemu/flips.js';
import { helpProperties, parseCase, releasesUnderTest, sideOf } from '../real-qemu/harness.js';
import { expectMigrationAgreesWith, expectProbeAgreesWith, modelledProperties } from './misc-real-qemu.js';

describe('AC97 on 10.0', () => {
  const b = build('AC97');
  it('is 8086:2415 revision 01, class 0401, Status 02 80 (fast back-to-back, DEVSEL medium), interrupt pin A', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('86 80 15 24');
    expect(hex(b.cs.config, 6, 6)).toBe('80 02 01 00 01 04');
    expect(b.cs.config[0x3d]).toBe(1);
  });
  it('BAR0 is 1 KiB of I/O (config 01, wmask 00 fc ff ff), BAR1 256 bytes of I/O (wmask 00 ff ff ff)', () => {
    expect(hex(b.cs.config, 0x10, 8)).toBe('01 00 00 00 01 00 00 00');
    expect(hex(b.cs.wmask, 0x10, 8)).toBe('00 fc ff ff 00 ff ff ff');
  });
  it('has no capabilities, no option ROM and 256 bytes of config space; the section is …/ac97', () => {
    expect(b.cs.config[0x34]).toBe(0);
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('00 00 00 00');
    expect(b.cs.size).toBe(256);
    expect(b.section).toBe('0000:00:05.0/ac97');
  });
});

const SND = ['-audiodev', 'none,id=snd0'];
const withSnd = (p: Record<string, string> = {}) => ({ audiodev: 'snd0', ...p });
const PROBES: DeviceCase[] = [
  { driver: 'AC97', properties: withSnd(), placements: ['i440fx', 'q35-root'] },
  { driver: 'AC97', properties: withSnd({ multifunction: 'on', romfile: 'efi-e1000.rom' }), placements: ['i440fx'] },
  { driver: 'AC97', properties: withSnd(), machineVersion: '5.2', placements: ['q35-root'] },
];
const FLIPS: Flip[] = [
  { name: 'identical AC97', placement: 'i440fx', driver: 'AC97', src: withSnd(), dst: withSnd() },
  { name: 'AC97 BAR0 at 0xc400, BAR1 at 0xc0c0', placement: 'q35-root', driver: 'AC97', src: withSnd(), dst: withSnd(), bars: { 0: '0xc400', 1: '0xc0c0' } },
  { name: 'AC97 → intel-hda at the same address', placement: 'i440fx', driver: 'AC97', src: withSnd(), dst: {}, dstDriver: 'intel-hda' },
  { name: 'AC97 only on the source', placement: 'i440fx', driver: 'AC97', src: withSnd(), dstAbsent: true },
];

const figures: string[] = [];
describe.runIf(releasesUnderTest().length > 0)('AC97 against real QEMU (-audiodev none)', () => {
  for (const q of releasesUnderTest()) {
    let probes = 0; let bytes = 0; let migrations = 0; let refused = 0;
    describe(q.version, () => {
      for (const c of PROBES) {
        for (const p of c.placements!) {
          const side = sideOf(parseCase(describe1(q.release, c, p), caseName(c, p)));
          if (!side) continue;
          it(caseName(c, p), async () => {
            bytes += (await expectProbeAgreesWith(q, side, 'dut', SND)).bytes;
            probes++;
          });
        }
      }
      for (const f of FLIPS) {
        const { src, dst } = flipDescriptions(q.release, f);
        it(f.name, async () => {
          const real = await expectMigrationAgreesWith(q, src, dst, SND);
          migrations++;
          if (!real.ok) refused++;
        });
      }
      afterAll(() => { figures.push(`QEMU ${q.release}: AC97 ${probes} probe cases, ${bytes} bytes; ${migrations} migrations (${refused} refused)`); });
    });
  }
  afterAll(() => { for (const l of figures) console.log(l); });
});

describe.runIf(releasesUnderTest().length > 0)('AC97: -device help lists the family\'s properties', () => {
  for (const q of releasesUnderTest()) {
    for (const driver of ['AC97']) {
      it(`${driver} on ${q.version}`, () => {
        expect(modelledProperties(driver, q.release)).toEqual(helpProperties(q.binary, driver));
      });
    }
  }
});
