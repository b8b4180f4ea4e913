// PCI expander bridges (pxb on pc, pxb-pcie on q35) against real QEMU,
// beyond the expander function's own probes (pxb-cases.ts):
// - pxb's internal pci-bridge (chassis_nr = bus_nr, shpc off) at 00.0 of
//   bus bus_nr, read through that bus number (pci_find_bus_nr finds the
//   pxb's root bus among pci.0's children), byte for byte and writable bit
//   for writable bit against the model check/builtin-devices.ts builds;
// - real migrations: the expander function's config space is never sent (no vmsd), so
//   changing its own config bytes (multifunction) or the expander's
//   pxb-pcie or its bus_nr still loads — but its host bridge (pxb-host)
//   sends pci_host_bridge's "PCIHost" section, numbered after the machine's
//   host bridge, so a destination with fewer expanders lacks an instance
//   (machine types 5.1+); bus_nr renames every section behind it; a pxb
//   brings its internal bridge's section, compared like any; and a
//   destination that refuses the expander at start does so in the words
//   predicted.

import { afterAll, describe, expect, it } from 'vitest';
import { checkMigration } from '../../src/check/migration.js';
import { buildMigrated } from '../../src/check/builtin-devices.js';
import { buildDevice } from '../../src/check/build.js';
import { rootBusName } from '../../src/check/placement.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { withSession } from '../../src/qemu/session.js';
import { probeDevice } from '../../src/qemu/probe.js';
import { probeBlindBits } from '../../src/config-space/probe-blind.js';
import { inRange } from '../../src/profiles/versions.js';
import { byteDiffs, CI, expectOutcomeAgrees, parseCase, rehearseReal, releasesUnderTest, sideOf } from './harness.js';

type Dev = { id: string; driver: string; addr?: string; bus?: string; properties?: Record<string, string> };

const q35Tree = (busNr = '0x20', disk = true): Dev[] => [
  { id: 'pxb1', driver: 'pxb-pcie', addr: '0x5', properties: { bus_nr: busNr } },
  { id: 'rp1', driver: 'pcie-root-port', bus: 'pxb1', addr: '0x0', properties: { chassis: '5' } },
  ...(disk ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'rp1' }] : []),
];
const pcTree = (busNr = '0x30', diskAddr: string | null = '0x3'): Dev[] => [
  { id: 'pxb1', driver: 'pxb', addr: '0x6', properties: { bus_nr: busNr } },
  ...(diskAddr ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'pxb1', addr: diskAddr }] : []),
];
const bare = (driver: 'pxb' | 'pxb-pcie', properties: Record<string, string>, id = 'pxb1', addr = '0x6'): Dev => ({ id, driver, addr, properties });

interface PxbFlip {
  name: string; family: 'pc' | 'q35'; src: Dev[]; dst: Dev[];
  /** A section the prediction must name. */
  section?: string;
  /** -global of the destination only. */
  dstGlobals?: Record<string, string>;
  /** The destination refuses to start with this text (its -device line's error). */
  dstRefuses?: string;
  since?: string;
  /** Machine type version of both sides (default: the release's own). */
  machine?: string;
}

const FLIPS: PxbFlip[] = [
  { name: 'identical pxb-pcie trees', family: 'q35', src: q35Tree(), dst: q35Tree() },
  { name: 'identical pxb trees', family: 'pc', src: pcTree(), dst: pcTree() },
  { name: 'disk behind a root port on a pxb-pcie only on the source', family: 'q35', src: q35Tree(), dst: q35Tree('0x20', false), section: '0000:20:05.0:00.0:00.0/virtio-blk' },
  { name: 'disk behind a pxb only on the source', family: 'pc', src: pcTree(), dst: pcTree('0x30', null), section: '0000:30:06.0:00.0:03.0/virtio-blk' },
  { name: 'pxb-pcie bus_nr 0x20 → 0x21 (every section behind it renamed)', family: 'q35', src: q35Tree(), dst: q35Tree('0x21'), section: '0000:20:05.0:00.0/pcie-root-port' },
  { name: 'disk behind a pxb at slot 3 → 4', family: 'pc', src: pcTree(), dst: pcTree('0x30', '0x4'), section: '0000:30:06.0:00.0:03.0/virtio-blk' },
  // The expander function itself: nothing of it is in the stream.
  { name: 'bare pxb-pcie bus_nr 0x20 → 0x21 (PCIHost 1 on both: loads)', family: 'q35', src: [bare('pxb-pcie', { bus_nr: '0x20' })], dst: [bare('pxb-pcie', { bus_nr: '0x21' })] },
  { name: 'bare pxb-pcie multifunction off → on (header byte 0x0e differs, not sent)', family: 'q35', src: [bare('pxb-pcie', { bus_nr: '0x20' })], dst: [bare('pxb-pcie', { bus_nr: '0x20', multifunction: 'on' })] },
  { name: 'bare pxb-pcie only on the source (its host bridge\'s PCIHost 1 is unknown)', family: 'q35', src: [bare('pxb-pcie', { bus_nr: '0x20' })], dst: [], section: 'PCIHost 1' },
  { name: 'bare pxb-pcie bus_nr 0x20 → 0x21 on pc-q35-5.0 (no PCIHost sent: loads)', family: 'q35', machine: '5.0', src: [bare('pxb-pcie', { bus_nr: '0x20' })], dst: [bare('pxb-pcie', { bus_nr: '0x21' })] },
  {
    name: 'two pxb-pcie, the first only on the source (the second is PCIHost 1 there: PCIHost 2 is unknown)', family: 'q35',
    src: [bare('pxb-pcie', { bus_nr: '0x20' }), bare('pxb-pcie', { bus_nr: '0x40' }, 'pxb2', '0x7')], dst: [bare('pxb-pcie', { bus_nr: '0x40' }, 'pxb2', '0x7')], section: 'PCIHost 2',
  },
  { name: 'pxb-pcie only on the destination (loads)', family: 'q35', src: [], dst: [bare('pxb-pcie', { bus_nr: '0x20' })] },
  { name: 'bare pxb-pcie bypass_iommu off → on', family: 'q35', src: [bare('pxb-pcie', { bus_nr: '0x20' })], dst: [bare('pxb-pcie', { bus_nr: '0x20', bypass_iommu: 'on' })], since: '6.2' },
  { name: 'pxb multifunction off → on (its internal bridge unchanged: loads)', family: 'pc', src: [bare('pxb', { bus_nr: '0x30' })], dst: [bare('pxb', { bus_nr: '0x30', multifunction: 'on' })] },
  // The internal pci-bridge: a section of its own, named through the pxb.
  { name: 'bare pxb only on the source (its internal bridge\'s section is unknown)', family: 'pc', src: [bare('pxb', { bus_nr: '0x30' })], dst: [], section: '0000:30:06.0:00.0/pci_bridge' },
  { name: 'pxb bus_nr 0x30 → 0x31 with a disk behind (the bridge\'s section first)', family: 'pc', src: pcTree(), dst: pcTree('0x31'), section: '0000:30:06.0:00.0/pci_bridge' },
  { name: 'pxb with -global pci-bridge.io-reserve=4096 on the destination (its internal bridge gains a capability)', family: 'pc', src: pcTree(), dst: pcTree(), dstGlobals: { 'pci-bridge.io-reserve': '4096' } },
  { name: 'pxb at slot 6 → 7 (another section)', family: 'pc', src: [bare('pxb', { bus_nr: '0x30' })], dst: [bare('pxb', { bus_nr: '0x30' }, 'pxb1', '0x7')], section: '0000:30:06.0:00.0/pci_bridge' },
  // Destinations that do not start.
  {
    name: 'destination: a second pxb-pcie with the same bus_nr', family: 'q35', src: [bare('pxb-pcie', { bus_nr: '0x20' }), bare('pxb-pcie', { bus_nr: '0x21' }, 'pxb2', '0x7')],
    dst: [bare('pxb-pcie', { bus_nr: '0x20' }), bare('pxb-pcie', { bus_nr: '0x20' }, 'pxb2', '0x7')], dstRefuses: 'Bus 32 is already in use',
  },
  {
    name: 'destination: pxb-pcie bus_nr 0 after a root port on pcie.0', family: 'q35',
    src: [{ id: 'rp0', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } }, bare('pxb-pcie', { bus_nr: '0x20' })],
    dst: [{ id: 'rp0', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } }, bare('pxb-pcie', { bus_nr: '0' })], dstRefuses: 'Bus 0 is already in use',
  },
  { name: 'destination: pxb bus_nr 0 (its internal bridge\'s chassis 0)', family: 'pc', src: [bare('pxb', { bus_nr: '0x30' })], dst: [bare('pxb', {})], dstRefuses: 'Bridge chassis not specified. Each bridge is required to be assigned a unique chassis id > 0.' },
  { name: 'destination: pxb numa_node 65535', family: 'pc', src: [bare('pxb', { bus_nr: '0x30' })], dst: [bare('pxb', { bus_nr: '0x30', numa_node: '65535' })], dstRefuses: 'Illegal numa node 65535' },
];

/** Internal-bridge probes: a pxb at 00:06.0 and what reaches its bridge. */
interface BridgeProbe { name: string; busNr: number; pxb?: Record<string, string>; globals?: Record<string, string>; machine?: string; disk?: boolean }

const BRIDGE_PROBES: BridgeProbe[] = [
  { name: 'bus_nr 0x30', busNr: 0x30 },
  { name: 'bus_nr 1, a disk behind it', busNr: 1, disk: true },
  { name: 'bus_nr 0xfe on pc-i440fx-5.2', busNr: 0xfe, machine: '5.2' },
  { name: 'bus_nr 0x30, -global pci-bridge.io-reserve=4096 (reaches the internal bridge)', busNr: 0x30, globals: { 'pci-bridge.io-reserve': '4096' } },
  { name: 'bus_nr 0x30, -global pci-bridge.msi=on (no SHPC: still no MSI)', busNr: 0x30, globals: { 'pci-bridge.msi': 'on' } },
];

const qemus = releasesUnderTest();
/** release → [migrations, of which QEMU refused, bridge probes, bytes] */
const figures = new Map<string, [number, number, number, number]>();
const tally = (release: string, m: number, refused: number, probes: number, bytes: number) => {
  const [a, b, c, d] = figures.get(release) ?? [0, 0, 0, 0];
  figures.set(release, [a + m, b + refused, c + probes, d + bytes]);
};

describe.runIf(qemus.length > 0 || CI)('PCI expander bridges: internal bridge and migrations as predicted', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const p of BRIDGE_PROBES) {
        it(`pxb's internal pci-bridge: ${p.name}`, async () => {
          const vm = parseCase({
            qemu: q.release, machine: `pc-i440fx-${p.machine ?? q.release}`, globals: p.globals ?? {},
            devices: [{ id: 'pxb1', driver: 'pxb', addr: '0x6', properties: { bus_nr: String(p.busNr), ...p.pxb } },
              ...(p.disk ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'pxb1', addr: '0x3' }] : [])],
          }, 'pxb.json');
          const side = sideOf(vm)!;
          const built = buildMigrated(side, vm.devices[0]);
          if (built.kind !== 'built') throw new Error(`${built.kind}: ${built.reason}`);
          expect(built.section).toBe(`0000:${p.busNr.toString(16).padStart(2, '0')}:06.0:00.0/pci_bridge`);
          const real = await withSession({ binary: q.binary, spec: vmMachineSpec(vm, side.machine.name, rootBusName('i440fx')) },
            (s) => probeDevice(s, { bus: p.busNr, device: 0, fn: 0 }, 256));
          expect(byteDiffs(built.cs.config, real.config, 256)).toEqual([]);
          expect(byteDiffs(built.cs.wmask, real.wmask, 256, probeBlindBits(built.cs))).toEqual([]);
          tally(q.release, 0, 0, 1, 256);
        });
      }
      for (const f of FLIPS) {
        if (f.since && !inRange(q.release, f.since)) continue;
        it(f.name, async () => {
          const machine = `${f.family === 'q35' ? 'pc-q35' : 'pc-i440fx'}-${f.machine ?? q.release}`;
          const src = parseCase({ qemu: q.release, machine, devices: f.src }, 'src.json');
          if (!sideOf(src)) return; // this release no longer offers that machine type
          const dst = parseCase({ qemu: q.release, machine, devices: f.dst, globals: f.dstGlobals ?? {} }, 'dst.json');
          const predicted = checkMigration(src, dst);
          // Every expander is modelled now: nothing unknown.
          expect(predicted.devices.filter((d) => d.verdict.kind === 'unknown')).toEqual([]);
          if (f.section) expect(predicted.devices.map((d) => d.section)).toContain(f.section);
          // A pxb-pcie is carried by its host bridge's PCIHost instance (none on 5.0 and older machine types).
          const hosts = predicted.devices.filter((x) => x.driver === 'pxb-pcie').map((x) => x.section);
          expect(hosts).toEqual(f.src.filter((d) => d.driver === 'pxb-pcie').map((_, k) => (f.machine === '5.0' ? undefined : `PCIHost ${k + 1}`)));
          const real = await rehearseReal(q, src, dst);
          if (f.dstRefuses) {
            const side = sideOf(dst)!;
            const refused = dst.devices.map((d) => buildDevice(side, d)).find((b) => b.kind === 'refused');
            expect(refused).toMatchObject({ kind: 'refused', reason: f.dstRefuses });
            expect(predicted.verdict).toBe('incompatible');
            expect(predicted.firstError).toBe(`the destination QEMU refuses the device at start: ${f.dstRefuses}`);
            expect({ ok: real.ok, failedAt: real.failedAt }).toEqual({ ok: false, failedAt: 'destination' });
            expect(real.firstError?.endsWith(`: ${f.dstRefuses}`), real.firstError).toBe(true);
          } else {
            expectOutcomeAgrees(predicted, real);
          }
          tally(q.release, 1, real.ok ? 0 : 1, 0, 0);
        });
      }
    });
  }
  afterAll(() => {
    for (const [release, [n, refused, probes, bytes]] of figures) {
      console.log(`QEMU ${release}: pxb internal bridge ${probes} probes, ${bytes} bytes; ${n} migrations (${refused} refused), outcome and lines as predicted`);
    }
  });
});
