// Whole PCI Express topologies against real QEMU: a TI switch (x3130-upstream
// with xio3130-downstream ports) behind a root port with devices below, and
// ioh3420 root ports with a device behind — every port probed byte for byte
// (config space and writable bits), and real migrations where the topology
// differs in one thing, predicted exactly.

import { afterAll, describe, it } from 'vitest';
import { type VmDescription } from '../../src/inputs/vm.js';
import { CI, expectMigrationAgrees, expectProbeAgrees, parseCase, releasesUnderTest, sideOf, withFirmwareBars } from './harness.js';

type Dev = { id: string; driver: string; addr?: string; bus?: string; properties?: Record<string, string> };

/** rp1 → up1 → dn1 (slot 0, a virtio-net — or another device — below) and dn2 (slot 1, empty). */
function switchTopology(below = 'virtio-net-pci'): Dev[] {
  return [
    { id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } },
    { id: 'up1', driver: 'x3130-upstream', bus: 'rp1' },
    { id: 'dn1', driver: 'xio3130-downstream', bus: 'up1', addr: '0x0', properties: { chassis: '2', slot: '0' } },
    { id: 'dn2', driver: 'xio3130-downstream', bus: 'up1', addr: '0x1', properties: { chassis: '2', slot: '1' } },
    { id: 'net', driver: below, bus: 'dn1' },
  ];
}

/** An ioh3420 at 00:03.0 with a virtio-blk behind it, and an empty one at 00:04.0. */
function iohTopology(): Dev[] {
  return [
    { id: 'ioh1', driver: 'ioh3420', addr: '0x3', properties: { chassis: '3', slot: '1' } },
    { id: 'disk', driver: 'virtio-blk-pci', bus: 'ioh1' },
    { id: 'ioh2', driver: 'ioh3420', addr: '0x4', properties: { chassis: '3', slot: '2' } },
  ];
}

interface TopologyCase { name: string; devices: Dev[]; probe: string[]; machineVersion?: string }

const PROBES: TopologyCase[] = [
  { name: 'switch with a NIC below', devices: switchTopology(), probe: ['rp1', 'up1', 'dn1', 'dn2', 'net'] },
  { name: 'switch with a NIC below, pc-q35-6.0 (no ACPI hot-plug)', devices: switchTopology(), probe: ['up1', 'dn1', 'dn2'], machineVersion: '6.0' },
  { name: 'switch with a NIC below, pc-q35-5.2', devices: switchTopology(), probe: ['up1', 'dn1', 'dn2'], machineVersion: '5.2' },
  { name: 'ioh3420 with a disk behind', devices: iohTopology(), probe: ['ioh1', 'disk', 'ioh2'] },
  { name: 'ioh3420 with a disk behind, pc-q35-5.2', devices: iohTopology(), probe: ['ioh1', 'ioh2'], machineVersion: '5.2' },
];

interface TopologyFlip {
  name: string;
  src: Dev[];
  dst: Dev[];
  machineVersion?: string;
}

const without = (devs: Dev[], id: string) => devs.filter((d) => d.id !== id);
const edit = (devs: Dev[], id: string, change: Partial<Dev>) => devs.map((d) => (d.id === id ? { ...d, ...change } : d));

const FLIPS: TopologyFlip[] = [
  { name: 'identical switches', src: switchTopology(), dst: switchTopology() },
  { name: 'identical switches, pc-q35-5.2', src: switchTopology(), dst: switchTopology(), machineVersion: '5.2' },
  { name: 'NIC below the switch only on the source', src: switchTopology(), dst: without(switchTopology(), 'net') },
  { name: 'NIC below the switch only on the source, pc-q35-5.2 (Presence Detect compared up to 8.0)', src: switchTopology(), dst: without(switchTopology(), 'net'), machineVersion: '5.2' },
  // virtio-blk has no option ROM, so the first failure is the port itself, not the NIC's "Unknown ramblock".
  { name: 'disk below the switch only on the source, pc-q35-5.2', src: switchTopology('virtio-blk-pci'), dst: without(switchTopology('virtio-blk-pci'), 'net'), machineVersion: '5.2' },
  { name: 'disk below the switch only on the source', src: switchTopology('virtio-blk-pci'), dst: without(switchTopology('virtio-blk-pci'), 'net') },
  { name: 'second downstream port at slot 2 on the destination', src: switchTopology(), dst: edit(switchTopology(), 'dn2', { addr: '0x2' }) },
  { name: 'downstream port slot 0 → 7 (Physical Slot Number)', src: switchTopology(), dst: edit(switchTopology(), 'dn1', { properties: { chassis: '2', slot: '7' } }) },
  { name: 'upstream port number 0 → 1', src: switchTopology(), dst: edit(switchTopology(), 'up1', { properties: { port: '1' } }) },
  { name: 'identical ioh3420 ports', src: iohTopology(), dst: iohTopology() },
  { name: 'ioh3420 disk only on the source, pc-q35-5.2', src: iohTopology(), dst: without(iohTopology(), 'disk'), machineVersion: '5.2' },
  { name: 'ioh3420 → pcie-root-port with the disk behind', src: iohTopology(), dst: edit(iohTopology(), 'ioh1', { driver: 'pcie-root-port' }) },
];

function description(release: string, devices: Dev[], machineVersion: string | undefined, name: string): object {
  return { qemu: release, machine: `pc-q35-${machineVersion ?? release}`, smp: 1, devices: structuredClone(devices) };
}

function flipDescriptions(release: string, f: TopologyFlip): { src: VmDescription; dst: VmDescription } {
  const srcJson = description(release, f.src, f.machineVersion, f.name) as { devices: Record<string, unknown>[] };
  withFirmwareBars(srcJson, `${f.name} (source)`);
  const dstJson = description(release, f.dst, f.machineVersion, f.name);
  return { src: parseCase(srcJson, 'src.json'), dst: parseCase(dstJson, 'dst.json') };
}

const qemus = releasesUnderTest();
const figures = new Map<string, { probes: number; bytes: number; migrations: number; refused: number }>();
const tally = (release: string) => {
  const f = figures.get(release) ?? { probes: 0, bytes: 0, migrations: 0, refused: 0 };
  figures.set(release, f);
  return f;
};

describe.runIf(qemus.length > 0 || CI)('PCI Express topologies: switches and ioh3420 equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const c of PROBES) {
        const side = sideOf(parseCase(description(q.release, c.devices, c.machineVersion, c.name), `${c.name}.json`));
        if (!side) continue; // machine type not offered by this release
        for (const id of c.probe) {
          it(`${c.name}: ${id}`, async () => {
            const t = tally(q.release);
            t.probes++;
            t.bytes += await expectProbeAgrees(q, side, id);
          });
        }
      }
      for (const f of FLIPS) {
        const { src, dst } = flipDescriptions(q.release, f);
        if (!sideOf(src) || !sideOf(dst)) continue;
        it(`migration: ${f.name}`, async () => {
          const real = await expectMigrationAgrees(q, src, dst);
          const t = tally(q.release);
          t.migrations++;
          if (!real.ok) t.refused++;
        });
      }
    });
  }
  afterAll(() => {
    for (const [release, t] of figures) {
      console.log(`QEMU ${release}: topology ${t.probes} port/device probes, ${t.bytes} bytes; ${t.migrations} migrations (${t.refused} refused)`);
    }
  });
});
