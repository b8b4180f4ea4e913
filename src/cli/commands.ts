/**
 * The whole command line through yargs: every command, --help, and any
 * gate line gate-args.ts leaves to it. Loaded only then (it is most of what
 * a start-up would otherwise compile).
 */
import yargs from 'yargs';
import { lazyLogger } from './log.js';
import { InputError } from '../inputs/errors.js';
import { checkOptions, runCheck, type CheckArgs } from './check.js';
import { EXIT } from './exit.js';
import { rehearseOptions, runRehearse, type RehearseArgs } from './rehearse.js';
import { probeOptions, runProbe, type ProbeArgs } from './probe.js';
import { fleetOptions, runFleet, type FleetArgs } from './fleet.js';
import { hookOptions, runHook, type HookArgs } from './hook.js';

export async function runCommandLine(argv: string[]): Promise<number> {
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

