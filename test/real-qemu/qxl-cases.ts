// qxl-vga and qxl (SPICE QXL) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const p = 'qxl-vga';
const s = 'qxl';
const both: Placement[] = ['i440fx', 'q35-root'];

export const QXL_CASES: FamilyCases = {
  family: 'qxl',
  drivers: [p, s],
  probes: [
    { driver: p },
    { driver: s },
    { driver: p, properties: { ram_size_mb: '32', vram_size_mb: '16' }, placements: both },
    { driver: p, properties: { ram_size: '0x1800000', vgamem_mb: '4' }, placements: ['i440fx'] },
    { driver: p, properties: { vgamem_mb: '64' }, placements: ['q35-root'] },
    { driver: p, properties: { ram_size_mb: '1024' }, placements: ['i440fx'] },
    { driver: p, properties: { vram64_size_mb: '256' }, placements: both },
    { driver: s, properties: { vram_size_mb: '32', vram64_size_mb: '128' }, placements: ['q35-port'] },
    { driver: s, properties: { ram_size_mb: '1024' }, placements: ['i440fx'] },
    { driver: p, properties: { revision: '1' }, placements: ['i440fx'] },
    { driver: p, properties: { revision: '2' }, placements: ['q35-root'] },
    { driver: s, properties: { revision: '3' }, placements: ['i440fx'] },
    { driver: s, properties: { revision: '6' }, placements: ['i440fx'] },
    { driver: p, properties: { romfile: '' }, placements: ['i440fx'] },
    { driver: p, properties: { rombar: '0', multifunction: 'on' }, placements: ['q35-root'] },
    { driver: s, properties: { romfile: 'vgabios-qxl.bin' }, placements: ['i440fx'] },
    { driver: p, properties: { max_outputs: '4', xres: '1024', yres: '768' }, placements: ['i440fx'] },
    { driver: p, machineVersion: '4.2', placements: both },
    { driver: s, machineVersion: '5.2', placements: ['i440fx'] },
    { driver: p, properties: { 'global-vmstate': 'on' }, placements: ['i440fx'] },
    { driver: p, properties: { surfaces: '512' }, placements: ['i440fx'] },
    { driver: s, properties: { surfaces: '2048' }, placements: ['q35-root'] },
    { driver: p, machineVersion: '2.12', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'qxl-vga ram_size_mb 64 → 128 (BAR0 and vga.vram grow)', placement: 'i440fx', driver: p, dst: { ram_size_mb: '128' } },
    { name: 'qxl-vga vram_size_mb 64 → 32 (BAR1 shrinks, qxl.vram too)', placement: 'q35-root', driver: p, dst: { vram_size_mb: '32' } },
    { name: 'qxl-vga vram64_size_mb 64 → 128 (BAR4 appears)', placement: 'i440fx', driver: p, dst: { vram64_size_mb: '128' } },
    { name: 'qxl-vga vgamem_mb 16 → 8 (ram unchanged)', placement: 'i440fx', driver: p, dst: { vgamem_mb: '8' } },
    { name: 'qxl-vga revision 5 → 4', placement: 'i440fx', driver: p, dst: { revision: '4' } },
    { name: 'qxl-vga revision 4 → 3 (same I/O BAR)', placement: 'q35-root', driver: p, src: { revision: '4' }, dst: { revision: '3' } },
    { name: 'qxl-vga ROM removed on the destination', placement: 'i440fx', driver: p, dst: { romfile: '' } },
    { name: 'qxl-vga max_outputs 0 → 4 (not migrated)', placement: 'i440fx', driver: p, dst: { max_outputs: '4' } },
    { name: 'qxl ram_size_mb 64 → 32 (qxl.vgavram)', placement: 'i440fx', driver: s, dst: { ram_size_mb: '32' } },
    { name: 'qxl → qxl-vga at the same address', placement: 'i440fx', driver: s, dstDriver: p },
    { name: 'qxl-vga on pc-i440fx-4.2 (revision 4) → pc-i440fx-5.2', placement: 'i440fx', driver: p, srcMachine: '4.2', dstMachine: '5.2' },
    { name: 'qxl-vga global-vmstate off → on (vga.vram loses its device path)', placement: 'i440fx', driver: p, dst: { 'global-vmstate': 'on' } },
    { name: 'qxl global-vmstate off → on (no vga.vram: nothing changes)', placement: 'i440fx', driver: s, dst: { 'global-vmstate': 'on' } },
    { name: 'identical qxl-vga on pc-i440fx-2.12 (global video RAM block)', placement: 'i440fx', driver: p, srcMachine: '2.12', dstMachine: '2.12' },
    { name: 'qxl-vga surfaces 512 → 1024 (VMSTATE_INT32_EQUAL ssd.num_surfaces)', placement: 'i440fx', driver: p, src: { surfaces: '512' } },
    { name: 'qxl surfaces 1024 → 100', placement: 'q35-root', driver: s, dst: { surfaces: '100' } },
    { name: 'identical qxl-vga with surfaces 512', placement: 'i440fx', driver: p, src: { surfaces: '512' }, dst: { surfaces: '512' } },
    { name: 'identical qxl-vga', placement: 'q35-root', driver: p },
    { name: 'identical qxl', placement: 'i440fx', driver: s },
  ],
};
