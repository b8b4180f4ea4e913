// Given a source and a destination whose root port differs in one thing,
// the destination QEMU does what we predict: it loads, or it fails with the
// first line we predicted, byte for byte.

import { describe, it } from 'vitest';
import { type VmDescription } from '../../src/inputs/vm.js';
import { inRange } from '../../src/profiles/versions.js';
import { CI, expectMigrationAgrees, parseCase, releasesUnderTest, sideOf, withFirmwareBars } from './harness.js';

interface BridgeFlip {
  name: string;
  src?: Record<string, string>;
  dst?: Record<string, string>;
  /** A device behind the port on the source (and on the destination unless dstChild is false). */
  child?: string;
  dstChild?: boolean;
  /** What the guest programmed in the port beyond its BARs and bus numbers. */
  guest?: { command?: string; registers?: Record<string, string> };
  machineVersion?: string;
  /** First release with what the flip uses. */
  since?: string;
}

const blk = 'virtio-blk-pci';

const FLIPS: BridgeFlip[] = [
  { name: 'identical root ports', src: { chassis: '1' } },
  { name: 'identical root ports with a device behind', src: { chassis: '1' }, child: blk },
  { name: 'chassis 1 → 2 (not in config space)', src: { chassis: '1' }, dst: { chassis: '2' } },
  { name: 'slot 1 → 2 (Physical Slot Number)', src: { chassis: '1', slot: '1' }, dst: { chassis: '1', slot: '2' } },
  { name: 'slot 1 → 2 with a device behind', src: { chassis: '1', slot: '1' }, dst: { chassis: '1', slot: '2' }, child: blk },
  { name: 'port 0 → 3 (Port Number)', src: { chassis: '1' }, dst: { chassis: '1', port: '3' } },
  { name: 'x-speed 16 → 8', src: { chassis: '1' }, dst: { chassis: '1', 'x-speed': '8' } },
  { name: 'x-speed 16 → 2_5, x-width 32 → 1 (a 3.1 machine type\'s values)', src: { chassis: '1' }, dst: { chassis: '1', 'x-speed': '2_5', 'x-width': '1' } },
  { name: 'x-width 32 → 16', src: { chassis: '1' }, dst: { chassis: '1', 'x-width': '16' } },
  { name: 'hotplug on → off', src: { chassis: '1' }, dst: { chassis: '1', hotplug: 'off' } },
  { name: 'hotplug on → off with a device behind', src: { chassis: '1' }, dst: { chassis: '1', hotplug: 'off' }, child: blk },
  { name: 'power_controller_present on → off', src: { chassis: '1' }, dst: { chassis: '1', power_controller_present: 'off' } },
  { name: 'disable-acs off → on (ACS capability gone)', src: { chassis: '1' }, dst: { chassis: '1', 'disable-acs': 'on' } },
  { name: 'bus-reserve set on the destination (capability appears)', src: { chassis: '1' }, dst: { chassis: '1', 'bus-reserve': '2' } },
  { name: 'io-reserve 0 on the destination, I/O window left closed', src: { chassis: '1' }, dst: { chassis: '1', 'io-reserve': '0' }, guest: { command: '0x0', registers: { '0x1c': '0xf0', '0x1d': '0x00' } } },
  { name: 'x-pcie-err-unc-mask on → off, mask left at its default', src: { chassis: '1' }, dst: { chassis: '1', 'x-pcie-err-unc-mask': 'off' }, guest: { registers: { '0x108': '0x02400000' } } },
  { name: 'x-pcie-ext-tag on → off', src: { chassis: '1' }, dst: { chassis: '1', 'x-pcie-ext-tag': 'off' } },
  { name: 'x-pci-express-writeable-slt-bug off → on', src: { chassis: '1' }, dst: { chassis: '1', 'x-pci-express-writeable-slt-bug': 'on' } },
  { name: 'device behind the port only on the source', src: { chassis: '1' }, child: blk, dstChild: false },
  { name: 'device behind the port only on the source, pc-q35-6.0 (no ACPI hot-plug: Presence Detect set)', src: { chassis: '1' }, child: blk, dstChild: false, machineVersion: '6.0' },
  { name: 'device behind the port only on the source, pc-q35-5.2', src: { chassis: '1' }, child: blk, dstChild: false, machineVersion: '5.2' },
  { name: 'identical on pc-q35-6.1 (native hot-plug hidden, I/O reserve capability)', src: { chassis: '1' }, child: blk, machineVersion: '6.1' },
  { name: 'slot 0 → 4 on pc-q35-3.1', src: { chassis: '1' }, dst: { chassis: '1', slot: '4' }, machineVersion: '3.1' },
  { name: 'x-speed 2_5 → 16 on pc-q35-3.1', src: { chassis: '1' }, dst: { chassis: '1', 'x-speed': '16' }, machineVersion: '3.1' },
];

function descriptions(release: string, f: BridgeFlip): { src: VmDescription; dst: VmDescription } {
  const side = (props: Record<string, string> | undefined, child: boolean) => ({
    qemu: release,
    machine: `pc-q35-${f.machineVersion ?? release}`,
    smp: 1,
    devices: [
      { id: 'dut', driver: 'pcie-root-port', addr: '0x2', properties: { ...(props ?? {}) } as Record<string, string> } as Record<string, unknown>,
      ...(child && f.child ? [{ id: 'child', driver: f.child, bus: 'dut', properties: {} } as Record<string, unknown>] : []),
    ],
  });
  const srcJson = side(f.src, true);
  const dstJson = side(f.dst ?? f.src, f.dstChild !== false);
  // Firmware-like BAR addresses for every device of the source, as its guest would have them.
  const dut = srcJson.devices[0];
  dut.guest = { ...(f.guest ?? {}) };
  withFirmwareBars(srcJson, `${f.name} (source)`);
  return { src: parseCase(srcJson, 'src.json'), dst: parseCase(dstJson, 'dst.json') };
}

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('root port migrations predicted exactly', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const f of FLIPS) {
        const { src } = descriptions(q.release, f);
        if (!sideOf(src) || (f.since && !inRange(q.release, f.since))) continue; // machine type not offered
        it(f.name, async () => {
          const { src, dst } = descriptions(q.release, f);
          await expectMigrationAgrees(q, src, dst);
        });
      }
    });
  }
});
