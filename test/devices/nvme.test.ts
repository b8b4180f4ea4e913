// nvme read like QEMU's nvme_init_pci per release, and its migration: refused by the source up
// to 10.2 (verified against real QEMU 5.2-11.1 in test/real-qemu/device-probe.test.ts and
// nvme-migration.test.ts).
import { describe, expect, it } from 'vitest';
import { hex, vm, side, build, sideOf } from './one-device.js';
import { nvmeMbarSize } from '../../src/devices/nvme.js';
import { checkMigration } from '../../src/check/migration.js';
import { toText } from '../../src/report/text.js';

const s = { serial: 'cc0001' };

describe('nvme BAR0 (nvme_mbar_size)', () => {
  it('65 queues and 65 vectors: 4 KiB registers + 520 bytes of doorbells, table at 0x2000, PBA at 0x3000, 16 KiB', () => {
    expect(nvmeMbarSize(65, 65)).toEqual({ size: 0x4000, table: 0x2000, pba: 0x3000 });
  });
  it('without vectors only registers and doorbells: 512 queues fill 8 KiB exactly, 513 need 16 KiB', () => {
    expect(nvmeMbarSize(512, 0).size).toBe(0x2000);
    expect(nvmeMbarSize(513, 0).size).toBe(0x4000);
  });
});

describe('nvme config space', () => {
  it('10.0 on pcie.0: 1b36:0010 rev 02 class 0108 prog-if 02; MSI-X 0x40 -> Express 0x80 (RC endpoint, FLR, error reporting) -> PM 0x60', () => {
    const b = build('nvme', s, '10.0', 'q35');
    expect(hex(b.cs.config, 0, 12)).toBe('36 1b 10 00 00 00 10 00 02 02 08 01');
    expect(hex(b.cs.wmask, 0x10, 8)).toBe('00 c0 ff ff ff ff ff ff');
    expect(hex(b.cs.config, 0x40, 12)).toBe('11 80 40 00 00 20 00 00 00 30 00 00');
    expect(hex(b.cs.config, 0x80, 8)).toBe('10 60 92 00 20 80 00 10');
    expect(b.cs.wmask[0x88]).toBe(0x0f);
    expect(hex(b.cs.config, 0x60, 8)).toBe('01 00 03 00 08 00 00 00');
    expect(b.cs.size).toBe(4096);
  });
  it('7.2: the same without error reporting enables (wmask 0x88 = 00) and without Extended Tag', () => {
    const b = build('nvme', s, '7.2', 'q35');
    expect(hex(b.cs.config, 0x84, 4)).toBe('00 80 00 10');
    expect(b.cs.wmask[0x88]).toBe(0);
  });
  it('5.2: no PM, no FLR; BAR0 8 KiB, MSI-X in its own 4 KiB BAR4 (PBA at 0x800)', () => {
    const b = build('nvme', s, '5.2', 'q35');
    expect(hex(b.cs.config, 0x40, 12)).toBe('11 80 40 00 04 00 00 00 04 08 00 00');
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 e0 ff ff');
    expect(hex(b.cs.wmask, 0x20, 4)).toBe('00 f0 ff ff');
    expect(hex(b.cs.config, 0x80, 4)).toBe('10 00 92 00');
  });
  it('pc-q35-5.2 on 10.0 gets msix-exclusive-bar from hw_compat_5_2: BAR4 again', () => {
    expect(hex(build('nvme', s, '10.0', 'q35').cs.wmask, 0x20, 4)).toBe('00 00 00 00');
    const v = vm('nvme', s, '10.0', 'q35');
    v.machine = 'pc-q35-5.2';
    const b = sideOf(v);
    expect(b.kind === 'built' && hex(b.cs.wmask, 0x20, 4)).toBe('00 f0 ff ff');
  });
  it('without serial= QEMU refuses it: "serial property not set"', () => {
    expect(side('nvme', {}, '10.0')).toMatchObject({ kind: 'refused', reason: 'serial property not set' });
  });
  // Layouts read from upstream nvme_init_pci at each tag (nvme.json "layouts"; from source, not probed).
  it('6.0-7.0: no PM capability: MSI-X 0x40 -> Express 0x80 -> end, the table in BAR0 (BAR4 unused) as on 6.2', () => {
    for (const r of ['6.0', '6.1', '7.0']) {
      const { cs } = build('nvme', s, r);
      expect([cs.config[0x34], cs.config[0x41], cs.config[0x81]], r).toEqual([0x40, 0x80, 0]);
      expect(hex(cs.wmask, 0x20, 4), r).toBe('00 00 00 00');
    }
  });
  it('7.1: PM at 0x60 and FLR, like 8.0-8.2; msix-exclusive-bar does not exist before 9.0 (unknown when set)', () => {
    for (const r of ['7.1', '8.2']) {
      const { cs } = build('nvme', s, r);
      expect([cs.config[0x34], cs.config[0x41], cs.config[0x81], cs.config[0x60]], r).toEqual([0x40, 0x80, 0x60, 0x01]);
      expect(side('nvme', { ...s, 'msix-exclusive-bar': 'on' }, r).kind, r).toBe('unknown');
    }
  });
  it('9.0 has msix-exclusive-bar (MSI-X in BAR4) but no error reporting enables; 9.1 adds them (pcie_cap_deverr_init)', () => {
    expect(hex(build('nvme', { ...s, 'msix-exclusive-bar': 'on' }, '9.0').cs.wmask, 0x20, 4)).toBe('00 f0 ff ff');
    expect(build('nvme', s, '9.0').cs.wmask[0x88] & 0x0f).toBe(0);
    expect(build('nvme', s, '9.1').cs.wmask[0x88] & 0x0f).toBe(0x0f);
  });
});

describe('nvme migration', () => {
  it('up to 10.2 the source refuses: State blocked by non-migratable device, remedy: unplug it', () => {
    const r = checkMigration(vm('nvme', s, '10.0', 'port'), vm('nvme', s, '10.0', 'port'));
    expect(r.verdict).toBe('incompatible');
    expect(r.qemuOutput).toEqual(["State blocked by non-migratable device '0000:00:02.0:00.0/nvme'"]);
    expect(r.printedBy).toBe('source');
    expect(toText(r)).toContain("the source, asked to migrate, would print:\n  State blocked by non-migratable device '0000:00:02.0:00.0/nvme'");
    const d = r.devices.find((x) => x.id === 'd')!;
    expect(d.verdict.kind === 'incompatible' && d.verdict.mismatches[0].description).toContain('unplug the device before migrating');
  });
  it('on 11.1 it migrates: identical is unknown (state not modelled), another max_ioqpairs desynchronises the section', () => {
    const disk = { ...s, drive: 'd0' };
    expect(checkMigration(vm('nvme', disk, '11.1', 'q35'), vm('nvme', disk, '11.1', 'q35')).verdict).toBe('unknown');
    const r = checkMigration(vm('nvme', disk, '11.1', 'q35'), vm('nvme', { ...disk, max_ioqpairs: '8' }, '11.1', 'q35'));
    expect(r.firstError).toBe('Missing section footer for 0000:00:05.0/nvme');
    expect(r.printedBy).toBe('destination');
  });
});
