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
import { gateArgs } from './gate-args.js';
import { runCheck } from './check.js';

/** The plain gate line runs without loading yargs; everything else goes through it (cli/commands.ts). */
async function main(argv: string[]): Promise<number> {
  const gate = gateArgs(argv);
  if (gate) return runCheck(gate.args, lazyLogger(gate.logLevel));
  const { runCommandLine } = await import('./commands.js');
  return runCommandLine(argv);
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
