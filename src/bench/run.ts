/**
 * npm run bench — how fast the prediction is. Prints a table and writes
 * bench/latest.json. Figures, not pass/fail: speed is never asserted in tests.
 *
 *   warm   checkMigration on the bundled seed example, in process
 *   cold   the whole CLI, Node start included, as an upgrade script runs it
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { generateFleet } from './fleet-gen.js';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadVmFile } from '../inputs/vm.js';
import { checkMigration } from '../check/migration.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = join(ROOT, 'examples/seed-hotplug-discard');

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function warm(iterations: number) {
  const src = loadVmFile(join(SEED, 'src.json'));
  const dst = loadVmFile(join(SEED, 'dst.json'));
  for (let i = 0; i < 200; i++) checkMigration(src, dst);
  const times: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    checkMigration(src, dst);
    times.push(performance.now() - t);
  }
  const total = performance.now() - t0;
  times.sort((a, b) => a - b);
  const devices = src.devices.length;
  return {
    iterations, devicesPerVm: devices,
    vmsPerSecond: Math.round(iterations / (total / 1000)),
    devicesPerSecond: Math.round((iterations * devices) / (total / 1000)),
    p50Ms: +quantile(times, 0.5).toFixed(3), p99Ms: +quantile(times, 0.99).toFixed(3),
    peakRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

function cold(runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, [join(ROOT, 'dist/cli/compat-check.mjs'), join(SEED, 'src.json'), join(SEED, 'dst.json')], { encoding: 'utf8' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { runs, medianMs: Math.round(quantile(times, 0.5)), minMs: Math.round(times[0]) };
}

/** The fleet command on a generated fleet, as a child process: wall time and peak RSS. */
function fleet(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'compat-check-bench-'));
  try {
    const file = join(dir, 'fleet.jsonl');
    writeFileSync(file, [...generateFleet(count, 1)].join('\n') + '\n');
    const t = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(ROOT, 'dist/cli/compat-check.mjs'), 'fleet', file, '--to-qemu', '10.0'],
      { encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = (performance.now() - t) / 1000;
    const rssKiB = Number(r.stderr.trim().split('\n').pop());
    return { vms: count, seconds: +seconds.toFixed(2), vmsPerSecond: Math.round(count / seconds), peakRssMiB: Math.round(rssKiB / 1024) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One real migration of the seed example with QEMU (when installed), for the ratio users care about. */
function rehearsal(): { seconds: number } | undefined {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/compat-check.mjs'), 'rehearse', join(SEED, 'src.json'), join(SEED, 'dst.json')], { encoding: 'utf8' });
  if (r.status !== 1) return undefined;
  return { seconds: +((performance.now() - t) / 1000).toFixed(3) };
}

const w0 = warm(5000);
const real = rehearsal();
const result = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  warm: w0,
  cold: cold(15),
  fleets: [fleet(1000), fleet(10000)],
  rehearseSeconds: real?.seconds ?? null,
  predictionVsRehearse: real ? Math.round((real.seconds * 1000) / w0.p50Ms) : null,
};
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'bench/latest.json'), JSON.stringify(result, null, 2) + '\n');
const w = result.warm;
process.stdout.write([
  `machine: ${result.machine}`,
  '| measure | value |',
  '|---|---|',
  `| VMs/s (seed example, ${w.devicesPerVm} devices, warm) | ${w.vmsPerSecond} |`,
  `| devices/s | ${w.devicesPerSecond} |`,
  `| per-VM latency p50 / p99 | ${w.p50Ms} ms / ${w.p99Ms} ms |`,
  `| peak RSS | ${w.peakRssMiB} MiB |`,
  `| cold start, whole CLI (median of ${result.cold.runs}) | ${result.cold.medianMs} ms |`,
  ...result.fleets.map((f) => `| fleet of ${f.vms} generated VMs (5-30 devices) | ${f.seconds} s, ${f.vmsPerSecond} VMs/s, peak RSS ${f.peakRssMiB} MiB |`),
  result.rehearseSeconds === null ? '| real rehearsal | QEMU not installed |'
    : `| one real rehearsal of the seed with QEMU | ${result.rehearseSeconds} s: the prediction is ${result.predictionVsRehearse}× faster |`,
  '',
].join('\n'));
