// lsi53c895a and lsi53c810 against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const l = 'lsi53c895a';
const all: Placement[] = ['i440fx', 'q35-root', 'q35-port'];

export const LSI53C895A_CASES: FamilyCases = {
  family: 'lsi53c895a',
  drivers: [l, 'lsi', 'lsi53c810'],
  probes: [
    { driver: l, placements: all },
    { driver: 'lsi53c810', placements: ['i440fx', 'q35-root'] },
    { driver: 'lsi', placements: ['q35-root'] },
    { driver: l, properties: { romfile: 'efi-e1000.rom', multifunction: 'on' }, placements: ['i440fx'] },
    { driver: l, machineVersion: '5.2', placements: ['q35-root'] },
  ],
  flips: [
    { name: 'identical lsi53c895a', placement: 'i440fx', driver: l },
    { name: 'lsi (libvirt\'s lsilogic, the alias) → lsi53c895a', placement: 'q35-root', driver: 'lsi', dstDriver: l },
    { name: 'lsi53c895a → lsi53c810 at the same address (device ID)', placement: 'i440fx', driver: l, dstDriver: 'lsi53c810' },
    { name: 'lsi53c895a ROM only on the source', placement: 'q35-root', driver: l, src: { romfile: 'efi-e1000.rom' } },
  ],
};
