// piix3-ide (PIIX3 IDE function) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const p = 'piix3-ide';
const all: Placement[] = ['i440fx', 'q35-root', 'q35-port'];

export const PIIX3_IDE_CASES: FamilyCases = {
  family: 'piix3-ide',
  drivers: [p],
  probes: [
    { driver: p, placements: all },
    { driver: p, properties: { multifunction: 'on' }, placements: ['q35-root'] },
    { driver: p, machineVersion: '5.2', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'identical piix3-ide', placement: 'i440fx', driver: p },
    { name: 'piix3-ide BMIBA (BAR4) at 0xfff0 on the source', placement: 'q35-root', driver: p, bars: { 4: '0xfff0' } },
    { name: 'piix3-ide → ich9-ahci at the same address', placement: 'q35-root', driver: p, dstDriver: 'ich9-ahci' },
  ],
};
