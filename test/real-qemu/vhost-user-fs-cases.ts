// vhost-user-fs-pci against real QEMU. Without a virtiofsd here only what
// realize refuses before it connects to the back-end can be compared (and
// -device help); the layout is modelled from source ("probed": false).
import { type FamilyCases } from './cases.js';

const f = 'vhost-user-fs-pci';

export const VHOST_USER_FS_CASES: FamilyCases = {
  family: 'vhost-user-fs',
  drivers: [f],
  probes: [
    { driver: f, placements: ['i440fx'] },
    { driver: f, properties: { chardev: 'c0' }, placements: ['q35-root'] },
    { driver: f, properties: { chardev: 'c0', tag: 'a-tag-that-is-exactly-37-bytes-long!!' }, placements: ['i440fx'] },
    { driver: f, properties: { chardev: 'c0', tag: 'share', 'num-request-queues': '0' }, placements: ['i440fx'] },
    { driver: f, properties: { chardev: 'c0', tag: 'share', 'queue-size': '100' }, placements: ['q35-port'] },
    { driver: f, properties: { chardev: 'c0', tag: 'share', 'queue-size': '2048' }, placements: ['i440fx'] },
  ],
  flips: [],
};
