/**
 * compat-check rehearse --src-qemu A --dst-qemu B SRC [DST] — run the
 * migration for real, without a guest or disks, and show QEMU's verdict
 * beside the prediction.
 */
import { type Argv } from 'yargs';
import { type Logger } from 'pino';
import { existsSync } from 'node:fs';
import { loadDescription } from '../inputs/load.js';
import { InputError } from '../inputs/errors.js';
import { checkMigration } from '../check/migration.js';
import { rehearse } from '../rehearse/run.js';
import { qemuVersionOf } from '../qemu/installed.js';
import { findQemuBinary } from '../qemu/binary.js';
import { EXIT } from './exit.js';
import { releaseOf } from '../profiles/versions.js';

export function rehearseOptions(y: Argv) {
  return y
    .positional('src', { type: 'string', demandOption: true, describe: 'source VM description' })
    .positional('dst', { type: 'string', describe: 'destination VM description (default: the source\'s)' })
    .option('src-qemu', { type: 'string', describe: 'source qemu-system-x86_64 (default: on PATH)' })
    .option('dst-qemu', { type: 'string', describe: 'destination qemu-system-x86_64 (default: the source\'s)' })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON' });
}

export interface RehearseArgs { src: string; dst?: string; 'src-qemu'?: string; 'dst-qemu'?: string; json: boolean }

function binary(path: string | undefined, option: string): string {
  const found = path ? (existsSync(path) ? path : undefined) : findQemuBinary();
  if (!found) throw new InputError('command line', option, path ? `no QEMU binary at ${path}` : 'no qemu-system-x86_64 on PATH');
  return found;
}

export async function runRehearse(args: RehearseArgs, log: Logger): Promise<number> {
  const srcBin = binary(args['src-qemu'], '--src-qemu');
  const dstBin = args['dst-qemu'] ? binary(args['dst-qemu'], '--dst-qemu') : srcBin;
  const src = loadDescription(args.src);
  const dst = loadDescription(args.dst ?? args.src);
  const predicted = checkMigration(src, dst);
  const versions = { source: qemuVersionOf(srcBin), destination: qemuVersionOf(dstBin) };
  for (const [vm, v, opt] of [[src, versions.source, '--src-qemu'], [dst, versions.destination, '--dst-qemu']] as const) {
    const m = /version (\d+\.\d+)/.exec(v);
    if (m?.[1] !== releaseOf(vm.qemu)) {
      throw new InputError(vm.file, 'qemu', `describes QEMU ${vm.qemu} but ${opt} runs "${v}"`);
    }
  }
  log.info(versions, 'rehearsing');
  const real = await rehearse(srcBin, dstBin, src, dst);
  const agree = real.ok === (predicted.verdict === 'compatible') && (real.ok || real.firstError === predicted.firstError);
  const out = {
    qemu: versions,
    real: { outcome: real.ok ? 'loaded' : `failed at ${real.failedAt}`, firstError: real.firstError ?? null, stderr: real.stderr },
    predicted: { verdict: predicted.verdict, firstError: predicted.firstError ?? null },
    agree,
    timings: real.timings,
  };
  process.stdout.write(args.json ? JSON.stringify(out, null, 2) + '\n' : [
    `source:      ${versions.source}`,
    `destination: ${versions.destination}`,
    `QEMU:        ${out.real.outcome}${real.firstError ? `\n             ${real.firstError}` : ''}`,
    `predicted:   ${predicted.verdict}${predicted.firstError ? `\n             ${predicted.firstError}` : ''}`,
    agree ? 'the prediction agrees with QEMU' : 'THE PREDICTION DISAGREES WITH QEMU',
    '',
  ].join('\n'));
  if (!real.ok && real.failedAt === 'source') return EXIT.badInput;
  return real.ok ? EXIT.compatible : EXIT.incompatible;
}
