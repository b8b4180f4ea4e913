// vhost-scsi-pci against real QEMU. Without /dev/vhost-scsi here only what
// realize refuses before opening it can be compared (and -device help); the
// layout is modelled from source ("probed": false in its family data).
import { type FamilyCases } from './cases.js';

const s = 'vhost-scsi-pci';

export const VHOST_SCSI_CASES: FamilyCases = {
  family: 'vhost-scsi',
  drivers: [s],
  probes: [
    { driver: s, placements: ['i440fx', 'q35-port'] },
    { driver: s, properties: { migratable: 'on', num_queues: '2' }, placements: ['q35-root'] },
  ],
  flips: [],
};
