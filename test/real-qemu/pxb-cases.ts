// pxb and pxb-pcie, the expander functions themselves, against real QEMU:
// their -device help lists exactly the family's properties, and the
// function at 00:05.0 reads and writes as modelled — or QEMU refuses the
// case at start in the predicted words (bus_nr 0 on a pxb: its internal
// bridge's chassis; a pxb on a PCIe bus, a pxb-pcie on a PCI bus or behind
// a port; a NUMA node the machine cannot have); and the flips below
// migrate for real. The internal pci-bridge's probes, devices behind
// expanders, two expanders and refusing destinations: test/real-qemu/pxb.test.ts.
import { type FamilyCases } from './cases.js';

const pxb = 'pxb';
const pcie = 'pxb-pcie';

export const PXB_CASES: FamilyCases = {
  family: 'pxb',
  drivers: [pxb, pcie],
  probes: [
    { driver: pxb, properties: { bus_nr: '0x30' }, placements: ['i440fx'] },
    { driver: pxb, properties: { bus_nr: '1', multifunction: 'on' }, placements: ['i440fx'] },
    { driver: pxb, properties: { bus_nr: '0xfe' }, placements: ['i440fx'], machineVersion: '5.2' },
    // bus_nr 0 (the default): the internal bridge refuses chassis 0.
    { driver: pxb, placements: ['i440fx'] },
    { driver: pxb, properties: { bus_nr: '0x30', numa_node: '65535' }, placements: ['i440fx'] },
    { driver: pxb, properties: { bus_nr: '0x30', numa_node: '128' }, placements: ['i440fx'] },
    { driver: pxb, properties: { bus_nr: '0x30' }, placements: ['q35-root', 'q35-port'] },
    { driver: pcie, properties: { bus_nr: '0x20' }, placements: ['q35-root'] },
    { driver: pcie, properties: { bus_nr: '0x20', multifunction: 'on' }, placements: ['q35-root'] },
    // bus_nr 0 is accepted when no bridge or port on pcie.0 was created before it.
    { driver: pcie, placements: ['q35-root'] },
    { driver: pcie, properties: { bus_nr: '0x20' }, placements: ['q35-root'], machineVersion: '5.2' },
    { driver: pcie, properties: { bus_nr: '0x20' }, placements: ['i440fx', 'q35-port'] },
    { driver: pcie, properties: { bus_nr: '0x20', bypass_iommu: 'on' }, placements: ['q35-root'], since: '6.2' },
  ],
  flips: [
    { name: 'identical pxb', placement: 'i440fx', driver: pxb, src: { bus_nr: '0x30' }, dst: { bus_nr: '0x30' } },
    { name: 'pxb bus_nr 0x30 → 0x31 (its internal bridge\'s section renamed)', placement: 'i440fx', driver: pxb, src: { bus_nr: '0x30' }, dst: { bus_nr: '0x31' } },
    { name: 'pxb multifunction off → on (the expander function is never sent)', placement: 'i440fx', driver: pxb, src: { bus_nr: '0x30' }, dst: { bus_nr: '0x30', multifunction: 'on' } },
    { name: 'pxb only on the source', placement: 'i440fx', driver: pxb, src: { bus_nr: '0x30' }, dstAbsent: true },
    { name: 'pxb with -global pci-bridge.io-reserve on the destination (reaches its internal bridge)', placement: 'i440fx', driver: pxb, src: { bus_nr: '0x30' }, dst: { bus_nr: '0x30' }, dstGlobals: { 'pci-bridge.io-reserve': '4096' } },
    { name: 'identical pxb-pcie', placement: 'q35-root', driver: pcie, src: { bus_nr: '0x20' }, dst: { bus_nr: '0x20' } },
    { name: 'pxb-pcie bus_nr 0x20 → 0x21, nothing behind it (loads)', placement: 'q35-root', driver: pcie, src: { bus_nr: '0x20' }, dst: { bus_nr: '0x21' } },
    { name: 'pxb-pcie numa_node 128 → unset (the same: unassigned)', placement: 'q35-root', driver: pcie, src: { bus_nr: '0x20', numa_node: '128' }, dst: { bus_nr: '0x20' } },
    { name: 'pxb-pcie only on the source (PCIHost 1 unknown)', placement: 'q35-root', driver: pcie, src: { bus_nr: '0x20' }, dstAbsent: true },
    { name: 'pxb-pcie on pc-q35-5.2 → 5.1 machine types', placement: 'q35-root', driver: pcie, src: { bus_nr: '0x20' }, dst: { bus_nr: '0x20' }, srcMachine: '5.2', dstMachine: '5.1' },
  ],
};
