/**
 * The command lines that run without yargs: a plain gate line and a plain
 * hook line (cli/gate-args.ts says which are plain). libvirt's hook calls
 * other than "migrate begin" pass without loading the model at all. Shared
 * by the ESM entry (main.ts) and the start-up snapshot (snapshot.ts).
 */
import { lazyLogger } from './log.js';
import { EXIT } from './exit.js';
import { plainArgs, recordOptions } from './gate-args.js';
import { hookChecks, hookOptions, type HookArgs } from './hook-options.js';
import { type CheckArgs } from './check.js';

/** The exit code of a plain line, or undefined when yargs must read it (another command, --help …). */
export async function runPlainLine(argv: string[]): Promise<number | undefined> {
  if (argv.includes('hook')) {
    const hook = plainArgs(argv, recordOptions(hookOptions), 'hook');
    if (!hook) return undefined;
    if (!hookChecks(hook.args as unknown as HookArgs)) return EXIT.compatible;
    const { runHook } = await import('./hook.js');
    return runHook(hook.args as unknown as HookArgs, lazyLogger(hook.logLevel));
  }
  const { checkOptions, runCheck } = await import('./check.js');
  const gate = plainArgs(argv, recordOptions(checkOptions));
  return gate ? runCheck(gate.args as unknown as CheckArgs, lazyLogger(gate.logLevel)) : undefined;
}
