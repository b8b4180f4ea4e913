// bochs-display read as the spec: a framebuffer BAR, an MMIO BAR, and the
// PCI Express capability only where the bus is PCI Express.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function build(machine: string, properties: Record<string, string> = {}, release = '10.0'): BuiltSide {
  const v = parseVmJson({ qemu: release, machine, devices: [{ id: 'b', driver: 'bochs-display', addr: '0x5', properties }] }, 'bochs.json');
  return buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
}

function built(machine: string, properties: Record<string, string> = {}) {
  const b = build(machine, properties);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}

describe('bochs-display on 10.0', () => {
  it('on pc-i440fx: 1234:1111 rev 2 class 0380, no capability list, 256 bytes migrate', () => {
    const b = built('pc-i440fx-10.0');
    expect(hex(b.cs.config, 0, 12)).toBe('34 12 11 11 00 00 00 00 02 00 80 03');
    expect(b.cs.config[0x34]).toBe(0);
    expect(b.cs.size).toBe(256);
  });
  it('BAR0 is the 16 MiB framebuffer, 32-bit prefetchable (config 08, wmask 00 00 00 ff); BAR2 4 KiB MMIO (wmask 00 f0 ff ff)', () => {
    const b = built('pc-i440fx-10.0');
    expect(hex(b.cs.config, 0x10, 4)).toBe('08 00 00 00');
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 00 00 ff');
    expect(hex(b.cs.wmask, 0x18, 4)).toBe('00 f0 ff ff');
  });
  it('the ROM BAR holds vgabios-bochs-display.bin, 32 KiB: wmask 01 80 ff ff; RAM blocks framebuffer then ROM', () => {
    const b = built('pc-i440fx-10.0');
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('01 80 ff ff');
    expect(b.ramBlocks).toEqual([
      { block: '0000:00:05.0/bochs-display-vram', size: 16 << 20 },
      { block: '0000:00:05.0/bochs-display.rom', size: 32768 },
    ]);
  });
  it("on q35's pcie.0: a version-2 PCI Express capability at 0x80, Root Complex Integrated Endpoint (flags 92 00), 4096 bytes", () => {
    const b = built('pc-q35-10.0');
    expect(b.cs.config[0x34]).toBe(0x80);
    expect(hex(b.cs.config, 0x80, 4)).toBe('10 00 92 00');
    expect(b.cs.size).toBe(4096);
  });
  it('vgamem is rounded up to a power of two: 20M gives 32 MiB (wmask 00 00 00 fe)', () => {
    expect(hex(built('pc-i440fx-10.0', { vgamem: '20M' }).cs.wmask, 0x10, 4)).toBe('00 00 00 fe');
  });
  it("vgamem below 4 MiB or above 256 MiB is refused at realize in QEMU's words", () => {
    expect(build('pc-i440fx-10.0', { vgamem: '3M' })).toMatchObject({ kind: 'refused', reason: 'bochs-display: video memory too small' });
    expect(build('pc-i440fx-10.0', { vgamem: '512M' })).toMatchObject({ kind: 'refused', reason: 'bochs-display: video memory too big' });
  });
});
