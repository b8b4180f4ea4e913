// pvpanic-pci against real QEMU (6.0+; 5.2 refuses the type). Its -device
// help is checked in test/devices/pvpanic-pci.test.ts, per release.
import { type FamilyCases, type Placement } from './cases.js';

const p = 'pvpanic-pci';
const both: Placement[] = ['i440fx', 'q35-root'];

export const PVPANIC_PCI_CASES: FamilyCases = {
  family: 'pvpanic-pci',
  drivers: [],
  probes: [
    { driver: p, placements: both },
    { driver: p, properties: { events: '1' }, placements: ['q35-root'], since: '6.0' },
    { driver: p, machineVersion: '6.0', placements: ['i440fx'], since: '6.0' },
  ],
  flips: [
    { name: 'identical pvpanic-pci', placement: 'q35-root', driver: p, since: '6.0' },
    { name: 'pvpanic-pci events 3 → 1 (not in the migrated state)', placement: 'i440fx', driver: p, src: { events: '3' }, dst: { events: '1' }, since: '6.0' },
    { name: 'pvpanic-pci BAR0 at an odd-looking 2-byte-aligned address', placement: 'i440fx', driver: p, bars: { 0: '0xfebf1002' }, since: '6.0' },
  ],
};
