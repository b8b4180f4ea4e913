// virtio-gpu-pci and virtio-vga against real QEMU.
import { type FamilyCases } from './cases.js';

const gpu = 'virtio-gpu-pci';
const vvga = 'virtio-vga';

export const VIRTIO_GPU_CASES: FamilyCases = {
  family: 'virtio-gpu',
  drivers: [gpu, vvga],
  probes: [
    { driver: gpu },
    { driver: gpu, properties: { vectors: '0' } },
    { driver: gpu, properties: { vectors: '7', edid: 'off', xres: '800', yres: '600' } },
    { driver: gpu, properties: { 'page-per-vq': 'on', 'modern-pio-notify': 'on' } },
    { driver: gpu, properties: { 'disable-modern': 'on' }, placements: ['i440fx', 'q35-port'] },
    { driver: gpu, properties: { max_outputs: '17' }, placements: ['i440fx'] },
    { driver: gpu, properties: { max_outputs: '1', ioeventfd: 'on' }, placements: ['q35-root'] },
    { driver: gpu, properties: { max_outputs: '4' }, placements: ['i440fx'] },
    { driver: vvga, properties: { max_outputs: '16' }, placements: ['q35-root'] },
    { driver: gpu, machineVersion: '5.2' },
    { driver: gpu, machineVersion: '4.0', placements: ['i440fx', 'q35-root'] },
    { driver: gpu, machineVersion: '8.2', placements: ['q35-port'] },
    { driver: gpu, properties: { hostmem: '64M' }, since: '8.2' },
    { driver: gpu, properties: { hostmem: '8G', 'page-per-vq': 'on', vectors: '0' }, placements: ['i440fx', 'q35-port'], since: '8.2' },
    { driver: vvga, properties: { hostmem: '64M' }, placements: ['i440fx', 'q35-root'], since: '8.2' },
    { driver: vvga },
    { driver: vvga, properties: { 'page-per-vq': 'on' } },
    { driver: vvga, properties: { 'modern-pio-notify': 'on', vectors: '2' } },
    { driver: vvga, properties: { vectors: '0', romfile: '' } },
    { driver: vvga, properties: { rombar: '0', 'disable-modern': 'on' }, placements: ['i440fx', 'q35-root'] },
    { driver: vvga, machineVersion: '5.2', placements: ['i440fx', 'q35-root'] },
    { driver: vvga, machineVersion: '4.0', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'virtio-gpu vectors 3 → 2', placement: 'q35-port', driver: gpu, src: { vectors: '3' }, dst: { vectors: '2' } },
    { name: 'virtio-gpu xres/yres 1280x800 → 1024x768 (neither config space nor a feature bit)', placement: 'i440fx', driver: gpu, dst: { xres: '1024', yres: '768' } },
    { name: 'virtio-gpu-pci → virtio-vga at the same address', placement: 'q35-root', driver: gpu, dstDriver: vvga },
    { name: 'virtio-vga → virtio-gpu-pci at the same address', placement: 'q35-root', driver: vvga, dstDriver: gpu },
    { name: 'virtio-vga page-per-vq off → on', placement: 'i440fx', driver: vvga, dst: { 'page-per-vq': 'on' }, bars: { 2: '0x800000000' } },
    { name: 'virtio-vga ROM removed on the destination', placement: 'q35-root', driver: vvga, dst: { romfile: '' } },
    { name: 'virtio-vga ROM 64 KiB → 128 KiB', placement: 'i440fx', driver: vvga, dst: { romsize: '0x20000' }, since: '6.0' },
    { name: 'identical virtio-vga', placement: 'q35-root', driver: vvga },
    { name: 'virtio-gpu hostmem 0 → 64M (BAR4 and the shared-memory capability appear, modern BAR moves)', placement: 'q35-port', driver: gpu, dst: { hostmem: '64M' }, since: '8.2' },
    { name: 'virtio-gpu hostmem 64M → 128M', placement: 'i440fx', driver: gpu, src: { hostmem: '64M' }, dst: { hostmem: '128M' }, since: '8.2' },
    { name: 'identical virtio-gpu with hostmem 64M', placement: 'q35-root', driver: gpu, src: { hostmem: '64M' }, dst: { hostmem: '64M' }, since: '8.2' },
    { name: 'virtio-vga hostmem 0 → 64M (BAR4 shared memory, MSI-X moves to BAR1)', placement: 'i440fx', driver: vvga, dst: { hostmem: '64M' }, since: '8.2' },
    { name: 'virtio-gpu max_outputs 2 → 1 (VMSTATE_UINT32_EQUAL in virtio-gpu-scanouts)', placement: 'i440fx', driver: gpu, src: { max_outputs: '2' } },
    { name: 'virtio-vga max_outputs 1 → 16', placement: 'q35-root', driver: vvga, dst: { max_outputs: '16' } },
    { name: 'identical virtio-gpu with max_outputs 3', placement: 'q35-port', driver: gpu, src: { max_outputs: '3' }, dst: { max_outputs: '3' } },
    { name: 'identical virtio-vga on pc-i440fx-5.2', placement: 'i440fx', driver: vvga, srcMachine: '5.2', dstMachine: '5.2' },
  ],
};
