// e1000e (Intel 82574L) against real QEMU.
import { type FamilyCases, type Placement } from './cases.js';

const e = 'e1000e';
const all: Placement[] = ['i440fx', 'q35-root', 'q35-port'];

export const E1000E_CASES: FamilyCases = {
  family: 'e1000e',
  drivers: [e],
  probes: [
    { driver: e, placements: all },
    { driver: e, properties: { netdev: 'n0', mac: '52:54:00:aa:bb:cc' }, placements: all },
    { driver: e, properties: { romfile: '' }, placements: ['q35-root'] },
    { driver: e, properties: { rombar: '0', multifunction: 'on' }, placements: ['i440fx'] },
    { driver: e, properties: { subsys_ven: '0x1af4', subsys: '0x1100' }, placements: ['q35-port'] },
    { driver: e, properties: { 'x-pcie-lnksta-dllla': 'off' }, placements: ['q35-port'] },
    { driver: e, properties: { 'x-pcie-ext-tag': 'on', 'x-pcie-err-unc-mask': 'off' }, placements: ['q35-port'], since: '8.1' },
    { driver: e, properties: { 'init-vet': 'off' }, placements: ['q35-root'], since: '6.1' },
    { driver: e, properties: { 'migrate-timadj': 'off' }, placements: ['q35-root'], since: '8.0' },
    { driver: e, machineVersion: '5.2', placements: ['i440fx', 'q35-root'] },
  ],
  flips: [
    { name: 'e1000e ROM removed on the destination (romfile=)', placement: 'q35-root', driver: e, dst: { romfile: '' } },
    { name: 'e1000e MAC address differs (Device Serial Number)', placement: 'q35-port', driver: e, src: { mac: '52:54:00:aa:bb:cc' }, dst: { mac: '52:54:00:aa:bb:cd' } },
    { name: 'e1000e migrate-timadj on → off (migrated state)', placement: 'q35-root', driver: e, dst: { 'migrate-timadj': 'off' }, since: '8.0' },
    { name: 'e1000e subsys differs (the post-load check refuses it)', placement: 'q35-root', driver: e, dst: { subsys: '0x1234' } },
    { name: 'identical e1000e', placement: 'i440fx', driver: e },
  ],
};
