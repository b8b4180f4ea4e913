// bochs-display against real QEMU: conventional on i440fx, PCI Express (capability at 0x80) on q35.
import { type FamilyCases } from './cases.js';

const b = 'bochs-display';

export const BOCHS_DISPLAY_CASES: FamilyCases = {
  family: 'bochs-display',
  drivers: [b],
  probes: [
    { driver: b },
    { driver: b, properties: { vgamem: '4M' }, placements: ['i440fx', 'q35-root'] },
    { driver: b, properties: { vgamem: '20M' }, placements: ['q35-port'] },
    { driver: b, properties: { vgamem: '256M' }, placements: ['i440fx'] },
    { driver: b, properties: { vgamem: '3M' }, placements: ['i440fx'] },
    { driver: b, properties: { vgamem: '512M' }, placements: ['q35-root'] },
    { driver: b, properties: { edid: 'off', xres: '800', yres: '600' }, placements: ['i440fx'] },
    { driver: b, properties: { romfile: '' }, placements: ['q35-root'] },
    { driver: b, properties: { rombar: '0', multifunction: 'on' }, placements: ['i440fx'] },
    { driver: b, properties: { 'x-pcie-lnksta-dllla': 'off' }, placements: ['q35-port'] },
    { driver: b, properties: { 'x-pcie-ext-tag': 'off' }, placements: ['q35-port'], since: '9.2' },
    { driver: b, machineVersion: '4.0', placements: ['i440fx', 'q35-root'] },
    { driver: b, machineVersion: '5.2', placements: ['q35-port'] },
  ],
  flips: [
    { name: 'bochs-display vgamem 16M → 32M (BAR0 and its RAM block)', placement: 'q35-root', driver: b, dst: { vgamem: '32M' } },
    { name: 'bochs-display vgamem 16M → 12M (rounded up to 16 MiB)', placement: 'i440fx', driver: b, dst: { vgamem: '12M' } },
    { name: 'bochs-display edid on → off (not in config space)', placement: 'q35-port', driver: b, dst: { edid: 'off' } },
    { name: 'bochs-display ROM removed on the destination', placement: 'i440fx', driver: b, dst: { romfile: '' } },
    { name: 'bochs-display → VGA at the same address', placement: 'i440fx', driver: b, dstDriver: 'VGA' },
    { name: 'bochs-display x-pcie-lnksta-dllla on → off behind a root port', placement: 'q35-port', driver: b, dst: { 'x-pcie-lnksta-dllla': 'off' } },
    { name: 'identical bochs-display', placement: 'q35-port', driver: b },
    { name: 'identical bochs-display on pc-i440fx-5.2', placement: 'i440fx', driver: b, srcMachine: '5.2', dstMachine: '5.2' },
  ],
};
