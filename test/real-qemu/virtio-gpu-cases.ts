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
    { driver: gpu, machineVersion: '5.2' },
    { driver: gpu, machineVersion: '4.0', placements: ['i440fx', 'q35-root'] },
    { driver: gpu, machineVersion: '8.2', placements: ['q35-port'] },
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
    { name: 'virtio-gpu edid on → off (a feature bit, not config space)', placement: 'i440fx', driver: gpu, dst: { edid: 'off' } },
    { name: 'virtio-gpu-pci → virtio-vga at the same address', placement: 'q35-root', driver: gpu, dstDriver: vvga },
    { name: 'virtio-vga → virtio-gpu-pci at the same address', placement: 'q35-root', driver: vvga, dstDriver: gpu },
    { name: 'virtio-vga page-per-vq off → on', placement: 'i440fx', driver: vvga, dst: { 'page-per-vq': 'on' }, bars: { 2: '0x800000000' } },
    { name: 'virtio-vga ROM removed on the destination', placement: 'q35-root', driver: vvga, dst: { romfile: '' } },
    { name: 'virtio-vga ROM 64 KiB → 128 KiB', placement: 'i440fx', driver: vvga, dst: { romsize: '0x20000' }, since: '6.0' },
    { name: 'identical virtio-vga', placement: 'q35-root', driver: vvga },
    { name: 'identical virtio-vga on pc-i440fx-5.2', placement: 'i440fx', driver: vvga, srcMachine: '5.2', dstMachine: '5.2' },
  ],
};
