/**
 * From a described device to the config space its QEMU builds:
 * model lookup → property resolution (defaults ← machine compat ←
 * -global ← explicit) → the model's builder.
 */
import { deviceFamily } from '../profiles/data.js';
import { type Machine } from '../profiles/machine.js';
import { modelFor } from '../devices/registry.js';
import { type ChildDevice, NotModelledError, type DeviceModel } from '../devices/model.js';
import { propertyTable, PropertyValueError, resolveProperties, type ResolvedProperty } from '../devices/properties.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { InputError } from '../inputs/errors.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { placeDevice } from './placement.js';
import { q35AcpiBridgeHotplug, q35SugarProperties } from '../profiles/q35-hotplug.js';
import { PCI_CAP_ID } from '../config-space/regs.js';
import { getLE } from '../config-space/config-space.js';
import { PCI_EXP } from '../config-space/pcie-cap.js';

/** Drivers that are PCIe slots (TYPE_PCIE_SLOT): their (chassis, slot) pairs must be unique. */
const PCIE_SLOT_DRIVERS = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream']);

export type BuiltSide =
  | {
    kind: 'built'; model: DeviceModel; section: string; cs: ConfigSpace; notes: string[]; assumptions: string[];
    props: Map<string, ResolvedProperty>;
    /** The ROM's RAM block: "0000:00:03.0/virtio-net-pci.rom" and its size. */
    rom?: { block: string; size: number };
  }
  | { kind: 'unknown'; section?: string; reason: string }
  | { kind: 'refused'; section: string; reason: string };

export interface SideContext {
  vm: VmDescription;
  release: string;
  machine: Machine;
}

export function buildDevice(side: SideContext, dev: DeviceDescription): BuiltSide {
  const placement = placeDevice(side.vm, dev, side.machine.family);
  const model = modelFor(dev.driver);
  if (!model) {
    return { kind: 'unknown', reason: `device "${dev.driver}" is not modelled: compat-check cannot say what its config space holds` };
  }
  const section = `${placement.path}/${model.sectionName}`;
  let resolved;
  try {
    resolved = resolveFor(side, dev, model);
  } catch (e) {
    if (e instanceof PropertyValueError) {
      throw new InputError(side.vm.file, e.where.startsWith('globals.') ? e.where : `${dev.where}.${e.where}`, e.message);
    }
    throw e;
  }
  if (resolved.unknown.length) {
    return { kind: 'unknown', section, reason: `not modelled for QEMU ${side.release}: ${resolved.unknown.join(', ')}` };
  }
  try {
    const built = model.build(dev.driver, {
      release: side.release, smp: side.vm.smp, bus: placement.bus, props: resolved.values, netdevQueues: dev.netdevQueues,
      children: childrenOf(side, dev),
      acpiBridgeHotplug: q35AcpiBridgeHotplug(side.release, side.machine, side.vm.globals),
      slotsBefore: PCIE_SLOT_DRIVERS.has(dev.driver) ? slotsBefore(side, dev) : undefined,
    });
    // QEMU names the ROM region "<vmsd or type name>.rom"; virtio proxies have no vmsd of their own.
    const rom = built.romSize ? { block: `${placement.path}/${dev.driver}.rom`, size: built.romSize } : undefined;
    return {
      kind: 'built', model, section, cs: built.cs, notes: built.notes, assumptions: built.assumptions ?? [], props: resolved.values, rom,
    };
  } catch (e) {
    if (e instanceof NotModelledError) return { kind: 'unknown', section, reason: e.message };
    if (e instanceof RealizeError) return { kind: 'refused', section, reason: e.message };
    throw e;
  }
}

/** The device's properties as QEMU resolves them: defaults ← machine compat ← -global ← machine sugar ← explicit. */
function resolveFor(side: SideContext, dev: DeviceDescription, model: DeviceModel) {
  const table = propertyTable(model.families.map(deviceFamily), side.release);
  for (const [name, value] of Object.entries(model.instanceDefaults?.(dev.driver) ?? {})) {
    const spec = table.get(name);
    if (spec) table.set(name, { ...spec, default: value });
  }
  const sugar = q35SugarProperties(side.release, side.machine, side.vm.globals);
  return resolveProperties(table, model.typeChain(dev.driver), side.machine, side.vm.globals, dev.properties, sugar);
}

/** One property of another device, or undefined when that device or value cannot be resolved. */
function propertyOf(side: SideContext, dev: DeviceDescription, name: string): string | undefined {
  const model = modelFor(dev.driver);
  if (model) {
    try {
      return resolveFor(side, dev, model).values.get(name)?.value;
    } catch {
      return undefined;
    }
  }
  // Not modelled: pci-device's own properties still resolve through compat, -global and the -device line.
  let v: string | undefined;
  for (const { property: [driver, prop, value] } of side.machine.compat) if (prop === name && (driver === 'pci-device' || driver === dev.driver)) v = value;
  for (const [driver, prop, value] of side.vm.globals) if (prop === name && (driver === 'pci-device' || driver === dev.driver)) v = value;
  return dev.properties[name] ?? v;
}

const isOn = (v: string | undefined, absent: boolean) => (v === undefined ? absent : ['on', 'true', 'yes', 'y'].includes(v.toLowerCase()));

/**
 * The devices on this device's secondary bus, as a port sees them at start:
 * their x-pcie-lnksta-dllla (pcie_cap_slot_plug_cb) and, when modelled and
 * PCI Express, their Link Status (pcie_sync_bridge_lnk).
 */
function childrenOf(side: SideContext, dev: DeviceDescription): ChildDevice[] {
  return side.vm.devices.filter((d) => d.bus !== undefined && d.bus === dev.id).map((d) => {
    let linkStatus: number | undefined;
    const built = modelFor(d.driver) ? buildDevice(side, d) : undefined;
    if (built?.kind === 'built') {
      const exp = built.cs.capabilities.find((c) => !c.extended && c.id === PCI_CAP_ID.EXP);
      if (exp) linkStatus = getLE(built.cs.config, exp.offset + PCI_EXP.LNKSTA, 2);
    }
    return {
      id: d.id, driver: d.driver, slot: d.addr?.slot ?? 0, fn: d.addr?.fn ?? 0,
      lnkstaDllla: isOn(propertyOf(side, d, 'x-pcie-lnksta-dllla'), true),
      linkStatus,
    };
  });
}

/** (chassis, slot) of the PCIe slots created before this one, in command-line order. */
function slotsBefore(side: SideContext, dev: DeviceDescription): { id: string; chassis: number; slot: number }[] {
  const before = side.vm.devices.slice(0, side.vm.devices.indexOf(dev)).filter((d) => PCIE_SLOT_DRIVERS.has(d.driver));
  return before.map((d) => ({
    id: d.id,
    chassis: Number(propertyOf(side, d, 'chassis') ?? 0),
    slot: Number(propertyOf(side, d, 'slot') ?? 0),
  }));
}
