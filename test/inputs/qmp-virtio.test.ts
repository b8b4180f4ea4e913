// The live virtio state of a running source, from QMP x-query-virtio-status and
// x-query-virtio-queue-status. The fixtures are real replies from a booted Linux
// guest (test/fixtures/qmp-virtio/, captured by the guest harness on Debian's
// 7.2.22 and 10.0.13): the names decode to the bits QEMU's own tables give them.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFeatures, deviceIdOf, mergeVirtio, readVirtioFiles } from '../../src/inputs/qmp-virtio.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { InputError } from '../../src/inputs/errors.js';
import { checkMigration } from '../../src/check/migration.js';

const FIX = fileURLToPath(new URL('../fixtures/qmp-virtio/', import.meta.url));
const fixture = (name: string) => join(FIX, name);
const status = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8'));

describe('negotiated features decoded from real replies', () => {
  // virtio-net with a Linux driver, no vnet header on the peer: CTRL_GUEST_OFFLOADS(2) MAC(5)
  // MRG_RXBUF(15) STATUS(16) CTRL_VQ(17) CTRL_RX(18) CTRL_VLAN(19) GUEST_ANNOUNCE(21)
  // CTRL_MAC_ADDR(23) INDIRECT_DESC(28) EVENT_IDX(29) VERSION_1(32) RING_RESET(40).
  it('7.2 virtio-net: 0x10130af8024 (RING_RESET arrives as unknown-dev-features 2^40: 7.2 has no name for it)', () => {
    const s = status('7.2-virtio-net-status.json');
    expect(s['guest-features']['unknown-dev-features']).toBe(2 ** 40);
    expect(decodeFeatures(s, 'f', '').toString(16)).toBe('10130af8024');
  });
  it('10.0 virtio-net: the same bits, RING_RESET by name', () => {
    const s = status('10.0-virtio-net-status.json');
    expect(s['guest-features'].transports).toContain('VIRTIO_F_RING_RESET: Driver can reset a queue individually');
    expect(decodeFeatures(s, 'f', '').toString(16)).toBe('10130af8024');
  });
  it.each([
    ['7.2-virtio-blk-status.json', '10130006e54'], ['10.0-virtio-blk-status.json', '10130006e54'],
    ['7.2-virtio-balloon-status.json', '10120000002'], ['7.2-virtio-serial-status.json', '10130000002'],
    ['7.2-virtio-scsi-status.json', '10130000006'], ['7.2-virtio-rng-status.json', '10130000000'],
  ])('%s: 0x%s', (file, bits) => {
    expect(decodeFeatures(status(file), 'f', '').toString(16)).toBe(bits);
  });
  it('the host features of the same replies decode to what the model offers on "pc" (7.2 net 0x10179bf8064)', () => {
    const s = status('7.2-virtio-net-status.json');
    expect(decodeFeatures({ ...s, 'guest-features': s['host-features'] }, 'f', '').toString(16)).toBe('10179bf8064');
  });
  it('a name the table does not know is bad input, not dropped', () => {
    const s = status('7.2-virtio-net-status.json');
    s['guest-features']['dev-features'].push('VIRTIO_NET_F_BOGUS: made up');
    expect(() => decodeFeatures(s, 'f.json', 'net0')).toThrow(/unknown feature name "VIRTIO_NET_F_BOGUS" for virtio-net/);
  });
});

const vm = (qemu: string, machine: string) => parseVmJson({
  qemu, machine, devices: [
    { id: 'net0', driver: 'virtio-net-pci', addr: '0x3' },
    { id: 'disk0', driver: 'virtio-blk-pci', addr: '0x4' },
  ],
}, `${qemu}.json`);

describe('--src-virtio merged onto the source description', () => {
  it('ID=FILE, status and queue replies: guest.features and guest.virtqueues', () => {
    const live = readVirtioFiles([`net0=${fixture('10.0-virtio-net-status.json')}`, `net0=${fixture('10.0-virtio-net-queue0.json')}`]);
    const merged = mergeVirtio(vm('10.0.13', 'pc-i440fx-10.0'), live);
    const g = merged.devices[0].guest!;
    expect(g.features).toBe(0x10130af8024n);
    expect([...g.virtqueues!]).toEqual([[0, 1024]]);
    expect(merged.devices[1].guest).toBeUndefined();
  });
  it('a file keyed by QOM path, {"return": …} wrappers and all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-virtio-'));
    const file = join(dir, 'live.json');
    writeFileSync(file, JSON.stringify({
      '/machine/peripheral/disk0/virtio-backend': { status: { return: status('10.0-virtio-blk-status.json') }, queues: [{ return: status('10.0-virtio-blk-queue0.json') }] },
    }));
    const merged = mergeVirtio(vm('10.0.13', 'pc-i440fx-10.0'), readVirtioFiles([file]));
    expect(merged.devices[1].guest!.features).toBe(0x10130006e54n);
    expect(merged.devices[1].guest!.virtqueues!.get(0)).toBe(1024);
  });
  it('the live 1024-entry ring of a guest booted on 10.0.13 settles 10.0.13 → 11.1: the destination refuses it', () => {
    const src = mergeVirtio(vm('10.0.13', 'pc-i440fx-10.0'), readVirtioFiles([`disk0=${fixture('10.0-virtio-blk-queue0.json')}`]));
    const dst = { ...vm('11.1', 'pc-i440fx-10.0'), devices: vm('11.1', 'pc-i440fx-10.0').devices.slice(1) };
    const r = checkMigration({ ...src, devices: src.devices.slice(1) }, dst);
    expect(r.qemuOutput).toEqual([
      'VQ 0 vring.num 1024 exceeds allocated max 256',
      "load of migration failed: Invalid argument: error while loading state for instance 0x0 of device '0000:00:04.0/virtio-blk': Failed to load element of type virtio for virtio",
    ]);
  });
  it('the live features settle the feature question: 7.2 → 7.2 with mrg_rxbuf=off on the destination fails with QEMU\'s line', () => {
    const src = mergeVirtio(vm('7.2', 'pc'), readVirtioFiles([`net0=${fixture('7.2-virtio-net-status.json')}`]));
    // The harness's NIC sits on a hub port (no vnet header: no offloads), on both sides.
    const hub = { type: 'hubport' };
    const dst = parseVmJson({ qemu: '7.2', machine: 'pc', devices: [{ id: 'net0', driver: 'virtio-net-pci', addr: '0x3', backend: hub, properties: { mrg_rxbuf: 'off' } }, { id: 'disk0', driver: 'virtio-blk-pci', addr: '0x4' }] }, 'dst.json');
    src.devices[0].backend = { type: 'hubport' };
    expect(checkMigration(src, dst).firstError).toBe('Features 0x10130af8024 unsupported. Allowed features: 0x10179bf0064');
  });
  it('a device the description lacks, or a bare reply without an id, is bad input', () => {
    expect(() => mergeVirtio(vm('7.2', 'pc'), readVirtioFiles([`net9=${fixture('7.2-virtio-net-status.json')}`]))).toThrow(InputError);
    expect(() => readVirtioFiles([fixture('7.2-virtio-net-status.json')])).toThrow(/give it as ID=FILE/);
  });
  it('QOM paths name the device by its id', () => {
    expect(deviceIdOf('/machine/peripheral/net0/virtio-backend')).toBe('net0');
    expect(deviceIdOf('net0')).toBe('net0');
  });
});
