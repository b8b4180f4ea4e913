// intel-hda and ich9-intel-hda against real QEMU (no codec: codecs need an
// audio backend, and they do not touch the controller's config space).
import { type FamilyCases } from './cases.js';

const h = 'intel-hda';
const h9 = 'ich9-intel-hda';

export const INTEL_HDA_CASES: FamilyCases = {
  family: 'intel-hda',
  drivers: [h, h9],
  probes: [
    { driver: h, placements: ['i440fx', 'q35-root'] },
    { driver: h9, placements: ['q35-root', 'q35-port', 'i440fx'] },
    { driver: h9, properties: { msi: 'off' }, placements: ['q35-root'] },
    { driver: h, properties: { msi: 'on', old_msi_addr: 'on' }, placements: ['i440fx'] },
    { driver: h, properties: { debug: '3', romfile: 'efi-e1000.rom' }, placements: ['i440fx'] },
    { driver: h, machineVersion: '2.3', placements: ['i440fx'] },
    { driver: h, machineVersion: '2.1', placements: ['i440fx'] },
    { driver: h9, machineVersion: '2.3', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'identical ich9-intel-hda', placement: 'q35-root', driver: h9 },
    { name: 'ich9-intel-hda msi auto → off (MSI capability gone)', placement: 'q35-root', driver: h9, dst: { msi: 'off' } },
    { name: 'intel-hda msi off → on (MSI capability appears)', placement: 'i440fx', driver: h, src: { msi: 'off' }, dst: { msi: 'on' } },
    { name: 'intel-hda old_msi_addr off → on (MSI moves 0x60 → 0x50)', placement: 'i440fx', driver: h, dst: { old_msi_addr: 'on' } },
    { name: 'intel-hda → ich9-intel-hda at the same address', placement: 'i440fx', driver: h, dstDriver: h9 },
    { name: 'intel-hda debug 0 → 1', placement: 'i440fx', driver: h, dst: { debug: '1' } },
    // pc-i440fx-2.1 → 2.2 fails on 5.2 and 7.2 with "Bad config data: i=0x34 read: 50 device: 60": machine types up to
    // 2.3 send no configuration section (no machine-type check), which the checker does not model yet.
  ],
};
