// UHCI and EHCI controllers read as the spec.
import { describe, expect, it } from 'vitest';
import { build, hex } from './misc-build.js';
import { expectMigrationAgreesWith, expectProbeAgreesWith } from './misc-real-qemu.js';
import { parseCase, releasesUnderTest, sideOf } from '../real-qemu/harness.js';
import { checkMigration } from '../../src/check/migration.js';

describe('UHCI', () => {
  it('piix3-usb-uhci is 8086:7020 rev 01, class 0c03 prog-if 00, pin D, SBRN 0x10, USB clock 0x6a = 01', () => {
    const b = build('piix3-usb-uhci');
    expect(hex(b.cs.config, 0, 12)).toBe('86 80 20 70 00 00 00 00 01 00 03 0c');
    expect([b.cs.config[0x3d], b.cs.config[0x60], b.cs.config[0x6a]]).toEqual([4, 0x10, 0x01]);
  });
  it('the registers are BAR4, 32 bytes of I/O: config 01 00 00 00, wmask e0 ff ff ff; BAR0-3 unused', () => {
    const b = build('piix3-usb-uhci');
    expect(hex(b.cs.config, 0x20, 4)).toBe('01 00 00 00');
    expect(hex(b.cs.wmask, 0x20, 4)).toBe('e0 ff ff ff');
    expect(hex(b.cs.wmask, 0x10, 16)).toBe('00 '.repeat(15) + '00');
  });
  it('ich9-usb-uhci1..6 are 2934..2939 rev 03 with pins A B C A B C; the section is …/uhci (field dev)', () => {
    const pins = [1, 2, 3, 4, 5, 6].map((i) => build(`ich9-usb-uhci${i}`, {}, '10.0', 'pc-q35-10.0'));
    expect(pins.map((b) => hex(b.cs.config, 2, 2))).toEqual(['34 29', '35 29', '36 29', '37 29', '38 29', '39 29']);
    expect(pins.map((b) => b.cs.config[0x3d])).toEqual([1, 2, 3, 1, 2, 3]);
    expect(pins[0].section).toBe('0000:00:05.0/uhci');
  });
});

describe('EHCI', () => {
  it('ich9-usb-ehci1 is 8086:293a rev 03, class 0c03 prog-if 20, pin D', () => {
    const b = build('ich9-usb-ehci1', {}, '10.0', 'pc-q35-10.0');
    expect(hex(b.cs.config, 0, 12)).toBe('86 80 3a 29 00 00 00 00 03 20 03 0c');
    expect(b.cs.config[0x3d]).toBe(4);
  });
  it('SBRN 0x20, FLADJ 0x20, USBLEGSUP 0x68 = 01, USBLEGCTLSTS 0x6c = 00 00 00 c0', () => {
    const b = build('ich9-usb-ehci2');
    expect(hex(b.cs.config, 0x60, 16)).toBe('20 20 00 00 00 00 00 00 01 00 00 00 00 00 00 c0');
  });
  it('BAR0 is the 4 KiB register block (wmask 00 f0 ff ff); usb-ehci is 24cd rev 10; the section is …/ehci', () => {
    const b = build('usb-ehci');
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 f0 ff ff');
    expect(hex(b.cs.config, 2, 7)).toBe('cd 24 00 00 00 00 10');
    expect(b.section).toBe('0000:00:05.0/ehci');
  });
});

// libvirt's <controller type='usb' model='ich9-ehci1'> with its three UHCI
// companions: ich9-usb-ehci1 at 1d.7, ich9-usb-uhci1..3 at 1d.0-1d.2
// (masterbus=usb.0, firstport 0, 2, 4; uhci1 multifunction). Every
// function probed in one real VM, then the whole set migrated.

function companions(release: string, family: 'pc-q35' | 'pc-i440fx'): object {
  const uhci = (i: number, props: Record<string, string> = {}) => ({
    id: `uhci${i}`, driver: `ich9-usb-uhci${i}`, addr: `0x1d.${i - 1}`, properties: { masterbus: 'usb.0', firstport: String((i - 1) * 2), ...props },
  });
  return {
    qemu: release, machine: `${family}-${release}`, smp: 1, devices: [
      { id: 'usb', driver: 'ich9-usb-ehci1', addr: '0x1d.7', properties: {} },
      uhci(1, { multifunction: 'on' }), uhci(2), uhci(3),
    ],
  };
}

describe('ich9-usb-ehci1 with its UHCI companions', () => {
  it('the prediction for an identical pair is compatible, with four sections at 00:1d.x', () => {
    const vm = parseCase(companions('10.0', 'pc-q35'), 'companions.json');
    const r = checkMigration(vm, vm);
    expect(r.verdict).toBe('compatible');
    expect(r.devices.map((d) => d.section)).toEqual(['0000:00:1d.7/ehci', '0000:00:1d.0/uhci', '0000:00:1d.1/uhci', '0000:00:1d.2/uhci']);
  });
});

describe.runIf(releasesUnderTest().length > 0)('ich9-usb-ehci1 with its UHCI companions against real QEMU', () => {
  for (const q of releasesUnderTest()) {
    describe(q.version, () => {
      for (const family of ['pc-q35', 'pc-i440fx'] as const) {
        it(`${family}: each function's config and writable bits equal the model`, async () => {
          const side = sideOf(parseCase(companions(q.release, family), 'companions.json'))!;
          for (const id of ['usb', 'uhci1', 'uhci2', 'uhci3']) await expectProbeAgreesWith(q, side, id, []);
        });
      }
      it('pc-q35: identical source and destination migrate', async () => {
        const vm = parseCase(companions(q.release, 'pc-q35'), 'companions.json');
        expect((await expectMigrationAgreesWith(q, vm, vm, [])).ok).toBe(true);
      });
    });
  }
});
