// vhost-user-blk-pci against real QEMU. Without a vhost-user back-end here only
// what realize refuses before it connects can be compared (and -device help);
// the layout is modelled from source ("probed": false in its family data).
import { type FamilyCases } from './cases.js';

const b = 'vhost-user-blk-pci';

export const VHOST_USER_BLK_CASES: FamilyCases = {
  family: 'vhost-user-blk',
  drivers: [b],
  probes: [
    { driver: b, placements: ['i440fx'] },
    { driver: b, properties: { chardev: 'c0', 'num-queues': '0' }, placements: ['q35-root'] },
    { driver: b, properties: { chardev: 'c0', 'num-queues': '1025' }, placements: ['i440fx'] },
    { driver: b, properties: { chardev: 'c0', 'queue-size': '0' }, placements: ['q35-port'] },
    { driver: b, properties: { chardev: 'c0', 'queue-size': '2048' }, placements: ['i440fx'], since: '7.2' },
  ],
  flips: [],
};
