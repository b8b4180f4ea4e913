/**
 * npm run bench — how fast the prediction is. Prints a table and writes
 * bench/latest.json. Figures, not pass/fail: speed is never asserted in tests.
 *
 *   warm   checkMigration on the bundled seed example, in process
 *   cold   the whole CLI, Node start included, as an upgrade script runs it
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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
    spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), join(SEED, 'src.json'), join(SEED, 'dst.json')], { encoding: 'utf8' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { runs, medianMs: Math.round(quantile(times, 0.5)), minMs: Math.round(times[0]) };
}

const result = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  warm: warm(5000),
  cold: cold(15),
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
  '',
].join('\n'));
