// Metamorphic tests of the model: transformations that must not change a verdict.
// Inputs are the seed pair (incompatible) and random VMs built from modelled devices.
import { rng } from '../../src/bench/fleet-gen.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { checkMigration } from '../../src/check/migration.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';

const SEED = fileURLToPath(new URL('../../examples/seed-hotplug-discard/', import.meta.url));
const raw = (f: string) => JSON.parse(readFileSync(join(SEED, f), 'utf8')) as RawVm;
type RawDevice = { id: string; driver: string; addr?: string; bus?: string; properties?: Record<string, string>; guest?: unknown };
type RawVm = { qemu: string; machine: string; smp?: number; globals?: Record<string, string>; devices: RawDevice[]; name?: string };
const load = (j: RawVm, f = 'vm.json') => parseVmJson(structuredClone(j), f);
const verdict = (a: RawVm, b: RawVm) => checkMigration(load(a, 'a.json'), load(b, 'b.json'));
const opts = (seed: number) => ({ seed, numRuns: Number(process.env.FUZZ_RUNS ?? 40) });

/** Object keys in a random order, recursively (JSON property order must not matter). */
function shuffleKeys(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rnd));
  if (!v || typeof v !== 'object') return v;
  const e = Object.entries(v);
  for (let i = e.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [e[i], e[j]] = [e[j], e[i]]; }
  return Object.fromEntries(e.map(([k, x]) => [k, shuffleKeys(x, rnd)]));
}
const rename = (vm: RawVm, names: Map<string, string>): RawVm => ({ ...vm, devices: vm.devices.map((d) => ({ ...d, id: names.get(d.id)!, ...(d.bus ? { bus: names.get(d.bus) ?? d.bus } : {}) })) });
const withDevice = (vm: RawVm, d: RawDevice): RawVm => ({ ...vm, devices: [...vm.devices, d] });

const src = raw('src.json');
const dst = raw('dst.json');
const ids = src.devices.map((d) => d.id);
const newIds = fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/), { minLength: ids.length, maxLength: ids.length })
  .map((names) => new Map(ids.map((id, n) => [id, names[n]])));

describe('the seed pair stays incompatible, with the same first error', () => {
  const base = verdict(src, dst);
  it('is incompatible to start with', () => expect(base.verdict).toBe('incompatible'));
  it('renaming device ids on both sides', () => fc.assert(fc.property(newIds, (m) => {
    const r = verdict(rename(src, m), rename(dst, m));
    expect(r.verdict).toBe('incompatible');
    expect(r.firstError).toBe(base.firstError);
  }), opts(11)));
  it('property order, at every level', () => fc.assert(fc.property(fc.integer(), (s) => {
    const rnd = rng(s);
    const r = verdict(shuffleKeys(src, rnd) as RawVm, shuffleKeys(dst, rnd) as RawVm);
    expect([r.verdict, r.firstError]).toEqual([base.verdict, base.firstError]);
  }), opts(12)));
  it('an unrelated device added on both sides', () => fc.assert(fc.property(
    fc.constantFrom('virtio-rng-pci', 'virtio-balloon-pci', 'virtio-serial-pci', 'virtio-net-pci'), fc.integer({ min: 0x10, max: 0x1f }),
    (driver, slot) => {
      const d = { id: 'extra', driver, addr: `0x${slot.toString(16)}` };
      expect(verdict(withDevice(src, d), withDevice(dst, d)).verdict).toBe('incompatible');
    }), opts(13)));
  it('the order of root-bus devices (each keeps its addr, so its section)', () => fc.assert(fc.property(
    fc.shuffledSubarray(src.devices.map((_, n) => n), { minLength: src.devices.length, maxLength: src.devices.length }),
    (order) => {
      expect(verdict({ ...src, devices: order.map((n) => src.devices[n]) }, dst).verdict).toBe('incompatible');
    }), opts(14)));
});

/** Random VMs of modelled devices on the i440fx/q35 root bus, without guest values. */
const DEVICES: [string, Record<string, string[]>][] = [
  ['virtio-blk-pci', { 'num-queues': ['1', '2', '4'], discard: ['on', 'off'], vectors: ['2', '3'] }],
  ['virtio-net-pci', { mq: ['on', 'off'], vectors: ['3', '4'], 'disable-legacy': ['on', 'off'] }],
  ['virtio-scsi-pci', { num_queues: ['1', '2'] }],
  ['virtio-balloon-pci', {}], ['virtio-rng-pci', {}], ['virtio-serial-pci', { max_ports: ['4', '31'] }],
];
const device = fc.constantFrom(...DEVICES).chain(([driver, props]) =>
  fc.record(Object.fromEntries(Object.entries(props).map(([k, vs]) => [k, fc.constantFrom(...vs)])), { requiredKeys: [] })
    .map((properties) => ({ driver, properties: properties as Record<string, string> })));
const randomVm = fc.record({
  qemu: fc.constantFrom('7.2', '10.0'), machine: fc.constantFrom('pc-i440fx-7.2', 'pc-q35-7.2'), smp: fc.integer({ min: 1, max: 8 }),
  devices: fc.uniqueArray(fc.tuple(fc.integer({ min: 3, max: 0x1f }), device), { selector: ([slot]) => slot, maxLength: 6 }),
}).map(({ devices, ...vm }): RawVm => ({ ...vm, devices: devices.map(([slot, d], n) => ({ id: `dev${n}`, addr: `0x${slot.toString(16)}`, ...d })) }));

describe('random VMs', () => {
  it('identical devices on both sides: swapping source and destination keeps the verdict', () => fc.assert(fc.property(randomVm, fc.integer(), (vm, s) => {
    const other = shuffleKeys({ ...vm, devices: [...vm.devices].reverse() }, rng(s)) as RawVm;
    const ab = verdict(vm, other).verdict;
    expect(ab).toBe(verdict(other, vm).verdict);
    expect(ab).not.toBe('incompatible');
  }), opts(21)));
  it('round trip through the rehearse command line and the command-line adapter keeps the verdict', () => fc.assert(fc.property(randomVm, randomVm, (a, b) => {
    const vm = load(a);
    const spec = vmMachineSpec(vm, vm.machine, vm.machine.includes('q35') ? 'pcie.0' : 'pci.0');
    const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    const line = ['qemu-system-x86_64', '-machine', spec.machine, '-smp', String(spec.smp), ...spec.args].map(quote).join(' ');
    const back: VmDescription = parseCommandLineText(line, 'rt.cmdline', { qemu: vm.qemu });
    expect(back.devices.map((d) => [d.id, d.driver, d.addr])).toEqual(vm.devices.map((d) => [d.id, d.driver, d.addr]));
    const other = load(b);
    expect(checkMigration(back, other).verdict).toBe(checkMigration(vm, other).verdict);
    expect(checkMigration(other, back).verdict).toBe(checkMigration(other, vm).verdict);
  }), opts(22)));
});

