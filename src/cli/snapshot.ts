/**
 * The entry of the start-up snapshot (scripts/snapshot.mjs). Node runs this
 * file once with --build-snapshot and keeps the heap it leaves: modules
 * initialized, functions compiled, the seed's profiles parsed, the
 * description validators loaded. Each later `node --snapshot-blob
 * compat-check.blob dist/cli/compat-check.mjs ARGS` starts from that heap
 * and runs only `fromSnapshot`. Deserializing a heap is cheaper than
 * loading, compiling and first running a module graph, which was most of a
 * gate's cost (a JSON gate: ~20 ms over bare Node instead of ~70).
 *
 * Node's rules for the building run: one CommonJS script, no user module
 * loaded through require() (Node then refuses the snapshot at start:
 * ERR_INTERNAL_ASSERTION in setupUserModules, `hasStartedUserCJSExecution`),
 * and no process state that belongs to a run — stdout, argv, env, timers.
 * Everything the plain lines need is bundled in; the rest of the CLI
 * (yargs, the other commands) stays in the ESM bundle, loaded on demand.
 */
import { startupSnapshot } from 'node:v8';
import { existsSync, realpathSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlainLine } from './plain-line.js';
import { plainArgs, recordOptions } from './gate-args.js';
import { checkOptions } from './check.js';
import { finish, tolerateClosedStdout } from './finish.js';
import { EXIT } from './exit.js';
import { render } from './output.js';
import { loadDescription } from '../inputs/load.js';
import { InputError } from '../inputs/errors.js';
import { checkMigration } from '../check/migration.js';
import { proposeRemedies, withRemedies } from '../check/remedy.js';

/** dist/cli/ of the build that made the snapshot: paths baked into the heap (PROFILES_DIR, pino, xml-parser.cjs) point there. */
const BUILT_IN = dirname(fileURLToPath(import.meta.url));

/**
 * Work done once, at build time, so a run does not. The seed example is
 * predicted and rendered: that initializes the modules, loads the
 * validators, parses the profiles it uses and compiles the functions a gate
 * runs (their bytecode is kept in the snapshot; what the JIT learns is not:
 * repeating a run does not help). Two libvirt domain XMLs
 * (test/fixtures/libvirt, when present) are only read, which compiles the
 * XML parser and the libvirt adapter: an XML gate then takes ~15 ms less.
 * They are not predicted: the model's memo caches (check/build.ts …) would
 * keep every built config space in the heap, and deserializing 1.4 MB more
 * costs every gate ~10 ms. Nor are the other profiles preloaded: parsed
 * JSON is slow to deserialize (all of device-profiles/ adds 1.3 MB of heap
 * and ~15 ms to every start, more than reading the few files a run uses).
 */
function warmUp(): void {
  // Node's stream code, as stdout (a pipe, a file) will use it; stdout on a
  // pipe is a net.Socket, whose module is then in the heap (1-2 ms a run).
  new Writable({ write: (_chunk, _encoding, done) => done() }).end('warm');
  if (typeof Socket !== 'function') throw new Error('node:net did not load');
  const seed = join(BUILT_IN, '../../examples/seed-hotplug-discard');
  for (const src of ['src.json', 'src-cold-boot.json']) {
    const [s, d] = [join(seed, src), join(seed, 'dst.json')];
    if (existsSync(s) && existsSync(d)) predict(s, d);
  }
  const libvirt = join(BUILT_IN, '../../test/fixtures/libvirt');
  for (const xml of ['q35-hotplug.migratable.xml', 'q35.migratable.xml', 'pc.migratable.xml'].map((f) => join(libvirt, f))) {
    if (!existsSync(xml)) continue;
    try {
      loadDescription(xml, { qemu: '7.2' });
    } catch (e) {
      // A warm-up input the adapter now refuses only leaves that path slower; anything else is a bug to see.
      if (!(e instanceof InputError)) throw e;
    }
  }
}

/** A gate's work without its output: the line read, both sides loaded, the prediction and its remedies rendered. */
function predict(src: string, dst: string): void {
  plainArgs([src, dst], recordOptions(checkOptions));
  const s = loadDescription(src);
  const d = loadDescription(dst);
  const predicted = checkMigration(s, d);
  const report = predicted.verdict === 'compatible' ? predicted : withRemedies(predicted, proposeRemedies(s, d, predicted));
  for (const format of ['text', 'json'] as const) render(report, format);
}

/**
 * A run. The launcher (dist/cli/compat-check) passes the ESM bundle as the
 * script, so process.argv reads as for `node dist/cli/compat-check.mjs ARGS`.
 * A plain gate or hook line runs here; any other line, or a snapshot whose
 * dist/ has moved since it was built, runs the ESM bundle.
 */
function fromSnapshot(): void {
  if (!process.argv[1]) {
    process.stderr.write('compat-check: internal error: the snapshot runs with the ESM bundle as its script (dist/cli/compat-check does)\n');
    process.exitCode = EXIT.internal;
    return;
  }
  // Node makes the script's path absolute for a script it loads, not for a snapshot's argument.
  const entry = (process.argv[1] = resolve(process.argv[1]));
  if (!builtHere(dirname(entry))) {
    finish(runEntry(entry));
    return;
  }
  tolerateClosedStdout();
  finish(runPlainLine(process.argv.slice(2)).then((code) => (code === undefined ? runEntry(entry) : code)));
}

/** Whether the launcher's directory is the one the snapshot was built in (reached through a symlink, too). */
function builtHere(dir: string): boolean {
  if (dir === BUILT_IN) return true;
  try {
    return realpathSync(dir) === BUILT_IN;
  } catch {
    return false;
  }
}

/** The ESM bundle, loaded as Node 20.19+ loads ES modules through require() (it has no top-level await): it sets its own exit code. */
async function runEntry(entry: string): Promise<undefined> {
  // A Node it starts (the fleet's capped child) must not be handed this
  // snapshot: Node refuses a snapshot under other V8 flags (exit code 14).
  const blob = process.execArgv.findIndex((a) => a === '--snapshot-blob' || a.startsWith('--snapshot-blob='));
  if (blob >= 0) process.execArgv.splice(blob, process.execArgv[blob].includes('=') ? 1 : 2);
  createRequire(entry)(entry);
  return undefined;
}

if (startupSnapshot.isBuildingSnapshot()) {
  warmUp();
  startupSnapshot.setDeserializeMainFunction(fromSnapshot);
}
