// piix3-ide read like the PIIX3 datasheet and QEMU's pci_piix_ide_realize / piix_ide_reset
// (verified against real QEMU 5.2-11.1 in test/real-qemu/device-probe.test.ts).
import { describe, expect, it } from 'vitest';
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** One VM: the device at 00:05.0 (or behind a root port at 00:02.0) of the release's i440fx or q35. */
function vm(driver: string, properties: Record<string, string>, release: string, machine: 'pc' | 'q35' | 'port'): VmDescription {
  const devices: object[] = [];
  if (machine === 'port') devices.push({ id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } });
  devices.push({ id: 'd', driver, ...(machine === 'port' ? { bus: 'rp1' } : { addr: '0x5' }), properties });
  return parseVmJson({ qemu: release, machine: `${machine === 'pc' ? 'pc-i440fx' : 'pc-q35'}-${release}`, devices }, `${driver}.json`);
}

function side(driver: string, properties: Record<string, string> = {}, release = '10.0', machine: 'pc' | 'q35' | 'port' = 'pc'): BuiltSide {
  const v = vm(driver, properties, release, machine);
  return buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices.at(-1)!);
}

function build(driver: string, properties: Record<string, string> = {}, release = '10.0', machine: 'pc' | 'q35' | 'port' = 'pc') {
  const b = side(driver, properties, release, machine);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}


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
