// pci-bridge and pcie-pci-bridge against real QEMU.
import { type FamilyCases } from './cases.js';

const pb = 'pci-bridge';
const ppb = 'pcie-pci-bridge';
const c1 = { chassis_nr: '1' };

export const PCI_BRIDGE_CASES: FamilyCases = {
  family: 'pci-bridge',
  drivers: [pb, ppb],
  probes: [
    { driver: pb, properties: c1 },
    { driver: pb, properties: { chassis_nr: '7', msi: 'off' } },
    { driver: pb, properties: { chassis_nr: '2', shpc: 'off' } },
    { driver: pb, properties: { chassis_nr: '2', shpc: 'off', msi: 'on' }, placements: ['i440fx'] },
    { driver: pb },
    { driver: pb, properties: { chassis_nr: '1', 'bus-reserve': '4', 'io-reserve': '0', 'mem-reserve': '1M' }, placements: ['i440fx', 'q35-root'] },
    { driver: pb, properties: { chassis_nr: '1', multifunction: 'on', romfile: 'efi-virtio.rom' }, placements: ['i440fx'] },
    { driver: pb, properties: c1, machineVersion: '2.9', placements: ['i440fx'] },
    { driver: pb, properties: c1, machineVersion: '2.8', placements: ['i440fx'] },
    { driver: pb, properties: c1, machineVersion: '5.2' },
    { driver: ppb },
    { driver: ppb, properties: { msi: 'off' } },
    { driver: ppb, properties: { 'x-pcie-err-unc-mask': 'off', 'x-pcie-ext-tag': 'off' }, placements: ['q35-root', 'q35-port'], since: '9.2' },
    { driver: ppb, properties: { 'x-pcie-lnksta-dllla': 'off', 'x-pcie-extcap-init': 'off' }, placements: ['q35-port'] },
    { driver: ppb, machineVersion: '5.2', placements: ['q35-root', 'q35-port'] },
    { driver: ppb, machineVersion: '7.2', placements: ['q35-root', 'q35-port'] },
    { driver: ppb, machineVersion: '8.1', placements: ['q35-port'] },
  ],
  flips: [
    { name: 'pci-bridge chassis_nr 1 → 2 (writable, not compared)', placement: 'i440fx', driver: pb, src: c1, dst: { chassis_nr: '2' } },
    { name: 'pci-bridge shpc on → off', placement: 'i440fx', driver: pb, src: c1, dst: { chassis_nr: '1', shpc: 'off' } },
    { name: 'pci-bridge msi auto → off', placement: 'q35-root', driver: pb, src: c1, dst: { chassis_nr: '1', msi: 'off' } },
    { name: 'pci-bridge bus-reserve set on the destination', placement: 'i440fx', driver: pb, src: c1, dst: { chassis_nr: '1', 'bus-reserve': '2' } },
    { name: 'identical pci-bridge on pc-i440fx-2.9 (SHPC off by compat)', placement: 'i440fx', driver: pb, src: c1, dst: c1, srcMachine: '2.9', dstMachine: '2.9' },
    { name: 'identical pci-bridge behind a root port', placement: 'q35-port', driver: pb, src: c1, dst: c1 },
    { name: 'pcie-pci-bridge msi auto → off', placement: 'q35-port', driver: ppb, dst: { msi: 'off' } },
    {
      name: 'pcie-pci-bridge x-pcie-err-unc-mask on → off, mask left at its default', placement: 'q35-port', driver: ppb,
      dst: { 'x-pcie-err-unc-mask': 'off' }, registers: { '0x108': '0x02400000' }, since: '8.1',
    },
    { name: 'pcie-pci-bridge → pci-bridge at the same address', placement: 'q35-port', driver: ppb, dst: c1, dstDriver: pb },
    { name: 'identical pcie-pci-bridge behind a root port', placement: 'q35-port', driver: ppb },
    { name: 'identical pcie-pci-bridge on pcie.0', placement: 'q35-root', driver: ppb },
  ],
};
