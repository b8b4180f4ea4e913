/**
 * The PCI functions the machine itself creates and migrates, which no
 * description lists: pc's i440FX host bridge (0000:00:00.0/I440FX) and
 * PIIX3 ISA bridge (0000:00:01.0/PIIX3); q35's MCH (0000:00:00.0/mch), ICH9
 * LPC bridge (0000:00:1f.0/ICH9LPC), SATA controller
 * (0000:00:1f.2/ich9_ahci, an ordinary ich9-ahci built by its -device
 * model) and SMBus controller (0000:00:1f.3/ich9_smb). QEMU: pc_init1
 * (hw/i386/pc_piix.c) and pc_q35_init (hw/i386/pc_q35.c) create them before
 * any -device, so their sections come first in the stream.
 *
 * They are compared like any device (get_pci_config_device). Built the same
 * on both sides — the usual case, since the machine type is the same or the
 * load fails earlier — they load whatever firmware wrote (PAM, SMRAM,
 * PCIEXBAR, PIRQ routing, PMBASE are writable and not compared), and
 * nothing is reported: only a function that is not compatible appears in
 * the report. A function that cannot be built (ich9-ahci not modelled for a
 * release) is left out, as it was before these were compared.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { type ChipsetFunction, buildI440fx, buildIch9Lpc, buildIch9Smbus, buildMch, buildPiix3, buildPiix4Pm, mchExtTsegDefault } from '../devices/chipset.js';
import { modelFor } from '../devices/registry.js';
import { type DeviceDescription } from '../inputs/vm.js';
import { buildDevice, type SideContext } from './build.js';
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
 * ich9-ahci at 00:1f.2, pc's piix3-ide at 00:01.1), built by that type's
 * model when there is one; -global reaches it as it does in QEMU.
 */
function ordinaryFunction(side: SideContext, driver: string, slot: number, fn: number, properties: Record<string, string>): MachineFunction | undefined {
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
  if (b.kind !== 'built') return undefined;
  const path = `0000:00:${slot.toString(16).padStart(2, '0')}.${fn}`;
  return { path, driver, vmsd: model.sectionName, configField: model.configField ?? 'parent_obj', cs: b.cs };
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

/** The functions this side's machine creates, in creation order. */
export function machineFunctions(side: SideContext): MachineFunction[] {
  if (side.machine.family === 'i440fx') {
    // pc_init1 / the PIIX3 realize: the IDE function at 00:01.1 (not multi-function itself).
    const ide = ordinaryFunction(side, 'piix3-ide', 1, 1, {});
    return [
      // The RAM size register (0x57) is left at 0: the description does not give -m, and the byte is not compared.
      cachedChipset('i440FX', () => fromChipset('0000:00:00.0', 'i440FX', buildI440fx(0))),
      cachedChipset('PIIX3', () => fromChipset('0000:00:01.0', 'PIIX3', buildPiix3())),
      ...(ide ? [ide] : []),
      // pc_init1 with ACPI on (the default; -machine acpi=off is not modelled).
      cachedChipset('PIIX4_PM', () => fromChipset('0000:00:01.3', 'PIIX4_PM', buildPiix4Pm())),
    ];
  }
  const extTsegMbytes = Number(machineProp(side, 'mch', 'extended-tseg-mbytes', String(mchExtTsegDefault(side.release))));
  // pc_q35_init: pci_create_simple_multifunction(…, PCI_DEVFN(0x1f, 2), "ich9-ahci").
  const sata = ordinaryFunction(side, 'ich9-ahci', 0x1f, 2, { multifunction: 'on' });
  return [
    cachedChipset(`mch|${extTsegMbytes}`, () => fromChipset('0000:00:00.0', 'mch', buildMch({ extTsegMbytes }))),
    cachedChipset('ICH9-LPC', () => fromChipset('0000:00:1f.0', 'ICH9-LPC', buildIch9Lpc())),
    ...(sata ? [sata] : []),
    cachedChipset('ICH9-SMB', () => fromChipset('0000:00:1f.3', 'ICH9-SMB', buildIch9Smbus())),
  ];
}

/**
 * Compares the machine's own functions and appends a report for each one
 * that is not compatible; returns QEMU's lines for the first that fails,
 * which the destination meets before any -device section.
 */
export function machineFunctionsError(src: SideContext, dst: SideContext, reports: DeviceReport[]): QemuLines | undefined {
  const dstFns = machineFunctions(dst);
  let lines: QemuLines | undefined;
  for (const s of machineFunctions(src)) {
    const d = dstFns.find((f) => f.path === s.path && f.vmsd === s.vmsd);
    if (!d) continue; // another machine family: the machine type check failed first
    const { verdict } = comparePair(s.cs, undefined, d.cs);
    if (verdict.kind === 'compatible') continue;
    const section = `${s.path}/${s.vmsd}`;
    reports.push({
      id: `(machine) ${s.driver}`, driver: s.driver, section, verdict, destinationId: `(machine) ${d.driver}`,
      notes: ['created by the machine itself (no -device line); firmware programs it'],
      assumptions: ['what firmware wrote in the machine\'s own devices is not given: treated as unknown'],
    });
    if (!lines && verdict.kind === 'incompatible') {
      lines = verdict.firstError
        ? qemuMessage(dst.release, 'badConfigDirect', { bad: verdict.firstError.message, vmsd: s.vmsd, section, field: s.configField })
        : { lines: [verdict.message], verified: false };
    }
  }
  return lines;
}
