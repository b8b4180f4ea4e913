// e1000 (and its 82544GC / 82545EM variants) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const e = 'e1000';
const both: Placement[] = ['i440fx', 'q35-root'];

export const E1000_CASES: FamilyCases = {
  family: 'e1000',
  drivers: [e, 'e1000-82544gc', 'e1000-82545em'],
  probes: [
    { driver: e, placements: both },
    { driver: e, properties: { netdev: 'n0', mac: '52:54:00:aa:bb:cc' }, placements: both },
    { driver: e, properties: { romfile: '' }, placements: both },
    { driver: e, properties: { rombar: '0', multifunction: 'on' }, placements: both },
    { driver: e, properties: { romfile: 'efi-virtio.rom' }, placements: ['i440fx'] },
    { driver: e, properties: { romsize: '0x80000' }, placements: ['q35-root'], since: '6.0' },
    { driver: e, properties: { migrate_tso_props: 'off', 'init-vet': 'off' }, placements: ['i440fx'], since: '6.1' },
    { driver: 'e1000-82544gc', placements: both },
    { driver: 'e1000-82545em', placements: both },
    { driver: e, machineVersion: '5.2', placements: both },
  ],
  flips: [
    { name: 'e1000 ROM removed on the destination (romfile=)', placement: 'i440fx', driver: e, dst: { romfile: '' } },
    { name: 'e1000 rombar 1 → 0 on the destination', placement: 'q35-root', driver: e, dst: { rombar: '0' } },
    { name: 'e1000 migrate_tso_props on → off (state only)', placement: 'i440fx', driver: e, dst: { migrate_tso_props: 'off' } },
    { name: 'e1000 → e1000-82545em at the same address (device id)', placement: 'q35-root', driver: e, dstDriver: 'e1000-82545em' },
    { name: 'identical e1000', placement: 'q35-root', driver: e },
  ],
};
