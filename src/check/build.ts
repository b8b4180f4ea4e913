/**
 * From a described device to the config space its QEMU builds:
 * model lookup → property resolution (defaults ← machine compat ←
 * -global ← explicit) → the model's builder.
 */
import { deviceFamily } from '../profiles/data.js';
import { type Machine } from '../profiles/machine.js';
import { modelFor } from '../devices/registry.js';
import { NotModelledError, type DeviceModel } from '../devices/model.js';
import { propertyTable, PropertyValueError, resolveProperties, type ResolvedProperty } from '../devices/properties.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { InputError } from '../inputs/errors.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { placeDevice } from './placement.js';

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
  const table = propertyTable(model.families.map(deviceFamily), side.release);
  for (const [name, value] of Object.entries(model.instanceDefaults?.(dev.driver) ?? {})) {
    const spec = table.get(name);
    if (spec) table.set(name, { ...spec, default: value });
  }
  let resolved;
  try {
    resolved = resolveProperties(table, model.typeChain(dev.driver), side.machine, side.vm.globals, dev.properties);
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
