// ich9-ahci read like the ICH9 datasheet and QEMU's pci_ich9_ahci_realize (verified against
// real QEMU 5.2-11.1 in test/real-qemu/device-probe.test.ts and device-migration.test.ts).
import { describe, expect, it } from 'vitest';
import { hex, vm, build } from './one-device.js';
import { checkMigration } from '../../src/check/migration.js';

describe('ich9-ahci on 10.0', () => {
  const b = build('ich9-ahci');
  it('is 8086:2922 revision 02, class 0106 prog-if 01 (AHCI 1.0), interrupt pin A; cache line size cleared by reset', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('86 80 22 29');
    expect(hex(b.cs.config, 8, 4)).toBe('02 01 06 01');
    expect(b.cs.config[0x0c]).toBe(0);
    expect(b.cs.config[0x3d]).toBe(1);
  });
  it('byte 0x20 (BAR4) is 01 00 00 00, wmask e0 ff ff ff (32 bytes of I/O); byte 0x24 (BAR5) is 00 00 00 00, wmask 00 f0 ff ff (4 KiB)', () => {
    expect(hex(b.cs.config, 0x20, 8)).toBe('01 00 00 00 00 00 00 00');
    expect(hex(b.cs.wmask, 0x20, 8)).toBe('e0 ff ff ff 00 f0 ff ff');
  });
  it('lists MSI at 0x80 (64-bit, 1 vector, wmask 01 at 0x82) then SATA at 0xa8: 12 00 10 00 48 00 00 00, read-only', () => {
    expect(b.cs.config[0x34]).toBe(0x80);
    expect(hex(b.cs.config, 0x80, 4)).toBe('05 a8 80 00');
    expect(hex(b.cs.config, 0xa8, 8)).toBe('12 00 10 00 48 00 00 00');
    expect(hex(b.cs.wmask, 0xa8, 8)).toBe('00 00 00 00 00 00 00 00');
  });
  it('0x90 (Address Map) holds 40 (AHCI mode) and is guest-writable; 256 bytes; section …/ich9_ahci', () => {
    expect(b.cs.config[0x90]).toBe(0x40);
    expect(b.cs.wmask[0x90]).toBe(0xff);
    expect(b.cs.size).toBe(256);
    expect(b.section).toBe('0000:00:05.0/ich9_ahci');
  });
  it('multifunction on only on the destination: QEMU 10.0 refuses byte 0x0e', () => {
    const r = checkMigration(vm('ich9-ahci', {}, '10.0', 'pc'), vm('ich9-ahci', { multifunction: 'on' }, '10.0', 'pc'));
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0xe read: 0 device: 80 cmask: ff wmask: 0 w1cmask:0');
    expect(r.qemuOutput.slice(1, 3)).toEqual(['Failed to load PCIDevice:config', 'Failed to load ich9_ahci:parent_obj']);
  });
});
