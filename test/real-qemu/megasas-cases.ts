// megasas (SAS 1078, conventional) and megasas-gen2 (SAS 2108, PCI Express) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const g1 = 'megasas';
const g2 = 'megasas-gen2';
const all: Placement[] = ['i440fx', 'q35-root', 'q35-port'];

export const MEGASAS_CASES: FamilyCases = {
  family: 'megasas',
  drivers: [g1, g2],
  probes: [
    { driver: g1, placements: all },
    { driver: g1, properties: { msi: 'off' }, placements: ['i440fx'] },
    { driver: g1, properties: { msix: 'off' }, placements: ['q35-root'] },
    { driver: g1, properties: { msi: 'on', msix: 'on', use_jbod: 'on', max_cmds: '64' }, placements: ['i440fx'] },
    { driver: g2, placements: all },
    { driver: g2, properties: { msi: 'off', msix: 'off' }, placements: ['i440fx', 'q35-port'] },
    { driver: g2, properties: { 'x-pcie-lnksta-dllla': 'off', multifunction: 'on' }, placements: ['q35-port'] },
    { driver: g2, properties: { 'x-pcie-ext-tag': 'off' }, placements: ['q35-root'], since: '9.2' },
    { driver: g2, machineVersion: '5.2', placements: ['i440fx', 'q35-root'] },
  ],
  flips: [
    { name: 'identical megasas', placement: 'i440fx', driver: g1 },
    { name: 'megasas msi auto → off (MSI-X next pointer)', placement: 'i440fx', driver: g1, dst: { msi: 'off' } },
    { name: 'megasas msix auto → off (capability pointer)', placement: 'q35-root', driver: g1, dst: { msix: 'off' } },
    { name: 'megasas max_cmds 1000 → 64 (firmware state only)', placement: 'i440fx', driver: g1, dst: { max_cmds: '64' } },
    { name: 'identical megasas-gen2 behind a root port', placement: 'q35-port', driver: g2 },
    { name: 'megasas-gen2 msi off → auto', placement: 'q35-root', driver: g2, src: { msi: 'off' } },
    { name: 'megasas → megasas-gen2 at the same address (another section)', placement: 'i440fx', driver: g1, dstDriver: g2 },
  ],
};
