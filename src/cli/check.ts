/**
 * compat-check SRC [DST] — the gate. SRC and DST may be any input form
 * (inputs/load.ts); --to-qemu makes the destination the source on another
 * release, --dst-global tries a remedy on the destination.
 */
import { type Argv } from 'yargs';
import { type Logger } from 'pino';
import { loadDescription } from '../inputs/load.js';
import { InputError } from '../inputs/errors.js';
import { checkMigration } from '../check/migration.js';
import { retarget } from '../check/retarget.js';
import { toJsonReport } from '../report/json.js';
import { toText } from '../report/text.js';
import { exitCode } from './exit.js';
import { parseGlobals } from './globals.js';

export function checkOptions(y: Argv) {
  return y
    .positional('src', { type: 'string', demandOption: true, describe: 'source VM: JSON description, libvirt domain XML, or QEMU command line / libvirt VM.log' })
    .positional('dst', { type: 'string', describe: 'destination VM, in any of those forms (or --to-qemu)' })
    .option('qemu', { type: 'string', describe: 'QEMU release of an input that does not say (domain XML, a bare command line)' })
    .option('src-pci', { type: 'string', array: true, default: [], describe: 'query-pci JSON, `info pci` text or guest `lspci -xxx` of the running source, merged onto SRC (repeatable)' })
    .option('to-qemu', { type: 'string', describe: 'destination = SRC on this QEMU release (instead of DST)' })
    .option('to-machine', { type: 'string', describe: 'with --to-qemu: the destination machine type (default: SRC\'s, an alias re-resolves)' })
    .option('dst-global', { type: 'string', array: true, default: [], describe: 'driver.property=value added to the destination\'s -global options (repeatable)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the JSON report (schemas/report.schema.json)' })
    .option('allow-unknown', { type: 'boolean', default: false, describe: 'exit 0 when the only doubt is something not modelled' });
}

export interface CheckArgs {
  src: string; dst?: string; qemu?: string; 'src-pci': string[]; 'to-qemu'?: string; 'to-machine'?: string; 'dst-global': string[];
  json: boolean; 'allow-unknown': boolean;
}

export function runCheck(args: CheckArgs, log: Logger): number {
  if (args.dst !== undefined && args['to-qemu'] !== undefined) throw new InputError('command line', '', 'give DST or --to-qemu, not both');
  if (args.dst === undefined && args['to-qemu'] === undefined) {
    throw new InputError('command line', '', 'no destination: give DST, or --to-qemu VERSION for this VM on another release');
  }
  if (args['to-machine'] !== undefined && args['to-qemu'] === undefined) throw new InputError('command line', '--to-machine', 'goes with --to-qemu');
  const globals = parseGlobals(args['dst-global'], '--dst-global');
  const src = loadDescription(args.src, { qemu: args.qemu, pci: args['src-pci'] });
  const dst = args.dst !== undefined
    ? (() => { const d = loadDescription(args.dst, { qemu: args.qemu }); return { ...d, globals: [...d.globals, ...globals] }; })()
    : retarget(src, { qemu: args['to-qemu']!, machine: args['to-machine'], globals });
  log.debug({ src: src.file, dst: dst.file }, 'descriptions loaded');
  const report = checkMigration(src, dst);
  log.info({ verdict: report.verdict }, 'prediction done');
  process.stdout.write(args.json ? JSON.stringify(toJsonReport(report), null, 2) + '\n' : toText(report));
  return exitCode(report.verdict, args['allow-unknown']);
}
