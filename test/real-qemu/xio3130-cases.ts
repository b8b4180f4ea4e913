// x3130-upstream and xio3130-downstream (the TI switch) against real QEMU:
// each port alone behind a root port (QEMU does not check what sits above a
// switch port). Whole switches with devices below are in
// test/real-qemu/topology.test.ts.
import { type FamilyCases, type Placement } from './cases.js';

const up = 'x3130-upstream';
const down = 'xio3130-downstream';
const port: Placement[] = ['q35-port'];
const c2 = { chassis: '2' };

export const XIO3130_CASES: FamilyCases = {
  family: 'xio3130',
  drivers: [up, down],
  probes: [
    { driver: up, placements: port },
    { driver: up, properties: { port: '7', multifunction: 'on' }, placements: port },
    { driver: up, properties: { 'x-pcie-extcap-init': 'off', 'x-pcie-lnksta-dllla': 'off' }, placements: port },
    { driver: up, properties: { 'x-pcie-ext-tag': 'on', 'x-pcie-err-unc-mask': 'off' }, placements: port, since: '9.2' },
    { driver: up, properties: { aer_log_max: '129' }, placements: port },
    { driver: up, machineVersion: '5.2', placements: port },
    { driver: up, machineVersion: '8.1', placements: port },
    { driver: down, properties: c2, placements: port },
    { driver: down, properties: { chassis: '2', slot: '9', port: '3' }, placements: port },
    { driver: down, properties: { chassis: '2', hotplug: 'off', power_controller_present: 'off' }, placements: port },
    { driver: down, properties: { chassis: '1' }, placements: port },
    { driver: down, properties: { chassis: '2', 'x-pcie-lnksta-dllla': 'off' }, placements: port },
    { driver: down, properties: c2, machineVersion: '5.2', placements: port },
    { driver: down, properties: c2, machineVersion: '6.1', placements: port },
    { driver: down, properties: c2, machineVersion: '2.4', placements: port },
    { driver: up, machineVersion: '2.4', placements: port },
  ],
  flips: [
    { name: 'identical x3130-upstream', placement: 'q35-port', driver: up },
    { name: 'x3130-upstream port 0 → 2', placement: 'q35-port', driver: up, dst: { port: '2' } },
    { name: 'x3130-upstream → xio3130-downstream (another section)', placement: 'q35-port', driver: up, dst: c2, dstDriver: down },
    { name: 'identical xio3130-downstream', placement: 'q35-port', driver: down, src: c2, dst: c2 },
    { name: 'xio3130-downstream slot 0 → 4', placement: 'q35-port', driver: down, src: c2, dst: { chassis: '2', slot: '4' } },
    { name: 'xio3130-downstream hotplug on → off', placement: 'q35-port', driver: down, src: c2, dst: { chassis: '2', hotplug: 'off' } },
    { name: 'xio3130-downstream chassis 2 → 3 (not in config space)', placement: 'q35-port', driver: down, src: c2, dst: { chassis: '3' } },
  ],
};
