// EHCI controllers (usb-ehci, ich9-usb-ehci1/2) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const both: Placement[] = ['i440fx', 'q35-root'];

export const EHCI_CASES: FamilyCases = {
  family: 'ehci',
  drivers: ['usb-ehci', 'ich9-usb-ehci1', 'ich9-usb-ehci2'],
  probes: [
    { driver: 'ich9-usb-ehci1', placements: both },
    { driver: 'ich9-usb-ehci2', placements: ['q35-root'] },
    { driver: 'usb-ehci', placements: ['i440fx'] },
    { driver: 'ich9-usb-ehci1', properties: { maxframes: '64', romfile: 'efi-e1000.rom' }, placements: ['q35-root'] },
    { driver: 'ich9-usb-ehci1', machineVersion: '5.2', placements: ['q35-root'] },
  ],
  flips: [
    { name: 'identical ich9-usb-ehci1', placement: 'q35-root', driver: 'ich9-usb-ehci1' },
    { name: 'ich9-usb-ehci1 → ich9-usb-ehci2 (device ID)', placement: 'q35-root', driver: 'ich9-usb-ehci1', dstDriver: 'ich9-usb-ehci2' },
    { name: 'usb-ehci → ich9-usb-ehci1 (device ID, revision)', placement: 'i440fx', driver: 'usb-ehci', dstDriver: 'ich9-usb-ehci1' },
    { name: 'ich9-usb-ehci1 maxframes 128 → 64', placement: 'i440fx', driver: 'ich9-usb-ehci1', dst: { maxframes: '64' } },
  ],
};
