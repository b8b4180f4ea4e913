// vhost-user-blk-pci, modelled from QEMU's source (not probed: no vhost-user
// back-end here). The back-end fills the device config, but its size is
// QEMU's and sizes the legacy I/O BAR, as for virtio-blk-pci.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function vm(properties: Record<string, string>, release = '10.0', smp = 1) {
  return parseVmJson({ qemu: release, machine: `pc-i440fx-${release}`, smp, devices: [{ id: 'vub', driver: 'vhost-user-blk-pci', addr: '0x5', properties: { chardev: 'vub0', ...properties } }] }, 'vub.json');
}
function built(properties: Record<string, string>, release = '10.0', smp = 1) {
  const v = vm(properties, release, smp);
  const b = buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}

describe('vhost-user-blk-pci (from source)', () => {
  it('on 10.0, discard and write-zeroes on: config 57 bytes, BAR0 24+57 → 128 (wmask 80 ff)', () => {
    expect(hex(built({}).cs.wmask, 0x10, 2)).toBe('80 ff');
  });
  it('on 10.0, both off: config 36 bytes, BAR0 24+36 → 64 (wmask c0 ff)', () => {
    expect(hex(built({ discard: 'off', 'write-zeroes': 'off' }).cs.wmask, 0x10, 2)).toBe('c0 ff');
  });
  it('on 5.2 the config is the whole struct virtio_blk_config (60 bytes): BAR0 128', () => {
    expect(hex(built({}, '5.2').cs.wmask, 0x10, 2)).toBe('80 ff');
  });
  it('num-queues auto with 4 vCPUs: 4 queues, 5 vectors (MSI-X Message Control 0x0004)', () => {
    const b = built({}, '10.0', 4);
    const msix = b.cs.capabilities.find((c) => c.id === 0x11)!.offset;
    expect(hex(b.cs.config, msix + 2, 2)).toBe('04 00');
  });
  it('class 0x0180 replaces the class word as given: 00 80 01', () => {
    expect(hex(built({ class: '0x0180' }).cs.config, 0x09, 3)).toBe('00 80 01');
  });
  it('whether the back-end migrates is not in the description: unknown, never compatible', () => {
    expect(checkMigration(vm({}), vm({})).verdict).toBe('unknown');
  });
  it('a config-space difference still shows, as for virtio-blk (seed 002): discard/write-zeroes off → on, BAR0 at 0xffc0', () => {
    const src = parseVmJson({ qemu: '10.0', machine: 'pc-i440fx-10.0', devices: [{ id: 'vub', driver: 'vhost-user-blk-pci', addr: '0x5', properties: { chardev: 'vub0', discard: 'off', 'write-zeroes': 'off' }, guest: { bars: { 0: '0xffc0' } } }] }, 's.json');
    const r = checkMigration(src, vm({}));
    expect(r.verdict).toBe('incompatible');
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0');
  });
});
