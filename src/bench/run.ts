/**
 * npm run bench — how fast the prediction is. Prints a table and writes
 * bench/latest.json. Figures, not pass/fail: speed is never asserted in tests.
 *
 *   warm    checkMigration on the bundled seed example, in process
 *   fleet   generated fleets (fleet-gen.ts) through `compat-check fleet`, as a
 *           child process: wall and CPU time (user+sys, what counts on a
 *           shared machine), peak RSS; plus per-VM latency in process
 *   cold    the whole CLI on the seed, Node start included, as an upgrade
 *           script or a libvirt hook runs it (wall and CPU, median)
 *   real    one `rehearse` (a real migration) and one `probe` of a device
 *           with QEMU, when installed: what the prediction saves
 *
 *   BENCH_FLEETS=1000,10000,100000 (default) picks the fleet sizes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateFleet } from './fleet-gen.js';
import { loadVmFile } from '../inputs/vm.js';
import { checkMigration } from '../check/migration.js';
import { FleetChecker } from '../cli/fleet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/compat-check.mjs');
/** The gate as users run it: the launcher of the start-up snapshot (scripts/snapshot.mjs). */
const GATE = join(ROOT, 'dist/cli/compat-check');
const SEED = join(ROOT, 'examples/seed-hotplug-discard');
const TO = '10.0';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

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

/** `/usr/bin/time -f '%e %U %S %M'` of node ARGS: wall s, user s, sys s, peak RSS KiB (last line of stderr). */
function timed(args: string[]): { wall: number; cpu: number; rssKiB: number; status: number | null } {
  return timedCommand([process.execPath, ...args]);
}

function timedCommand(command: string[]): { wall: number; cpu: number; rssKiB: number; status: number | null } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...command], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssKiB: rss, status: r.status };
}

/**
 * The command users run (dist/cli/compat-check: Node from the start-up
 * snapshot), Node start included: median wall and CPU of `runs` runs, and
 * bare `node -e 1` for scale. The three commands take turns, so a busy
 * machine slows each alike. Wall is timed here (performance.now around the
 * child: /usr/bin/time prints 10 ms steps); CPU (user+sys) still comes from
 * /usr/bin/time, in 10 ms steps.
 */
function cold(runs: number) {
  const commands = {
    node: [process.execPath, '-e', '1'],
    compatible: [GATE, join(SEED, 'src-cold-boot.json'), join(SEED, 'dst.json')],
    incompatible: [GATE, join(SEED, 'src.json'), join(SEED, 'dst.json')],
  };
  const EXPECTED = { node: 0, compatible: 0, incompatible: 1 };
  const names = Object.keys(commands) as (keyof typeof commands)[];
  const xs = Object.fromEntries(names.map((n) => [n, [] as { wall: number; cpu: number }[]])) as Record<keyof typeof commands, { wall: number; cpu: number }[]>;
  for (let i = 0; i < runs; i++) {
    for (const n of names) {
      const t = performance.now();
      // stdout a pipe, as an upgrade script reads the report.
      const r = spawnSync(commands[n][0], commands[n].slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      const wall = performance.now() - t;
      if (r.status !== EXPECTED[n]) throw new Error(`${commands[n].join(' ')}: exit ${r.status ?? r.signal}, not ${EXPECTED[n]}`);
      xs[n].push({ wall, cpu: timedCommand(commands[n]).cpu });
    }
  }
  const sample = (n: keyof typeof commands) => ({
    wallMs: Math.round(median(xs[n].map((x) => x.wall))), cpuMs: Math.round(median(xs[n].map((x) => x.cpu)) * 1000),
  });
  return { runs, node: sample('node'), compatible: sample('compatible'), incompatible: sample('incompatible') };
}

/**
 * Per-VM latency over a generated fleet, in process, as the fleet command
 * checks it (cli/fleet.ts FleetChecker: the quick path, the memo of device
 * pairs); the second pass: caches, memo and JIT warm, as in a long fleet run.
 */
function fleetLatency(lines: string[]) {
  const times: number[] = [];
  const checker = new FleetChecker({ qemu: TO, globals: [] });
  for (let pass = 0; pass < 2; pass++) {
    times.length = 0;
    lines.forEach((line, n) => {
      const t = performance.now();
      checker.check(line, `bench:${n + 1}`);
      times.push(performance.now() - t);
    });
  }
  times.sort((a, b) => a - b);
  return { p50Ms: +quantile(times, 0.5).toFixed(3), p99Ms: +quantile(times, 0.99).toFixed(3) };
}

/** The fleet command on a generated fleet, as a child process. */
function fleet(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'compat-check-bench-'));
  try {
    const file = join(dir, 'fleet.jsonl');
    const lines = [...generateFleet(count, 1)];
    writeFileSync(file, lines.join('\n') + '\n');
    const devices = lines.reduce((n, l) => n + (JSON.parse(l) as { devices: unknown[] }).devices.length, 0);
    const r = timed([CLI, 'fleet', file, '--to-qemu', TO]);
    const latency = fleetLatency(lines.slice(0, 2000));
    return {
      vms: count, devices, seconds: r.wall, cpuSeconds: +r.cpu.toFixed(2),
      vmsPerSecond: Math.round(count / r.wall), vmsPerCpuSecond: Math.round(count / r.cpu),
      devicesPerSecond: Math.round(devices / r.wall),
      latencyOverFirst2000: latency,
      peakRssMiB: Math.round(r.rssKiB / 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One real migration of the seed example with QEMU (when installed), for the ratio users care about. */
function rehearsal(): { seconds: number } | undefined {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'rehearse', join(SEED, 'src.json'), join(SEED, 'dst.json')], { encoding: 'utf8' });
  if (r.status !== 1) return undefined;
  return { seconds: +((performance.now() - t) / 1000).toFixed(3) };
}

/** One real probe of one device (QEMU started stopped, every config byte read and every writable bit probed). */
function probe(): { seconds: number; device: string } | undefined {
  const device = 'virtio-blk-pci';
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'probe', '--machine', 'pc-i440fx-7.2', '--device', `${device},addr=0x5`], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return { seconds: +((performance.now() - t) / 1000).toFixed(3), device };
}

const sizes = (process.env.BENCH_FLEETS ?? '1000,10000,100000').split(',').map(Number).filter((n) => n > 0);
const w0 = warm(5000);
const real = rehearsal();
const probed = probe();
const perDeviceMs = w0.p50Ms / w0.devicesPerVm;
const result = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  warm: w0,
  cold: cold(15),
  fleets: sizes.map(fleet),
  rehearseSeconds: real?.seconds ?? null,
  predictionVsRehearse: real ? Math.round((real.seconds * 1000) / w0.p50Ms) : null,
  probeSeconds: probed?.seconds ?? null,
  predictionVsProbePerDevice: probed ? Math.round((probed.seconds * 1000) / perDeviceMs) : null,
};
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'bench/latest.json'), JSON.stringify(result, null, 2) + '\n');
const w = result.warm;
const c = result.cold;
process.stdout.write([
  `machine: ${result.machine}; load average ${result.loadAverage}`,
  '| measure | value |',
  '|---|---|',
  `| the seed VM (${w.devicesPerVm} devices), warm, in process | ${w.vmsPerSecond} VMs/s, ${w.devicesPerSecond} devices/s; p50 ${w.p50Ms} ms, p99 ${w.p99Ms} ms per VM; RSS ${w.peakRssMiB} MiB |`,
  `| cold start, whole CLI on the seed (median of ${c.runs}; bare \`node -e 1\`: ${c.node.wallMs} ms, CPU ${c.node.cpuMs} ms) | compatible ${c.compatible.wallMs} ms (CPU ${c.compatible.cpuMs} ms), incompatible with verified remedies ${c.incompatible.wallMs} ms (CPU ${c.incompatible.cpuMs} ms) |`,
  ...result.fleets.map((f) => `| fleet of ${f.vms.toLocaleString('en')} generated VMs (${f.devices.toLocaleString('en')} devices) → ${TO} | ${f.seconds} s (CPU ${f.cpuSeconds} s), ${f.vmsPerSecond} VMs/s, ${f.devicesPerSecond} devices/s; per VM p50 ${f.latencyOverFirst2000.p50Ms} ms, p99 ${f.latencyOverFirst2000.p99Ms} ms; peak RSS ${f.peakRssMiB} MiB |`),
  result.rehearseSeconds === null ? '| real rehearsal | QEMU not installed |'
    : `| one real \`rehearse\` of the seed with QEMU | ${result.rehearseSeconds} s: the prediction is ${result.predictionVsRehearse}× faster |`,
  result.probeSeconds === null ? '| real probe | QEMU not installed |'
    : `| one real \`probe\` of ${probed!.device} | ${result.probeSeconds} s: predicting a device is ${result.predictionVsProbePerDevice}× faster |`,
  '',
].join('\n'));
