/**
 * The hook's command line: libvirt's four words and the wrapper's options.
 * Apart from hook.ts so that the operations the hook lets through at once
 * (every one but "migrate begin", on every VM start and stop of a host)
 * load nothing else.
 */
import { type Argv } from 'yargs';

export const METADATA_NS = 'https://compat-check.invalid/xmlns/1';
// Like the gate, unknown is no-go unless the operator opts in (--allow-unknown in the wrapper).
export const HOOK_DEFAULT_FAIL_ON = 'incompatible,at-risk,unknown';

export function hookOptions(y: Argv) {
  return y
    .positional('object', { type: 'string', demandOption: true, describe: 'the domain name (libvirt\'s first argument)' })
    .positional('operation', { type: 'string', demandOption: true, describe: 'libvirt\'s operation: only "migrate" is checked' })
    .positional('suboperation', { type: 'string', describe: 'libvirt\'s sub-operation: only "begin" is checked' })
    .positional('extra', { type: 'string', describe: 'libvirt\'s extra argument ("-")' })
    .option('src-qemu-version', { type: 'string', describe: 'QEMU version of the source hosts, when the domain metadata does not say (env COMPAT_CHECK_SRC_QEMU)' })
    .option('dst-qemu-version', { type: 'string', describe: 'QEMU version of this host (env COMPAT_CHECK_DST_QEMU; default: ask the emulator)' })
    .option('qemu-binary', { type: 'string', describe: 'the local emulator to ask for its version (default: the XML\'s <emulator>, else qemu-system-x86_64 on PATH)' })
    .option('fail-on', { type: 'string', default: HOOK_DEFAULT_FAIL_ON, describe: 'verdicts that cancel the migration: incompatible, at-risk, unknown' })
    .option('allow-unknown', { type: 'boolean', default: false, describe: 'shorthand: take unknown out of --fail-on' });
}

export interface HookArgs {
  object: string; operation: string; suboperation?: string; extra?: string;
  'src-qemu-version'?: string; 'dst-qemu-version'?: string; 'qemu-binary'?: string; 'fail-on': string; 'allow-unknown': boolean;
}

/** Only "migrate begin" is checked; libvirt's other calls pass at once. */
export const hookChecks = (args: Pick<HookArgs, 'operation' | 'suboperation'>) => args.operation === 'migrate' && args.suboperation === 'begin';
