/**
 * The gate's command line read without yargs: a gate run (an upgrade
 * script, a libvirt hook) pays for every module it loads, and yargs is the
 * largest. Only the plain forms are read here — one or two positionals and
 * the gate's own options as `--name value` / `--name=value`, bare booleans —
 * and the options come from the same declaration yargs gets (checkOptions,
 * replayed on a recorder), so an option added there is known here too.
 * Anything else (a command name, --help, a short flag, a repeated option, a
 * value yargs would read differently, a declaration this recorder does not
 * understand) returns undefined, and yargs parses the line as before.
 */
import { type Argv } from 'yargs';
import { type CheckArgs, checkOptions } from './check.js';

interface OptionSpec { type: 'string' | 'boolean'; array: boolean; default?: unknown; choices?: string[] }

/** The first positional that names a command (or yargs' own help/completion) goes to yargs. */
const COMMANDS = new Set(['rehearse', 'fleet', 'hook', 'probe', 'help', 'completion']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DESCRIBING = new Set(['type', 'array', 'default', 'choices', 'describe', 'demandOption']);

let specs: Map<string, OptionSpec> | null | undefined;

/** checkOptions replayed on a recorder; null when it declares something the recorder does not model. */
function gateSpecs(): Map<string, OptionSpec> | null {
  if (specs !== undefined) return specs;
  const out = new Map<string, OptionSpec>([['log-level', { type: 'string', array: false, default: 'warn', choices: LOG_LEVELS }]]);
  let ok = true;
  const record = (name: string, o: Record<string, unknown>) => {
    if (Object.keys(o).some((k) => !DESCRIBING.has(k)) || (o.type !== 'string' && o.type !== 'boolean')) ok = false;
    out.set(name, { type: o.type as OptionSpec['type'], array: o.array === true, default: o.default, choices: o.choices as string[] | undefined });
  };
  const positionals: string[] = [];
  const recorder = {
    positional(name: string, o: Record<string, unknown>) { positionals.push(name); record(name, o); return recorder; },
    option(name: string, o: Record<string, unknown>) { record(name, o); return recorder; },
  };
  try {
    checkOptions(recorder as unknown as Argv);
  } catch {
    ok = false;
  }
  specs = ok && positionals.join() === 'src,dst' ? out : null;
  return specs;
}

export interface GateLine { args: CheckArgs; logLevel: string }

/** The gate's arguments as yargs would give them, or undefined to let yargs parse the line. */
export function gateArgs(argv: string[]): GateLine | undefined {
  const spec = gateSpecs();
  if (!spec) return undefined;
  const positional: string[] = [];
  const values = new Map<string, unknown>();
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (!tok.startsWith('-')) {
      positional.push(tok);
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(tok);
    if (!m) return undefined;
    const [, name, inline] = m;
    const o = spec.get(name);
    if (!o || name === 'src' || name === 'dst' || (values.has(name) && !o.array)) return undefined;
    if (o.type === 'boolean') {
      // --json true / --json=false / --no-json: yargs' readings, left to it.
      if (inline !== undefined || argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
      values.set(name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (o.choices && !o.choices.includes(value)) return undefined;
    // An array option takes every following word in yargs: only one value is read here.
    if (o.array && inline === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) return undefined;
    if (o.array) values.set(name, [...((values.get(name) as string[] | undefined) ?? []), value]);
    else values.set(name, value);
  }
  if (positional.length < 1 || positional.length > 2 || COMMANDS.has(positional[0])) return undefined;
  const args: Record<string, unknown> = { src: positional[0], dst: positional[1] };
  for (const [name, o] of spec) {
    if (name === 'src' || name === 'dst') continue;
    const v = values.get(name) ?? o.default;
    if (v !== undefined) args[name] = v;
  }
  return { args: args as unknown as CheckArgs, logLevel: args['log-level'] as string };
}
