// Remedies: derived from the resolved properties of both sides, each verified
// by re-running the whole prediction with it applied to the destination.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadVmFile, type VmDescription } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';
import { retarget } from '../../src/check/retarget.js';
import { proposeRemedies } from '../../src/check/remedy.js';

const SEED = fileURLToPath(new URL('../../examples/seed-hotplug-discard/', import.meta.url));

describe('the seed: virtio-disk1 at BAR0 0xffc0, destination with discard/write-zeroes on', () => {
  const src = loadVmFile(join(SEED, 'src.json'));
  const dst = loadVmFile(join(SEED, 'dst.json'));
  const report = checkMigration(src, dst);
  const remedies = proposeRemedies(src, dst, report);

  it('proposes the source\'s -globals on the destination first, verified', () => {
    expect(report.verdict).toBe('incompatible');
    expect([...remedies.devices.keys()]).toEqual(['virtio-disk1']);
    const [first, second] = remedies.devices.get('virtio-disk1')!;
    expect(first).toMatchObject({
      kind: 'global', verified: true,
      globals: [['virtio-blk-device', 'discard', 'off'], ['virtio-blk-device', 'write-zeroes', 'off']],
      change: '-global virtio-blk-device.discard=off -global virtio-blk-device.write-zeroes=off',
    });
    expect(first.effect).toMatch(/^verified: with it the prediction passes/);
    expect(first.libvirt).toContain("<qemu:arg value='virtio-blk-device.discard=off'/>");
    expect(second).toMatchObject({ kind: 'device-property', verified: true, properties: { discard: 'off', 'write-zeroes': 'off' } });
    expect(second.libvirt).toContain("<qemu:device alias='virtio-disk1'><qemu:frontend><qemu:property name='discard' type='bool' value='false'/>");
  });

  it('the verification is real: the destination with the remedy applied passes, with half of it it does not', () => {
    const fixed: VmDescription = { ...dst, globals: [...dst.globals, ...remedies.devices.get('virtio-disk1')![0].globals] };
    expect(checkMigration(src, fixed).verdict).toBe('compatible');
    const half: VmDescription = { ...dst, globals: [...dst.globals, ['virtio-blk-device', 'discard', 'off']] };
    expect(checkMigration(src, half).verdict).toBe('incompatible');
  });

  it('nothing for a migration that passes', () => {
    const cold = loadVmFile(join(SEED, 'src-cold-boot.json'));
    const r = checkMigration(cold, dst);
    expect(r.verdict).toBe('compatible');
    const m = proposeRemedies(cold, dst, r);
    expect(m.devices.size + m.stream.length).toBe(0);
  });
});

const vm = (over: Partial<VmDescription>): VmDescription => ({
  file: 'vm.json', qemu: '7.2', machine: 'pc-i440fx-7.2', smp: 1, globals: [],
  devices: [{ id: 'd0', driver: 'virtio-blk-pci', addr: { slot: 5, fn: 0 }, properties: {}, netdevQueues: 1, where: 'devices[0]' }],
  ...over,
});

describe('other failures', () => {
  it('a machine alias that re-resolves: "pin machine type pc-i440fx-7.2", verified', () => {
    const src = vm({ machine: 'pc' });
    const dst = retarget(src, { qemu: '10.0' });
    const r = checkMigration(src, dst);
    expect(r.verdict).toBe('incompatible');
    const m = proposeRemedies(src, dst, r);
    expect(m.stream).toEqual([expect.objectContaining({
      kind: 'machine-type', change: 'pin machine type pc-i440fx-7.2', machine: 'pc-i440fx-7.2', verified: true,
      libvirt: "<os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>",
    })]);
  });

  it('10.0.13 → 11.1 rings: queue-size=1024 on virtio-blk (verified, <driver queue_size>); a cold restart where there is no such property', () => {
    const src = vm({
      qemu: '10.0.13', machine: 'pc-q35-10.0', bootedOn: '10.0.13',
      devices: [
        { id: 'd0', driver: 'virtio-blk-pci', addr: { slot: 5, fn: 0 }, properties: {}, netdevQueues: 1, where: 'devices[0]' },
        { id: 'b0', driver: 'virtio-balloon-pci', addr: { slot: 6, fn: 0 }, properties: {}, netdevQueues: 1, where: 'devices[1]' },
      ],
    });
    const dst = retarget(src, { qemu: '11.1' });
    const r = checkMigration(src, dst);
    const m = proposeRemedies(src, dst, r);
    expect(m.devices.get('d0')![0]).toMatchObject({
      kind: 'device-property', properties: { 'queue-size': '1024' }, verified: true, libvirt: "<driver queue_size='1024'/> in the device's element",
    });
    const fixed = { ...dst, devices: dst.devices.map((d) => (d.id === 'd0' ? { ...d, properties: { 'queue-size': '1024' } } : d)) };
    expect(checkMigration(src, fixed).devices[0].verdict.kind).toBe('compatible');
    expect(m.devices.get('b0')).toEqual([expect.objectContaining({ kind: 'cold-restart', verified: false, change: 'cold restart on QEMU 11.1' })]);
  });
});
