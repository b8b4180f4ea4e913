// virtio-net's queue sizes at realize (virtio_net_device_realize) against every installed QEMU:
// rx_queue_size must be a power of 2 in 256..1024 everywhere; tx_queue_size above 256 is taken
// (and clamped) up to 8.0 but refused from 8.2 unless the backend is vhost-user/vhost-vdpa. The
// harness gives every NIC a hubport backend, which the descriptions say.
import { describe, it } from 'vitest';
import { CI, expectProbeAgrees, parseCase, releasesUnderTest, sideOf } from './harness.js';

const qemus = releasesUnderTest();

const CASES: Record<string, string>[] = [
  { tx_queue_size: '1024' },
  { tx_queue_size: '512' },
  { tx_queue_size: '256', rx_queue_size: '1024' },
  { rx_queue_size: '100' },
  { rx_queue_size: '2048' },
];

describe.runIf(qemus.length > 0 || CI)('virtio-net rx/tx queue sizes at realize equal real QEMU', () => {
  for (const q of qemus) {
    for (const properties of CASES) {
      const name = Object.entries(properties).map(([k, v]) => `${k}=${v}`).join(',');
      it(`${q.version}: virtio-net-pci,${name} on a hubport backend`, async () => {
        const vm = parseCase({
          qemu: q.release, machine: 'pc',
          devices: [{ id: 'dut', driver: 'virtio-net-pci', addr: '0x5', properties, backend: { type: 'hubport' } }],
        }, name);
        await expectProbeAgrees(q, sideOf(vm)!, 'dut');
      });
    }
  }
});
