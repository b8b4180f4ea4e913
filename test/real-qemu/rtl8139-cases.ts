// rtl8139 against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const r = 'rtl8139';
const both: Placement[] = ['i440fx', 'q35-root'];

export const RTL8139_CASES: FamilyCases = {
  family: 'rtl8139',
  drivers: [r],
  probes: [
    { driver: r, placements: both },
    { driver: r, properties: { netdev: 'n0', mac: '52:54:00:aa:bb:cd' }, placements: both },
    { driver: r, properties: { romfile: '' }, placements: both },
    { driver: r, properties: { rombar: '0' }, placements: both },
    { driver: r, properties: { romfile: 'efi-e1000.rom', multifunction: 'on' }, placements: ['q35-root'] },
    { driver: r, machineVersion: '5.2', placements: both },
  ],
  flips: [
    { name: 'rtl8139 ROM removed on the destination (romfile=)', placement: 'q35-root', driver: r, dst: { romfile: '' } },
    { name: 'rtl8139 rombar 1 → 0 on the destination', placement: 'i440fx', driver: r, dst: { rombar: '0' } },
    { name: 'rtl8139 → e1000 at the same address', placement: 'i440fx', driver: r, dstDriver: 'e1000' },
    { name: 'identical rtl8139', placement: 'i440fx', driver: r },
  ],
};
