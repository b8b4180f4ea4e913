// nvme against real QEMU: config space probed here; migrations in nvme-migration.test.ts.
import { type FamilyCases, type Placement } from './cases.js';

const n = 'nvme';
const all: Placement[] = ['i440fx', 'q35-root', 'q35-port'];
const s = { serial: 'cc0001' };

export const NVME_CASES: FamilyCases = {
  family: 'nvme',
  drivers: [n],
  probes: [
    { driver: n, properties: s, placements: all },
    { driver: n, placements: ['q35-root'] },
    { driver: n, properties: { ...s, max_ioqpairs: '0' }, placements: ['i440fx'] },
    { driver: n, properties: { ...s, msix_qsize: '2049' }, placements: ['i440fx'] },
    { driver: n, properties: { ...s, max_ioqpairs: '511' }, placements: ['q35-root'] },
    { driver: n, properties: { ...s, max_ioqpairs: '512', msix_qsize: '7' }, placements: ['q35-root'] },
    { driver: n, properties: { ...s, num_queues: '9', msix_qsize: '2048' }, placements: ['i440fx'] },
    { driver: n, properties: { ...s, msix_qsize: '1', cmb_size_mb: '2' }, placements: ['q35-port'] },
    { driver: n, properties: { ...s, 'use-intel-id': 'on', multifunction: 'on' }, placements: ['q35-root'] },
    { driver: n, properties: { ...s, 'msix-exclusive-bar': 'on', max_ioqpairs: '600' }, placements: ['q35-root'], since: '7.2' },
    { driver: n, properties: s, machineVersion: '5.2', placements: ['i440fx', 'q35-root'] },
  ],
  // Migrations are in nvme-migration.test.ts: up to 10.2 the source refuses them, and 11.1's
  // outcome (a completed migration, or a crashed source) is not a destination verdict.
  flips: [],
};
