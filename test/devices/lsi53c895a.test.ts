// lsi53c895a / lsi53c810 read like QEMU's lsi_scsi_realize (verified against real QEMU 5.2-11.1
// in test/real-qemu/device-probe.test.ts and device-migration.test.ts).
import { describe, expect, it } from 'vitest';
import { hex, vm, build } from './one-device.js';
import { checkMigration } from '../../src/check/migration.js';

describe('lsi53c895a on 7.2', () => {
  const b = build('lsi53c895a', {}, '7.2');
  it('is 1000:0012 revision 00, class 0100, subsystem 0000:1000 (no QEMU default), latency timer ff and read-only', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('00 10 12 00');
    expect(hex(b.cs.config, 8, 4)).toBe('00 00 00 01');
    expect(hex(b.cs.config, 0x2c, 4)).toBe('00 00 00 10');
    expect(b.cs.config[0x0d]).toBe(0xff);
    expect(b.cs.wmask[0x0d]).toBe(0);
    expect(b.cs.config[0x3d]).toBe(1);
  });
  it('BAR0 256 bytes of I/O, BAR1 1 KiB and BAR2 8 KiB of memory: wmask 00 ff ff ff / 00 fc ff ff / 00 e0 ff ff', () => {
    expect(hex(b.cs.config, 0x10, 12)).toBe('01 00 00 00 00 00 00 00 00 00 00 00');
    expect(hex(b.cs.wmask, 0x10, 12)).toBe('00 ff ff ff 00 fc ff ff 00 e0 ff ff');
  });
  it('has no capabilities and no ROM; section …/lsiscsi', () => {
    expect(b.cs.config[0x34]).toBe(0);
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('00 00 00 00');
    expect(b.section).toBe('0000:00:05.0/lsiscsi');
  });
  it('lsi53c810 differs only in its device ID (0001), so a swap fails at byte 0x02', () => {
    expect(hex(build('lsi53c810', {}, '7.2').cs.config, 0, 4)).toBe('00 10 01 00');
    const r = checkMigration(vm('lsi53c895a', {}, '7.2', 'pc'), vm('lsi53c810', {}, '7.2', 'pc'));
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0x2 read: 12 device: 1 cmask: ff wmask: 0 w1cmask:0');
  });
});
