#!/usr/bin/env node
// Records the cross-version corpus: real migrations between every pair of
// installed QEMU releases (source ≤ destination), each observation written
// with the descriptions, the QEMU version strings, QEMU's stderr, the first
// error and the config bytes each source device held. Recorded by running,
// never written by hand. Needs `npm run build` first.
//
//   node scripts/record-corpus.mjs [--jobs 2] [--out test/corpus/observations.jsonl]
import { writeFileSync } from 'node:fs';
import { installedQemus } from '../dist/qemu/installed.js';
import { parseVmJson } from '../dist/inputs/vm.js';
import { rehearse } from '../dist/rehearse/run.js';
import { buildDevice } from '../dist/check/build.js';
import { machineProfile } from '../dist/profiles/data.js';
import { resolveMachine } from '../dist/profiles/machine.js';
import { firmwareBars } from '../dist/rehearse/firmware.js';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const JOBS = Number(arg('--jobs', '2'));
const OUT = arg('--out', 'test/corpus/observations.jsonl');

const cmp = (a, b) => { const [x, y] = a.split('.').map(Number); const [u, v] = b.split('.').map(Number); return x - u || y - v; };
const DEVICES = ['virtio-blk-pci', 'virtio-net-pci', 'virtio-scsi-pci', 'virtio-balloon-pci', 'virtio-serial-pci', 'virtio-rng-pci'];
const HOTPLUG = { 'virtio-blk-pci': '0xffc0', 'virtio-net-pci': '0xffe0', 'virtio-scsi-pci': '0xffc0', 'virtio-balloon-pci': '0xffe0', 'virtio-serial-pci': '0xffe0', 'virtio-rng-pci': '0xffe0' };

/** The source device at 00:05.0 (or behind a root port), with firmware-like BARs unless the case places them. */
function vm(release, machine, dev, { port = false, smp } = {}) {
  const devices = [];
  // The root port's bus numbers, as firmware sets them (the rehearsal writes them to reach the device).
  if (port) devices.push({ id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' }, guest: { registers: { '0x18': '0x00010100' } } });
  if (dev) devices.push({ id: 'dut', ...(port ? { bus: 'rp1' } : { addr: '0x5' }), properties: {}, ...dev });
  return { qemu: release, machine, ...(smp ? { smp } : {}), devices };
}

function withFirmwareBars(json, bar0) {
  const d = json.devices.find((x) => x.id === 'dut');
  if (!d) return json;
  const desc = parseVmJson(json, 'case');
  const profile = machineProfile(desc.qemu);
  const built = buildDevice({ vm: desc, release: desc.qemu, machine: resolveMachine(profile, desc.machine) }, desc.devices.find((x) => x.id === 'dut'));
  const bars = built.kind === 'built' ? firmwareBars(built.cs) : {};
  if (bar0 && bars['0']) bars['0'] = bar0;
  d.guest = { bars };
  return json;
}

function casesFor(a, b, build) {
  const out = [];
  // The source VM boots on the source build: its virtqueues are sized there.
  const add = (name, src, dst) => out.push({ id: `${a}→${b} ${name}`, src: { ...src, qemu: build, bootedOn: build }, dst });
  for (const fam of ['pc-i440fx', 'pc-q35']) {
    const m = `${fam}-${a}`;
    for (const driver of DEVICES) {
      add(`${m} ${driver}`, withFirmwareBars(vm(a, m, { driver })), vm(b, m, { driver }));
    }
  }
  const m = `pc-i440fx-${a}`;
  for (const driver of DEVICES) {
    add(`${m} ${driver} hotplugged at BAR0 ${HOTPLUG[driver]}`, withFirmwareBars(vm(a, m, { driver }), HOTPLUG[driver]), vm(b, m, { driver }));
  }
  const q = `pc-q35-${a}`;
  for (const driver of ['virtio-blk-pci', 'virtio-net-pci', 'virtio-balloon-pci']) {
    add(`${q} ${driver} behind pcie-root-port`, withFirmwareBars(vm(a, q, { driver }, { port: true })), vm(b, q, { driver }, { port: true }));
  }
  const flips = [
    ['virtio-blk discard/write-zeroes off → default, BAR0 0xffc0', 'virtio-blk-pci', { discard: 'off', 'write-zeroes': 'off' }, {}, '0xffc0'],
    ['virtio-blk vectors 2 → 3', 'virtio-blk-pci', { vectors: '2' }, { vectors: '3' }],
    ['virtio-net mq off → on, BAR0 0xffe0', 'virtio-net-pci', {}, { mq: 'on' }, '0xffe0'],
    ['virtio-balloon page-poison off → default, BAR0 0xffe0', 'virtio-balloon-pci', { 'page-poison': 'off' }, {}, '0xffe0'],
    ['virtio-rng vectors 0 → default', 'virtio-rng-pci', { vectors: '0' }, {}],
    ['virtio-net vectors 3 → default', 'virtio-net-pci', { vectors: '3' }, {}],
  ];
  for (const [name, driver, sp, dp, bar0] of flips) {
    add(`${m} ${name}`, withFirmwareBars(vm(a, m, { driver, properties: sp }), bar0), vm(b, m, { driver, properties: dp }));
  }
  for (const driver of ['virtio-blk-pci', 'virtio-scsi-pci']) {
    add(`${m} ${driver} smp 2`, withFirmwareBars(vm(a, m, { driver }, { smp: 2 })), vm(b, m, { driver }, { smp: 2 }));
  }
  add('pc alias on both sides', withFirmwareBars(vm(a, 'pc', { driver: 'virtio-blk-pci' })), vm(b, 'pc', { driver: 'virtio-blk-pci' }));
  add('q35 alias on both sides', withFirmwareBars(vm(a, 'q35', { driver: 'virtio-net-pci' })), vm(b, 'q35', { driver: 'virtio-net-pci' }));
  add(`${m} virtio-blk only on the source`, withFirmwareBars(vm(a, m, { driver: 'virtio-blk-pci' })), vm(b, m, null));
  return out;
}

const qemus = installedQemus().sort((x, y) => cmp(x.release, y.release));
const cases = [];
const buildOf = (q) => /version (\d+\.\d+\.\d+)/.exec(q.version)[1];
for (const s of qemus) for (const d of qemus) {
  if (cmp(s.release, d.release) <= 0) for (const c of casesFor(s.release, d.release, buildOf(s))) cases.push({ ...c, s, d: { ...d }, dst: { ...c.dst, qemu: buildOf(d) } });
}

const results = new Array(cases.length);
let next = 0;
let done = 0;
async function worker() {
  while (next < cases.length) {
    const n = next++;
    const c = cases[n];
    const src = parseVmJson(c.src, 'src.json');
    const dst = parseVmJson(c.dst, 'dst.json');
    const r = await rehearse(c.s.binary, c.d.binary, src, dst);
    results[n] = {
      id: c.id,
      srcQemu: c.s.version,
      dstQemu: c.d.version,
      source: c.src,
      destination: c.dst,
      outcome: r.ok ? 'loaded' : 'failed',
      failedAt: r.failedAt ?? null,
      firstError: r.firstError ?? null,
      stderr: (r.ok ? [] : r.stderr).map((l) => l.replace(/^[^\s:]*qemu[^\s:]*: /, '')),
      sourceConfig: r.sourceConfig,
    };
    done++;
    if (done % 20 === 0) process.stderr.write(`${done}/${cases.length}\n`);
  }
}
await Promise.all(Array.from({ length: JOBS }, worker));
writeFileSync(OUT, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
process.stderr.write(`recorded ${results.length} observations from ${qemus.map((q) => q.release).join(', ')} into ${OUT}\n`);
