// Real guests across releases: Debian's kernel boots under TCG on each installed QEMU
// with one virtio device, its driver binds and moves buffers through the queues, the
// running guest is migrated to a file, and that stream is loaded by every other
// installed release. Each destination's outcome — loaded, or refused with QEMU's
// lines — must equal checkMigration's prediction for the same two descriptions, with
// `bootedOn` saying where the guest booted.
//
// Three kinds of arrival, all from one boot per (source release, device set):
// - after boot: source → every other release, on the newest machine type they all offer;
// - after arriving by migration without reset: source → 10.0 (the guest runs on there)
//   → 11.1; the rings keep the sizes the guest set up on the source;
// - 10.0 → 11.1 with the device's queue-size properties at 1024 on the destination.
//
// Where the source can say (x-query-virtio-status: 7.2 and 10.0; 5.2 lacks it, 11.1.3
// aborts in it), the features the guest negotiated are merged onto the source description
// (src/inputs/qmp-virtio.ts), as an operator would with --src-virtio; ring sizes still come
// from `bootedOn`. Without them a guest-dependent prediction is at-risk, and then QEMU must
// either load or fail with the line the condition names.

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installedQemus, type InstalledQemu } from '../../src/qemu/installed.js';
import { checkMigration } from '../../src/check/migration.js';
import type { MigrationReport } from '../../src/check/verdict.js';
import type { VmDescription } from '../../src/inputs/vm.js';
import { decodeFeatures, deviceIdOf, mergeVirtio } from '../../src/inputs/qmp-virtio.js';
import { bootGuest, guestImage, loadStream, saveStream, virtioState, STATUS_ABORTS, type Arrival, type GuestVm } from './guest-vm.js';
import { DEVICE_SETS, buildVersion, describe as describeVm, qemuArgs, type DeviceSet } from './device-sets.js';

const QEMUS: InstalledQemu[] = installedQemus();
const byRelease = (r: string) => QEMUS.find((q) => q.release === r);

/** The newest pc-i440fx type every installed binary offers (`-machine help`): one boot serves every destination. */
function commonMachine(qemus: InstalledQemu[]): string | undefined {
  const offered = qemus.map((q) => new Set(
    execFileSync(q.binary, ['-machine', 'help'], { encoding: 'utf8', timeout: 20_000 })
      .split('\n').map((l) => /^(pc-i440fx-\d+\.\d+)\s/.exec(l)?.[1]).filter((m): m is string => m !== undefined)));
  const common = [...(offered[0] ?? [])].filter((m) => offered.every((s) => s.has(m)));
  const key = (m: string) => m.slice('pc-i440fx-'.length).split('.').map(Number);
  return common.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]).at(-1);
}
const MACHINE = QEMUS.length >= 2 ? commonMachine(QEMUS) : undefined;

/**
 * Queue-size properties at 1024 on the destination, the remedy for rings a guest set up on
 * 10.0.13: virtio-blk's queue-size and virtio-scsi's virtqueue_size size every queue of the
 * device; virtio-net's rx_queue_size sizes only the rx queue, so the tx queue still fails
 * ("VQ 1 …"), and tx_queue_size cannot exceed 256 without a vhost-user/vDPA backend
 * (virtio_net_device_realize, virtio_net_max_tx_queue_size).
 */
const QUEUE_SIZE_1024: Record<string, Record<string, string>[]> = {
  'virtio-blk': [{ 'queue-size': '1024' }],
  'virtio-net': [{ rx_queue_size: '1024' }],
  'virtio-scsi': [{ virtqueue_size: '1024' }],
};

interface Row {
  readonly source: string;
  readonly route: string;
  readonly destination: string;
  readonly device: string;
  readonly real: string;
  readonly predicted: string;
  readonly agree: boolean;
}
const rows: Row[] = [];
const timings: string[] = [];

/** QEMU's lines about the failure, without the program name and warnings (deprecated -mon, old machine types). */
function qemuLines(stderr: readonly string[]): string[] {
  return stderr.map((l) => l.replace(/^qemu-system-x86_64: /, '')).filter((l) => !/warning: /.test(l));
}

const summary = (ok: boolean, first?: string) => (ok ? 'loads' : `fails: ${first ?? '?'}`);

/** Assert the arrival equals the prediction (softly: every pair is run and tabled). */
function compare(set: DeviceSet, route: { source: string; route: string; destination: string }, predicted: MigrationReport, arrival: Arrival): void {
  const real = arrival.outcome.loaded
    ? { ok: true, lines: [] as string[] }
    : { ok: false, lines: qemuLines(arrival.outcome.stderr) };
  const expected = { ok: predicted.verdict === 'compatible', lines: predicted.verdict === 'compatible' ? [] : predicted.qemuOutput };
  if (predicted.verdict === 'at-risk') {
    // "Fails if the guest did X": loading, or failing with the line the condition quotes, both fit.
    const conditions = predicted.devices.flatMap((d) => (d.verdict.kind === 'at-risk' ? d.verdict.conditions : []));
    const fits = real.ok || conditions.some((c) => real.lines[0] !== undefined && c.includes(real.lines[0]));
    rows.push({ ...route, device: set.name, real: summary(real.ok, real.lines[0]), predicted: `at-risk (guest-dependent; no live features): ${conditions.join('; ').slice(0, 90)}…`, agree: fits });
    expect.soft({ fits, real, conditions }, `${set.name} ${route.source} ${route.route} ${route.destination}`).toMatchObject({ fits: true });
    return;
  }
  const agree = JSON.stringify(real) === JSON.stringify(expected);
  rows.push({
    ...route, device: set.name,
    real: summary(real.ok, real.lines[0]),
    predicted: predicted.verdict === 'compatible' ? 'loads' : `${predicted.verdict}: ${predicted.firstError ?? predicted.devices.map((d) => d.verdict.kind).join(',')}`,
    agree,
  });
  expect.soft(real, `${set.name} ${route.source} ${route.route} ${route.destination}`).toEqual(expected);
}

/**
 * Boot, read the negotiated features where the release can report them, migrate the
 * running guest to a file, end the source. Returns the description with those features.
 */
async function bootAndSave(q: InstalledQemu, vm: VmDescription, file: string): Promise<VmDescription> {
  const guest: GuestVm = await bootGuest({ binary: q.binary, machine: vm.machine, args: qemuArgs(vm) });
  try {
    let live = vm;
    if (q.release !== '5.2' && !STATUS_ABORTS.has(q.release)) {
      const state = await virtioState(guest.qmp);
      live = mergeVirtio(vm, state.map((s) => ({
        id: deviceIdOf(s.path),
        features: decodeFeatures(s.status as Parameters<typeof decodeFeatures>[0], `QMP of ${q.version}`, s.path),
        virtqueues: new Map<number, number>(),
      })));
    }
    const saved = await saveStream(guest, file);
    if (!saved.ok) throw new Error(`source ${q.release} could not migrate: ${saved.error}`);
    return live;
  } finally {
    await guest.close();
  }
}

const ready = guestImage() !== undefined && MACHINE !== undefined;

// Under CI=true a missing guest image or machine type fails the run instead of skipping it.
describe.runIf(ready || process.env.CI === 'true')(`real guests migrated between releases (${MACHINE})`, () => {
  afterAll(() => {
    if (rows.length === 0) return;
    const agreeing = rows.filter((r) => r.agree).length;
    console.log([
      `real-guest migrations on ${MACHINE}: ${agreeing}/${rows.length} agree with compat-check`,
      '| source (booted) | route | destination | device | real guest | compat-check |',
      '|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.source} | ${r.route} | ${r.destination} | ${r.device} | ${r.real} | ${r.agree ? '' : '≠ '}${r.predicted} |`),
      '',
      ...timings,
    ].join('\n'));
  });

  for (const q of QEMUS) {
    const src = buildVersion(q.version);
    for (const set of DEVICE_SETS) {
      it(`${set.name} booted on ${src}: every other release loads it as predicted`, async () => {
        const t0 = performance.now();
        const dir = await mkdtemp(join(tmpdir(), 'cc-guest-streams-'));
        try {
          const stream = join(dir, 'booted');
          const srcVm = await bootAndSave(q, describeVm(set, { qemu: src, machine: MACHINE!, bootedOn: src }), stream);
          const features = new Map(srcVm.devices.map((d) => [d.id, d.guest]));
          const withFeatures = (vm: VmDescription): VmDescription =>
            ({ ...vm, devices: vm.devices.map((d) => (features.get(d.id) ? { ...d, guest: features.get(d.id) } : d)) });
          const tBoot = performance.now();
          let loads = 0;

          for (const d of QEMUS.filter((x) => x !== q)) {
            const dst = buildVersion(d.version);
            const dstVm = describeVm(set, { qemu: dst, machine: MACHINE! });
            // Through 10.0 on to 11.1 (the "arrived by migration without reset").
            const via = d.release === '10.0' && q.release !== '11.1' ? byRelease('11.1') : undefined;
            const arrival = await loadStream({ binary: d.binary, machine: MACHINE!, args: qemuArgs(dstVm) }, stream, via !== undefined);
            loads++;
            compare(set, { source: src, route: 'after boot', destination: dst }, checkMigration(srcVm, dstVm), arrival);
            if (via && arrival.vm) {
              const onward = join(dir, 'via');
              try {
                await arrival.vm.qmp.execute('cont');   // the guest runs on the middle release, not reset
                await delay(1000);
                const saved = await saveStream(arrival.vm, onward);
                if (!saved.ok) throw new Error(`${dst} could not migrate on: ${saved.error}`);
              } finally {
                await arrival.vm.close();
              }
              const last = buildVersion(via.version);
              // The guest keeps the features it negotiated on the source across the hop.
              const midVm = withFeatures(describeVm(set, { qemu: dst, machine: MACHINE!, bootedOn: src }));
              const lastVm = describeVm(set, { qemu: last, machine: MACHINE! });
              const again = await loadStream({ binary: via.binary, machine: MACHINE!, args: qemuArgs(lastVm) }, onward);
              loads++;
              compare(set, { source: src, route: `via ${dst}, no reset`, destination: last }, checkMigration(midVm, lastVm), again);
            }
            // The remedy: the destination's queues sized at 1024 like the source's.
            for (const sizes of q.release === '10.0' && d.release === '11.1' ? QUEUE_SIZE_1024[set.name] ?? [] : []) {
              const id = set.devices[0].id;
              const bigVm = describeVm(set, { qemu: dst, machine: MACHINE!, extra: { [id]: sizes } });
              const big = await loadStream({ binary: d.binary, machine: MACHINE!, args: qemuArgs(bigVm) }, stream);
              loads++;
              const props = Object.entries(sizes).map(([k, v]) => `${k}=${v}`).join(',');
              compare(set, { source: src, route: 'after boot', destination: `${dst} ${props}` }, checkMigration(srcVm, bigVm), big);
            }
          }
          const t1 = performance.now();
          timings.push(`${set.name} on ${src}: boot+save ${((tBoot - t0) / 1000).toFixed(1)} s, ${loads} loads ${((t1 - tBoot) / 1000).toFixed(1)} s`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
