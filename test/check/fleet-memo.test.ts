// The fleet's shortcuts change nothing: reading a line by parts (inputs/fleet-line.ts) and
// remembering device pairs between VMs (check/fleet-memo.ts) give, VM after VM, the report
// a single check gives, over a fleet built to hit every rule the memo keys on.
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/bench/fleet-gen.js';
import { generateFleet } from '../../src/bench/fleet-gen.js';
import { FleetLineReader, scanLine } from '../../src/inputs/fleet-line.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';
import { FleetMemo } from '../../src/check/fleet-memo.js';
import { retarget, type Retarget } from '../../src/check/retarget.js';
import { type MigrationReport } from '../../src/check/verdict.js';
import { causeOf, FleetChecker, type FleetResult } from '../../src/cli/fleet.js';

/** A VM meant to trip the memo: repeated chassis, shared memdevs, expanders, MACs that e1000e puts in config space … */
function trickyVm(r: () => number, n: number): object {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const qemu = pick(['5.2', '7.2', '10.0.13', '11.1']);
  const q35 = r() < 0.7;
  const machine = q35 ? pick(['q35', 'pc-q35-5.2', 'pc-q35-7.2']) : pick(['pc', 'pc-i440fx-5.2', 'pc-i440fx-7.2']);
  const mac = () => `52:54:00:${[0, 0, 0].map(() => Math.floor(r() * 256).toString(16).padStart(2, '0')).join(':')}`;
  const endpoints: object[] = [];
  const count = 1 + Math.floor(r() * 6);
  for (let i = 0; i < count; i++) {
    endpoints.push(pick([
      { driver: 'virtio-blk-pci', properties: { drive: `d${i}`, ...(r() < 0.3 ? { 'num-queues': pick(['2', '4']) } : {}) } },
      { driver: 'virtio-net-pci', properties: { netdev: `n${i}`, mac: mac(), ...(r() < 0.3 ? { mq: 'on', vectors: '6' } : {}) }, netdevQueues: r() < 0.3 ? 2 : 1 },
      { driver: 'e1000e', properties: { netdev: `n${i}`, mac: mac() } },
      { driver: 'vmxnet3', properties: { netdev: `n${i}`, mac: mac() } },
      { driver: 'virtio-scsi-pci', properties: {} },
      { driver: 'virtio-balloon-pci', properties: r() < 0.3 ? { 'free-page-reporting': 'on' } : {} },
      { driver: 'virtio-serial-pci', properties: {} },
      { driver: 'qemu-xhci', properties: {} },
      { driver: 'ivshmem-plain', properties: { memdev: pick(['m0', 'm1']) } },
      { driver: 'no-such-device-pci', properties: {} },
      { driver: 'virtio-rng-pci', properties: r() < 0.1 ? { 'max-bytes': 'lots' } : {} },
      // Migration blockers of each kind (check/blockers.ts, guest-blockers.ts, host-devices.ts).
      { driver: 'nvme', properties: { serial: `cc${i}`, ...(r() < 0.5 ? { drive: `nvme${i}` } : {}) } },
      { driver: 'virtio-9p-pci', properties: { fsdev: `fs${i}`, mount_tag: 'share' }, ...(r() < 0.5 ? { guest: { mounted: r() < 0.5 } } : {}) },
      { driver: 'vfio-pci', properties: { host: `0000:65:00.${i & 7}`, ...(r() < 0.5 ? { 'x-enable-migration': 'on' } : {}) } },
    ]));
  }
  const devices: object[] = [];
  endpoints.forEach((e, i) => {
    const guest = r() < 0.5 ? { guest: { bars: { '1': `0xfe${(i + 0x10).toString(16)}0000`, '4': `0x${(0x800000000 + i * 0x100000).toString(16)}` } } } : {};
    if (q35 && r() < 0.8) {
      // Now and then two ports with the same chassis (the second is refused), or two devices behind one port.
      const chassis = r() < 0.25 ? '3' : String(i + 1);
      devices.push({ id: `p${i}`, driver: 'pcie-root-port', addr: `0x${(2 + i).toString(16)}`, properties: { chassis, ...(r() < 0.2 ? { slot: '1' } : {}) } });
      devices.push({ id: `e${i}`, bus: `p${i}`, ...e, ...guest });
      if (r() < 0.05) devices.push({ id: `x${i}`, bus: `p${i}`, driver: 'virtio-rng-pci', properties: {} });
    } else if (q35 && r() < 0.1) {
      devices.push({ id: `b${i}`, driver: 'pxb-pcie', addr: `0x${(2 + i).toString(16)}`, properties: { bus_nr: String(0x20 + i) } });
      devices.push({ id: `p${i}`, bus: `b${i}`, driver: 'pcie-root-port', addr: '0x0', properties: { chassis: String(40 + i) } });
      devices.push({ id: `e${i}`, bus: `p${i}`, ...e, ...guest });
    } else {
      devices.push({ id: `e${i}`, addr: `0x${(2 + i).toString(16)}`, ...e, ...guest });
    }
  });
  return {
    name: `vm-${n}`, qemu, machine, smp: pick([1, 2, 4, 8]),
    ...(r() < 0.4 ? { bootedOn: qemu } : {}),
    ...(r() < 0.2 ? { globals: { 'virtio-net-pci.rx_queue_size': '512' } } : {}),
    ...(q35 && r() < 0.1 ? { machineOptions: { sata: 'off' } } : {}),
    memoryBackends: { m0: { type: 'memory-backend-ram', size: '4M' }, m1: { type: 'memory-backend-file', size: r() < 0.5 ? '4M' : '8M', share: true } },
    ...(r() < 0.2 ? { attached: [{ id: 'tab', driver: 'usb-tablet' }] } : {}),
    devices,
  };
}

/** A report as JSON, without the bytes compared (a memo's reports leave them out: only renderers read them). */
const plain = (r: MigrationReport) => JSON.stringify({ ...r, devices: r.devices.map(({ compared: _, ...d }) => d) }, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

function outcome(f: () => MigrationReport): string {
  try {
    return plain(f());
  } catch (e) {
    return `threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

function agree(lines: string[], to: Retarget): { vms: number; same: number; memoized: number } {
  const reader = new FleetLineReader();
  const memo = new FleetMemo(to);
  let same = 0;
  let memoized = 0;
  lines.forEach((line, n) => {
    const where = `fleet.jsonl:${n + 1}`;
    const expected = outcome(() => {
      const vm = parseVmJson(JSON.parse(line), where);
      return checkMigration(vm, retarget(vm, to));
    });
    const got = outcome(() => {
      const parts = reader.read(line, where);
      if (!parts) {
        const vm = parseVmJson(JSON.parse(line), where);
        return checkMigration(vm, retarget(vm, to));
      }
      memoized++;
      return memo.check(parts);
    });
    expect(got, `line ${n + 1}: ${line}`).toBe(expected);
    same++;
  });
  return { vms: lines.length, same, memoized };
}

describe('the fleet memo gives every VM the report a single check gives', () => {
  it('on 1,500 tricky VMs to 10.0 and to 11.1 (memo learning across them)', () => {
    const r = rng(7);
    const lines = Array.from({ length: 1500 }, (_, n) => JSON.stringify(trickyVm(r, n)));
    for (const qemu of ['10.0', '11.1']) {
      const { same, memoized } = agree(lines, { qemu, globals: [] });
      expect(same).toBe(1500);
      expect(memoized).toBeGreaterThan(1000);
    }
  });

  it('on 2,000 generated VMs, with a destination machine type and a -global', () => {
    const lines = [...generateFleet(2000, 3)];
    expect(agree(lines, { qemu: '11.1', machine: 'pc-q35-7.2', globals: [['virtio-blk-device', 'queue-size', '1024']] }).same).toBe(2000);
    expect(agree(lines, { qemu: '7.2', globals: [] }).memoized).toBe(2000);
  });
});

/** What `fleet` prints of a line, by a single check (the reference) and by the fleet's checker (quick path, memo, by parts). */
function fleetAgree(lines: string[], to: Retarget): { quick: number } {
  const checker = new FleetChecker(to);
  lines.forEach((line, n) => {
    const where = `fleet.jsonl:${n + 1}`;
    const single = (): FleetResult => {
      const vm = parseVmJson(JSON.parse(line), where);
      const r = checkMigration(vm, retarget(vm, to));
      return { name: vm.name ?? null, verdict: r.verdict, firstError: r.firstError ?? null, cause: causeOf(r) ?? null };
    };
    const said = (f: () => FleetResult) => {
      try {
        return JSON.stringify(f());
      } catch (e) {
        return `threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
    };
    expect(said(() => checker.check(line, where)), `line ${n + 1}: ${line}`).toBe(said(single));
  });
  return { quick: checker.quick };
}

describe('the fleet command says of every VM what a single check says', () => {
  it('on 1,500 tricky VMs to 10.0 and to 11.1, most answered by the quick path', () => {
    const r = rng(11);
    const lines = Array.from({ length: 1500 }, (_, n) => JSON.stringify(trickyVm(r, n)));
    for (const qemu of ['10.0', '11.1']) expect(fleetAgree(lines, { qemu, globals: [] }).quick).toBeGreaterThan(100);
  });

  it('on 3,000 generated VMs, to 10.0 and with a destination machine type and a -global', () => {
    const lines = [...generateFleet(3000, 5)];
    expect(fleetAgree(lines, { qemu: '10.0', globals: [] }).quick).toBeGreaterThan(2900);
    fleetAgree(lines, { qemu: '11.1', machine: 'pc-q35-7.2', globals: [['virtio-blk-device', 'queue-size', '1024']] });
  });
});

describe('the fleet command words bad values as a single check does', () => {
  it('names the first device in the description, though the quick path works out children first', () => {
    // The disk behind the port is worked out before the rng (fleet-memo.ts shape: deepest first).
    const vm = (maxBytes: string, queues: string) => JSON.stringify({
      name: 'x', qemu: '7.2', machine: 'pc-q35-7.2', devices: [
        { id: 'rng0', driver: 'virtio-rng-pci', addr: '0x3', properties: { 'max-bytes': maxBytes } },
        { id: 'p1', driver: 'pcie-root-port', addr: '0x4', properties: { chassis: '1' } },
        { id: 'blk', bus: 'p1', driver: 'virtio-blk-pci', properties: { 'num-queues': queues } },
      ],
    });
    // Two good VMs teach the side and the entries' shapes; then both devices carry a bad value.
    const lines = [vm('10', '2'), vm('10', '2'), vm('lots', 'many'), vm('lots', 'many')];
    expect(fleetAgree(lines, { qemu: '10.0', globals: [] }).quick).toBe(1);
    expect(() => new FleetChecker({ qemu: '10.0', globals: [] }).check(lines[2], 'f')).toThrow('f: devices[0].properties.max-bytes: "lots" is not a number');
  });
});

describe('entries that differ only in values nothing reads', () => {
  // A NIC's MAC is new in every VM: its entry is taken as like one seen before (inputs/fleet-line.ts projectionOf),
  // but only where the schema could not tell them apart.
  const vm = (name: string, properties: Record<string, unknown>) => JSON.stringify({
    name, qemu: '7.2', machine: 'pc-q35-7.2', devices: [{ id: 'net0', driver: 'virtio-net-pci', addr: '0x3', properties }],
  });

  it('a MAC of another type, null, or a property named __proto__ gets a single check\'s answer after a string MAC', () => {
    const lines = [
      vm('a', { netdev: 'n0', mac: '52:54:00:00:00:01' }), vm('b', { netdev: 'n0', mac: '52:54:00:00:00:02' }),
      vm('c', { netdev: 'n0', mac: 5 }), vm('d', { netdev: 'n0', mac: null }), vm('e', { netdev: 'n0', mac: ['52:54:00:00:00:03'] }),
      vm('f', { netdev: 'n0', mac: '52:54:00:00:00:04' }),
      '{"name":"g","qemu":"7.2","machine":"pc-q35-7.2","devices":[{"id":"net0","driver":"virtio-net-pci","addr":"0x3","properties":{"netdev":"n0","__proto__":"x"}}]}',
      '{"name":"h","qemu":"7.2","machine":"pc-q35-7.2","devices":[{"id":"net0","driver":"virtio-net-pci","addr":"0x3","properties":{"netdev":"n0","__proto__":5}}]}',
    ];
    expect(fleetAgree(lines, { qemu: '10.0', globals: [] }).quick).toBe(2);
  });
});

describe('what the quick path takes from the VM as a whole', () => {
  const vm = (name: string, extra: object, devices: object[]) => JSON.stringify({ name, qemu: '7.2', machine: 'pc-q35-7.2', ...extra, devices });
  const rng = { id: 'rng0', driver: 'virtio-rng-pci', addr: '0x5' };

  it('a blocked vfio-pci makes the source refuse, though its pair alone compares clean', () => {
    // enable-migration=off on 10.0, both sides built (an empty header each): the source's blocker
    // "<host>: Migration is disabled for VFIO device" (check/host-devices.ts) is a VM-wide step.
    const vfio = { id: 'hostdev0', driver: 'vfio-pci', addr: '0x6', properties: { host: '0000:65:00.1', 'enable-migration': 'off' } };
    const on10 = (name: string, devices: object[]) => JSON.stringify({ name, qemu: '10.0', machine: 'pc-q35-10.0', devices });
    const lines = [on10('a', [rng, vfio]), on10('b', [rng, vfio]), on10('c', [rng]), on10('d', [rng, vfio])];
    const to = { qemu: '10.0', globals: [] };
    fleetAgree(lines, to);
    expect(new FleetChecker(to).check(lines[3], 'f').firstError).toBe('0000:65:00.1: Migration is disabled for VFIO device');
  });

  it('the machine\'s own functions count: an unmodelled -machine option leaves every VM of that machine unknown', () => {
    const lines = ['a', 'b', 'c'].map((name) => vm(name, { machineOptions: { nvdimm: 'on' } }, [rng]));
    expect(fleetAgree(lines, { qemu: '10.0', globals: [] }).quick).toBe(2);
  });
});

describe('devices sharing a memory backend', () => {
  it('a second ivshmem-plain on a busy backend gets a single check\'s verdict, though its entry was seen alone before', () => {
    // master=on: no "peer mode" blocker, which would come first and hide the busy device's verdict.
    const ivshmem = (addr: string) => ({ id: `iv${addr}`, driver: 'ivshmem-plain', addr, properties: { memdev: 'm0', master: 'on' } });
    const vm = (...devices: object[]) => JSON.stringify({
      name: 'x', qemu: '7.2', machine: 'pc-q35-7.2', memoryBackends: { m0: { type: 'memory-backend-file', size: '4M', share: true } }, devices,
    });
    // The device at 0x4 alone (its backend free) twice, then behind the one at 0x3 (busy: "can't use already busy memdev").
    const lines = [vm(ivshmem('0x4')), vm(ivshmem('0x4')), vm(ivshmem('0x3'), ivshmem('0x4'))];
    fleetAgree(lines, { qemu: '10.0', globals: [] });
    expect(new FleetChecker({ qemu: '10.0', globals: [] }).check(lines[2], 'f').verdict).toBe('unknown');
  });
});

describe('reading a line by parts', () => {
  it('finds the devices array and the values the side text leaves out, and nothing in another shape', () => {
    const line = '{"name":"a","qemu":"7.2","devices":[{"id":"x","driver":"d"} , {"id":"y","driver":"e","properties":{"k":"}]"}}],"smp":2}';
    const shape = scanLine(line)!;
    const entries = [0, 2].map((k) => line.slice(shape.devices[k], shape.devices[k + 1]));
    expect(entries).toEqual(['{"id":"x","driver":"d"}', '{"id":"y","driver":"e","properties":{"k":"}]"}}']);
    expect(shape.cut.map(([s, e]) => line.slice(s, e))).toEqual(['"a"', '2']);
    expect(shape.devices).toHaveLength(4);
    // What the side text leaves out, in text order: the name, the devices array, smp.
    const removed = [0, 2, 4].map((k) => line.slice(shape.removed[k], shape.removed[k + 1]));
    expect(removed).toEqual(['"a"', line.slice(shape.devicesStart, shape.devicesEnd), '2']);
    expect(shape.removed).toHaveLength(6);
    for (const other of ['[1]', '{"devices":[1]}', '{"devices":[{}],"devices":[]}', '{"dev\\u0069ces":[]}', '{"devices":[{}] x}', '{"devices":[{},]}']) {
      expect(scanLine(other), other).toBeUndefined();
    }
  });

  it('gives what parseVmJson gives, and undefined (the ordinary path words the error) for an invalid entry', () => {
    const reader = new FleetLineReader();
    const line = JSON.stringify({ qemu: '7.2', machine: 'q35', devices: [{ id: 'a', driver: 'virtio-blk-pci', addr: '0x3', guest: { bars: { '1': '0xfe000000' } } }] });
    expect(reader.read(line, 'f')!.vm).toEqual(parseVmJson(JSON.parse(line), 'f'));
    expect(reader.read(JSON.stringify({ qemu: '7.2', machine: 'q35', devices: [{ id: 'a' }] }), 'f')).toBeUndefined();
  });
});
