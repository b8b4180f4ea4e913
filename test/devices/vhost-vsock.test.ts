// vhost-vsock-pci, modelled from QEMU's source ("probed": false): its layout,
// what realize refuses, and the assumption every report on it carries.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function vm(properties: Record<string, string>, machine = 'pc-i440fx-10.0') {
  return parseVmJson({ qemu: '10.0', machine, devices: [{ id: 'vs', driver: 'vhost-vsock-pci', addr: '0x5', properties }] }, 'vsock.json');
}

function build(properties: Record<string, string>, machine?: string): BuiltSide {
  const v = vm(properties, machine);
  return buildDevice({ vm: v, release: '10.0', machine: resolveMachine(machineProfile('10.0')!, v.machine) }, v.devices[0]);
}

describe('vhost-vsock-pci on 10.0', () => {
  it('is modern-only: 1af4:1053 rev 1, class 0780, MSI-X on BAR1 (3 vectors), no legacy I/O BAR', () => {
    const b = build({ 'guest-cid': '3' });
    if (b.kind !== 'built') throw new Error(b.reason);
    expect(hex(b.cs.config, 0, 4)).toBe('f4 1a 53 10');
    expect(hex(b.cs.config, 8, 4)).toBe('01 00 80 07');
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 00 00 00');
    expect(hex(b.cs.wmask, 0x14, 4)).toBe('00 f0 ff ff');
  });
  it('says in its assumptions that it was modelled from source, not probed', () => {
    const b = build({ 'guest-cid': '3' });
    if (b.kind !== 'built') throw new Error(b.reason);
    expect(b.assumptions.some((a) => a.startsWith("vhost-vsock-pci: modelled from QEMU's source, not probed against a real QEMU ("))).toBe(true);
    expect(checkMigration(vm({ 'guest-cid': '3' }), vm({ 'guest-cid': '3' })).assumptions.join('\n')).toContain('not probed against a real QEMU');
  });
  it("a guest-cid of 0..2 or above 32 bits is refused at realize in QEMU's words", () => {
    expect(build({})).toMatchObject({ kind: 'refused', reason: 'guest-cid property must be greater than 2' });
    expect(build({ 'guest-cid': '4294967296' })).toMatchObject({ kind: 'refused', reason: 'guest-cid property must be a 32-bit number' });
  });
  it('pc-i440fx-5.0 (x-disable-legacy-check) keeps it transitional: unknown, never compatible', () => {
    expect(build({ 'guest-cid': '3' }, 'pc-i440fx-5.0').kind).toBe('unknown');
  });
});

describe('probed families', () => {
  it('a probed family (qxl-vga) carries no such assumption', () => {
    const v = parseVmJson({ qemu: '10.0', machine: 'pc-i440fx-10.0', devices: [{ id: 'q', driver: 'qxl-vga', addr: '0x5' }] }, 'qxl.json');
    const b = buildDevice({ vm: v, release: '10.0', machine: resolveMachine(machineProfile('10.0')!, v.machine) }, v.devices[0]);
    expect(b.kind === 'built' && b.assumptions.some((a) => a.includes('not probed'))).toBe(false);
  });
});
