// ich9-ahci (ICH9 SATA in AHCI mode) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const a = 'ich9-ahci';
const all: Placement[] = ['i440fx', 'q35-root', 'q35-port'];

export const ICH9_AHCI_CASES: FamilyCases = {
  family: 'ich9-ahci',
  drivers: [a, 'ahci'],
  probes: [
    { driver: a, placements: all },
    { driver: a, properties: { multifunction: 'on' }, placements: ['i440fx', 'q35-root'] },
    { driver: a, properties: { romfile: 'efi-e1000.rom' }, placements: ['q35-root'] },
    { driver: a, machineVersion: '5.2', placements: ['i440fx', 'q35-root'] },
    { driver: 'ahci', placements: ['q35-port'] },
  ],
  flips: [
    { name: 'identical ich9-ahci', placement: 'q35-root', driver: a },
    { name: 'ich9-ahci multifunction off → on (header type)', placement: 'i440fx', driver: a, dst: { multifunction: 'on' } },
    { name: 'ich9-ahci → piix3-ide at the same address', placement: 'i440fx', driver: a, dstDriver: 'piix3-ide' },
    { name: 'ich9-ahci only on the source', placement: 'q35-root', driver: a, dstAbsent: true },
    { name: 'ahci (the alias) → ich9-ahci: the same device', placement: 'i440fx', driver: 'ahci', dstDriver: a },
  ],
};
