// Device × properties × placement cases compared with real QEMU: the probe
// suite reads each one's config space and writable bits, the migration
// suite flips one property (or guest value) between source and destination.

export type Placement = 'i440fx' | 'q35-root' | 'q35-port';

export interface DeviceCase {
  driver: string;
  properties?: Record<string, string>;
  smp?: number;
  /** Older machine type of the same family, e.g. "5.2" → pc-i440fx-5.2 / pc-q35-5.2. */
  machineVersion?: string;
  /** Where to place it (default: every placement). */
  placements?: Placement[];
  /** -global driver.property=value. */
  globals?: Record<string, string>;
  /** First release that has what the case uses. */
  since?: string;
  /** The VM's memoryBackends (ivshmem-plain's memdev). */
  memoryBackends?: Record<string, { type: string; size: number | string; share?: boolean }>;
}

export const PROBE_DEVICES: DeviceCase[] = [
  { driver: 'virtio-blk-pci' },
  { driver: 'virtio-blk-pci', properties: { discard: 'off', 'write-zeroes': 'off' } },
  { driver: 'virtio-blk-pci', smp: 4 },
  { driver: 'virtio-blk-pci', properties: { 'num-queues': '3', vectors: '0' } },
  { driver: 'virtio-blk-pci', properties: { 'disable-legacy': 'on' } },
  { driver: 'virtio-blk-pci', properties: { 'disable-modern': 'on' } },
  { driver: 'virtio-blk-pci', properties: { 'page-per-vq': 'on', 'modern-pio-notify': 'on' } },
  { driver: 'virtio-blk-pci', properties: { class: '0x0180' } },
  { driver: 'virtio-blk-pci-transitional' },
  { driver: 'virtio-blk-pci-non-transitional' },
  { driver: 'virtio-net-pci' },
  { driver: 'virtio-net-pci', properties: { mq: 'on', vectors: '10' } },
  { driver: 'virtio-net-pci', properties: { host_mtu: '9000' } },
  { driver: 'virtio-net-pci', properties: { speed: '10000', duplex: 'full' } },
  { driver: 'virtio-net-pci', properties: { status: 'off', romfile: '' } },
  { driver: 'virtio-net-pci', properties: { rss: 'on' } },
  { driver: 'virtio-scsi-pci' },
  { driver: 'virtio-scsi-pci', smp: 3 },
  { driver: 'virtio-balloon-pci' },
  { driver: 'virtio-balloon-pci', properties: { 'free-page-hint': 'on' } },
  { driver: 'virtio-balloon-pci', properties: { 'free-page-hint': 'on', iothread: 'io0' } },
  { driver: 'virtio-balloon-pci', properties: { 'free-page-hint': 'on', iothread: 'io0', 'page-poison': 'off' } },
  { driver: 'virtio-balloon-pci', properties: { 'page-poison': 'off' } },
  { driver: 'virtio-serial-pci' },
  { driver: 'virtio-serial-pci', properties: { 'emergency-write': 'off', max_ports: '4' } },
  { driver: 'virtio-rng-pci' },
  { driver: 'virtio-rng-pci', properties: { vectors: '0' } },
  { driver: 'virtio-blk-pci', machineVersion: '5.2' },
  { driver: 'virtio-net-pci', machineVersion: '5.2' },
  { driver: 'virtio-blk-pci', machineVersion: '3.1' },
  { driver: 'virtio-rng-pci', machineVersion: '7.1' },
  { driver: 'virtio-balloon-pci', machineVersion: '4.0' },
  { driver: 'virtio-blk-pci', machineVersion: '2.6' },
];

export const PLACEMENTS: Placement[] = ['i440fx', 'q35-root', 'q35-port'];

export function caseName(c: DeviceCase, p: Placement): string {
  const props = Object.entries(c.properties ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const globals = Object.entries(c.globals ?? {}).map(([k, v]) => ` -global ${k}=${v}`).join('');
  return `${c.driver}${props ? `,${props}` : ''}${c.smp ? ` smp=${c.smp}` : ''}${globals} on ${p}${c.machineVersion ? `-${c.machineVersion}` : ''}`;
}

/** A description with the case's device at 00:05.0, or behind a root port at 00:02.0. */
export function describe1(release: string, c: DeviceCase, p: Placement): object {
  const family = p === 'i440fx' ? 'pc-i440fx' : 'pc-q35';
  const devices: object[] = [];
  const dev: Record<string, unknown> = { id: 'dut', driver: c.driver, properties: c.properties ?? {} };
  if (p === 'q35-port') {
    devices.push({ id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } });
    dev.bus = 'rp1';
  } else {
    dev.addr = '0x5';
  }
  devices.push(dev);
  return {
    qemu: release, machine: `${family}-${c.machineVersion ?? release}`, smp: c.smp ?? 1, devices, ...(c.globals ? { globals: c.globals } : {}),
    ...(c.memoryBackends ? { memoryBackends: c.memoryBackends } : {}),
  };
}

/**
 * One modelled family's real-QEMU cases (test/real-qemu/<family>-cases.ts):
 * its -device types (whose help output must list exactly the family's
 * properties), probe cases and migration flips.
 */
export interface FamilyCases {
  family: string;
  drivers: string[];
  probes: DeviceCase[];
  flips: import('./flips.js').Flip[];
}
