// piix3-ide read like the PIIX3 datasheet and QEMU's pci_piix_ide_realize / piix_ide_reset
// (verified against real QEMU 5.2-11.1 in test/real-qemu/device-probe.test.ts).
import { describe, expect, it } from 'vitest';
import { hex, build } from './one-device.js';
import { checkMigration } from '../../src/check/migration.js';

describe('piix3-ide on 11.1', () => {
  const b = build('piix3-ide', {}, '11.1', 'q35');
  it('is 8086:7010, class 0101 prog-if 80, Status 80 02 (fast back-to-back, DEVSEL medium), no interrupt pin', () => {
    expect(hex(b.cs.config, 0, 12)).toBe('86 80 10 70 00 00 80 02 00 80 01 01');
    expect(b.cs.config[0x3d]).toBe(0);
  });
  it('BAR0-3 are empty; byte 0x20 (BMIBA, BAR4) is 01 00 00 00, wmask f0 ff ff ff (16 bytes of I/O)', () => {
    expect(hex(b.cs.wmask, 0x10, 16)).toBe('00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00');
    expect(hex(b.cs.config, 0x20, 4)).toBe('01 00 00 00');
    expect(hex(b.cs.wmask, 0x20, 4)).toBe('f0 ff ff ff');
  });
  it('is conventional (256 bytes) with section …/ide', () => {
    expect(b.cs.size).toBe(256);
    expect(b.section).toBe('0000:00:05.0/ide');
  });
});
