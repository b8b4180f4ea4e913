/**
 * compat-check fleet INVENTORY.jsonl --to-qemu V — every VM of a region
 * against a destination release. One VM per line (a JSON description, or
 * a path to a description file); one result per line on stdout, streamed;
 * a summary line at the end, grouped by cause; a progress bar on stderr
 * when it is a terminal. The whole fleet is never held in memory.
 */
import { type Argv } from 'yargs';
import { type Logger } from 'pino';
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseVmJson, type VmDescription } from '../inputs/vm.js';
import { InputError } from '../inputs/errors.js';
import { loadDescription } from '../inputs/load.js';
import { checkMigration } from '../check/migration.js';
import { retarget, type Retarget } from '../check/retarget.js';
import { FleetMemo } from '../check/fleet-memo.js';
import { type FleetLine, FleetLineReader } from '../inputs/fleet-line.js';
import { forEachLine } from '../inputs/lines.js';
import { type MigrationReport, type VerdictKind } from '../check/verdict.js';
import { EXIT } from './exit.js';
import { parseGlobals } from './globals.js';

export function fleetOptions(y: Argv) {
  return y
    .positional('inventory', { type: 'string', demandOption: true, describe: 'JSONL: one VM per line (a description, or a path to one)' })
    .option('to-qemu', { type: 'string', demandOption: true, describe: 'destination QEMU release, e.g. 10.0' })
    .option('to-machine', { type: 'string', describe: 'destination machine type (default: each VM\'s own)' })
    .option('dst-global', { type: 'string', array: true, default: [], describe: 'driver.property=value added on the destination (repeatable)' })
    .option('allow-unknown', { type: 'boolean', default: false });
}

export interface FleetArgs { inventory: string; 'to-qemu': string; 'to-machine'?: string; 'dst-global': string[]; 'allow-unknown': boolean }

/** A cause a fleet can be grouped by: the first error with the VM-specific parts left out. */
export function causeOf(r: Pick<MigrationReport, 'verdict' | 'firstError' | 'devices'>): string | undefined {
  if (r.firstError) {
    const dev = r.devices.find((d) => d.verdict.kind === 'incompatible');
    const what = dev?.verdict.kind === 'incompatible' ? dev.verdict.mismatches[0]?.description : undefined;
    const line = r.firstError.replace(/'[^']*\//, "'…/").replace(/ 0\. Make sure.*$/, '');
    return dev ? `${dev.driver}: ${what ?? line}` : line;
  }
  const d = r.devices.find((x) => x.verdict.kind === r.verdict);
  if (!d) return undefined;
  if (d.verdict.kind === 'unknown') return `unknown: ${d.verdict.reason.replace(/ \(.*\)$/, '')}`;
  if (d.verdict.kind === 'at-risk') return `at-risk: ${d.driver}: ${d.verdict.conditions[0]?.replace(/ — .*$/, '')}`;
  return undefined;
}

function progress(done: number, started: number): void {
  const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
  process.stderr.write(`\r${done} VMs checked (${Math.round(rate)}/s)`);
}

/** What the fleet prints of one VM. */
export interface FleetResult { name: string | null; verdict: VerdictKind; firstError: string | null; cause: string | null }

/**
 * One inventory line after another, as `fleet` checks them: the plain
 * shape is scanned by parts and answered from what earlier VMs taught
 * (FleetMemo.quick), or read whole and checked with the memo; anything
 * else (a path, another shape) the ordinary way. Throws InputError or
 * SyntaxError for a line that is no valid description.
 */
export class FleetChecker {
  private reader = new FleetLineReader();
  private memo: FleetMemo;
  /** VMs answered by the quick path so far. */
  quick = 0;

  constructor(private readonly to: Retarget) {
    this.memo = new FleetMemo(to);
  }

  check(line: string, where: string): FleetResult {
    const json = line.trimStart().startsWith('{');
    const scanned = json ? this.reader.scan(line) : undefined;
    const facts = scanned && this.reader.facts(scanned);
    let whole: FleetLine | undefined | null = null;
    const full = () => (whole === null ? (whole = scanned && this.reader.full(scanned, where)) : whole);
    const quick = facts && this.memo.quick(scanned!, facts, full);
    if (quick) {
      this.quick++;
      return result(quick.name, quick);
    }
    const parts = full();
    const src: VmDescription = parts?.vm ?? (json ? parseVmJson(JSON.parse(line), where) : loadDescription(line.trim()));
    return result(src.name, parts ? this.memo.check(parts) : checkMigration(src, retarget(src, this.to)));
  }
}

function result(name: string | undefined, r: Pick<MigrationReport, 'verdict' | 'firstError' | 'devices'>): FleetResult {
  return { name: name ?? null, verdict: r.verdict, firstError: r.firstError ?? null, cause: causeOf(r) ?? null };
}

/**
 * The fleet's old generation, in MiB. The memo tables (check/fleet-memo.ts,
 * inputs/fleet-line.ts) hold about 40–60 MB; left to itself V8 lets garbage
 * grow the heap to several times that before collecting it, so a large
 * inventory (over LARGE bytes, about 25,000 VMs) runs in a child Node with
 * this limit: resident memory then stays under 300 MB at the cost of a
 * few more collections. A small one is done before a second Node would start.
 */
const FLEET_HEAP_MIB = 160;
/** LARGE in bytes; COMPAT_CHECK_FLEET_CHILD_ABOVE sets another threshold (0: always a child). */
const LARGE = Number(process.env.COMPAT_CHECK_FLEET_CHILD_ABOVE ?? 64 * 2 ** 20);

export async function runFleet(args: FleetArgs, log: Logger): Promise<number> {
  if (!existsSync(args.inventory)) throw new InputError(args.inventory, '', 'cannot read: ENOENT');
  const large = statSync(args.inventory).size > LARGE;
  if (large && !process.env.COMPAT_CHECK_FLEET_CHILD && !process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
    log.info({ heapMiB: FLEET_HEAP_MIB }, 'fleet: a child Node with a capped heap checks the inventory');
    const child = spawnSync(process.execPath, [`--max-old-space-size=${FLEET_HEAP_MIB}`, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
      stdio: 'inherit', env: { ...process.env, COMPAT_CHECK_FLEET_CHILD: '1' },
    });
    return child.status ?? EXIT.internal;
  }
  const globals = parseGlobals(args['dst-global'], '--dst-global');
  const counts: Record<VerdictKind | 'invalid', number> = { compatible: 0, incompatible: 0, 'at-risk': 0, unknown: 0, invalid: 0 };
  const causes = new Map<string, number>();
  const tty = process.stderr.isTTY;
  const started = Date.now();
  const to = { qemu: args['to-qemu'], machine: args['to-machine'], globals };
  const checker = new FleetChecker(to);
  let n = 0;
  let out = '';
  await forEachLine(args.inventory, (line) => {
    n++;
    if (!line.trim()) return;
    const where = `${args.inventory}:${n}`;
    let result: object;
    try {
      const r = checker.check(line, where);
      counts[r.verdict]++;
      if (r.cause) causes.set(r.cause, (causes.get(r.cause) ?? 0) + 1);
      result = { line: n, ...r };
    } catch (e) {
      if (!(e instanceof InputError) && !(e instanceof SyntaxError)) throw e;
      counts.invalid++;
      result = { line: n, verdict: 'invalid', error: e instanceof InputError ? e.message : `${where}: not valid JSON: ${e.message}` };
    }
    out += JSON.stringify(result) + '\n';
    if (out.length > 1 << 16) {
      process.stdout.write(out);
      out = '';
    }
    if (tty && n % 500 === 0) progress(n, started);
  });
  if (tty) process.stderr.write('\n');
  const byCause = [...causes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([cause, vms]) => ({ cause, vms }));
  out += JSON.stringify({ summary: { vms: Object.values(counts).reduce((a, b) => a + b, 0), ...counts, byCause } }) + '\n';
  process.stdout.write(out);
  log.info({ counts, seconds: (Date.now() - started) / 1000 }, 'fleet done');
  if (counts.invalid) return EXIT.badInput;
  if (counts.incompatible || counts['at-risk']) return EXIT.incompatible;
  if (counts.unknown && !args['allow-unknown']) return EXIT.unknown;
  return EXIT.compatible;
}
