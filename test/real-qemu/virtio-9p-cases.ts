// virtio-9p-pci against real QEMU, with a local -fsdev on an empty temporary directory
// (src/rehearse/vm-args.ts). The mount tag is the device config: its length sizes the legacy I/O BAR.
import { type FamilyCases } from './cases.js';

const d = 'virtio-9p-pci';
const share = { fsdev: 'fs0', mount_tag: 'share' };

export const VIRTIO_9P_CASES: FamilyCases = {
  family: 'virtio-9p',
  drivers: [d], // the -transitional types lack disable-legacy/disable-modern in -device help; probed below
  probes: [
    { driver: d, properties: share },
    { driver: d, properties: { fsdev: 'fs0', mount_tag: 'a' }, placements: ['i440fx'] },
    { driver: d, properties: { fsdev: 'fs0', mount_tag: 'a-tag-of-exactly-31-bytes-long!' }, placements: ['i440fx', 'q35-root'] },
    { driver: d, properties: { fsdev: 'fs0', mount_tag: 'a-tag-of-exactly-32-bytes-long!!' }, placements: ['i440fx'] },
    { driver: d, properties: { fsdev: 'fs0' }, placements: ['i440fx'] },
    { driver: d, properties: { ...share, vectors: '0' }, placements: ['i440fx', 'q35-port'] },
    { driver: d, properties: { fsdev: 'fs0', mount_tag: 'ninebytes' }, placements: ['i440fx'] },
    { driver: d, properties: { fsdev: 'fs0', mount_tag: 'ninebytes', vectors: '0' }, placements: ['i440fx'] },
    { driver: d, properties: { ...share, 'disable-modern': 'on' }, placements: ['i440fx'] },
    { driver: d, properties: { ...share, 'page-per-vq': 'on', 'modern-pio-notify': 'on' }, placements: ['q35-root'] },
    { driver: 'virtio-9p-pci-transitional', properties: share, placements: ['q35-port'] },
    { driver: 'virtio-9p-pci-non-transitional', properties: share, placements: ['i440fx'] },
    { driver: d, properties: share, machineVersion: '5.2', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'identical virtio-9p', placement: 'i440fx', driver: d, src: share, dst: share },
    { name: 'virtio-9p mount_tag share → shared (BAR0 stays 32 bytes)', placement: 'i440fx', driver: d, src: share, dst: { fsdev: 'fs0', mount_tag: 'shared' } },
    { name: 'virtio-9p mount_tag share → ninebytes (config 7 → 11 bytes: BAR0 32 → 64)', placement: 'i440fx', driver: d, src: share, dst: { fsdev: 'fs0', mount_tag: 'ninebytes' }, bars: { 0: '0xffe0' } },
    { name: 'virtio-9p vectors 2 → 3', placement: 'q35-root', driver: d, src: share, dst: { ...share, vectors: '3' } },
    { name: 'identical virtio-9p behind a root port', placement: 'q35-port', driver: d, src: share, dst: share },
  ],
};
