#!/usr/bin/env node
/**
 * compat-check SRC DST — will the destination QEMU accept this VM's devices?
 * Exit codes: 0 compatible, 1 incompatible or at-risk, 2 bad input,
 * 3 unknown (something is not modelled), 4 internal error.
 * stdout carries only the report; logs go to stderr.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { pino, destination } from 'pino';
import { loadVmFile } from '../inputs/vm.js';
import { InputError } from '../inputs/errors.js';
import { checkMigration } from '../check/migration.js';
import { toJsonReport } from '../report/json.js';
import { toText } from '../report/text.js';
import { type VerdictKind } from '../check/verdict.js';

export const EXIT = { compatible: 0, incompatible: 1, 'at-risk': 1, badInput: 2, unknown: 3, internal: 4 } as const;

export function exitCode(verdict: VerdictKind, allowUnknown: boolean): number {
  if (verdict === 'unknown') return allowUnknown ? EXIT.compatible : EXIT.unknown;
  return EXIT[verdict];
}

async function main(argv: string[]): Promise<number> {
  const args = await yargs(argv)
    .scriptName('compat-check')
    .usage('$0 SRC.json DST.json\n\nPredicts whether the destination QEMU accepts the source VM\'s PCI devices in a live migration.')
    .command('$0 <src> <dst>', 'check a migration', (y) => y
      .positional('src', { type: 'string', demandOption: true, describe: 'source VM description (JSON)' })
      .positional('dst', { type: 'string', demandOption: true, describe: 'destination VM description (JSON)' }))
    .option('json', { type: 'boolean', default: false, describe: 'print the JSON report (schemas/report.schema.json)' })
    .option('allow-unknown', { type: 'boolean', default: false, describe: 'exit 0 when the only doubt is an unmodelled device or property' })
    .option('log-level', { type: 'string', default: 'warn', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] })
    .strict()
    .fail((msg, err) => {
      throw new InputError('command line', '', err?.message ?? msg);
    })
    .exitProcess(false)
    .parseAsync();
  const log = pino({ level: args['log-level'] }, destination(2));
  const src = loadVmFile(args.src as string);
  const dst = loadVmFile(args.dst as string);
  log.debug({ src: src.file, dst: dst.file }, 'descriptions loaded');
  const report = checkMigration(src, dst);
  log.info({ verdict: report.verdict }, 'prediction done');
  process.stdout.write(args.json ? JSON.stringify(toJsonReport(report), null, 2) + '\n' : toText(report));
  return exitCode(report.verdict, args['allow-unknown']);
}

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
