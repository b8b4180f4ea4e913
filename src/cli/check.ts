/**
 * compat-check SRC DST — the gate.
 */
import { type Argv } from 'yargs';
import { type Logger } from 'pino';
import { loadDescription } from '../inputs/load.js';
import { checkMigration } from '../check/migration.js';
import { toJsonReport } from '../report/json.js';
import { toText } from '../report/text.js';
import { exitCode } from './exit.js';

export function checkOptions(y: Argv) {
  return y
    .positional('src', { type: 'string', demandOption: true, describe: 'source VM description' })
    .positional('dst', { type: 'string', demandOption: true, describe: 'destination VM description' })
    .option('json', { type: 'boolean', default: false, describe: 'print the JSON report (schemas/report.schema.json)' })
    .option('allow-unknown', { type: 'boolean', default: false, describe: 'exit 0 when the only doubt is something not modelled' });
}

export interface CheckArgs { src: string; dst: string; json: boolean; 'allow-unknown': boolean }

export function runCheck(args: CheckArgs, log: Logger): number {
  const src = loadDescription(args.src);
  const dst = loadDescription(args.dst);
  log.debug({ src: src.file, dst: dst.file }, 'descriptions loaded');
  const report = checkMigration(src, dst);
  log.info({ verdict: report.verdict }, 'prediction done');
  process.stdout.write(args.json ? JSON.stringify(toJsonReport(report), null, 2) + '\n' : toText(report));
  return exitCode(report.verdict, args['allow-unknown']);
}
