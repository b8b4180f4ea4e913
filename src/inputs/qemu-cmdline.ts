/**
 * A QEMU command line → VmDescription: a `ps` line, /proc/PID/cmdline, or
 * a libvirt VM.log excerpt (libvirt-log.ts). The options themselves are read
 * by qemu-options-scan.ts.
 */
import { InputError } from './errors.js';
import { splitWords, ShellSyntaxError, type Word } from './shell-words.js';
import { extractLogCommand } from './libvirt-log.js';
import { splitDevices, scanOptions } from './qemu-options-scan.js';
import { checkAttachedIds, checkUnique, type VmDescription } from './vm.js';
import { checkDeviceCount } from './limits.js';

export interface VersionOption {
  /** The QEMU version when the input does not say (--qemu). */
  qemu?: string;
}

const QEMU_BINARY = /(^|\/)(qemu-system-[\w-]+|qemu-kvm|kvm)$/;

export function parseCommandLineText(text: string, file: string, options: VersionOption = {}): VmDescription {
  const log = extractLogCommand(text);
  let words: Word[];
  try {
    words = splitWords(log ? log.command : text, log ? log.firstLine : 1);
  } catch (e) {
    if (e instanceof ShellSyntaxError) throw new InputError(file, e.place, e.message);
    throw e;
  }
  // Environment assignments (LC_ALL=C PATH=… as libvirt logs them) and `ps` columns precede the binary.
  const bin = words.findIndex((w) => QEMU_BINARY.test(w.text));
  if (bin < 0) {
    throw new InputError(file, words[0]?.place ?? '', 'not a QEMU command line: no qemu-system-x86_64 (or qemu-kvm) binary in it');
  }
  const arch = /qemu-system-([\w-]+)$/.exec(words[bin].text)?.[1];
  if (arch && arch !== 'x86_64' && arch !== 'i386') {
    throw new InputError(file, words[bin].place, `${words[bin].text}: only x86 machine types (pc, q35) are modelled`);
  }
  // The binary's name does not tell its release; libvirt's log header does.
  const qemu = log?.qemu ?? options.qemu;
  if (!qemu) {
    throw new InputError(file, '', log
      ? 'the libvirt log header does not name the QEMU version ("qemu version: …"): pass --qemu VERSION'
      : 'a command line does not say which QEMU release runs it: pass --qemu VERSION');
  }
  const scan = scanOptions(words.slice(bin + 1), file);
  const { devices, attached } = splitDevices(scan, file);
  checkDeviceCount(devices.length, file);
  checkUnique(devices, file);
  checkAttachedIds(devices, attached, file);
  // Without -machine QEMU starts its default x86 machine, the "pc" alias (hw/i386/pc_piix.c).
  return { file, name: scan.name, qemu, machine: scan.machine ?? 'pc', ...(Object.keys(scan.machineOptions).length ? { machineOptions: scan.machineOptions } : {}), smp: scan.smp ?? 1, globals: scan.globals, devices,
    ...(attached.length ? { attached } : {}), ...(scan.memoryBackends.size ? { memoryBackends: scan.memoryBackends } : {}) };
}
