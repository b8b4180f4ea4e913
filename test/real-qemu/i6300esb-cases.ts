// i6300esb against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

export const I6300ESB_PROBES = [
  { driver: 'i6300esb', placements: ['i440fx', 'q35-root'] as Placement[] },
  { driver: 'i6300esb', properties: { multifunction: 'on' }, placements: ['i440fx'] as Placement[] },
  { driver: 'i6300esb', properties: { romfile: 'efi-e1000.rom' }, placements: ['q35-root'] as Placement[] },
  { driver: 'i6300esb', machineVersion: '5.2', placements: ['i440fx', 'q35-root'] as Placement[] },
];

const w = 'i6300esb';
export const I6300ESB_CASES: FamilyCases = {
  family: 'i6300esb',
  drivers: [w],
  // Probed in test/devices/i6300esb.test.ts: a byte probe of 0x68 reaches the
  // watchdog's lock register (i6300esb_config_write), not config space.
  probes: [],
  flips: [
    { name: 'identical i6300esb', placement: 'i440fx', driver: w },
    { name: 'i6300esb BAR0 at 0xfebf1ff0 (16-byte aligned only)', placement: 'q35-root', driver: w, bars: { 0: '0xfebf1ff0' } },
    { name: 'i6300esb gains an option ROM on the destination', placement: 'i440fx', driver: w, dst: { romfile: 'efi-e1000.rom' } },
    { name: 'i6300esb only on the source', placement: 'q35-root', driver: w, dstAbsent: true },
    { name: 'i6300esb → pvpanic-pci at the same address', placement: 'i440fx', driver: w, dstDriver: 'pvpanic-pci', since: '6.0' },
  ],
};
