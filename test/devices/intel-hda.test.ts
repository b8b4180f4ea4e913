// intel-hda and ich9-intel-hda read as the spec.
import { describe, expect, it } from 'vitest';
import { build, hex } from './misc-build.js';
import { describe1 } from '../real-qemu/cases.js';
import { parseCase, releasesUnderTest, sideOf } from '../real-qemu/harness.js';
import { expectMigrationAgreesWith, expectProbeAgreesWith } from './misc-real-qemu.js';

describe('ich9-intel-hda on 10.0, q35 root bus', () => {
  const b = build('ich9-intel-hda', {}, '10.0', 'pc-q35-10.0');
  it('is 8086:293e revision 03, class 0403, interrupt pin A, HDCTL 0x40 = 01', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('86 80 3e 29');
    expect(hex(b.cs.config, 8, 4)).toBe('03 00 03 04');
    expect([b.cs.config[0x3d], b.cs.config[0x40]]).toEqual([1, 1]);
  });
  it('is conventional PCI even on pcie.0: 256 bytes, MSI at 0x60 (64-bit, 1 vector) and nothing else', () => {
    expect(b.cs.size).toBe(256);
    expect(b.cs.config[0x34]).toBe(0x60);
    expect(hex(b.cs.config, 0x60, 4)).toBe('05 00 80 00');
    expect(b.cs.capabilities.map((c) => c.name)).toEqual(['MSI']);
  });
  it('BAR0 is 16 KiB of memory (wmask 00 c0 ff ff); no ROM; the section is …/intel-hda', () => {
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 c0 ff ff');
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('00 00 00 00');
    expect(b.section).toBe('0000:00:05.0/intel-hda');
  });
});

describe('intel-hda (ICH6)', () => {
  it('is 8086:2668 revision 01', () => {
    expect(hex(build('intel-hda').cs.config, 0, 9)).toBe('86 80 68 26 00 00 10 00 01');
  });
  it('msi=off: no capability list at all (Status 00 00, 0x34 = 0)', () => {
    const b = build('intel-hda', { msi: 'off' });
    expect([b.cs.config[0x06], b.cs.config[0x34]]).toEqual([0, 0]);
  });
  it('old_msi_addr=on moves MSI to 0x50; pc-i440fx-2.1 sets it on 7.2 (hw_compat_2_1), for intel-hda but not ich9-intel-hda', () => {
    expect(build('intel-hda', { old_msi_addr: 'on' }).cs.config[0x34]).toBe(0x50);
    expect(build('intel-hda', {}, '7.2', 'pc-i440fx-2.1').cs.config[0x34]).toBe(0x50);
    expect(build('ich9-intel-hda', {}, '7.2', 'pc-i440fx-2.1').cs.config[0x34]).toBe(0x60);
  });
});

// With an hda-duplex codec on the controller's bus (it needs an audio
// backend: -audiodev none): the controller's config space is the same, and
// a VM with the codec on both sides migrates (the codec has its own section).
const SND = ['-audiodev', 'none,id=snd0'];
const CODEC = ['-device', 'hda-duplex,bus=dut.0,audiodev=snd0'];
describe.runIf(releasesUnderTest().length > 0)('intel-hda with an hda-duplex codec against real QEMU', () => {
  for (const q of releasesUnderTest()) {
    describe(q.version, () => {
      for (const [driver, p] of [['intel-hda', 'i440fx'], ['ich9-intel-hda', 'q35-root']] as const) {
        it(`${driver} on ${p}: config and writable bits equal the model's (built without the codec)`, async () => {
          const side = sideOf(parseCase(describe1(q.release, { driver }, p), driver))!;
          await expectProbeAgreesWith(q, side, 'dut', SND, () => 0, CODEC);
        });
      }
      it('ich9-intel-hda + hda-duplex, identical on both sides, migrates as predicted', async () => {
        const vm = parseCase(describe1(q.release, { driver: 'ich9-intel-hda' }, 'q35-root'), 'hda');
        expect((await expectMigrationAgreesWith(q, vm, vm, SND, CODEC)).ok).toBe(true);
      });
    });
  }
});
