// What the destination compares after config space against its own device:
// VMSTATE_*_EQUAL fields holding a property (virtio-gpu max_outputs, qxl
// surfaces in test/devices/qxl.test.ts) and state a device's load function
// reads in amounts set by the destination's properties (virtio-serial
// max_ports). Agreement with real QEMU: test/real-qemu/device-migration.test.ts.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';

const vm = (driver: string, properties: Record<string, string>, release = '10.0') =>
  parseVmJson({ qemu: release, machine: `pc-i440fx-${release}`, devices: [{ id: 'd', driver, addr: '0x5', properties }] }, 'test.json');

describe('virtio-gpu max_outputs: VMSTATE_UINT32_EQUAL in virtio-gpu-scanouts', () => {
  it('on 10.0, 2 → 1: "1 != 2", then each vmsd it unwinds through (virtio_gpu_load loads the scanouts)', () => {
    const r = checkMigration(vm('virtio-gpu-pci', { max_outputs: '2' }), vm('virtio-gpu-pci', {}));
    expect(r.verdict).toBe('incompatible');
    expect(r.qemuOutput).toEqual([
      '1 != 2',
      'Failed to load virtio-gpu-scanouts:parent_obj.conf.max_outputs',
      'Failed to load virtio-gpu:virtio-gpu',
      "error while loading state for instance 0x0 of device '0000:00:05.0/virtio-gpu'",
      'load of migration failed: Invalid argument',
    ]);
  });
  it('on 11.1, virtio-vga 1 → 16: the values in hex ("10 != 1"), then the Error naming the virtio-gpu field', () => {
    const r = checkMigration(vm('virtio-vga', {}, '11.1'), vm('virtio-vga', { max_outputs: '16' }, '11.1'));
    expect(r.qemuOutput).toEqual([
      '10 != 1',
      "load of migration failed: Invalid argument: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-gpu': Failed to load element of type virtio-gpu for virtio-gpu",
    ]);
  });
  it('the same max_outputs on both sides loads', () => {
    expect(checkMigration(vm('virtio-gpu-pci', { max_outputs: '3' }), vm('virtio-gpu-pci', { max_outputs: '3' })).verdict).toBe('compatible');
  });
  it('max_outputs 17 is refused at realize (VIRTIO_GPU_MAX_SCANOUTS is 16)', () => {
    expect(checkMigration(vm('virtio-gpu-pci', { max_outputs: '17' }), vm('virtio-gpu-pci', { max_outputs: '17' })).verdict).toBe('unknown');
  });
});

describe('virtio-serial max_ports: one ports_map word per 32 ports, two virtqueues per port', () => {
  const serial = (max: string, release = '10.0') => vm('virtio-serial-pci', { max_ports: max, vectors: '2' }, release);
  it('31 → 33 on 10.0: the destination reads two words where the stream has one, and the load fails without a reason', () => {
    expect(checkMigration(serial('31'), serial('33')).qemuOutput).toEqual([
      'Failed to load virtio-console:virtio',
      "error while loading state for instance 0x0 of device '0000:00:05.0/virtio-console'",
      'load of migration failed: Invalid argument',
    ]);
  });
  it('40 → 31 on 10.0: a word left unread, noticed at the section footer', () => {
    expect(checkMigration(serial('40'), serial('31')).firstError).toBe('Missing section footer for 0000:00:05.0/virtio-console');
  });
  it('40 → 31 on 11.1: virtio_load refuses queue 64 first (the destination allocated 64 queues)', () => {
    expect(checkMigration(serial('40', '11.1'), serial('31', '11.1')).firstError).toBe('VQ 64 vring.num 128 exceeds allocated max 0');
  });
  it('31 → 4: one word each; fewer queues are harmless before 11.1', () => {
    expect(checkMigration(serial('31'), serial('4')).verdict).toBe('compatible');
    expect(checkMigration(serial('31', '11.1'), serial('4', '11.1')).firstError).toBe('VQ 10 vring.num 128 exceeds allocated max 0');
  });
});

describe('virtqueue counts: QEMU 11.1 refuses a source queue the destination did not allocate', () => {
  const blk = (queues: string, release: string) => vm('virtio-blk-pci', { 'num-queues': queues, vectors: '4' }, release);
  it('virtio-blk num-queues 2 → 1 on 11.1: queue 1 (256 entries) has no place', () => {
    expect(checkMigration(blk('2', '11.1'), blk('1', '11.1')).qemuOutput).toEqual([
      'VQ 1 vring.num 256 exceeds allocated max 0',
      "load of migration failed: Invalid argument: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-blk': Failed to load element of type virtio for virtio",
    ]);
  });
  it('the same on 10.0 is not refused (no such check), nor 1 → 2 anywhere (guest features unsaid: at most at risk)', () => {
    expect(checkMigration(blk('2', '10.0'), blk('1', '10.0')).verdict).not.toBe('incompatible');
    expect(checkMigration(blk('1', '11.1'), blk('2', '11.1')).verdict).not.toBe('incompatible');
  });
  it('virtio-scsi counts its two fixed queues first: num_queues 3 → 1 fails on queue 3', () => {
    const scsi = (queues: string) => vm('virtio-scsi-pci', { num_queues: queues, vectors: '8' }, '11.1');
    expect(checkMigration(scsi('3'), scsi('1')).firstError).toBe('VQ 3 vring.num 256 exceeds allocated max 0');
  });
});
