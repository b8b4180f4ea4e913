// Bridges and ports compared with real QEMU: the bridge itself is the
// device under test ("dut" at 00:02.0), alone or with a device behind it,
// on the release's own q35 machine type or an older one.

export interface BridgeCase {
  driver: string;
  properties?: Record<string, string>;
  /** A device on the bridge's secondary bus (slot 0), present at start. */
  child?: { driver: string; properties?: Record<string, string>; addr?: string };
  /** Bridges created before the device under test (e.g. to clash with its chassis/slot). */
  before?: { driver: string; properties?: Record<string, string> }[];
  /** Older q35 machine type, e.g. "6.1" → pc-q35-6.1. */
  machineVersion?: string;
  globals?: Record<string, string>;
  /** First release that has what the case uses (a -global of a newer property). */
  since?: string;
}

const rp = 'pcie-root-port';
const blk = { driver: 'virtio-blk-pci' };

export const BRIDGE_CASES: BridgeCase[] = [
  { driver: rp, properties: { chassis: '1' } },
  { driver: rp, properties: { chassis: '1' }, child: blk },
  { driver: rp, properties: { chassis: '1' }, child: { driver: 'virtio-net-pci' } },
  { driver: rp, properties: { chassis: '1' }, child: { driver: 'virtio-blk-pci', properties: { 'disable-modern': 'on', 'disable-legacy': 'off' } } },
  { driver: rp, properties: { chassis: '1' }, child: { driver: 'virtio-blk-pci', addr: '0x0.3' } },
  { driver: rp, properties: { chassis: '2', slot: '5' } },
  { driver: rp, properties: { chassis: '1', slot: '0x1fff' }, child: blk },
  { driver: rp, properties: { chassis: '1', port: '0x10' } },
  { driver: rp, properties: { chassis: '1', 'x-speed': '8', 'x-width': '4' } },
  { driver: rp, properties: { chassis: '1', 'x-speed': '5', 'x-width': '16' }, child: blk },
  { driver: rp, properties: { chassis: '1', 'x-speed': '2_5', 'x-width': '1' } },
  { driver: rp, properties: { chassis: '1', 'x-speed': '2_5', 'x-width': '1' }, child: blk },
  { driver: rp, properties: { chassis: '1', 'x-speed': '2_5' }, child: { driver: 'virtio-blk-pci', properties: { 'x-pcie-lnksta-dllla': 'off' } } },
  { driver: rp, properties: { chassis: '1', 'x-speed': '32' } },
  { driver: rp, properties: { chassis: '1', 'x-speed': '64', 'x-width': '2' }, child: blk },
  { driver: rp, properties: { chassis: '1', 'x-width': '3' } },
  { driver: rp, properties: { chassis: '1', hotplug: 'off' } },
  { driver: rp, properties: { chassis: '1', hotplug: 'off' }, child: blk },
  { driver: rp, properties: { chassis: '1', power_controller_present: 'off' } },
  { driver: rp, properties: { chassis: '1', power_controller_present: 'off' }, child: blk },
  { driver: rp, properties: { chassis: '1', 'io-reserve': '0' } },
  { driver: rp, properties: { chassis: '1', 'bus-reserve': '3', 'mem-reserve': '2M', 'pref64-reserve': '0x40000000' } },
  { driver: rp, properties: { chassis: '1', 'pref32-reserve': '1M', 'pref64-reserve': '1M' } },
  { driver: rp, properties: { chassis: '1', 'mem-reserve': '8G' } },
  { driver: rp, properties: { chassis: '1', 'disable-acs': 'on' } },
  { driver: rp, properties: { chassis: '1', 'x-pci-express-writeable-slt-bug': 'on' } },
  { driver: rp, properties: { chassis: '1', multifunction: 'on' } },
  { driver: rp, properties: { chassis: '1', aer_log_max: '200' } },
  { driver: rp, properties: { chassis: '1', romfile: 'efi-virtio.rom' } },
  { driver: rp, properties: { chassis: '1', 'x-pcie-err-unc-mask': 'off', 'x-pcie-ext-tag': 'off' } },
  { driver: rp, properties: { chassis: '3', slot: '1' }, before: [{ driver: rp, properties: { chassis: '3', slot: '1' } }] },
  { driver: rp, properties: { chassis: '3', slot: '2' }, before: [{ driver: rp, properties: { chassis: '3', slot: '1' } }] },
  { driver: rp, before: [{ driver: rp }] },
  { driver: rp, properties: { chassis: '1' }, globals: { 'ICH9-LPC.acpi-pci-hotplug-with-bridge-support': 'off' }, machineVersion: '6.1' },
  { driver: rp, properties: { chassis: '1' }, globals: { 'ICH9-LPC.x-keep-pci-slot-hpc': 'false' }, since: '6.2' },
  { driver: rp, properties: { chassis: '1' }, child: blk, globals: { 'ICH9-LPC.acpi-pci-hotplug-with-bridge-support': 'off' }, since: '6.1' },
  ...['3.1', '4.2', '5.2', '6.0', '6.1', '6.2', '7.2', '8.0', '8.1', '9.1'].flatMap((m): BridgeCase[] => [
    { driver: rp, properties: { chassis: '1' }, machineVersion: m },
    { driver: rp, properties: { chassis: '1' }, child: blk, machineVersion: m },
  ]),
  { driver: rp, properties: { chassis: '1', hotplug: 'off' }, machineVersion: '6.1' },
  { driver: rp, properties: { chassis: '1', 'io-reserve': '0' }, machineVersion: '6.1' },
  { driver: rp, properties: { chassis: '1', 'x-speed': '16', 'x-width': '32', 'disable-acs': 'off' }, machineVersion: '3.1' },
];

export function bridgeCaseName(c: BridgeCase): string {
  const props = (p?: Record<string, string>) => Object.entries(p ?? {}).map(([k, v]) => `,${k}=${v}`).join('');
  const parts = [`${c.driver}${props(c.properties)}`];
  if (c.child) parts.push(`behind it ${c.child.driver}${c.child.addr ? `@${c.child.addr}` : ''}${props(c.child.properties)}`);
  if (c.before) parts.push(`after ${c.before.map((b) => `${b.driver}${props(b.properties)}`).join(' + ')}`);
  if (c.globals) parts.push(Object.entries(c.globals).map(([k, v]) => `-global ${k}=${v}`).join(' '));
  return `${parts.join(', ')} on pc-q35-${c.machineVersion ?? 'current'}`;
}

/** A description with the case's bridge at 00:02.0 ("dut"), earlier bridges at 00:03.0…, the child behind it. */
export function describeBridge(release: string, c: BridgeCase): object {
  const devices: object[] = [];
  (c.before ?? []).forEach((b, n) => devices.push({ id: `pre${n}`, driver: b.driver, addr: `0x${(3 + n).toString(16)}`, properties: b.properties ?? {} }));
  devices.push({ id: 'dut', driver: c.driver, addr: '0x2', properties: c.properties ?? {} });
  if (c.child) {
    devices.push({ id: 'child', driver: c.child.driver, bus: 'dut', ...(c.child.addr ? { addr: c.child.addr } : {}), properties: c.child.properties ?? {} });
  }
  return { qemu: release, machine: `pc-q35-${c.machineVersion ?? release}`, smp: 1, devices, ...(c.globals ? { globals: c.globals } : {}) };
}
