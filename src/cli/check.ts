/**
 * compat-check SRC [DST] — the gate. SRC and DST may be any input form
 * (inputs/load.ts); --to-qemu makes the destination the source on another
 * release, --dst-global tries a remedy on the destination. Every failing
 * device gets its remedies, each verified by re-running the prediction.
 */
import { type Argv } from 'yargs';
import { type Logger } from 'pino';
import { loadDescription } from '../inputs/load.js';
import { InputError } from '../inputs/errors.js';
import { mergeVirtio, readVirtioFiles } from '../inputs/qmp-virtio.js';
import { checkMigration } from '../check/migration.js';
import { retarget, withHostKernel } from '../check/retarget.js';
import { type VmDescription } from '../inputs/vm.js';
import { proposeRemedies, withRemedies } from '../check/remedy.js';
import { gateExit, parseFailOn } from './exit.js';
import { parseGlobals } from './globals.js';
import { emit, type Format, FORMATS } from './output.js';

export function checkOptions(y: Argv) {
  return y
    .positional('src', { type: 'string', demandOption: true, describe: 'source VM: JSON description, libvirt domain XML, or QEMU command line / libvirt VM.log' })
    .positional('dst', { type: 'string', describe: 'destination VM, in any of those forms (or --to-qemu)' })
    .option('qemu', { type: 'string', describe: 'QEMU release of an input that does not say (domain XML, a bare command line)' })
    .option('src-pci', { type: 'string', array: true, default: [], describe: 'query-pci JSON, `info pci` text or guest `lspci -xxx` of the running source, merged onto SRC (repeatable)' })
    .option('src-virtio', { type: 'string', array: true, default: [], describe: 'live virtio state of the running source (QMP x-query-virtio-status / x-query-virtio-queue-status): ID=FILE for one reply, or FILE keyed by QOM path or id (repeatable)' })
    .option('to-qemu', { type: 'string', describe: 'destination = SRC on this QEMU release (instead of DST)' })
    .option('to-machine', { type: 'string', describe: 'with --to-qemu: the destination machine type (default: SRC\'s, an alias re-resolves)' })
    .option('src-host-kernel', { type: 'string', describe: 'Linux release of the source host ("6.1"): tap offloads (USO 6.2+, UDP tunnel 6.17+) of NICs that say none' })
    .option('dst-host-kernel', { type: 'string', describe: 'Linux release of the destination host, likewise' })
    .option('dst-global', { type: 'string', array: true, default: [], describe: 'driver.property=value added to the destination\'s -global options (repeatable)' })
    .option('format', { type: 'string', choices: FORMATS as unknown as string[], describe: 'report form: text (default), json (schemas/report.schema.json), markdown, html' })
    .option('json', { type: 'boolean', default: false, describe: 'same as --format json' })
    .option('output', { type: 'string', describe: 'write the report to FILE (atomically: temp file + rename) instead of stdout' })
    .option('fail-on', { type: 'string', describe: 'comma list of the verdicts that fail the gate: incompatible, at-risk, unknown (default: all three)' })
    .option('allow-unknown', { type: 'boolean', default: false, describe: 'shorthand: take unknown out of --fail-on' });
}

export interface CheckArgs {
  src: string; dst?: string; qemu?: string; 'src-pci': string[]; 'src-virtio'?: string[]; 'to-qemu'?: string; 'to-machine'?: string; 'dst-global': string[];
  'src-host-kernel'?: string; 'dst-host-kernel'?: string;
  format?: Format; json: boolean; output?: string; 'fail-on'?: string; 'allow-unknown': boolean;
}

export function runCheck(args: CheckArgs, log: Logger): number {
  if (args.dst !== undefined && args['to-qemu'] !== undefined) throw new InputError('command line', '', 'give DST or --to-qemu, not both');
  if (args.dst === undefined && args['to-qemu'] === undefined) {
    throw new InputError('command line', '', 'no destination: give DST, or --to-qemu VERSION for this VM on another release');
  }
  if (args['to-machine'] !== undefined && args['to-qemu'] === undefined) throw new InputError('command line', '--to-machine', 'goes with --to-qemu');
  if (args.json && args.format !== undefined && args.format !== 'json') throw new InputError('command line', '--json', `contradicts --format ${args.format}`);
  const format: Format = args.json ? 'json' : (args.format ?? 'text');
  const failOn = parseFailOn(args['fail-on'], args['allow-unknown']);
  const globals = parseGlobals(args['dst-global'], '--dst-global');
  const srcKernel = hostKernelArg(args['src-host-kernel'], '--src-host-kernel');
  const dstKernel = hostKernelArg(args['dst-host-kernel'], '--dst-host-kernel');
  const src = withHostKernel(mergeVirtio(loadDescription(args.src, { qemu: args.qemu, pci: args['src-pci'] }), readVirtioFiles(args['src-virtio'] ?? [])), srcKernel);
  const dst = args.dst !== undefined
    ? (() => { const d = withHostKernel(loadDescription(args.dst, { qemu: args.qemu }), dstKernel); return { ...d, globals: [...d.globals, ...globals] }; })()
    : retargetWithKernel(retarget(src, { qemu: args['to-qemu']!, machine: args['to-machine'], globals }), dstKernel);
  log.debug({ src: src.file, dst: dst.file }, 'descriptions loaded');
  const predicted = checkMigration(src, dst);
  const report = predicted.verdict === 'compatible' ? predicted : withRemedies(predicted, proposeRemedies(src, dst, predicted));
  log.info({ verdict: report.verdict }, 'prediction done');
  emit(report, format, args.output);
  return gateExit(report, failOn);
}

function hostKernelArg(v: string | undefined, flag: string): string | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+\.[0-9]+(\..*)?$/.test(v)) throw new InputError('command line', flag, `"${v}" is not a Linux release (e.g. 6.1)`);
  return v;
}

/** A derived destination keeps the source's NIC backends; --dst-host-kernel replaces their kernel. */
function retargetWithKernel(dst: VmDescription, kernel: string | undefined): VmDescription {
  if (kernel === undefined) return dst;
  return withHostKernel({ ...dst, devices: dst.devices.map((d) => (d.backend ? { ...d, backend: { ...d.backend, hostKernel: undefined } } : d)) }, kernel);
}
