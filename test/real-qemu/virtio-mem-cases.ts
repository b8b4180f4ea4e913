// virtio-mem-pci against real QEMU, with a 128 MiB memory-backend-ram and
// -m maxmem=1G (src/rehearse/vm-args.ts): a modern-only virtio function whose
// memory lives in device memory, not behind a BAR.
import { type FamilyCases } from './cases.js';

const m = 'virtio-mem-pci';
const mem = { memdev: 'vmem0' };

export const VIRTIO_MEM_CASES: FamilyCases = {
  family: 'virtio-mem',
  drivers: [m],
  probes: [
    { driver: m, properties: mem },
    { driver: m, properties: { ...mem, 'requested-size': '64M' }, placements: ['i440fx'] },
    { driver: m, properties: { ...mem, vectors: '0' }, placements: ['q35-root'], since: '10.0' },
    { driver: m, properties: { ...mem, vectors: '5', 'page-per-vq': 'on' }, placements: ['q35-port'], since: '10.0' },
    { driver: m, properties: mem, machineVersion: '9.2', placements: ['i440fx'], since: '10.0' },
    { driver: m, properties: mem, machineVersion: '5.2', placements: ['q35-root'] },
    { driver: m, placements: ['i440fx'] },
  ],
  flips: [
    { name: 'identical virtio-mem', placement: 'i440fx', driver: m, src: mem, dst: mem },
    { name: 'virtio-mem requested-size 0 → 64M (migrated state, not compared)', placement: 'q35-root', driver: m, src: mem, dst: { ...mem, 'requested-size': '64M' } },
    { name: 'virtio-mem vectors 2 → 3', placement: 'q35-port', driver: m, src: mem, dst: { ...mem, vectors: '3' }, since: '10.0' },
    { name: 'virtio-mem on pc-i440fx-9.2 (no MSI-X) → the release\'s machine', placement: 'i440fx', driver: m, src: mem, dst: mem, srcMachine: '9.2', since: '10.0' },
  ],
};
