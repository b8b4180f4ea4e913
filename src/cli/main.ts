#!/usr/bin/env node
/**
 * compat-check — will the destination QEMU accept this VM's devices?
 * Exit codes (cli/exit.ts): 0 compatible, 1 incompatible or at-risk,
 * 2 bad input, 3 unknown (something is not modelled), 4 internal error.
 * stdout carries only the report; logs go to stderr.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { lazyLogger } from './log.js';
import { InputError } from '../inputs/errors.js';
import { checkOptions, runCheck, type CheckArgs } from './check.js';
import { EXIT } from './exit.js';
import { rehearseOptions, runRehearse, type RehearseArgs } from './rehearse.js';
import { probeOptions, runProbe, type ProbeArgs } from './probe.js';
import { fleetOptions, runFleet, type FleetArgs } from './fleet.js';
import { hookOptions, runHook, type HookArgs } from './hook.js';

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.internal;
  const log = () => lazyLogger(logLevel);
  let logLevel = 'warn';
  await yargs(argv)
    .scriptName('compat-check')
    .usage('$0 SRC [DST | --to-qemu VERSION]\n\nPredicts whether the destination QEMU accepts the source VM\'s PCI devices in a live migration.')
    .option('log-level', { type: 'string', default: 'warn', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] })
    .middleware((a) => { logLevel = a['log-level'] as string; })
    .command('$0 <src> [dst]', 'check a migration (the gate)', checkOptions, (a) => { code = runCheck(a as unknown as CheckArgs, log()); })
    .command('rehearse <src> [dst]', 'migrate for real with placeholder backends and compare with the prediction', rehearseOptions,
      async (a) => { code = await runRehearse(a as unknown as RehearseArgs, log()); })
    .command('fleet <inventory>', 'check every VM of an inventory (JSONL) against a destination release', fleetOptions,
      async (a) => { code = await runFleet(a as unknown as FleetArgs, log()); })
    .command('hook <object> <operation> [suboperation] [extra]', 'as /etc/libvirt/hooks/qemu: check an incoming migration (migrate begin) against the local QEMU', hookOptions,
      (a) => { code = runHook(a as unknown as HookArgs, log()); })
    .command('probe', 'read a real QEMU\'s devices: a profile, or --verify against the model', probeOptions,
      async (a) => { code = await runProbe(a as unknown as ProbeArgs, log()); })
    .strict()
    .fail((msg, err) => {
      throw err instanceof InputError ? err : new InputError('command line', '', err?.message ?? msg);
    })
    .exitProcess(false)
    .parseAsync();
  return code;
}

// A reader that stops early (| head) is not an error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(hideBin(process.argv)).then(
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
