// The prediction, given this device on this QEMU: the words it uses and the
// property resolution it relies on (real-QEMU agreement is in test/real-qemu/).
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';

const vm = (over: Record<string, unknown>, device: Record<string, unknown> = {}) => parseVmJson({
  qemu: '7.2', machine: 'pc-i440fx-7.2',
  devices: [{ id: 'disk', driver: 'virtio-blk-pci', addr: '0xb', ...device }],
  ...over,
}, 'test.json');

describe('what the report says', () => {
  it('vectors 3 → 2: fails at i=0x9a, "MSI-X Message Control: table size 3 → 2"', () => {
    const r = checkMigration(vm({}, { properties: { vectors: '3' } }), vm({}, { properties: { vectors: '2' } }));
    const d = r.devices[0].verdict;
    expect(d.kind).toBe('incompatible');
    if (d.kind !== 'incompatible') return;
    expect(d.message).toBe('get_pci_config_device: Bad config data: i=0x9a read: 2 device: 1 cmask: ff wmask: 0 w1cmask:0');
    expect(d.mismatches.map((m) => m.description)).toEqual(['MSI-X Message Control: table size 3 → 2']);
  });

  it('the pc alias resolves per release: 7.2 → 10.0 fails on the machine type before any device', () => {
    const r = checkMigration(vm({ machine: 'pc' }), vm({ qemu: '10.0', machine: 'pc' }));
    expect(r.verdict).toBe('incompatible');
    expect(r.firstError).toBe("Machine type received is 'pc-i440fx-7.2' and local is 'pc-i440fx-10.0'");
  });

  it('the same versioned machine type across releases passes: pc-i440fx-7.2 on 7.2 → 10.0', () => {
    const r = checkMigration(vm({}, { guest: { bars: { 0: '0xffc0', 1: '0xfebff000', 4: '0x800000000' } } }), vm({ qemu: '10.0' }));
    expect(r.verdict).toBe('compatible');
  });

  it('a device that moved slot is an unknown section on the destination', () => {
    const r = checkMigration(vm({}), vm({}, { addr: '0xc' }));
    expect(r.firstError).toBe("Unknown savevm section or instance '0000:00:0b.0/virtio-blk' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices");
  });
});

describe('property resolution: default ← machine compat ← -global ← explicit', () => {
  const vectors = (v: ReturnType<typeof vm>) => checkMigration(v, v).devices[0].notes.find((n) => n.startsWith('vectors'));
  it('num-queues follows the vCPUs on 7.2 machine types: smp 4 → 5 vectors', () => {
    expect(vectors(vm({ smp: 4 }))).toBe('vectors unspecified: 5 by the device\'s default rule');
  });
  it('pc-i440fx-5.1 pins num-queues to 1 (hw_compat_5_1): smp 4 → 2 vectors', () => {
    expect(vectors(vm({ smp: 4, machine: 'pc-i440fx-5.1' }))).toBe('vectors unspecified: 2 by the device\'s default rule');
  });
  it('a -global overrides the machine, an explicit property overrides the -global', () => {
    const g = { globals: { 'virtio-blk-device.num-queues': '3' } };
    expect(vectors(vm({ ...g, machine: 'pc-i440fx-5.1' }))).toBe('vectors unspecified: 4 by the device\'s default rule');
    expect(vectors(vm({ ...g }, { properties: { 'num-queues': '6' } }))).toBe('vectors unspecified: 7 by the device\'s default rule');
  });
});
