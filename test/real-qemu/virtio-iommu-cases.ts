// virtio-iommu-pci against real QEMU: root bus only (7.2+), no x86 machine takes it before 6.2.
import { type FamilyCases } from './cases.js';

const i = 'virtio-iommu-pci';

export const VIRTIO_IOMMU_CASES: FamilyCases = {
  family: 'virtio-iommu',
  drivers: [i],
  probes: [
    { driver: i },
    { driver: i, properties: { class: '0x0880' }, placements: ['q35-root'] },
    { driver: i, properties: { 'page-per-vq': 'on', 'modern-pio-notify': 'on' }, placements: ['i440fx', 'q35-root'] },
    { driver: i, properties: { 'disable-modern': 'on' }, placements: ['i440fx'] },
    { driver: i, properties: { 'boot-bypass': 'off' }, placements: ['q35-root'], since: '7.0' },
    { driver: i, properties: { granule: '4k', 'aw-bits': '48' }, placements: ['q35-root'], since: '9.0' },
    { driver: i, properties: { 'x-pcie-flr-init': 'off' }, placements: ['q35-root'] },
    { driver: i, machineVersion: '8.2', placements: ['i440fx', 'q35-root'] },
  ],
  flips: [
    { name: 'virtio-iommu class 0x00ff → 0x0880', placement: 'q35-root', driver: i, dst: { class: '0x0880' }, since: '6.2' },
    { name: 'virtio-iommu page-per-vq off → on', placement: 'i440fx', driver: i, dst: { 'page-per-vq': 'on' }, since: '6.2' },
    { name: 'virtio-iommu boot-bypass on → off (virtio config, not PCI)', placement: 'q35-root', driver: i, dst: { 'boot-bypass': 'off' }, since: '7.0' },
    { name: 'virtio-iommu only on the source', placement: 'q35-root', driver: i, dstAbsent: true, since: '6.2' },
    { name: 'identical virtio-iommu-pci', placement: 'q35-root', driver: i, since: '6.2' },
  ],
};
