// UHCI controllers (piix3/piix4-usb-uhci, ich9-usb-uhci1..6) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const both: Placement[] = ['i440fx', 'q35-root'];
const ich9 = [1, 2, 3, 4, 5, 6].map((i) => `ich9-usb-uhci${i}`);

export const UHCI_CASES: FamilyCases = {
  family: 'uhci',
  drivers: ['piix3-usb-uhci', 'piix4-usb-uhci', ...ich9],
  probes: [
    { driver: 'piix3-usb-uhci', placements: both },
    { driver: 'piix4-usb-uhci', placements: ['i440fx'] },
    ...ich9.map((driver) => ({ driver, placements: ['q35-root'] as Placement[] })),
    { driver: 'ich9-usb-uhci1', properties: { bandwidth: '640', maxframes: '64', multifunction: 'on' }, placements: ['i440fx'] },
    { driver: 'piix3-usb-uhci', machineVersion: '5.2', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'identical piix3-usb-uhci (libvirt\'s pc default)', placement: 'i440fx', driver: 'piix3-usb-uhci' },
    { name: 'piix3-usb-uhci → piix4-usb-uhci (device ID)', placement: 'i440fx', driver: 'piix3-usb-uhci', dstDriver: 'piix4-usb-uhci' },
    { name: 'ich9-usb-uhci1 → ich9-usb-uhci2 (device ID, pin)', placement: 'q35-root', driver: 'ich9-usb-uhci1', dstDriver: 'ich9-usb-uhci2' },
    { name: 'ich9-usb-uhci3 maxframes 128 → 32 (not in the migrated state)', placement: 'q35-root', driver: 'ich9-usb-uhci3', dst: { maxframes: '32' } },
    { name: 'piix3-usb-uhci BAR4 at 0xc0e0', placement: 'i440fx', driver: 'piix3-usb-uhci', bars: { 4: '0xc0e0' } },
  ],
};
