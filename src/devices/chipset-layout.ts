/**
 * What the pc and q35 machines create themselves, under their -machine
 * options, in the order QEMU registers the migration sections — which is the
 * order a destination reads them in. QEMU: pc_init1 (hw/i386/pc_piix.c),
 * pc_q35_init (hw/i386/pc_q35.c), pc_basic_device_init and
 * pc_superio_init (hw/i386/pc.c).
 *
 * Three kinds of part: a chipset function built by chipset.ts, a function
 * QEMU creates from an ordinary -device type (ich9-ahci, piix3-ide, the USB
 * controllers), and a section with no PCI config space (the HPET, the PIT,
 * the PS/2 controller …) whose absence on the destination is all that can
 * fail ("Unknown savevm section or instance 'hpet' 0"). A section only the
 * destination has is never asked for, so it loads.
 */
import { inRange } from '../profiles/versions.js';

export type ChipsetName = 'i440FX' | 'PIIX3' | 'PIIX4_PM' | 'mch' | 'ICH9-LPC' | 'ICH9-SMB';

export type MachinePart =
  | { kind: 'chipset'; name: ChipsetName; path: string; option?: string }
  | { kind: 'function'; driver: string; slot: number; fn: number; properties: Record<string, string>; option?: string }
  | { kind: 'section'; section: string; option: string };

/** The options that shape the machine's parts, resolved to on/off. */
export interface MachineSwitches {
  acpi: boolean; smm: boolean; usb: boolean; sata: boolean; smbus: boolean;
  hpet: boolean; pit: boolean; pic: boolean; i8042: boolean; vmport: boolean;
}

/** How the description's -machine options were read for a release. */
export interface ResolvedMachineOptions {
  switches: MachineSwitches;
  /** Options read and known to leave the migration stream unchanged ("kernel_irqchip=on"). */
  noEffect: string[];
  /** Options not modelled, or that this release does not have (QEMU would not start): the machine's parts are unknown. */
  unknown: string[];
}

type Family = 'i440fx' | 'q35';

/**
 * The options that change what the machine creates, their default and the
 * first release that has them (undefined: every modelled release, 5.2 on).
 * From the upstream tags: i8042 (PC_MACHINE_I8042) first in v7.0.0's
 * hw/i386/pc.c, pic (X86_MACHINE_PIC) in v7.1.0's hw/i386/x86.c; pit was a
 * bool of the pc machine (PC_MACHINE_PIT) up to 7.0 and an OnOffAuto of
 * x86 machines from 7.1.
 */
const SWITCHES: Record<keyof MachineSwitches, { default: boolean; since?: string }> = {
  acpi: { default: true }, smm: { default: true }, usb: { default: false }, sata: { default: true }, smbus: { default: true },
  hpet: { default: true }, pit: { default: true }, vmport: { default: true },
  pic: { default: true, since: '7.1' }, i8042: { default: true, since: '7.0' },
};

/**
 * Options read and known not to change the stream: the accelerator and its
 * irqchip, what a core dump holds, KSM merging, the bus-bypass default of
 * IOMMUs (none modelled), the boot signature check, and dropping the
 * stream's trailing JSON description (not read by the destination's load).
 */
const NO_EFFECT = new Set([
  'accel', 'kernel_irqchip', 'kernel-irqchip', 'dump-guest-core', 'mem-merge', 'default-bus-bypass-iommu', 'fd-bootchk', 'suppress-vmdesc',
]);

/** Reads a description's -machine options for one release and machine family. */
export function resolveMachineOptions(family: Family, release: string, given: Record<string, string> = {}): ResolvedMachineOptions {
  const switches = Object.fromEntries(Object.entries(SWITCHES).map(([k, s]) => [k, s.default])) as unknown as MachineSwitches;
  const noEffect: string[] = [];
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const text = `${name}=${value}`;
    if (NO_EFFECT.has(name)) { noEffect.push(text); continue; }
    // libvirt names the guest RAM backend after QEMU's own block ("pc.ram"), so the RAM block keeps its name.
    if (name === 'memory-backend' && value === 'pc.ram') { noEffect.push(text); continue; }
    if (!Object.hasOwn(SWITCHES, name)) { unknown.push(`-machine ${text} is not modelled`); continue; }
    const s = SWITCHES[name as keyof MachineSwitches];
    if (s.since && !inRange(release, s.since)) {
      unknown.push(`QEMU ${release} has no -machine ${name} (it would not start)`);
      continue;
    }
    // Up to 7.0 pit is a plain bool of the pc machine (PC_MACHINE_PIT): QEMU refuses "auto".
    if (name === 'pit' && value === 'auto' && !inRange(release, '7.1')) { unknown.push(`QEMU ${release} takes no pit=auto (a bool there: it would not start)`); continue; }
    // auto: on under TCG, and under KVM where the host allows it (SMM: kvm_has_smm) — taken as on.
    switches[name as keyof MachineSwitches] = value !== 'off';
    // pc_init1 reads neither sata nor smbus: on i440fx they change nothing.
    if (family === 'i440fx' && (name === 'sata' || name === 'smbus')) noEffect.push(text);
  }
  return { switches, noEffect, unknown };
}

/** The ISA-side sections pc_basic_device_init and pc_superio_init create, in order, each with the option that removes it. */
function isaSections(s: MachineSwitches): MachinePart[] {
  const out: MachinePart[] = [];
  if (s.pic) out.push({ kind: 'section', section: 'i8259', option: 'pic' });
  if (s.hpet) out.push({ kind: 'section', section: 'hpet', option: 'hpet' });
  if (s.pit) out.push({ kind: 'section', section: 'i8254', option: 'pit' });
  if (s.i8042) out.push({ kind: 'section', section: 'ps2kbd', option: 'i8042' });
  // pc_superio_init: vmmouse hangs off the i8042, so it needs both.
  if (s.vmport && s.i8042) out.push({ kind: 'section', section: 'vmmouse', option: 'vmport' });
  return out;
}

/**
 * pc: the i440FX and PIIX3, then piix3-ide (01.1), piix3-usb-uhci (01.2,
 * usb=on) and PIIX4_PM (01.3, ACPI on). Up to 8.1 pc_init1 created the IDE,
 * USB and PM functions after the ISA devices; from 8.2 (hw/isa/piix.c) they
 * are children the PIIX3 realizes itself, so their sections come before the
 * PIIX3's own and before the ISA devices' (seen on 5.2, 7.2, 10.0 and 11.1;
 * the boundary from upstream v8.1.0 and v8.2.0 pc_piix.c).
 */
function pcParts(release: string, s: MachineSwitches): MachinePart[] {
  const children: MachinePart[] = [
    { kind: 'function', driver: 'piix3-ide', slot: 1, fn: 1, properties: {} },
    ...(s.usb ? [{ kind: 'function', driver: 'piix3-usb-uhci', slot: 1, fn: 2, properties: {}, option: 'usb' } as MachinePart] : []),
    ...(s.acpi ? [{ kind: 'chipset', name: 'PIIX4_PM', path: '0000:00:01.3', option: 'acpi' } as MachinePart] : []),
  ];
  const host: MachinePart = { kind: 'chipset', name: 'i440FX', path: '0000:00:00.0' };
  const isa: MachinePart = { kind: 'chipset', name: 'PIIX3', path: '0000:00:01.0' };
  return inRange(release, '8.2')
    ? [host, ...children, isa, ...isaSections(s)]
    : [host, isa, ...isaSections(s), ...children];
}

/**
 * q35: the MCH and ICH9 LPC, the ISA devices, then ich9-ahci at 1f.2
 * (sata), the EHCI with its three UHCI companions at 1d.7/1d.0-2 (usb=on:
 * ehci_create_ich9_with_companions), and the SMBus function at 1f.3
 * (smbus), whose i2c bus registers its "i2c_bus" section before the
 * function's own.
 */
function q35Parts(s: MachineSwitches): MachinePart[] {
  const mf = { multifunction: 'on' };
  return [
    { kind: 'chipset', name: 'mch', path: '0000:00:00.0' },
    { kind: 'chipset', name: 'ICH9-LPC', path: '0000:00:1f.0' },
    ...isaSections(s),
    ...(s.sata ? [{ kind: 'function', driver: 'ich9-ahci', slot: 0x1f, fn: 2, properties: mf, option: 'sata' } as MachinePart] : []),
    ...(s.usb ? [
      { kind: 'function', driver: 'ich9-usb-ehci1', slot: 0x1d, fn: 7, properties: mf, option: 'usb' },
      ...[1, 2, 3].map((n): MachinePart => ({
        kind: 'function', driver: `ich9-usb-uhci${n}`, slot: 0x1d, fn: n - 1, properties: { ...mf, masterbus: 'usb-bus.0', firstport: String((n - 1) * 2) }, option: 'usb',
      })),
    ] as MachinePart[] : []),
    ...(s.smbus ? [{ kind: 'section', section: 'i2c_bus', option: 'smbus' } as MachinePart, { kind: 'chipset', name: 'ICH9-SMB', path: '0000:00:1f.3', option: 'smbus' } as MachinePart] : []),
  ];
}

export function machineParts(family: Family, release: string, s: MachineSwitches): MachinePart[] {
  return family === 'i440fx' ? pcParts(release, s) : q35Parts(s);
}

/**
 * The ACPI tables' RAM block: acpi_setup (hw/i386/acpi-build.c) adds the
 * tables as a ROM blob only while ACPI is on, and the RAM section naming it
 * comes before every device section ("Unknown ramblock"). Its size is its
 * max_length, ACPI_BUILD_TABLE_MAX_SIZE (2 MiB, acpi_add_rom_blob), which
 * places it in the stream's block list (ram_block_add sorts by it: after
 * a 16 MiB VGA RAM, before any option ROM); the length it uses varies and
 * is resized on load, so it never mismatches.
 */
export function machineRamBlocks(s: MachineSwitches): { block: string; size: number }[] {
  return s.acpi ? [{ block: '/rom@etc/acpi/tables', size: 0x200000 }] : [];
}
