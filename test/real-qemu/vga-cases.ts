// VGA (the standard VGA) against real QEMU.
import { type FamilyCases } from './cases.js';

const v = 'VGA';

export const VGA_CASES: FamilyCases = {
  family: 'vga',
  drivers: [v],
  probes: [
    { driver: v },
    { driver: v, properties: { vgamem_mb: '8' } },
    { driver: v, properties: { vgamem_mb: '9' } },
    { driver: v, properties: { vgamem_mb: '1024' }, placements: ['i440fx'] },
    { driver: v, properties: { vgamem_mb: '0' }, placements: ['q35-root'] },
    { driver: v, properties: { mmio: 'off' } },
    { driver: v, properties: { 'qemu-extended-regs': 'off', edid: 'off', xres: '1024', yres: '768' } },
    { driver: v, properties: { romfile: '' } },
    { driver: v, properties: { rombar: '0', multifunction: 'on' } },
    { driver: v, properties: { romsize: '0x40000' }, since: '6.0' },
    { driver: v, properties: { 'global-vmstate': 'on' }, placements: ['i440fx'] },
    { driver: v, machineVersion: '2.12', placements: ['i440fx'] },
    { driver: v, machineVersion: '2.1', placements: ['i440fx'] },
    { driver: v, machineVersion: '4.0', placements: ['i440fx', 'q35-root'] },
    { driver: v, machineVersion: '5.2' },
  ],
  flips: [
    { name: 'VGA vgamem_mb 16 → 8 (video RAM block size)', placement: 'q35-root', driver: v, dst: { vgamem_mb: '8' } },
    { name: 'VGA vgamem_mb 16 → 32', placement: 'i440fx', driver: v, dst: { vgamem_mb: '32' } },
    { name: 'VGA vgamem_mb 16 → 9 (rounded up to 16)', placement: 'i440fx', driver: v, dst: { vgamem_mb: '9' } },
    { name: 'VGA mmio on → off (BAR2 gone, revision 2 → 0)', placement: 'i440fx', driver: v, dst: { mmio: 'off' } },
    { name: 'VGA qemu-extended-regs on → off (revision 2 → 0)', placement: 'q35-root', driver: v, dst: { 'qemu-extended-regs': 'off' } },
    { name: 'VGA edid on → off (not in config space)', placement: 'i440fx', driver: v, dst: { edid: 'off' } },
    { name: 'VGA ROM removed on the destination', placement: 'i440fx', driver: v, dst: { romfile: '' } },
    { name: 'VGA ROM 64 KiB → 256 KiB', placement: 'q35-root', driver: v, dst: { romsize: '0x40000' }, since: '6.0' },
    { name: 'VGA global-vmstate off → on (video RAM block renamed)', placement: 'i440fx', driver: v, dst: { 'global-vmstate': 'on' } },
    { name: 'VGA at another slot on the destination', placement: 'i440fx', driver: v, dstAddr: '0x6' },
    { name: 'VGA → virtio-vga at the same address', placement: 'q35-root', driver: v, dstDriver: 'virtio-vga' },
    { name: 'identical VGA on pc-i440fx-2.12 (global video RAM block)', placement: 'i440fx', driver: v, srcMachine: '2.12', dstMachine: '2.12' },
    { name: 'identical VGA', placement: 'q35-root', driver: v },
  ],
};
