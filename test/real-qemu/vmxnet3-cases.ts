// vmxnet3 against real QEMU.
import { type FamilyCases } from './cases.js';

const v = 'vmxnet3';

export const VMXNET3_CASES: FamilyCases = {
  family: 'vmxnet3',
  drivers: [v],
  probes: [
    { driver: v },
    { driver: v, properties: { mac: '52:54:00:aa:bb:cd', netdev: 'n0' } },
    { driver: v, properties: { 'x-old-msi-offsets': 'on' }, placements: ['i440fx', 'q35-root'] },
    { driver: v, properties: { 'x-disable-pcie': 'on' }, placements: ['i440fx', 'q35-root'] },
    { driver: v, properties: { 'x-old-msi-offsets': 'on', romfile: '' }, placements: ['q35-port'] },
    { driver: v, properties: { 'x-pcie-lnksta-dllla': 'off', 'x-pcie-extcap-init': 'off' }, placements: ['q35-port'] },
    { driver: v, machineVersion: '2.5', placements: ['i440fx', 'q35-root'] },
    { driver: v, machineVersion: '2.6', placements: ['i440fx'] },
    { driver: v, machineVersion: '5.2', placements: ['q35-root'] },
  ],
  flips: [
    { name: 'identical vmxnet3 behind a root port', placement: 'q35-port', driver: v },
    // x-disable-pcie off → on fails too, but with "irq state 50331904: must be 0 or 1." (the destination
    // reads 256 bytes, then source bytes 0x100.. as the INTx state): the checker's size-mismatch line is not QEMU's.
    // On a PCI Express bus the destination also prints "Attempt to add PCI capability 10 at offset 48 overlaps
    // existing capability 40 at offset 48" at start (the capability is left out, as the model does), a line
    // the checker does not predict: this flip stays on i440fx.
    { name: 'vmxnet3 x-old-msi-offsets off → on (MSI 0x84 → 0x50, MSI-X 0x9c → 0x40)', placement: 'i440fx', driver: v, dst: { 'x-old-msi-offsets': 'on' } },
    { name: 'vmxnet3 MAC changes (Device Serial Number at 0x104)', placement: 'q35-root', driver: v, src: { mac: '52:54:00:00:00:01' }, dst: { mac: '52:54:00:00:00:02' } },
    { name: 'vmxnet3 ROM removed on the destination', placement: 'i440fx', driver: v, dst: { romfile: '' } },
    { name: 'vmxnet3 pc-i440fx-2.5 → 2.6 (hw_compat_2_5 off)', placement: 'i440fx', driver: v, srcMachine: '2.5', dstMachine: '2.6' },
  ],
};
