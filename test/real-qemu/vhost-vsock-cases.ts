// vhost-vsock-pci against real QEMU. Without /dev/vhost-vsock here only what
// realize refuses before opening it can be compared (and -device help); the
// layout is modelled from source ("probed": false in its family data).
import { type FamilyCases } from './cases.js';

const v = 'vhost-vsock-pci';

export const VHOST_VSOCK_CASES: FamilyCases = {
  family: 'vhost-vsock',
  drivers: [v], // the -non-transitional type lacks disable-legacy/disable-modern in its help, as for every virtio family
  probes: [
    { driver: v, placements: ['i440fx'] },
    { driver: v, properties: { 'guest-cid': '2' }, placements: ['q35-root'] },
    { driver: v, properties: { 'guest-cid': '4294967296' }, placements: ['q35-port'] },
  ],
  flips: [],
};
