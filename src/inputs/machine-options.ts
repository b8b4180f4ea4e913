/**
 * -machine options (`-machine q35,smm=off,sata=off`) as a description holds
 * them: option name → value as QEMU takes it. The values of the options we
 * know are checked the way QEMU's visitors check them (a bool takes
 * on/off/yes/no/true/false, an OnOffAuto on/off/auto) and booleans are
 * written "on"/"off", so `sata=no` and `sata=off` describe the same machine.
 * Options we do not know are kept as given: the checker calls the machine's
 * own functions unknown for them (check/builtin-devices.ts), never compatible.
 */
import { InputError } from './errors.js';

/** How QEMU parses an option's value: qapi bool, the OnOffAuto enum, or an enum of its own. */
type OptionKind = 'bool' | 'OnOffAuto' | readonly string[];

/** The x86 machine options whose values we check (hw/core/machine.c, hw/i386/x86.c, hw/i386/pc.c). */
const KINDS: Record<string, OptionKind> = {
  usb: 'bool', sata: 'bool', smbus: 'bool', hpet: 'bool', i8042: 'bool', 'dump-guest-core': 'bool', 'mem-merge': 'bool',
  'fd-bootchk': 'bool', 'default-bus-bypass-iommu': 'bool', 'suppress-vmdesc': 'bool', graphics: 'bool',
  smm: 'OnOffAuto', acpi: 'OnOffAuto', vmport: 'OnOffAuto', pit: 'OnOffAuto', pic: 'OnOffAuto',
  // kvm_arch_... / accel/kvm: kernel_irqchip=on|off|split (both spellings are accepted by QEMU).
  kernel_irqchip: ['on', 'off', 'split'], 'kernel-irqchip': ['on', 'off', 'split'],
};

const TRUE = new Set(['on', 'yes', 'true']);
const FALSE = new Set(['off', 'no', 'false']);

/** One option's value as the description keeps it, or a message saying why QEMU would refuse it. */
export function machineOptionValue(name: string, value: string): string | { error: string } {
  const kind = Object.hasOwn(KINDS, name) ? KINDS[name] : undefined;
  if (kind === 'bool') {
    if (TRUE.has(value)) return 'on';
    if (FALSE.has(value)) return 'off';
    return { error: `${name}=${value}: QEMU takes on or off` };
  }
  if (kind === 'OnOffAuto' && !['on', 'off', 'auto'].includes(value)) return { error: `${name}=${value}: QEMU takes on, off or auto` };
  if (Array.isArray(kind) && !kind.includes(value)) return { error: `${name}=${value}: QEMU takes ${kind.join(', ')}` };
  return value;
}

/** A description's machineOptions (already strings by the schema, or read from -machine), checked and normalized. */
export function normalizeMachineOptions(raw: Record<string, string>, file: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const v = machineOptionValue(name, value);
    if (typeof v !== 'string') throw new InputError(file, `${where}.${name}`, v.error);
    out[name] = v;
  }
  return out;
}
