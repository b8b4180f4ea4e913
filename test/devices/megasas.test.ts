// megasas and megasas-gen2 read like QEMU's megasas_scsi_realize (verified against real QEMU
// 5.2-11.1 in test/real-qemu/device-probe.test.ts and device-migration.test.ts).
import { describe, expect, it } from 'vitest';
import { hex, vm, build } from './one-device.js';
import { checkMigration } from '../../src/check/migration.js';

describe('megasas (gen1) on 10.0', () => {
  const b = build('megasas');
  it('is 1000:0060, class 0104, subsystem 1000:1013, interrupt pin A', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('00 10 60 00');
    expect(hex(b.cs.config, 0x0a, 2)).toBe('04 01');
    expect(hex(b.cs.config, 0x2c, 4)).toBe('00 10 13 10');
  });
  it('BAR0 16 KiB and BAR3 256 KiB 64-bit memory, BAR2 256 bytes of I/O', () => {
    expect(hex(b.cs.config, 0x10, 20)).toBe('04 00 00 00 00 00 00 00 01 00 00 00 04 00 00 00 00 00 00 00');
    expect(hex(b.cs.wmask, 0x10, 20)).toBe('00 c0 ff ff ff ff ff ff 00 ff ff ff 00 00 fc ff ff ff ff ff');
  });
  it('lists MSI-X at 0x68 (15 vectors, table 0x2000 / PBA 0x3800 in BAR0) then MSI at 0x50', () => {
    expect(b.cs.config[0x34]).toBe(0x68);
    expect(hex(b.cs.config, 0x68, 12)).toBe('11 50 0e 00 00 20 00 00 00 38 00 00');
    expect(hex(b.cs.config, 0x50, 4)).toBe('05 00 80 00');
    expect(b.cs.size).toBe(256);
  });
  it('msi=off on the destination: 10.0 refuses the MSI-X next pointer, byte 0x69', () => {
    const r = checkMigration(vm('megasas', {}, '10.0', 'pc'), vm('megasas', { msi: 'off' }, '10.0', 'pc'));
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0x69 read: 50 device: 0 cmask: ff wmask: 0 w1cmask:0');
  });
  it('msix=off on the destination: the capability pointer 0x34 (68 → 50)', () => {
    const r = checkMigration(vm('megasas', {}, '10.0', 'q35'), vm('megasas', { msix: 'off' }, '10.0', 'q35'));
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0x34 read: 68 device: 50 cmask: ff wmask: 0 w1cmask:0');
  });
});

describe('megasas-gen2 on 10.0', () => {
  it('is PCI Express on i440fx too: 4096 bytes, I/O BAR0, 64-bit BAR1 and BAR3, Express v2 Endpoint at 0xa0 first in the list', () => {
    const b = build('megasas-gen2');
    expect(hex(b.cs.config, 0, 4)).toBe('00 10 79 00');
    expect(hex(b.cs.config, 0x2c, 4)).toBe('00 10 61 92');
    expect(b.cs.size).toBe(4096);
    expect(hex(b.cs.wmask, 0x10, 20)).toBe('00 ff ff ff 00 c0 ff ff ff ff ff ff 00 00 fc ff ff ff ff ff');
    expect(b.cs.config[0x34]).toBe(0xa0);
    expect(hex(b.cs.config, 0xa0, 8)).toBe('10 68 02 00 20 80 00 00');
  });
  it('on q35\'s pcie.0 the capability says Root Complex Integrated Endpoint (92 00)', () => {
    expect(hex(build('megasas-gen2', {}, '10.0', 'q35').cs.config, 0xa2, 2)).toBe('92 00');
  });
  it('section …/megasas-gen2; megasas-gen2 for megasas at the same address is another section', () => {
    expect(build('megasas-gen2').section).toBe('0000:00:05.0/megasas-gen2');
    const r = checkMigration(vm('megasas', {}, '10.0', 'pc'), vm('megasas-gen2', {}, '10.0', 'pc'));
    expect(r.firstError).toMatch(/^Unknown savevm section or instance '0000:00:05.0\/megasas' 0/);
  });
});
