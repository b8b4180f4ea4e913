// qxl-vga and qxl read as the spec: what each BAR holds, which bits a guest
// may write, and the RAM blocks that travel before the device's section.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function vm(driver: string, properties: Record<string, string> = {}, release = '10.0', machine = `pc-i440fx-${release}`) {
  return parseVmJson({ qemu: release, machine, devices: [{ id: 'v', driver, addr: '0x5', properties }] }, 'qxl.json');
}

function build(driver: string, properties: Record<string, string> = {}, release = '10.0', machine?: string): Extract<BuiltSide, { kind: 'built' }> {
  const v = vm(driver, properties, release, machine);
  const b = buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}

describe('qxl-vga on 10.0, defaults', () => {
  const b = build('qxl-vga');
  it('is 1b36:0100 revision 5, class 0300, interrupt pin A', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('36 1b 00 01');
    expect(hex(b.cs.config, 8, 4)).toBe('05 00 00 03');
    expect(b.cs.config[0x3d]).toBe(1);
  });
  it('BAR0 (ram) and BAR1 (vram32) are 64 MiB of 32-bit memory: wmask 00 00 00 fc', () => {
    expect(hex(b.cs.wmask, 0x10, 8)).toBe('00 00 00 fc 00 00 00 fc');
    expect(hex(b.cs.config, 0x10, 8)).toBe('00 00 00 00 00 00 00 00');
  });
  it('BAR2 is the 8 KiB QXL ROM (wmask 00 e0 ff ff), BAR3 32 bytes of I/O (config 01, wmask e0 ff ff ff), no BAR4', () => {
    expect(hex(b.cs.wmask, 0x18, 12)).toBe('00 e0 ff ff e0 ff ff ff 00 00 00 00');
    expect(hex(b.cs.config, 0x1c, 4)).toBe('01 00 00 00');
  });
  it('the option ROM BAR holds vgabios-qxl.bin, 64 KiB: wmask 01 00 ff ff', () => {
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('01 00 ff ff');
  });
  it('RAM blocks vga.vram 64 MiB, qxl.vrom 8 KiB, qxl.vram 64 MiB and qxl.rom 64 KiB, under the device path', () => {
    expect(b.ramBlocks).toEqual([
      { block: '0000:00:05.0/vga.vram', size: 64 << 20 },
      { block: '0000:00:05.0/qxl.vrom', size: 8192 },
      { block: '0000:00:05.0/qxl.vram', size: 64 << 20 },
      { block: '0000:00:05.0/qxl.rom', size: 65536 },
    ]);
  });
});

describe('qxl sizes (qxl_init_ramsize)', () => {
  it('vgamem_mb=64 makes BAR0 at least 128 MiB: wmask 00 00 00 f8', () => {
    expect(hex(build('qxl-vga', { vgamem_mb: '64' }).cs.wmask, 0x10, 4)).toBe('00 00 00 f8');
  });
  it('ram_size_mb=1024: qxl keeps 1 GiB (qxl.vgavram), qxl-vga is clamped to 512 MiB by vga_common_init', () => {
    expect(hex(build('qxl', { ram_size_mb: '1024' }).cs.wmask, 0x10, 4)).toBe('00 00 00 c0');
    expect(hex(build('qxl-vga', { ram_size_mb: '1024' }).cs.wmask, 0x10, 4)).toBe('00 00 00 e0');
  });
  it('vram64_size_mb=256 adds BAR4, 64-bit prefetchable (config 0c), 256 MiB', () => {
    const cs = build('qxl-vga', { vram64_size_mb: '256' }).cs;
    expect(hex(cs.config, 0x20, 8)).toBe('0c 00 00 00 00 00 00 00');
    expect(hex(cs.wmask, 0x20, 8)).toBe('00 00 00 f0 ff ff ff ff');
  });
  it('revision 1: revision ID 01, an 8-byte I/O BAR, a 4 KiB vram32', () => {
    const cs = build('qxl-vga', { revision: '1' }).cs;
    expect(cs.config[8]).toBe(1);
    expect(hex(cs.wmask, 0x14, 4)).toBe('00 f0 ff ff');
    expect(hex(cs.wmask, 0x1c, 4)).toBe('f8 ff ff ff');
  });
  it('pc-i440fx-4.2 (hw_compat_4_2) gives revision 4', () => {
    expect(build('qxl-vga', {}, '10.0', 'pc-i440fx-4.2').cs.config[8]).toBe(4);
  });
  it('qxl (secondary) is class 0380 with no option ROM', () => {
    const b = build('qxl');
    expect(hex(b.cs.config, 0x0a, 2)).toBe('80 03');
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('00 00 00 00');
    expect(b.ramBlocks.map((r) => r.block)).toEqual(['0000:00:05.0/qxl.vgavram', '0000:00:05.0/qxl.vrom', '0000:00:05.0/qxl.vram']);
  });
});

describe('qxl migrations', () => {
  it('ram_size_mb 64 → 128 fails on the video RAM block first (the largest block leads the stream)', () => {
    const r = checkMigration(vm('qxl-vga'), vm('qxl-vga', { ram_size_mb: '128' }));
    expect(r.firstError).toBe('Size mismatch: 0000:00:05.0/vga.vram: 0x4000000 != 0x8000000: Invalid argument');
  });
  it('revision 6 is refused at realize in QEMU\'s words', () => {
    const v = vm('qxl', { revision: '6' });
    const b = buildDevice({ vm: v, release: '10.0', machine: resolveMachine(machineProfile('10.0')!, v.machine) }, v.devices[0]);
    expect(b).toMatchObject({ kind: 'refused', reason: 'Invalid revision 6 for qxl device (max 5)' });
  });
  it('surfaces 512 on both sides: the migrated ssd.num_surfaces matches, config space is the same', () => {
    expect(checkMigration(vm('qxl-vga', { surfaces: '512' }), vm('qxl-vga', { surfaces: '512' })).verdict).toBe('compatible');
  });
  it('on 10.0, surfaces 512 → 1024: VMSTATE_INT32_EQUAL prints the destination\'s count first, in hex', () => {
    const r = checkMigration(vm('qxl-vga', { surfaces: '512' }), vm('qxl-vga'));
    expect(r.qemuOutput).toEqual([
      '400 != 200',
      'Failed to load qxl:ssd.num_surfaces',
      "error while loading state for instance 0x0 of device '0000:00:05.0/qxl'",
      'load of migration failed: Invalid argument',
    ]);
  });
  it('on 11.1, the same count travels inside the Error: one line', () => {
    const r = checkMigration(vm('qxl', {}, '11.1'), vm('qxl', { surfaces: '100' }, '11.1'));
    expect(r.qemuOutput).toEqual(["load of migration failed: Invalid argument: error while loading state for instance 0x0 of device '0000:00:05.0/qxl': 64 != 400"]);
  });
});
