// virtio-keyboard-pci, virtio-mouse-pci, virtio-tablet-pci against real QEMU.
import { type FamilyCases } from './cases.js';

const kbd = 'virtio-keyboard-pci';
const mouse = 'virtio-mouse-pci';
const tablet = 'virtio-tablet-pci';

export const VIRTIO_INPUT_CASES: FamilyCases = {
  family: 'virtio-input',
  drivers: [kbd, mouse, tablet],
  probes: [
    { driver: kbd },
    { driver: mouse },
    { driver: tablet },
    { driver: tablet, properties: { vectors: '0' } },
    { driver: tablet, properties: { vectors: '5' } },
    { driver: mouse, properties: { 'wheel-axis': 'off' } },
    // virtio_pci_force_virtio_1 comes after virtio_pci_realize's PCI Express decision.
    { driver: kbd, properties: { 'disable-legacy': 'off' } },
    { driver: kbd, properties: { 'disable-modern': 'on' } },
    { driver: kbd, properties: { 'disable-modern': 'on', 'disable-legacy': 'off' } },
    { driver: tablet, properties: { 'page-per-vq': 'on', 'modern-pio-notify': 'on' } },
    { driver: tablet, properties: { 'x-pcie-flr-init': 'off', 'x-pcie-lnkctl-init': 'off' }, placements: ['q35-port'] },
    { driver: tablet, properties: { multifunction: 'on', romfile: 'efi-virtio.rom' } },
    { driver: tablet, machineVersion: '5.2' },
    { driver: mouse, machineVersion: '5.2', placements: ['q35-port'] },
    { driver: tablet, machineVersion: '2.10', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'virtio-tablet vectors 2 → 0', placement: 'i440fx', driver: tablet, dst: { vectors: '0' } },
    { name: 'virtio-tablet vectors 2 → 3 behind a root port', placement: 'q35-port', driver: tablet, dst: { vectors: '3' } },
    { name: 'virtio-keyboard → virtio-tablet at the same address (class 0900 → 0980)', placement: 'q35-root', driver: kbd, dstDriver: tablet },
    { name: 'virtio-mouse wheel-axis on → off (not in config space)', placement: 'i440fx', driver: mouse, dst: { 'wheel-axis': 'off' } },
    { name: 'virtio-tablet page-per-vq off → on, BAR4 8 MiB-aligned', placement: 'q35-port', driver: tablet, dst: { 'page-per-vq': 'on' }, bars: { 4: '0x800000000' } },
    { name: 'virtio-keyboard disable-modern=on on the destination (forced modern, same bytes)', placement: 'i440fx', driver: kbd, dst: { 'disable-modern': 'on' } },
    { name: 'virtio-tablet only on the source', placement: 'q35-port', driver: tablet, dstAbsent: true },
    { name: 'identical virtio-tablet behind a root port', placement: 'q35-port', driver: tablet },
  ],
};
