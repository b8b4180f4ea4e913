/**
 * compat-check probe --qemu BINARY --machine M --device '...' [--verify]
 * — read a real binary's devices (config space and writable bits) and
 * write them as a profile, or, with --verify, show byte by byte where our
 * model of that release disagrees. How an operator checks a downstream
 * build on the destination host itself.
 */
import { type Argv } from 'yargs';
import { type Logger } from 'pino';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { parseVmJson } from '../inputs/vm.js';
import { InputError } from '../inputs/errors.js';
import { parseQemuOpts, QemuOptsError } from '../inputs/qemu-opts.js';
import { findQemuBinary } from '../qemu/binary.js';
import { qemuVersionOf } from '../qemu/installed.js';
import { QemuStartError } from '../qemu/errors.js';
import { machineProfile } from '../profiles/data.js';
import { resolveMachine } from '../profiles/machine.js';
import { releaseOf } from '../profiles/versions.js';
import { rootBusName } from '../check/placement.js';
import { buildDevice } from '../check/build.js';
import { fieldAt } from '../config-space/fields.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { probeVm, type ProbedDevice } from '../rehearse/probe-vm.js';
import { bridgeNumbers } from '../rehearse/program.js';
import { sourceBytes } from '../check/source-bytes.js';
import { probeBlindBits } from '../config-space/probe-blind.js';
import { EXIT } from './exit.js';

export function probeOptions(y: Argv) {
  return y
    .option('qemu', { type: 'string', describe: 'qemu-system-x86_64 to probe (default: on PATH)' })
    .option('machine', { type: 'string', demandOption: true, describe: 'machine type, e.g. pc-q35-7.2' })
    .option('smp', { type: 'number', default: 1, describe: 'vCPUs' })
    .option('device', { type: 'string', array: true, demandOption: true, describe: '-device option, e.g. virtio-blk-pci,discard=on (repeatable)' })
    .option('qemu-global', { type: 'string', array: true, default: [], describe: 'a -global given to QEMU but not to the model (a downstream build\'s own default)' })
    .option('verify', { type: 'boolean', default: false, describe: 'compare with our model of that release, byte by byte' })
    .option('output', { type: 'string', describe: 'write the profile to this file (default: stdout)' });
}

export interface ProbeArgs {
  qemu?: string; machine: string; smp: number; device: string[]; 'qemu-global': string[]; verify: boolean; output?: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function describeVm(args: ProbeArgs, version: string) {
  const devices = args.device.map((text, n) => {
    let parsed;
    try {
      parsed = parseQemuOpts(text, 'driver');
    } catch (e) {
      if (e instanceof QemuOptsError) throw new InputError('command line', `--device ${text}`, e.message);
      throw e;
    }
    if (!parsed.implied) throw new InputError('command line', `--device ${text}`, 'no driver');
    const { id, bus, addr, ...properties } = parsed.props;
    return {
      id: id ?? `dev${n}`, driver: parsed.implied, properties,
      ...(bus ? { bus } : {}),
      ...(addr ? { addr } : bus ? {} : { addr: `0x${(5 + n).toString(16)}` }),
    };
  });
  const vm = parseVmJson({ qemu: version, machine: args.machine, smp: args.smp, devices }, 'command line');
  // The probe numbers bridges to reach what is behind them: those writes are guest values too.
  return bridgeNumbers(vm, rootBusName(args.machine.includes('q35') ? 'q35' : 'i440fx'));
}

/** Differences between the model (with the guest writes the probe also made) and the probed device. */
function diffs(model: ConfigSpace, bytes: Uint8Array, p: ProbedDevice): string[] {
  const out: string[] = [];
  if (model.size !== p.size) out.push(`config size: model ${model.size}, QEMU ${p.size}`);
  const blindBits = probeBlindBits(model);
  for (let i = 0; i < Math.min(model.size, p.size); i++) {
    const blind = blindBits(i);
    const name = fieldAt(model, i).name;
    const h = (n: number) => n.toString(16).padStart(2, '0');
    if (bytes[i] !== p.config[i]) out.push(`0x${i.toString(16)} ${name}: model ${h(bytes[i])}, QEMU ${h(p.config[i])}`);
    if ((model.wmask[i] & ~blind) !== (p.wmask[i] & ~blind)) out.push(`0x${i.toString(16)} ${name}: writable bits model ${h(model.wmask[i])}, QEMU ${h(p.wmask[i])}`);
  }
  return out;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export async function runProbe(args: ProbeArgs, log: Logger): Promise<number> {
  const binary = args.qemu ? (existsSync(args.qemu) ? args.qemu : undefined) : findQemuBinary();
  if (!binary) throw new InputError('command line', '--qemu', args.qemu ? `no QEMU binary at ${args.qemu}` : 'no qemu-system-x86_64 on PATH');
  const version = qemuVersionOf(binary);
  const build = /version (\d+\.\d+\.\d+)/.exec(version)?.[1];
  if (!build) throw new InputError('command line', '--qemu', `cannot tell the version of ${binary} ("${version}")`);
  const vm = describeVm(args, build);
  const profile = machineProfile(releaseOf(build));
  const machine = profile ? resolveMachine(profile, args.machine) : { name: args.machine, family: args.machine.includes('q35') ? 'q35' as const : 'i440fx' as const, compat: [] };
  const extra = args['qemu-global'].flatMap((g) => ['-global', g]);
  log.info({ binary, version }, 'probing');
  let probed: ProbedDevice[];
  try {
    probed = await probeVm(binary, vm, machine, rootBusName(machine.family), extra);
  } catch (e) {
    if (e instanceof QemuStartError) throw new InputError('command line', '--device', e.message);
    throw e;
  }
  if (!args.verify) {
    const text = JSON.stringify({
      schemaVersion: 1, qemu: version, machine: machine.name, smp: args.smp, qemuGlobals: args['qemu-global'],
      devices: probed.map((p, n) => ({
        id: p.id, driver: p.driver, properties: vm.devices[n].properties, bdf: p.bdf, size: p.size, config: hex(p.config), wmask: hex(p.wmask),
      })),
    }, null, 2) + '\n';
    if (args.output) writeAtomically(args.output, text);
    else process.stdout.write(text);
    return EXIT.compatible;
  }
  if (!profile) {
    process.stdout.write(`QEMU ${build} is not modelled: nothing to verify against\n`);
    return EXIT.unknown;
  }
  let differing = 0;
  let unknown = 0;
  const lines = [`${version}, ${machine.name}`];
  for (const p of probed) {
    const b = buildDevice({ vm, release: releaseOf(build), machine: resolveMachine(profile, args.machine) }, vm.devices.find((d) => d.id === p.id)!);
    if (b.kind !== 'built') {
      unknown++;
      lines.push(`${p.id} (${p.driver}) at ${p.bdf}: not verified — ${b.reason}`);
      continue;
    }
    const d = diffs(b.cs, sourceBytes(b.cs, vm.devices.find((x) => x.id === p.id)!.guest).bytes, p);
    if (d.length) differing++;
    lines.push(d.length
      ? `${p.id} (${p.driver}) at ${p.bdf}: ${d.length} difference(s) from our model of QEMU ${releaseOf(build)}`
      : `${p.id} (${p.driver}) at ${p.bdf}: ${p.size} bytes, config and writable bits identical to the model`);
    lines.push(...d.map((x) => `  ${x}`));
  }
  process.stdout.write(lines.join('\n') + '\n');
  return differing ? EXIT.incompatible : unknown ? EXIT.unknown : EXIT.compatible;
}
