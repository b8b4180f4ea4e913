// pxb and pxb-pcie read as the spec (bytes and refusals verified against
// 5.2.0, 7.2.22, 10.0.13 and 11.1.3 by test/real-qemu/pxb-cases.ts and
// pxb.test.ts): the expander function, the internal pci-bridge a pxb
// creates, and what a migration carries of them.
import { describe, expect, it } from 'vitest';
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type SideContext } from '../../src/check/build.js';
import { buildMigrated } from '../../src/check/builtin-devices.js';
import { checkMigration } from '../../src/check/migration.js';
import { build, hex } from './misc-build.js';

type Dev = { id: string; driver: string; addr?: string; bus?: string; properties?: Record<string, string> };

const vm = (devices: Dev[], machine = 'pc-i440fx-10.0', globals: Record<string, string> = {}): VmDescription =>
  parseVmJson({ qemu: machine.endsWith('-5.0') ? '10.0' : machine.split('-').pop()!, machine, devices, globals }, 'pxb.json');
const sideOf = (v: VmDescription): SideContext => ({ vm: v, release: v.qemu, machine: resolveMachine(machineProfile(v.qemu)!, v.machine) });
const pxb = (busNr: string, props: Record<string, string> = {}, id = 'pxb1', addr = '0x6'): Dev => ({ id, driver: 'pxb', addr, properties: { bus_nr: busNr, ...props } });
const pcie = (busNr: string, props: Record<string, string> = {}, id = 'pxb1', addr = '0x5'): Dev => ({ id, driver: 'pxb-pcie', addr, properties: { bus_nr: busNr, ...props } });

describe('the expander function', () => {
  it('pxb on 10.0 is 1b36:0009 revision 0, class 0600 (host bridge), status 00a0 (66 MHz, fast back-to-back)', () => {
    const b = build('pxb', { bus_nr: '0x30' });
    expect(hex(b.cs.config, 0, 12)).toBe('36 1b 09 00 00 00 a0 00 00 00 00 06');
  });
  it('no BARs, no interrupt pin, no capabilities; subsystem 1af4:1100; writable: command 07 05, interrupt line', () => {
    const b = build('pxb', { bus_nr: '0x30' });
    expect(hex(b.cs.config, 0x10, 24)).toBe(Array(24).fill('00').join(' '));
    expect(hex(b.cs.config, 0x2c, 4)).toBe('f4 1a 00 11');
    expect([b.cs.config[0x34], b.cs.config[0x3d]]).toEqual([0, 0]);
    expect(hex(b.cs.wmask, 0x04, 2)).toBe('07 05');
    expect(b.cs.wmask[0x3c]).toBe(0xff);
  });
  it('pxb-pcie on pcie.0 is 1b36:000b with 256 bytes of config space (a conventional PCI function)', () => {
    const b = build('pxb-pcie', { bus_nr: '0x20' }, '10.0', 'pc-q35-10.0');
    expect(hex(b.cs.config, 0, 12)).toBe('36 1b 0b 00 00 00 a0 00 00 00 00 06');
    expect(b.cs.size).toBe(256);
  });
  it('multifunction=on sets bit 7 of the header type (0x0e)', () => {
    expect(build('pxb', { bus_nr: '1', multifunction: 'on' }).cs.config[0x0e]).toBe(0x80);
  });
  it('numa_node defaults to 128 (NUMA_NODE_UNASSIGNED); -global pxb.bus_nr reaches a pxb-pcie (its parent type)', () => {
    const v = vm([{ id: 'pxb1', driver: 'pxb-pcie', addr: '0x5' }], 'pc-q35-10.0', { 'pxb.bus_nr': '0x21' });
    const b = buildDevice(sideOf(v), v.devices[0]);
    expect(b.kind === 'built' && [b.props.get('numa_node')?.value, b.props.get('bus_nr')?.value]).toEqual(['128', '33']);
  });
});

describe('refusals at start, in QEMU\'s words', () => {
  const reason = (devices: Dev[], machine?: string) => {
    const v = vm(devices, machine);
    const b = buildDevice(sideOf(v), v.devices.at(-1)!);
    return b.kind === 'built' ? 'built' : `${b.kind}: ${b.reason}`;
  };
  it('pxb with bus_nr 0 (the default): its internal bridge has chassis 0', () => {
    expect(reason([{ id: 'p', driver: 'pxb', addr: '0x6' }])).toBe('refused: Bridge chassis not specified. Each bridge is required to be assigned a unique chassis id > 0.');
  });
  it('a second expander with the same bus_nr: "Bus 48 is already in use"', () => {
    expect(reason([pxb('0x30'), pxb('0x30', {}, 'pxb2', '0x7')])).toBe('refused: Bus 48 is already in use');
  });
  it('bus_nr 0 after a root port on pcie.0 (its secondary bus is numbered 0 at start); accepted before it', () => {
    const rp = { id: 'rp', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } };
    expect(reason([rp, pcie('0')], 'pc-q35-10.0')).toBe('refused: Bus 0 is already in use');
    expect(reason([pcie('0')], 'pc-q35-10.0')).toBe('built');
  });
  it('pxb on a PCIe bus, pxb-pcie on a PCI bus', () => {
    expect(reason([pxb('0x30')], 'pc-q35-10.0')).toBe('refused: pxb devices cannot reside on a PCIe bus');
    expect(reason([pcie('0x30')])).toBe('refused: pxb-pcie devices cannot reside on a PCI bus');
  });
  it('numa_node 65535 can never exist (MAX_NODES is 128); numa_node 0 depends on -numa, which a description does not give', () => {
    expect(reason([pxb('0x30', { numa_node: '65535' })])).toBe('refused: Illegal numa node 65535');
    expect(reason([pxb('0x30', { numa_node: '0' })])).toMatch(/^unknown: numa_node=0: QEMU refuses it \("Illegal numa node 0"\) unless/);
  });
});

describe('what the stream carries', () => {
  it('a pxb is carried by its internal pci-bridge: 0000:30:06.0:00.0/pci_bridge, 1b36:0001, Slot ID 04 00 20 30 (first in chassis, chassis 0x30), no SHPC, no MSI, no BAR0', () => {
    const v = vm([pxb('0x30')]);
    const b = buildMigrated(sideOf(v), v.devices[0]);
    if (b.kind !== 'built') throw new Error(b.kind);
    expect(b.section).toBe('0000:30:06.0:00.0/pci_bridge');
    expect(hex(b.cs.config, 0, 4)).toBe('36 1b 01 00');
    expect(b.cs.config[0x0e]).toBe(0x01);
    const slotid = b.cs.capabilities.find((c) => c.id === 0x04)!;
    expect(hex(b.cs.config, slotid.offset, 4)).toBe('04 00 20 30');
    expect(b.cs.capabilities.map((c) => c.id)).toEqual([0x04]);
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 00 00 00');
  });
  it('-global pci-bridge.io-reserve reaches the internal bridge (a resource-reserve capability, 0x09, is linked after the Slot ID)', () => {
    const v = vm([pxb('0x30')], 'pc-i440fx-10.0', { 'pci-bridge.io-reserve': '4096' });
    const b = buildMigrated(sideOf(v), v.devices[0]);
    expect(b.kind === 'built' && b.cs.capabilities.map((c) => c.id)).toEqual([0x04, 0x09]);
  });
  it('a pxb-pcie is carried by its host bridge\'s "PCIHost" instance: 1 for the first expander, 2 for the second', () => {
    const v = vm([pcie('0x20'), pcie('0x40', {}, 'pxb2', '0x7')], 'pc-q35-10.0');
    expect(v.devices.map((d) => buildMigrated(sideOf(v), d).section)).toEqual(['PCIHost 1', 'PCIHost 2']);
  });
  it('on pc-q35-5.0 and older, x-config-reg-migration-enabled is off: the host bridge sends nothing', () => {
    const v = vm([pcie('0x20')], 'pc-q35-5.0');
    expect(buildMigrated(sideOf(v), v.devices[0]).section).toBe('');
  });
});

describe('migrations', () => {
  const q35 = 'pc-q35-10.0';
  it('pxb-pcie bus_nr 0x20 → 0x21: the expander compatible (nothing of its config sent), the root port behind it renamed', () => {
    const tree = (nr: string) => vm([pcie(nr), { id: 'rp1', driver: 'pcie-root-port', bus: 'pxb1', addr: '0x0', properties: { chassis: '5' } }], q35);
    const r = checkMigration(tree('0x20'), tree('0x21'));
    expect(r.devices.map((d) => [d.id, d.section, d.verdict.kind])).toEqual([
      ['pxb1', 'PCIHost 1', 'compatible'], ['rp1', '0000:20:05.0:00.0/pcie-root-port', 'incompatible'],
    ]);
    expect(r.devices[0].notes.join('\n')).toContain('bus_nr 0x20 → 0x21: every section behind it is renamed');
    expect(r.firstError).toBe('Unknown savevm section or instance \'0000:20:05.0:00.0/pcie-root-port\' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices');
  });
  it('pxb-pcie multifunction off → on: its header differs, but it is never sent', () => {
    expect(checkMigration(vm([pcie('0x20')], q35), vm([pcie('0x20', { multifunction: 'on' })], q35)).verdict).toBe('compatible');
  });
  it('pxb-pcie only on the source: "Unknown savevm section or instance \'PCIHost\' 1" (10.0 words)', () => {
    const r = checkMigration(vm([pcie('0x20')], q35), vm([], q35));
    expect(r.firstError).toBe('Unknown savevm section or instance \'PCIHost\' 1. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices');
  });
  it('11.1 words it "load of migration failed: Invalid argument: Unknown section or instance \'PCIHost\' 1"', () => {
    const r = checkMigration(vm([pcie('0x20')], 'pc-q35-11.1'), vm([], 'pc-q35-11.1'));
    expect(r.firstError).toBe('load of migration failed: Invalid argument: Unknown section or instance \'PCIHost\' 1. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices');
  });
  it('pxb only on the source: its internal bridge\'s section is the first unknown one', () => {
    const r = checkMigration(vm([pxb('0x30')]), vm([]));
    expect(r.devices[0].section).toBe('0000:30:06.0:00.0/pci_bridge');
    expect(r.firstError).toContain('\'0000:30:06.0:00.0/pci_bridge\' 0.');
  });
  it('a destination that refuses the expander at start: incompatible, in QEMU\'s words', () => {
    const r = checkMigration(vm([pxb('0x30')]), vm([pxb('0x30', { numa_node: '65535' })]));
    expect(r.firstError).toBe('the destination QEMU refuses the device at start: Illegal numa node 65535');
  });
  it('pxb-pcie only on the source on pc-q35-5.0 (nothing of its own sent): unknown, never compatible', () => {
    const v = vm([pcie('0x20')], 'pc-q35-5.0');
    expect(checkMigration(v, vm([], 'pc-q35-5.0')).verdict).toBe('unknown');
  });
  it('an identical pxb tree is compatible, with no unknown device', () => {
    const t = vm([pxb('0x30'), { id: 'disk', driver: 'virtio-blk-pci', bus: 'pxb1', addr: '0x3' }]);
    const r = checkMigration(t, t);
    expect(r.devices.map((d) => d.verdict.kind)).toEqual(['compatible', 'compatible']);
  });
});
