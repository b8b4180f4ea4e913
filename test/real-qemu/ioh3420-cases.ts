// ioh3420 (Intel IOH root port) against real QEMU. It only sits on q35's
// pcie.0 (as libvirt places it); behind-a-port and switch topologies are in
// test/real-qemu/topology.test.ts.
import { type FamilyCases, type Placement } from './cases.js';

const d = 'ioh3420';
const root: Placement[] = ['q35-root'];

export const IOH3420_CASES: FamilyCases = {
  family: 'ioh3420',
  drivers: [d],
  probes: [
    { driver: d, placements: root },
    { driver: d, properties: { chassis: '3', slot: '5', port: '0x10' }, placements: root },
    { driver: d, properties: { hotplug: 'off', power_controller_present: 'off' }, placements: root },
    { driver: d, properties: { multifunction: 'on', 'disable-acs': 'on' }, placements: root },
    { driver: d, properties: { 'x-pcie-extcap-init': 'off', 'x-pcie-lnksta-dllla': 'off' }, placements: root },
    { driver: d, properties: { 'x-pcie-ext-tag': 'on', 'x-pcie-err-unc-mask': 'off', 'x-pci-express-writeable-slt-bug': 'on' }, placements: root, since: '9.2' },
    { driver: d, properties: { aer_log_max: '200' }, placements: root },
    { driver: d, properties: { romfile: 'efi-virtio.rom' }, placements: root },
    { driver: d, machineVersion: '5.2', placements: root },
    { driver: d, machineVersion: '6.1', placements: root },
    { driver: d, machineVersion: '8.1', placements: root },
    { driver: d, machineVersion: '2.4', placements: root },
  ],
  flips: [
    { name: 'identical ioh3420', placement: 'q35-root', driver: d, src: { chassis: '1', slot: '1' }, dst: { chassis: '1', slot: '1' } },
    { name: 'ioh3420 slot 1 → 2 (Physical Slot Number)', placement: 'q35-root', driver: d, src: { chassis: '1', slot: '1' }, dst: { chassis: '1', slot: '2' } },
    { name: 'ioh3420 port 0 → 4 (Port Number)', placement: 'q35-root', driver: d, dst: { port: '4' } },
    { name: 'ioh3420 hotplug on → off', placement: 'q35-root', driver: d, dst: { hotplug: 'off' } },
    { name: 'ioh3420 power_controller_present on → off', placement: 'q35-root', driver: d, dst: { power_controller_present: 'off' } },
    { name: 'ioh3420 disable-acs off → on (no ACS either way)', placement: 'q35-root', driver: d, dst: { 'disable-acs': 'on' }, since: '5.2' },
    { name: 'ioh3420 → pcie-root-port at the same address', placement: 'q35-root', driver: d, dstDriver: 'pcie-root-port' },
    { name: 'ioh3420 on pc-q35-8.1: the latency timer bug kept', placement: 'q35-root', driver: d, srcMachine: '8.1', dstMachine: '8.1', registers: { '0x1b': '0x40' } },
  ],
};
