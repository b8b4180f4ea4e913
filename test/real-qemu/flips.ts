// Source/destination pairs that differ in one property, one guest value or
// one piece of topology. Each is migrated for real (source stopped, guest
// registers programmed through qtest, stream to a file, loaded by the
// destination) and must match the prediction: same outcome, same first line.

import { describe1, type DeviceCase, type Placement } from './cases.js';
import { machineProfile } from '../../src/profiles/data.js';
import { type VmDescription } from '../../src/inputs/vm.js';
import { parseCase, withFirmwareBars } from './harness.js';

export interface Flip {
  name: string;
  placement: Placement;
  driver: string;
  src?: Record<string, string>;
  dst?: Record<string, string>;
  /** Guest BAR addresses (index → address); other BARs get firmware-like aligned addresses. */
  bars?: Record<string, string>;
  registers?: Record<string, string>;
  /** Machine type versions when they differ from the release ("7.1"). */
  srcMachine?: string;
  dstMachine?: string;
  /** Destination lacks the device / has it at another slot. */
  dstAbsent?: boolean;
  dstAddr?: string;
  dstDriver?: string;
  /** -global settings of both sides, and of the destination only. */
  globals?: Record<string, string>;
  dstGlobals?: Record<string, string>;
  /** First release that has what the flip uses. */
  since?: string;
  /** memoryBackends of both sides, and of the destination only. */
  memoryBackends?: DeviceCase['memoryBackends'];
  dstMemoryBackends?: DeviceCase['memoryBackends'];
}

const blk = 'virtio-blk-pci';
const net = 'virtio-net-pci';
const OFF = { discard: 'off', 'write-zeroes': 'off' };

export const FLIPS: Flip[] = [
  { name: 'seed: discard/write-zeroes off → on, BAR0 at 0xffc0 (hotplugged)', placement: 'i440fx', driver: blk, src: OFF, bars: { 0: '0xffc0' } },
  { name: 'seed: discard/write-zeroes off → on, BAR0 at 0xd080 (cold boot)', placement: 'i440fx', driver: blk, src: OFF, bars: { 0: '0xd080' } },
  { name: 'discard/write-zeroes on → off (BAR0 shrinks), 0xff80', placement: 'i440fx', driver: blk, dst: OFF, bars: { 0: '0xff80' } },
  { name: 'write-zeroes off → on with discard off, 0xffc0', placement: 'i440fx', driver: blk, src: OFF, dst: { discard: 'off' }, bars: { 0: '0xffc0' } },
  { name: 'num-queues 1 → 2 (vectors 2 → 3)', placement: 'i440fx', driver: blk, src: { 'num-queues': '1' }, dst: { 'num-queues': '2' } },
  { name: 'vectors 2 → 3', placement: 'q35-root', driver: blk, src: { vectors: '2' }, dst: { vectors: '3' } },
  { name: 'vectors 2 → 0 (MSI-X gone)', placement: 'i440fx', driver: blk, src: { vectors: '2' }, dst: { vectors: '0' } },
  { name: 'vectors 0 → 2 (MSI-X appears)', placement: 'i440fx', driver: blk, src: { vectors: '0' }, dst: { vectors: '2' } },
  { name: 'disable-legacy off → on (device ID)', placement: 'i440fx', driver: blk, dst: { 'disable-legacy': 'on' } },
  { name: 'disable-modern off → on', placement: 'i440fx', driver: blk, dst: { 'disable-modern': 'on' } },
  { name: 'page-per-vq off → on, BAR4 16 KiB-aligned only', placement: 'i440fx', driver: blk, dst: { 'page-per-vq': 'on' }, bars: { 4: '0xfe004000' } },
  { name: 'page-per-vq off → on, BAR4 8 MiB-aligned', placement: 'i440fx', driver: blk, dst: { 'page-per-vq': 'on' }, bars: { 4: '0xfe800000' } },
  { name: 'modern-pio-notify off → on', placement: 'i440fx', driver: blk, dst: { 'modern-pio-notify': 'on' } },
  { name: 'class 0x0100 → 0x0180', placement: 'i440fx', driver: blk, dst: { class: '0x0180' } },
  { name: 'multifunction off → on', placement: 'i440fx', driver: blk, dst: { multifunction: 'on' } },
  { name: 'mq off → on, BAR0 at 0xffe0', placement: 'i440fx', driver: net, dst: { mq: 'on' }, bars: { 0: '0xffe0' } },
  { name: 'mq off → on, BAR0 at 0xc040', placement: 'i440fx', driver: net, dst: { mq: 'on' }, bars: { 0: '0xc040' } },
  { name: 'host_mtu 0 → 9000, BAR0 at 0xffe0', placement: 'q35-root', driver: net, dst: { host_mtu: '9000' }, bars: { 0: '0xffe0' } },
  { name: 'rss off → on, BAR0 at 0xffe0', placement: 'i440fx', driver: net, dst: { rss: 'on' }, bars: { 0: '0xffe0' } },
  { name: 'status on → off (config 8 → 6, BAR0 stays 32)', placement: 'i440fx', driver: net, dst: { status: 'off' }, bars: { 0: '0xffe0' } },
  { name: 'net vectors 4 → 3', placement: 'i440fx', driver: net, dst: { vectors: '3' } },
  { name: 'mq off → on behind a root port (modern-only: no legacy BAR)', placement: 'q35-port', driver: net, dst: { mq: 'on' } },
  { name: 'scsi num_queues 1 → 2', placement: 'i440fx', driver: 'virtio-scsi-pci', src: { num_queues: '1' }, dst: { num_queues: '2' } },
  { name: 'balloon page-poison on → off (BAR0 shrinks)', placement: 'i440fx', driver: 'virtio-balloon-pci', dst: { 'page-poison': 'off' }, bars: { 0: '0xffc0' } },
  { name: 'balloon page-poison off → on, BAR0 at 0xffe0', placement: 'i440fx', driver: 'virtio-balloon-pci', src: { 'page-poison': 'off' }, bars: { 0: '0xffe0' } },
  { name: 'serial emergency-write off → on, BAR0 at 0xffe0', placement: 'i440fx', driver: 'virtio-serial-pci', src: { 'emergency-write': 'off' }, bars: { 0: '0xffe0' } },
  { name: 'rng vectors 2 → 0', placement: 'i440fx', driver: 'virtio-rng-pci', src: { vectors: '2' }, dst: { vectors: '0' } },
  { name: 'vectors 2 → 4 behind a root port (4 KiB config)', placement: 'q35-port', driver: blk, src: { vectors: '2' }, dst: { vectors: '4' } },
  { name: 'disable-legacy auto → off behind a root port', placement: 'q35-port', driver: blk, dst: { 'disable-legacy': 'off' } },
  { name: 'x-pcie-flr-init on → off behind a root port', placement: 'q35-port', driver: blk, dst: { 'x-pcie-flr-init': 'off' } },
  { name: 'x-pcie-lnkctl-init on → off, guest wrote LNKCTL 0x0040', placement: 'q35-port', driver: blk, dst: { 'x-pcie-lnkctl-init': 'off' }, registers: { '0x50': '0x0040' } },
  { name: 'x-pcie-lnkctl-init on → off, LNKCTL left 0', placement: 'q35-port', driver: blk, dst: { 'x-pcie-lnkctl-init': 'off' }, registers: { '0x50': '0x0000' } },
  { name: 'virtio-net romfile removed on the destination', placement: 'i440fx', driver: net, dst: { romfile: '' } },
  { name: 'virtio-net ROM 256 KiB → 512 KiB', placement: 'i440fx', driver: net, dst: { romsize: '0x80000' } },
  { name: 'device only on the source', placement: 'i440fx', driver: blk, dstAbsent: true },
  { name: 'device at another slot on the destination', placement: 'i440fx', driver: blk, dstAddr: '0x6' },
  { name: 'transitional → non-transitional type', placement: 'i440fx', driver: 'virtio-blk-pci-transitional', dstDriver: 'virtio-blk-pci-non-transitional' },
  { name: 'machine type one version older on the destination', placement: 'i440fx', driver: blk, dstMachine: 'previous' },
  { name: 'identical devices', placement: 'q35-port', driver: net },
];

/** The newest older machine type of the family (pc-i440fx-7.1 for 7.2). */
export function previousMachine(release: string, family: string): string {
  const names = Object.keys(machineProfile(release)!.machineTypes).filter((n) => n.startsWith(family));
  const own = `${family}-${release}`;
  const older = names.filter((n) => n !== own && !/\.\d+\.\d+$/.test(n));
  const v = (n: string) => n.slice(family.length + 1).split('.').map(Number);
  older.sort((a, b) => v(b)[0] - v(a)[0] || v(b)[1] - v(a)[1]);
  return older[0];
}

/** The flip as two descriptions: the device under test ("dut") differs as the flip says; its guest BARs are firmware-like. */
export function flipDescriptions(release: string, f: Flip): { src: VmDescription; dst: VmDescription } {
  const base = describe1(release, { driver: f.driver, machineVersion: f.srcMachine, memoryBackends: f.memoryBackends }, f.placement) as
    { machine: string; devices: Record<string, unknown>[]; globals?: Record<string, string>; memoryBackends?: DeviceCase['memoryBackends'] };
  const family = f.placement === 'i440fx' ? 'pc-i440fx' : 'pc-q35';
  if (f.globals) base.globals = f.globals;
  const srcJson = structuredClone(base);
  const dstJson = structuredClone(base);
  const srcDev = srcJson.devices.at(-1)!;
  const dstDev = dstJson.devices.at(-1)!;
  srcDev.properties = { ...(f.src ?? {}) };
  dstDev.properties = { ...(f.dst ?? {}) };
  if (f.dstDriver) dstDev.driver = f.dstDriver;
  if (f.dstAddr) dstDev.addr = f.dstAddr;
  if (f.dstAbsent) dstJson.devices.pop();
  if (f.dstMachine === 'previous') dstJson.machine = previousMachine(release, family);
  else if (f.dstMachine) dstJson.machine = `${family}-${f.dstMachine}`;
  if (f.dstMemoryBackends) dstJson.memoryBackends = f.dstMemoryBackends;
  if (f.dstGlobals) dstJson.globals = { ...(f.globals ?? {}), ...f.dstGlobals };
  withFirmwareBars(srcJson, `${f.name} (source)`);
  // Only the device under test is programmed; the others keep their reset values.
  for (const d of srcJson.devices) if (d !== srcDev) delete d.guest;
  const bars = (srcDev.guest as { bars?: Record<string, string> } | undefined)?.bars;
  // A stopped VM: no guest ran, so no virtio feature was negotiated.
  srcDev.guest = { bars: { ...bars, ...(f.bars ?? {}) }, ...(f.registers ? { registers: f.registers } : {}), features: '0x0' };
  return { src: parseCase(srcJson, 'src.json'), dst: parseCase(dstJson, 'dst.json') };
}
