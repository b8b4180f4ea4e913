#!/usr/bin/env node
/**
 * compat-check — will the destination QEMU accept this VM's devices?
 * Exit codes (cli/exit.ts): 0 compatible, 1 incompatible or at-risk,
 * 2 bad input, 3 unknown (something is not modelled), 4 internal error.
 * stdout carries only the report; logs go to stderr.
 */
import { lazyLogger } from './log.js';
import { InputError } from '../inputs/errors.js';
import { EXIT } from './exit.js';
import { plainArgs, recordOptions } from './gate-args.js';
import { hookChecks, hookOptions, type HookArgs } from './hook-options.js';
import { type CheckArgs } from './check.js';

/**
 * A plain gate line runs without loading yargs, and a plain hook line
 * too — libvirt's calls other than "migrate begin" pass without loading
 * the model at all; everything else goes through yargs (cli/commands.ts).
 * Each path imports only what it runs.
 */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('hook')) {
    const hook = plainArgs(argv, recordOptions(hookOptions), 'hook');
    if (hook && !hookChecks(hook.args as unknown as HookArgs)) return EXIT.compatible;
    if (hook) {
      const { runHook } = await import('./hook.js');
      return runHook(hook.args as unknown as HookArgs, lazyLogger(hook.logLevel));
    }
  } else {
    const { checkOptions, runCheck } = await import('./check.js');
    const gate = plainArgs(argv, recordOptions(checkOptions));
    if (gate) return runCheck(gate.args as unknown as CheckArgs, lazyLogger(gate.logLevel));
  }
  const { runCommandLine } = await import('./commands.js');
  const code = await runCommandLine(argv);
  // yargs prints --help and --version itself (on stdout) and runs no command, so no command set the code: a success.
  return code === EXIT.internal && asksHelpOrVersion(argv) ? EXIT.compatible : code;
}

/** --help or --version among the options (not after "--", where it would be an operand). */
function asksHelpOrVersion(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '--version');
}

// A reader that stops early (| head) is not an error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// yargs' hideBin for plain Node: the arguments after the script.
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof InputError) {
      process.stderr.write(`compat-check: ${e.message}\n`);
      process.exitCode = EXIT.badInput;
    } else {
      process.stderr.write(`compat-check: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.internal;
    }
  },
);
