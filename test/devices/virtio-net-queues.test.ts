// virtio-net's realize checks of rx/tx_queue_size (virtio_net_device_realize); the refusals'
// words are checked against real QEMU in test/real-qemu/virtio-net-queue-sizes.test.ts.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { sideOf } from './one-device.js';

const net = (qemu: string, properties: Record<string, string>, backend?: string) => sideOf(parseVmJson({
  qemu, machine: 'pc', devices: [{ id: 'n', driver: 'virtio-net-pci', addr: '0x5', properties, ...(backend ? { backend: { type: backend } } : {}) }],
}, 'net.json'));

describe('virtio-net tx_queue_size above 256', () => {
  it('7.2 takes it (and clamps the ring to what the backend supports)', () => {
    expect(net('7.2', { tx_queue_size: '1024' }).kind).toBe('built');
  });
  it('10.0 with tap refuses: "must be a power of 2 between 256 and 256"', () => {
    expect(net('10.0', { tx_queue_size: '1024' }, 'tap')).toMatchObject({
      kind: 'refused', reason: 'Invalid tx_queue_size (= 1024), must be a power of 2 between 256 and 256',
    });
  });
  it('10.0 with vhost-user or vhost-vdpa takes up to 1024', () => {
    expect(net('10.0', { tx_queue_size: '1024' }, 'vhost-user').kind).toBe('built');
    expect(net('10.0', { tx_queue_size: '2048' }, 'vhost-vdpa')).toMatchObject({ kind: 'refused', reason: 'Invalid tx_queue_size (= 2048), must be a power of 2 between 256 and 1024' });
  });
  it('10.0 without a backend in the description, or 8.1 whatever the backend: unknown, never compatible', () => {
    expect(net('10.0', { tx_queue_size: '512' })).toMatchObject({ kind: 'unknown', reason: expect.stringContaining("say the NIC's backend.type") });
    expect(net('8.1', { tx_queue_size: '512' }, 'tap')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('not verified') });
  });
});
