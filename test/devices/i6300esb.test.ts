// i6300esb read as the spec, then probed in real QEMU. The shared probe
// suite cannot take it: a byte write to 0x68 goes to the watchdog's lock
// register (i6300esb_config_write, ESB_LOCK_REG with len 1) instead of
// config space, and a byte read there (i6300esb_config_read) returns the
// lock/free-run/enable state. So 0x68's probed bits are checked against
// that register; every other byte of config and wmask against the model.
import { afterAll, describe, expect, it } from 'vitest';
import { build, hex } from './misc-build.js';
import { describe1, caseName } from '../real-qemu/cases.js';
import { parseCase, releasesUnderTest, sideOf } from '../real-qemu/harness.js';
import { I6300ESB_PROBES } from '../real-qemu/i6300esb-cases.js';
import { expectProbeAgreesWith } from './misc-real-qemu.js';

const ESB_LOCK_REG = 0x68;
/** ESB_WDT_FUNC | ESB_WDT_ENABLE | ESB_WDT_LOCK: what a 0xff write sets, and the lock keeps them set. */
const LOCK_REG_AFTER_ONES = 0x07;

describe('i6300esb on 7.2', () => {
  const b = build('i6300esb', {}, '7.2');
  it('is 8086:25ab revision 00, class 0880, no interrupt pin', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('86 80 ab 25');
    expect(hex(b.cs.config, 8, 4)).toBe('00 00 80 08');
    expect(b.cs.config[0x3d]).toBe(0);
  });
  it('BAR0 is 16 bytes of 32-bit memory: config 00 00 00 00, wmask f0 ff ff ff, compared', () => {
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('f0 ff ff ff');
    expect(hex(b.cs.cmask, 0x10, 4)).toBe('ff ff ff ff');
  });
  it('0x60 and 0x68 hold 0 in config space, writable and not compared; the section is …/i6300esb_wdt (field dev)', () => {
    expect([b.cs.config[0x60], b.cs.config[0x68], b.cs.wmask[0x68], b.cs.cmask[0x68]]).toEqual([0, 0, 0xff, 0]);
    expect(b.section).toBe('0000:00:05.0/i6300esb_wdt');
    expect(b.model.configField).toBe('dev');
  });
});

const figures: string[] = [];
describe.runIf(releasesUnderTest().length > 0)('i6300esb against real QEMU', () => {
  for (const q of releasesUnderTest()) {
    let probes = 0; let bytes = 0;
    describe(q.version, () => {
      for (const c of I6300ESB_PROBES) {
        for (const p of c.placements) {
          const side = sideOf(parseCase(describe1(q.release, c, p), caseName(c, p)));
          if (!side) continue;
          it(caseName(c, p), async () => {
            const r = await expectProbeAgreesWith(q, side, 'dut', [], (i) => (i === ESB_LOCK_REG ? 0xff : 0));
            // The lock register: a 0xff write locks it, so 0x00 no longer clears the bits.
            expect([r.real.config[ESB_LOCK_REG], r.real.afterOnes[ESB_LOCK_REG], r.real.afterZeros[ESB_LOCK_REG]])
              .toEqual([0, LOCK_REG_AFTER_ONES, LOCK_REG_AFTER_ONES]);
            bytes += r.bytes;
            probes++;
          });
        }
      }
      afterAll(() => { figures.push(`QEMU ${q.release}: i6300esb ${probes} probe cases, ${bytes} bytes`); });
    });
  }
  afterAll(() => { for (const l of figures) console.log(l); });
});
