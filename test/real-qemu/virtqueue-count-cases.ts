// Virtqueue counts set by properties: QEMU 11.1's virtio_load refuses a source
// queue the destination did not allocate ("VQ n vring.num … exceeds allocated
// max 0"); earlier releases load it. Vectors are pinned so that config space
// (the MSI-X table size) stays the same on both sides.
import { type FamilyCases } from './cases.js';

export const VIRTQUEUE_COUNT_CASES: FamilyCases = {
  family: 'virtqueue counts',
  drivers: [],
  probes: [],
  flips: [
    { name: 'virtio-blk num-queues 2 → 1 (vectors 4 on both)', placement: 'i440fx', driver: 'virtio-blk-pci', src: { 'num-queues': '2', vectors: '4' }, dst: { 'num-queues': '1', vectors: '4' } },
    { name: 'virtio-blk num-queues 1 → 2 (vectors 4 on both)', placement: 'q35-root', driver: 'virtio-blk-pci', src: { 'num-queues': '1', vectors: '4' }, dst: { 'num-queues': '2', vectors: '4' } },
    { name: 'virtio-blk num-queues 4 → 3, queue-size 128 (vectors 8 on both)', placement: 'q35-port', driver: 'virtio-blk-pci', src: { 'num-queues': '4', 'queue-size': '128', vectors: '8' }, dst: { 'num-queues': '3', 'queue-size': '128', vectors: '8' } },
    { name: 'virtio-scsi num_queues 3 → 1 (vectors 8 on both)', placement: 'i440fx', driver: 'virtio-scsi-pci', src: { num_queues: '3', vectors: '8' }, dst: { num_queues: '1', vectors: '8' } },
    { name: 'virtio-scsi num_queues 1 → 3 (vectors 8 on both)', placement: 'q35-root', driver: 'virtio-scsi-pci', src: { num_queues: '1', vectors: '8' }, dst: { num_queues: '3', vectors: '8' } },
  ],
};
