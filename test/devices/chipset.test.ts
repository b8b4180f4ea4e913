// The PCI functions pc and q35 create themselves, and the devices behind PCI
// expander bridges, read as the spec (bytes verified against 5.2.0, 7.2.22,
// 10.0.13 and 11.1.3 by test/real-qemu/machine-devices.test.ts and pxb.test.ts).
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { machineFunctions } from '../../src/check/builtin-devices.js';
import { checkMigration } from '../../src/check/migration.js';
import { placeDevice } from '../../src/check/placement.js';
import { buildI440fx } from '../../src/devices/chipset.js';

const hex = (a: Uint8Array, at: number, n: number) => [...a.subarray(at, at + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function sideOf(release: string, machine: string, globals: Record<string, string> = {}) {
  const vm = parseVmJson({ qemu: release, machine, globals, devices: [] }, 'vm.json');
  return { vm, release, machine: resolveMachine(machineProfile(release)!, machine) };
}

const fn = (release: string, machine: string, path: string, globals?: Record<string, string>) =>
  machineFunctions(sideOf(release, machine, globals)).find((f) => f.path === path)!;

describe('the machine\'s own PCI functions', () => {
  it('pc: 00:00.0 is the i440FX (8086:1237 rev 2, host bridge) with SMRAM 0x72 = 02 and the RAM size in 8 MiB at 0x57', () => {
    const f = fn('10.0', 'pc-i440fx-10.0', '0000:00:00.0');
    expect(f.vmsd).toBe('I440FX');
    expect(hex(f.cs.config, 0, 12)).toBe('86 80 37 12 00 00 00 00 02 00 00 06');
    expect(f.cs.config[0x72]).toBe(0x02);
    expect(buildI440fx(32).cs.config[0x57]).toBe(4);
  });

  it('pc: 00:01.0 is PIIX3 (8086:7000), multi-function, PIRQ routing 0x60-0x63 disabled (80), Status DEVSEL medium', () => {
    const f = fn('7.2', 'pc-i440fx-7.2', '0000:00:01.0');
    expect(`${f.path}/${f.vmsd}`).toBe('0000:00:01.0/PIIX3');
    expect(hex(f.cs.config, 0, 16)).toBe('86 80 00 70 00 00 00 02 00 00 01 06 00 00 80 00');
    expect(hex(f.cs.config, 0x60, 4)).toBe('80 80 80 80');
    expect(f.cs.wmask[0x60]).toBe(0xff);
    expect(f.cs.cmask[0x60]).toBe(0);
  });

  it('q35: the MCH (8086:29c0) has PCIEXBAR 0xb0000000 with MMCONFIG off, SMRAM 02, ESMRAMC 38, and TSEG 16 MiB (64 MiB from 10.2 machine types)', () => {
    const f = fn('10.0', 'pc-q35-10.0', '0000:00:00.0');
    expect(f.vmsd).toBe('mch');
    expect(hex(f.cs.config, 0, 4)).toBe('86 80 c0 29');
    expect(hex(f.cs.config, 0x60, 8)).toBe('00 00 00 b0 00 00 00 00');
    expect(hex(f.cs.config, 0x9c, 3)).toBe('00 02 38');
    expect(hex(f.cs.config, 0x50, 2)).toBe('10 00');
    expect(hex(fn('11.1', 'pc-q35-11.1', '0000:00:00.0').cs.config, 0x50, 2)).toBe('40 00');
    expect(hex(fn('11.1', 'pc-q35-10.1', '0000:00:00.0').cs.config, 0x50, 2)).toBe('10 00');
    expect(hex(fn('10.0', 'pc-q35-2.9', '0000:00:00.0').cs.config, 0x50, 2)).toBe('00 00');
  });

  it('q35: 00:1f.0 ICH9-LPC (8086:2918 rev 2) has PMBASE 01 and eight PIRQ routes at 80; 00:1f.3 ICH9-SMB (8086:2930) a 64-byte I/O BAR4', () => {
    const lpc = fn('10.0', 'pc-q35-10.0', '0000:00:1f.0');
    expect(`${lpc.vmsd}:${lpc.configField}`).toBe('ICH9LPC:d');
    expect(hex(lpc.cs.config, 0, 16)).toBe('86 80 18 29 00 00 00 00 02 00 01 06 00 00 80 00');
    expect(hex(lpc.cs.config, 0x60, 12)).toBe('80 80 80 80 00 00 00 00 80 80 80 80');
    const smb = fn('10.0', 'pc-q35-10.0', '0000:00:1f.3');
    expect(smb.vmsd).toBe('ich9_smb');
    expect(hex(smb.cs.config, 0x20, 4)).toBe('01 00 00 00');
    expect(hex(smb.cs.wmask, 0x20, 4)).toBe('c0 ff ff ff');
  });

  it('identical machines report none of them: a machine-only VM is compatible and its device list stays empty', () => {
    for (const m of ['pc-i440fx-7.2', 'pc-q35-7.2']) {
      const vm = parseVmJson({ qemu: '7.2', machine: m, devices: [] }, 'vm.json');
      const r = checkMigration(vm, vm);
      expect(r.verdict).toBe('compatible');
      expect(r.devices).toEqual([]);
    }
  });

  it('a -global that moves only unchecked chipset registers (mch extended-tseg-mbytes 16 → 32) changes nothing', () => {
    const src = parseVmJson({ qemu: '10.0', machine: 'pc-q35-10.0', globals: { 'mch.extended-tseg-mbytes': '16' }, devices: [] }, 's.json');
    const dst = parseVmJson({ qemu: '10.0', machine: 'pc-q35-10.0', globals: { 'mch.extended-tseg-mbytes': '32' }, devices: [] }, 'd.json');
    expect(hex(fn('10.0', 'pc-q35-10.0', '0000:00:00.0', { 'mch.extended-tseg-mbytes': '32' }).cs.config, 0x50, 2)).toBe('20 00');
    expect(checkMigration(src, dst).verdict).toBe('compatible');
  });
});

describe('devices behind PCI expander bridges', () => {
  const vm = (devices: object[]) => parseVmJson({ qemu: '10.0', machine: 'pc-q35-10.0', devices }, 'vm.json');
  const path = (v: ReturnType<typeof vm>, id: string, family: 'q35' | 'i440fx' = 'q35') => placeDevice(v, v.devices.find((d) => d.id === id)!, family).path;

  it('a root port at 00.0 of a pxb-pcie at 00:05.0 with bus_nr 0x20 is 0000:20:05.0:00.0 (the path goes through the expander)', () => {
    const v = vm([
      { id: 'pxb1', driver: 'pxb-pcie', addr: '0x5', properties: { bus_nr: '0x20' } },
      { id: 'rp1', driver: 'pcie-root-port', bus: 'pxb1', addr: '0x0', properties: { chassis: '5' } },
      { id: 'disk', driver: 'virtio-blk-pci', bus: 'rp1' },
    ]);
    expect(path(v, 'rp1')).toBe('0000:20:05.0:00.0');
    expect(path(v, 'disk')).toBe('0000:20:05.0:00.0:00.0');
    expect(placeDevice(v, v.devices[1], 'q35').bus).toEqual({ express: true, root: true });
  });

  it('a device on a pxb sits behind its internal pci-bridge at 00.0: 0000:30:06.0:00.0:03.0', () => {
    const v = vm([
      { id: 'pxb1', driver: 'pxb', addr: '0x6', properties: { bus_nr: '48' } },
      { id: 'disk', driver: 'virtio-blk-pci', bus: 'pxb1', addr: '0x3' },
    ]);
    expect(path(v, 'disk', 'i440fx')).toBe('0000:30:06.0:00.0:03.0');
  });

  it('the expander is modelled (its config space is never sent: test/devices/pxb.test.ts); the devices behind are compared', () => {
    const v = vm([
      { id: 'pxb1', driver: 'pxb-pcie', addr: '0x5', properties: { bus_nr: '0x20' } },
      { id: 'rp1', driver: 'pcie-root-port', bus: 'pxb1', addr: '0x0', properties: { chassis: '5' } },
    ]);
    const r = checkMigration(v, v);
    expect(r.devices.map((d) => d.verdict.kind)).toEqual(['compatible', 'compatible']);
    expect(r.devices[1].section).toBe('0000:20:05.0:00.0/pcie-root-port');
  });
});
