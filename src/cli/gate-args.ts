/**
 * The command lines that start most often read without yargs: the gate
 * (`compat-check SRC DST …`, an upgrade script) and the libvirt hook
 * (`compat-check hook VM OP SUB - …`, on every VM start and stop of a
 * host). Each pays for every module it loads, and yargs is the largest.
 * Only the plain forms are read here — the positionals and the command's
 * own options as `--name value` / `--name=value`, bare booleans — and the
 * options come from the same declaration yargs gets (checkOptions,
 * hookOptions, replayed on a recorder), so an option added there is known
 * here too. Anything else (another command, --help, a short flag, a
 * repeated option, a value yargs would read differently, a declaration
 * the recorder does not understand) returns undefined, and yargs parses
 * the line as before.
 */
import { type Argv } from 'yargs';

interface OptionSpec { type: 'string' | 'boolean'; array: boolean; default?: unknown; choices?: string[]; required: boolean }

/** A command's declaration as recorded: positionals in order, then every option (main's --log-level included). */
export interface Declared { positionals: string[]; options: Map<string, OptionSpec> }

/** Words that name a command (or yargs' own help/completion) when they come first. */
const COMMANDS = new Set(['rehearse', 'fleet', 'hook', 'probe', 'help', 'completion']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DESCRIBING = new Set(['type', 'array', 'default', 'choices', 'describe', 'demandOption']);

/** `declare` (checkOptions, hookOptions) replayed on a recorder; undefined when it declares something the recorder does not model. */
export function recordOptions(declare: (y: Argv) => unknown): Declared | undefined {
  const options = new Map<string, OptionSpec>([['log-level', { type: 'string', array: false, default: 'warn', choices: LOG_LEVELS, required: false }]]);
  const positionals: string[] = [];
  let ok = true;
  const record = (name: string, o: Record<string, unknown>) => {
    if (Object.keys(o).some((k) => !DESCRIBING.has(k)) || (o.type !== 'string' && o.type !== 'boolean')) ok = false;
    options.set(name, {
      type: o.type as OptionSpec['type'], array: o.array === true, default: o.default, choices: o.choices as string[] | undefined, required: o.demandOption === true,
    });
  };
  const recorder = {
    positional(name: string, o: Record<string, unknown>) { positionals.push(name); record(name, o); return recorder; },
    option(name: string, o: Record<string, unknown>) { record(name, o); return recorder; },
  };
  try {
    declare(recorder as unknown as Argv);
  } catch {
    return undefined;
  }
  return ok ? { positionals, options } : undefined;
}

export interface PlainLine { args: Record<string, unknown>; logLevel: string }

/**
 * The arguments as yargs would give the handler, or undefined to let yargs
 * parse the line. `command`: the command word that must come first among
 * the positionals ("hook"), or undefined for the default command (the gate).
 */
export function plainArgs(argv: string[], declared: Declared | undefined, command?: string): PlainLine | undefined {
  if (!declared) return undefined;
  const { positionals: names, options } = declared;
  const positional: string[] = [];
  const values = new Map<string, unknown>();
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    // A lone "-" is a word (libvirt passes it as the hook's extra argument).
    if (!tok.startsWith('-') || tok === '-') {
      positional.push(tok);
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(tok);
    if (!m) return undefined;
    const [, name, inline] = m;
    const o = options.get(name);
    if (!o || names.includes(name) || (values.has(name) && !o.array)) return undefined;
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
  if (command !== undefined) {
    if (positional.shift() !== command) return undefined;
  } else if (COMMANDS.has(positional[0])) {
    return undefined;
  }
  const required = names.filter((n) => options.get(n)!.required).length;
  if (positional.length < Math.max(1, required) || positional.length > names.length) return undefined;
  const args: Record<string, unknown> = {};
  names.forEach((n, k) => { args[n] = positional[k]; });
  for (const [name, o] of options) {
    if (names.includes(name) || o.required) continue;
    const v = values.get(name) ?? o.default;
    if (v !== undefined) args[name] = v;
  }
  // A required option (none today) that is missing is yargs' error to word.
  if ([...options].some(([name, o]) => o.required && !names.includes(name) && !values.has(name))) return undefined;
  for (const [name, o] of options) if (o.required && !names.includes(name)) args[name] = values.get(name);
  return { args, logLevel: args['log-level'] as string };
}
