/**
 * The PCI functions and sections the machine itself creates and migrates,
 * which no description lists: pc's i440FX host bridge (0000:00:00.0/I440FX),
 * PIIX3 ISA bridge (0000:00:01.0/PIIX3), IDE (01.1), USB (01.2, usb=on) and
 * ACPI PM (01.3, acpi on); q35's MCH (0000:00:00.0/mch), ICH9 LPC bridge
 * (0000:00:1f.0/ICH9LPC), SATA (0000:00:1f.2/ich9_ahci, sata on), USB
 * (1d.7 and 1d.0-2, usb=on) and SMBus (0000:00:1f.3/ich9_smb, smbus on);
 * and the ISA devices' sections the options remove (hpet, i8254, i8259,
 * ps2kbd, vmmouse). QEMU: pc_init1 (hw/i386/pc_piix.c) and pc_q35_init
 * (hw/i386/pc_q35.c) create them before any -device, so their sections come
 * first in the stream; which exist, and in what order, is
 * devices/chipset-layout.ts.
 *
 * Functions are compared like any device (get_pci_config_device). Built the
 * same on both sides they load whatever firmware wrote (PAM, SMRAM,
 * PCIEXBAR, PIRQ routing, PMBASE are writable and not compared), and
 * nothing is reported: only a part that is not compatible appears in the
 * report. A function that cannot be built (a type not modelled for a
 * release) is still looked for on the destination, but not compared.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { type ChipsetFunction, buildI440fx, buildIch9Lpc, buildIch9Smbus, buildMch, buildPiix3, buildPiix4Pm, mchExtTsegDefault, mchSmmRanges } from '../devices/chipset.js';
import { type MachinePart, type MachineSwitches, type ResolvedMachineOptions, machineParts, machineRamBlocks, resolveMachineOptions } from '../devices/chipset-layout.js';
import { modelFor } from '../devices/registry.js';
import { type DeviceDescription } from '../inputs/vm.js';
import { buildDevice, type BuiltSide, type SideContext } from './build.js';
import { innerDeviceId } from './placement.js';
import { comparePair } from './compare.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { type DeviceReport } from './verdict.js';

interface MachineFunction {
  /** "0000:00:1f.0" */
  path: string;
  /** The QOM type, for reports and -global matching ("ICH9-LPC"). */
  driver: string;
  vmsd: string;
  configField: string;
  cs: ConfigSpace;
}

/** A property of a machine-created device: its default ← machine compat ← -global (no -device line to set it). */
function machineProp(side: SideContext, driver: string, name: string, absent: string): string {
  let v = absent;
  for (const { property: [d, p, value] } of side.machine.compat) if (d === driver && p === name) v = value;
  for (const [d, p, value] of side.vm.globals) if (d === driver && p === name) v = value;
  return v;
}

const fromChipset = (path: string, driver: string, f: ChipsetFunction): MachineFunction =>
  ({ path, driver, vmsd: f.vmsd, configField: f.configField, cs: f.cs });

const synthetic = new WeakMap<SideContext, Map<string, DeviceDescription>>();

/**
 * A function the machine creates from an ordinary -device type (q35's
 * ich9-ahci at 00:1f.2, pc's piix3-ide at 00:01.1, the USB controllers of
 * usb=on), built by that type's model when there is one; -global reaches it
 * as it does in QEMU. Undefined when the type is not modelled; `cs` is
 * absent when the model does not build it for this release.
 */
function ordinaryFunction(side: SideContext, part: Extract<MachinePart, { kind: 'function' }>): (Omit<MachineFunction, 'cs'> & { cs?: ConfigSpace }) | undefined {
  const { driver, slot, fn, properties } = part;
  const model = modelFor(driver);
  if (!model) return undefined;
  let bySide = synthetic.get(side);
  if (!bySide) synthetic.set(side, (bySide = new Map()));
  let dev = bySide.get(driver);
  if (!dev) {
    dev = { id: `(machine) ${driver}`, driver, addr: { slot, fn }, properties, netdevQueues: 1, where: 'machine' };
    bySide.set(driver, dev);
  }
  const b = buildDevice(side, dev);
  const path = `0000:00:${slot.toString(16).padStart(2, '0')}.${fn}`;
  return { path, driver, vmsd: model.sectionName, configField: model.configField ?? 'parent_obj', ...(b.kind === 'built' ? { cs: b.cs } : {}) };
}

/** Chipset functions by what they depend on: built once and shared (never modified), as device builds are. */
const chipsetCache = new Map<string, MachineFunction>();

function cachedChipset(key: string, make: () => MachineFunction): MachineFunction {
  let f = chipsetCache.get(key);
  if (!f) {
    if (chipsetCache.size >= 1000) chipsetCache.clear();
    chipsetCache.set(key, (f = make()));
  }
  return f;
}

function chipsetFunction(side: SideContext, part: Extract<MachinePart, { kind: 'chipset' }>, switches: MachineSwitches): MachineFunction {
  const at = (f: () => ChipsetFunction) => () => fromChipset(part.path, part.name, f());
  switch (part.name) {
    // The RAM size register (0x57) is left at 0: the description does not give -m, and the byte is not compared.
    case 'i440FX': return cachedChipset('i440FX', at(() => buildI440fx(0)));
    case 'PIIX3': return cachedChipset('PIIX3', at(buildPiix3));
    case 'PIIX4_PM': return cachedChipset(`PIIX4_PM|${switches.smm}`, at(() => buildPiix4Pm({ smm: switches.smm })));
    case 'mch': {
      const extTsegMbytes = Number(machineProp(side, 'mch', 'extended-tseg-mbytes', String(mchExtTsegDefault(side.release))));
      const smmRanges = mchSmmRanges(side.release, switches.smm);
      return cachedChipset(`mch|${extTsegMbytes}|${smmRanges}`, at(() => buildMch({ extTsegMbytes, smmRanges })));
    }
    case 'ICH9-LPC': return cachedChipset('ICH9-LPC', at(buildIch9Lpc));
    case 'ICH9-SMB': return cachedChipset('ICH9-SMB', at(buildIch9Smbus));
  }
}

/** One section the machine creates: a PCI function (cs absent when its model does not build it here) or a plain one. */
interface MachineSection {
  /** The section's name in the stream: "0000:00:1f.2/ich9_ahci", "hpet". */
  section: string;
  driver: string;
  fn?: Omit<MachineFunction, 'cs'> & { cs?: ConfigSpace };
  /** The -machine option that removes it. */
  option?: string;
}

const optionsCache = new WeakMap<SideContext, ResolvedMachineOptions>();

/** The side's -machine options as this release reads them (chipset-layout.ts). */
export function machineOptionsOf(side: SideContext): ResolvedMachineOptions {
  let o = optionsCache.get(side);
  if (!o) {
    // The same options on one release and family resolve alike: one shared result (never modified).
    let key = `${side.machine.family}|${side.release}|`;
    for (const name in side.vm.machineOptions ?? {}) key += `${name.length}:${name}${side.vm.machineOptions![name].length}:${side.vm.machineOptions![name]}`;
    o = resolvedOptions.get(key);
    if (!o) {
      if (resolvedOptions.size >= 1000) resolvedOptions.clear();
      resolvedOptions.set(key, (o = resolveMachineOptions(side.machine.family, side.release, side.vm.machineOptions)));
    }
    optionsCache.set(side, o);
  }
  return o;
}

const resolvedOptions = new Map<string, ResolvedMachineOptions>();

/** Every section this side's machine creates, in creation (stream) order. */
function machineSections(side: SideContext): MachineSection[] {
  const { switches } = machineOptionsOf(side);
  const out: MachineSection[] = [];
  for (const part of machineParts(side.machine.family, side.release, switches)) {
    if (part.kind === 'section') {
      out.push({ section: part.section, driver: part.section, option: part.option });
    } else {
      const fn = part.kind === 'chipset' ? chipsetFunction(side, part, switches) : ordinaryFunction(side, part);
      if (fn) out.push({ section: `${fn.path}/${fn.vmsd}`, driver: fn.driver, fn, option: part.option });
    }
  }
  return out;
}

/**
 * The RAM blocks this side's machine adds under its options, created before
 * any device's (chipset-layout.ts machineRamBlocks). machineFunctionsError
 * checks them after the devices' blocks; for QEMU's exact first line when a
 * device block is missing too, check/ram-blocks.ts should take them first
 * in its list (ramBlockError orders by size, creation order breaking ties).
 */
export function machineRamBlocksOf(side: SideContext): { block: string; size: number }[] {
  return machineRamBlocks(machineOptionsOf(side).switches);
}

/** The PCI functions this side's machine creates and this model builds, in creation order. */
export function machineFunctions(side: SideContext): MachineFunction[] {
  return machineSections(side).flatMap((s) => (s.fn?.cs ? [s.fn as MachineFunction] : []));
}

const machineReport = (driver: string, section: string | undefined, verdict: DeviceReport['verdict'], note: string): DeviceReport => ({
  id: `(machine) ${driver}`, driver, section, verdict, destinationId: verdict.kind === 'unknown' || section === undefined ? undefined : `(machine) ${driver}`,
  notes: [note], assumptions: [],
});

const absent = (section: string, release: string, why: string): DeviceReport['verdict'] => ({
  kind: 'incompatible', message: qemuMessage(release, 'unknownSection', { section }).lines[0],
  mismatches: [{ offset: 0, length: 0, field: 'section', source: section, destination: 'absent', description: `no section ${section} on the destination (${why})` }],
});

/**
 * Compares what the two machines create and appends a report for each part
 * that is not compatible: -machine options not modelled (unknown); the
 * ACPI tables' RAM block the destination lacks (acpi=off there), read
 * before any device; a section only the source has (sata=off, usb=off,
 * hpet=off … there); a function whose config space does not load. Returns
 * QEMU's lines for the first failure, which the destination meets before
 * any -device section. Options the destination alone adds are never read.
 */
export function machineFunctionsError(src: SideContext, dst: SideContext, reports: DeviceReport[]): QemuLines | undefined {
  if (src.machine.family !== dst.machine.family) return undefined; // the machine type check failed first
  const so = machineOptionsOf(src);
  const dOpts = machineOptionsOf(dst);
  for (const [side, ctx, o] of [['source', src, so], ['destination', dst, dOpts]] as const) {
    if (o.unknown.length) {
      reports.push({
        ...machineReport(`-machine options (${side})`, undefined, { kind: 'unknown', reason: `${o.unknown.join('; ')}: the machine's own devices and sections are not known` },
          'what the machine creates under its options decides which sections the stream carries'),
        driver: ctx.machine.name,
      });
    }
  }
  const release = dst.release;
  const lostBlock = machineRamBlocks(so.switches).map((b) => b.block).find((b) => !machineRamBlocks(dOpts.switches).some((d) => d.block === b));
  if (lostBlock) {
    const message = qemuMessage(release, 'unknownRamblock', { block: lostBlock });
    reports.push(machineReport('ACPI tables', undefined, {
      kind: 'incompatible', message: message.lines[0],
      mismatches: [{ offset: 0, length: 0, field: 'ramblock', source: lostBlock, destination: 'absent', description: `RAM block ${lostBlock} absent on the destination (acpi=off there)` }],
    }, 'acpi_setup adds the ACPI tables as a ROM blob, a RAM block the stream names before any device'));
    return message;
  }
  const dstSections = new Map(machineSections(dst).map((d) => [d.section, d]));
  let lines: QemuLines | undefined;
  for (const s of machineSections(src)) {
    const d = dstSections.get(s.section);
    let verdict: DeviceReport['verdict'];
    if (!d) {
      verdict = absent(s.section, release, s.option
        ? `-machine ${s.option}=off there; ${s.option}=on, as on the source, creates it`
        : 'the destination machine does not create it');
    } else if (s.fn?.cs && d.fn?.cs) {
      verdict = comparePair(s.fn.cs, undefined, d.fn.cs).verdict;
    } else {
      continue; // a plain section on both sides, or a function not modelled for a release (left out, as before options were read)
    }
    if (verdict.kind === 'compatible') continue;
    const report = machineReport(s.driver, s.section, verdict, d
      ? 'created by the machine itself (no -device line); firmware programs it'
      : 'created by the machine itself under its -machine options');
    if (d) report.assumptions.push('what firmware wrote in the machine\'s own devices is not given: treated as unknown');
    reports.push(report);
    if (!lines && verdict.kind === 'incompatible') {
      if (!d) lines = qemuMessage(release, 'unknownSection', { section: s.section });
      else if (verdict.firstError) lines = qemuMessage(release, 'badConfigDirect', { bad: verdict.firstError.message, vmsd: s.fn!.vmsd, section: s.section, field: s.fn!.configField });
      else lines = { lines: [verdict.message], verified: false };
    }
  }
  return lines;
}

/** The description of the device QEMU creates inside another, per outer description (stable, so its build is cached like any). */
const inner = new WeakMap<DeviceDescription, DeviceDescription>();

function innerDescription(dev: DeviceDescription, driver: string, properties: Record<string, string>): DeviceDescription {
  let d = inner.get(dev);
  if (!d || d.driver !== driver || JSON.stringify(d.properties) !== JSON.stringify(properties)) {
    d = { id: innerDeviceId(dev.id), driver, bus: dev.id, addr: { slot: 0, fn: 0 }, properties, netdevQueues: 1, where: `${dev.where} (its inner ${driver})` };
    inner.set(dev, d);
  }
  return d;
}

/**
 * The device as the stream carries it. Most devices: their own build. A
 * device whose model names an inner device (a pxb's pci-bridge,
 * DeviceModel.innerDevice): its own build decides whether QEMU starts at
 * all (its refusals and unknowns stand), then the inner device — built by
 * its own model, with the properties QEMU sets on it over its defaults,
 * machine compat and -global, as qdev_new and qdev_prop_set_* do — is what
 * is compared, under its own section, in the outer device's place in the
 * stream (it is realized inside the outer device's realize). A device
 * that only creates a host bridge (pxb-pcie, DeviceModel.hostBridge) is
 * carried by that host bridge's "PCIHost" section (hostBridgeSection).
 */
export function buildMigrated(side: SideContext, dev: DeviceDescription): BuiltSide {
  const own = buildDevice(side, dev);
  if (own.kind !== 'built' || (!own.model.innerDevice && !own.model.hostBridge)) return own;
  const spec = own.model.innerDevice?.(dev.driver, own.props);
  if (!spec) return own.model.hostBridge ? { ...own, section: hostBridgeSection(side, dev) } : own;
  const b = buildDevice(side, innerDescription(dev, spec.driver, spec.properties));
  if (b.kind !== 'built') return b;
  const set = Object.entries(spec.properties).map(([k, v]) => `${k}=${v}`).join(',');
  const note = own.model.configNotSent
    ? `${dev.driver}'s config space is never sent (no vmsd); the ${spec.driver} it creates inside itself (${set}) is migrated in its place: ${b.section}`
    : `the ${spec.driver} it creates inside itself (${set}) is migrated too: ${b.section}`;
  return { ...b, notes: [note, ...own.notes, ...b.notes], ramBlocks: [...own.ramBlocks, ...b.ramBlocks] };
}

/**
 * The "PCIHost" section of a host bridge a device creates ("PCIHost 1"):
 * pci_host_bridge's vmsd, registered with an instance id one above the
 * last (the machine's host bridge is 0, then each expander in creation
 * order). Its .needed is x-config-reg-migration-enabled (off for machine
 * types 5.0 and older, hw_compat_5_0): when off, nothing is sent and the
 * section is "" (the device pairs by id). Only the instance is compared:
 * the destination must have registered it (find_se), and the one field,
 * config_reg, loads whatever it holds.
 */
function hostBridgeSection(side: SideContext, dev: DeviceDescription): string {
  const migrated = machineProp(side, 'pci-host-bridge', 'x-config-reg-migration-enabled', 'on');
  if (!['on', 'true', 'yes'].includes(migrated)) return '';
  let instance = 1;
  for (const d of side.vm.devices) {
    if (d === dev) break;
    if (modelFor(d.driver)?.hostBridge) instance++;
  }
  return `${HOST_SECTION} ${instance}`;
}

const HOST_SECTION = 'PCIHost';

/**
 * QEMU's lines for a section the destination lacks. A host bridge's
 * section (hostBridgeSection) prints its idstr and instance
 * ("… instance 'PCIHost' 1. …"); device sections are instance 0.
 */
export function unknownSectionLines(release: string, section: string): QemuLines {
  const m = new RegExp(`^(${HOST_SECTION}) (\\d+)$`).exec(section);
  const q = qemuMessage(release, 'unknownSection', { section: m ? m[1] : section });
  return m ? { ...q, lines: q.lines.map((l) => l.replace(`'${m[1]}' 0.`, `'${m[1]}' ${m[2]}.`)) } : q;
}
