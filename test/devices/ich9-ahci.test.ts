// ich9-ahci read like the ICH9 datasheet and QEMU's pci_ich9_ahci_realize (verified against
// real QEMU 5.2-11.1 in test/real-qemu/device-probe.test.ts and device-migration.test.ts).
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
