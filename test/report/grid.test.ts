// The terminal picture: readable in a log without colour (brackets and a
// caret), and the same text with ANSI colours on a TTY.
import { describe, expect, it } from 'vitest';
import { toTerminalGrid } from '../../src/report/grid.js';
import { checkMigration } from '../../src/check/migration.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { q35VectorsReport, seedColdBootReport, seedReport, seedWithoutGuestValues } from './reports.js';

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start));

describe('toTerminalGrid on the seed 002 report, without colour', () => {
  const text = toTerminalGrid(seedReport(), { color: false });

  it('has no escape sequence at all', () => {
    expect(text).not.toContain('\x1b');
  });

  it('draws only virtio-disk1, with QEMU\'s line and the mismatch in words above the grid', () => {
    expect(text).toContain('virtio-disk1  virtio-blk-pci  0000:00:0b.0/virtio-blk  INCOMPATIBLE\n' +
      '  get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0\n' +
      '  BAR0 (I/O, 64 → 128 bytes)\n' +
      '  1 failing byte: 0x10 · QEMU stops at the first, i=0x10 · 256 bytes migrated\n');
    expect(text).not.toContain('virtio-disk0');
    expect(text).not.toContain('balloon0');
  });

  it('byte 0x10 of virtio-disk1 is bracketed on both sides, src c1 / dst 01, with the BAR sizes named beside the row', () => {
    expect(line(text, '  0x10')).toBe(
      '  0x10 [c1]ff 00 00 00 f0 bf fe 00 00 00 00 00 00 00 00    [01]00 00 00 00 00 00 00 00 00 00 00 00 00 00 00' +
      '    BAR0 I/O 128 B · BAR1 mem32 4 KiB  (source: BAR0 I/O 64 B · BAR1 mem32 4 KiB)');
  });

  it('a caret under both cells points at QEMU\'s first failing byte', () => {
    const lines = text.split('\n');
    const caret = lines[lines.findIndex((l) => l.startsWith('  0x10')) + 1];
    expect(caret).toBe(`${' '.repeat(8)}^^${' '.repeat(50)}^^ i=0x10: QEMU stops here`);
    expect(caret.indexOf('^^')).toBe(line(text, '  0x10')!.indexOf('c1'));
    expect(caret.lastIndexOf('^^')).toBe(line(text, '  0x10')!.indexOf('01]'));
  });

  it('the column heads line up with the bytes, and the capability chain is named row by row', () => {
    const head = text.split('\n').find((l) => l.trim().startsWith('00 01 02'))!;
    expect(head.indexOf('00')).toBe(line(text, '  0x00')!.indexOf('f4'));
    expect(line(text, '  0x90')).toMatch(/ {3}MSI-X @0x98$/);
    expect(line(text, '  0x40')).toMatch(/ {3}virtio common-cfg @0x40$/);
  });
});

describe('with colour', () => {
  const plain = toTerminalGrid(seedReport(), { color: false });
  const color = toTerminalGrid(seedReport(), { color: true });

  it('is the same picture once the colours are stripped (the key aside)', () => {
    expect(stripAnsi(color).split('\n').slice(1)).toEqual(plain.split('\n').slice(1));
  });

  it('paints the first failing byte white on red, underlined, inside red brackets', () => {
    expect(color).toContain('\x1b[1;31m[\x1b[0m\x1b[1;4;97;41mc1\x1b[0m\x1b[1;31m]\x1b[0m');
  });

  it('colours the categories by the destination\'s masks: vendor ID checked (cyan), Command writable (green, bold: 07 ≠ 00 but not compared), Status high byte w1c (magenta), BIST unchecked (grey)', () => {
    const row0 = color.split('\n').find((l) => stripAnsi(l).startsWith('  0x00'))!;
    expect(row0).toContain('\x1b[36mf4\x1b[0m');
    expect(row0).toContain('\x1b[1;32m07\x1b[0m');
    expect(row0).toContain('\x1b[35m00\x1b[0m');
    expect(row0).toContain('\x1b[90m00\x1b[0m');
  });
});

describe('escaping: device ids are user input', () => {
  it('an id holding an escape sequence is shown, not obeyed', () => {
    const r = seedReport();
    r.devices[2].id = 'disk\x1b[2J\x1b]0;owned\x07';
    const text = toTerminalGrid(r, { color: false });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('disk\\x1b[2J\\x1b]0;owned\\x07  virtio-blk-pci');
  });
});

describe('other cases', () => {
  it('at risk: byte 0x10 in parentheses, no caret', () => {
    const text = toTerminalGrid(seedWithoutGuestValues(), { color: false });
    expect(line(text, '  0x10')).toMatch(/^ {2}0x10 \(01\)00 00 00/);
    expect(text).not.toContain('^^ i=');
  });

  it('q35 4096-byte disk: 0x0de bracketed (src 01 / dst 02) and the extended space folded into one line', () => {
    const text = toTerminalGrid(q35VectorsReport(), { color: false });
    expect(line(text, '  0x0d0')).toMatch(/^ {2}0x0d0 {2}00 00 00 00 00 00 00 00 00 00 00 00 11 c8\[01\]00 {5}00 .* 11 c8\[02\]00 {4}MSI-X @0xdc$/);
    expect(text).toContain('  ·····  0x100–0xfff: 240 rows with no capability and nothing failing');
  });

  it('the compatible cold-boot seed says there is nothing to draw', () => {
    const r = seedColdBootReport();
    expect(r.verdict).toBe('compatible');
    expect(toTerminalGrid(r, { color: true })).toBe('no device fails or is at risk: no config space to draw\n');
  });

  it('a migration refused before the devices (pc alias 7.2 → 10.0) says so instead of drawing', () => {
    const vm = (qemu: string) => parseVmJson({ qemu, machine: 'pc', devices: [{ id: 'disk', driver: 'virtio-blk-pci', addr: '0xb' }] }, `${qemu}.json`);
    expect(toTerminalGrid(checkMigration(vm('7.2'), vm('10.0')), { color: false })).toBe('no device fails or is at risk: no config space to draw ' +
      "(the migration fails before the devices: Machine type received is 'pc-i440fx-7.2' and local is 'pc-i440fx-10.0')\n");
  });
});
