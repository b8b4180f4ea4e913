// ioh3420, x3130-upstream and xio3130-downstream read as the spec: the IDs,
// capability offsets, masks and slot state QEMU builds (all verified against
// the real binaries by test/real-qemu/device-probe.test.ts and topology.test.ts).
import { describe, expect, it } from 'vitest';
import { getLE, type ConfigSpace } from '../../src/config-space/config-space.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

type Dev = { id: string; driver: string; addr?: string; bus?: string; properties?: Record<string, string> };

function vmOf(devices: Dev[], release = '10.0', machine = release) {
  return parseVmJson({ qemu: release, machine: `pc-q35-${machine}`, devices }, 'vm.json');
}

function cs(devices: Dev[], id: string, release = '10.0', machine = release): ConfigSpace {
  const v = vmOf(devices, release, machine);
  const side = { vm: v, release: v.qemu, machine: resolveMachine(machineProfile(v.qemu)!, v.machine) };
  const b = buildDevice(side, v.devices.find((d) => d.id === id)!);
  if (b.kind !== 'built') throw new Error(`${id}: ${b.kind} ${b.reason}`);
  return b.cs;
}

const hex = (a: Uint8Array, at: number, n: number) => [...a.subarray(at, at + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

const switchDevs = (below = true): Dev[] => [
  { id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } },
  { id: 'up1', driver: 'x3130-upstream', bus: 'rp1' },
  { id: 'dn1', driver: 'xio3130-downstream', bus: 'up1', addr: '0x0', properties: { chassis: '2', slot: '0' } },
  { id: 'dn2', driver: 'xio3130-downstream', bus: 'up1', addr: '0x1', properties: { chassis: '2', slot: '1' } },
  ...(below ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'dn1' }] : []),
];

describe('ioh3420', () => {
  const ioh = (props: Record<string, string> = {}, release = '10.0', machine = release) =>
    cs([{ id: 'p', driver: 'ioh3420', addr: '0x3', properties: props }], 'p', release, machine);

  it('is Intel 8086:3420 revision 2, a type-1 header with interrupt pin A and no BARs', () => {
    const c = ioh();
    expect(hex(c.config, 0, 4)).toBe('86 80 20 34');
    expect(c.config[0x08]).toBe(0x02);
    expect(hex(c.config, 0x0a, 2)).toBe('04 06');
    expect(c.config[0x0e]).toBe(0x01);
    expect(c.config[0x3d]).toBe(0x01);
    expect(c.bars).toEqual([]);
  });

  it('adds SSVID 0x40 (8086:0000), MSI 0x60, PCI Express 0x90 (the list starts at the last added), then AER at 0x100 and no ACS', () => {
    const c = ioh();
    expect(c.config[0x34]).toBe(0x90);
    expect(c.config[0x91]).toBe(0x60);
    expect(hex(c.config, 0x40, 8)).toBe('0d 00 00 00 86 80 00 00');
    // MSI: 2 vectors (Multiple Message Capable 1), 32-bit, per-vector mask; enable and MME writable.
    expect(hex(c.config, 0x60, 4)).toBe('05 40 02 01');
    expect(hex(c.wmask, 0x62, 2)).toBe('71 00');
    expect(c.config[0x90]).toBe(0x10);
    expect(getLE(c.config, 0x100, 4) & 0xffff).toBe(0x0001);
    expect(getLE(c.config, 0x100, 4) >>> 20).toBe(0); // AER is the last extended capability: no ACS
  });

  it('has an x1 2.5 GT/s link whatever the machine type (no x-speed/x-width), and Slot Implemented', () => {
    const c = ioh();
    expect(getLE(c.config, 0x90 + 0x0c, 4) & 0x3ff).toBe(0x011);
    expect(getLE(c.config, 0x90 + 0x02, 2)).toBe(0x0142);
  });

  it('carries the Physical Slot Number and Port Number that migration compares', () => {
    const c = ioh({ slot: '5', port: '0x10' });
    expect(getLE(c.config, 0x90 + 0x14, 4) >>> 19).toBe(5);
    expect(c.config[0x90 + 0x0f]).toBe(0x10);
  });

  it('on 10.0 a slot change fails at Slot Capabilities (0xa6) in section ioh-3240-express-root-port', () => {
    const src = vmOf([{ id: 'p', driver: 'ioh3420', addr: '0x3', properties: { chassis: '1', slot: '1' } }]);
    const dst = vmOf([{ id: 'p', driver: 'ioh3420', addr: '0x3', properties: { chassis: '1', slot: '2' } }]);
    const r = checkMigration(src, dst);
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0xa6 read: a device: 12 cmask: ff wmask: 0 w1cmask:0');
    expect(r.devices[0].section).toBe('0000:00:03.0/ioh-3240-express-root-port');
  });
});

describe('the TI XIO3130 switch', () => {
  it('x3130-upstream is 104c:8232 revision 2, no interrupt pin, MSI 0x70 (64-bit) → SSVID 0x80 → PCIe upstream port 0x90 with FLR', () => {
    const c = cs(switchDevs(), 'up1');
    expect(hex(c.config, 0, 4)).toBe('4c 10 32 82');
    expect(c.config[0x08]).toBe(0x02);
    expect(c.config[0x3d]).toBe(0x00);
    expect(c.config[0x34]).toBe(0x90);
    expect(c.config[0x91]).toBe(0x80);
    expect(hex(c.config, 0x70, 4)).toBe('05 00 80 00');
    expect(hex(c.config, 0x80, 8)).toBe('0d 70 00 00 00 00 00 00');
    expect(getLE(c.config, 0x92, 2)).toBe(0x0052); // type 5 (upstream), version 2
    expect(getLE(c.config, 0x94, 4) & 0x10000000).toBe(0x10000000); // FLR capable
    expect(getLE(c.wmask, 0x98, 2) & 0x8000).toBe(0x8000); // Initiate FLR writable
  });

  it('x3130-upstream reset leaves its windows at 0 (pci_bridge_reset, no disable_base_limit)', () => {
    const c = cs(switchDevs(), 'up1');
    expect(hex(c.config, 0x1c, 2)).toBe('00 00');
    expect(hex(c.config, 0x20, 4)).toBe('00 00 00 00');
    expect(hex(c.config, 0x24, 4)).toBe('01 00 01 00');
  });

  it('xio3130-downstream is 104c:8233 revision 1; a PCIESlot with Link Capabilities width and speed 0', () => {
    const c = cs(switchDevs(), 'dn2');
    expect(hex(c.config, 0, 4)).toBe('4c 10 33 82');
    expect(c.config[0x08]).toBe(0x01);
    expect(getLE(c.config, 0x92, 2)).toBe(0x0162); // type 6 (downstream), slot implemented, version 2
    expect(getLE(c.config, 0x9c, 4) & 0x3ff).toBe(0);
    // Link Status floor x1 / 2.5 GT/s (pcie_sync_bridge_lnk) on 10.0; 5.2 reads 0.
    expect(getLE(c.config, 0xa2, 2) & 0x3ff).toBe(0x011);
    expect(getLE(cs(switchDevs(), 'dn2', '5.2').config, 0xa2, 2) & 0x3ff).toBe(0);
  });

  it('a device behind a downstream port sets Presence Detect (0x40 at 0xaa) only without ACPI hot-plug (pc-q35-5.2), and it is compared up to 8.0', () => {
    expect(cs(switchDevs(), 'dn1', '10.0').config[0xaa] & 0x40).toBe(0);
    expect(cs(switchDevs(), 'dn1', '10.0', '5.2').config[0xaa] & 0x40).toBe(0x40);
    expect(cs(switchDevs(), 'dn1', '7.2', '5.2').cmask[0xaa] & 0x40).toBe(0x40);
    expect(cs(switchDevs(), 'dn1', '10.0', '5.2').cmask[0xaa] & 0x40).toBe(0);
  });

  it('on 7.2 (pc-q35-5.2) a disk below the switch on the source only fails at the downstream port', () => {
    const r = checkMigration(vmOf(switchDevs(true), '7.2', '5.2'), vmOf(switchDevs(false), '7.2', '5.2'));
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0xaa read: 40 device: 0 cmask: ff wmask: 0 w1cmask:19');
    expect(r.qemuOutput).toContain("error while loading state for instance 0x0 of device '0000:00:02.0:00.0:00.0/xio3130-express-downstream-port'");
  });

  it('downstream ports sit at any slot of the upstream port\'s bus; other ports only at slot 0', () => {
    expect(cs(switchDevs(), 'dn2').size).toBe(4096);
    const bad = [...switchDevs(false), { id: 'x', driver: 'virtio-blk-pci', bus: 'dn1', addr: '0x1' }];
    expect(() => cs(bad, 'x')).toThrow(/single slot 0/);
  });
});
