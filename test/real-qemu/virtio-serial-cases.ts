// virtio-serial-pci against real QEMU: max_ports sizes what virtio_serial_load_device reads
// (a ports_map word per 32 ports) and, on QEMU 11, the virtqueues virtio_load accepts.
import { type FamilyCases } from './cases.js';

const d = 'virtio-serial-pci';

export const VIRTIO_SERIAL_CASES: FamilyCases = {
  family: 'virtio-serial',
  drivers: [d],
  probes: [
    { driver: d, properties: { max_ports: '1' }, placements: ['i440fx'] },
    { driver: d, properties: { max_ports: '33' }, placements: ['q35-root'] },
    { driver: d, properties: { max_ports: '64', vectors: '4' }, placements: ['q35-port'] },
  ],
  flips: [
    { name: 'virtio-serial max_ports 31 → 4 (one ports_map word each, fewer queues on the destination)', placement: 'i440fx', driver: d, dst: { max_ports: '4' } },
    { name: 'virtio-serial max_ports 4 → 31', placement: 'i440fx', driver: d, src: { max_ports: '4' } },
    { name: 'virtio-serial max_ports 31 → 33 (ports_map 1 → 2 words)', placement: 'i440fx', driver: d, dst: { max_ports: '33' } },
    { name: 'virtio-serial max_ports 40 → 31 (ports_map 2 → 1 words)', placement: 'q35-root', driver: d, src: { max_ports: '40' } },
    { name: 'virtio-serial max_ports 33 → 64 (two words each)', placement: 'q35-port', driver: d, src: { max_ports: '33' }, dst: { max_ports: '64' } },
    { name: 'virtio-serial max_ports 64 → 33 (two words each, fewer queues on the destination)', placement: 'i440fx', driver: d, src: { max_ports: '64' }, dst: { max_ports: '33' } },
    { name: 'virtio-serial max_ports 64 → 65', placement: 'q35-root', driver: d, src: { max_ports: '64' }, dst: { max_ports: '65' } },
  ],
};
