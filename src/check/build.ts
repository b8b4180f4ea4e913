/**
 * From a described device to the config space its QEMU builds:
 * model lookup → property resolution (defaults ← machine compat ←
 * -global ← explicit) → the model's builder.
 */
import { deviceFamily } from '../profiles/data.js';
import { type Machine } from '../profiles/machine.js';
import { modelFor } from '../devices/registry.js';
import { type BuildContext, type BuiltDevice, type ChildDevice, NotModelledError, type DeviceModel } from '../devices/model.js';
import { propertyTable, PropertyValueError, resolveProperties, type PropertySet, type PropertyValues } from '../devices/properties.js';
import { type PropertySpec } from '../profiles/data.js';
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
    props: PropertyValues;
    /** The device's RAM blocks by their migration names ("0000:00:03.0/virtio-net-pci.rom"), in creation order. */
    ramBlocks: { block: string; size: number }[];
    streamShape?: Record<string, number>;
  }
  | { kind: 'unknown'; section?: string; reason: string }
  | { kind: 'refused'; section: string; reason: string };

export interface SideContext {
  vm: VmDescription;
  release: string;
  machine: Machine;
}

const builtBySide = new WeakMap<SideContext, Map<DeviceDescription, BuiltSide>>();

/** The device as this side's QEMU builds it; built once per side (a port's children ask again). */
export function buildDevice(side: SideContext, dev: DeviceDescription): BuiltSide {
  let bySide = builtBySide.get(side);
  if (!bySide) builtBySide.set(side, (bySide = new Map()));
  let b = bySide.get(dev);
  if (!b) {
    b = buildDeviceOnce(side, dev);
    bySide.set(dev, b);
  }
  return b;
}

function buildDeviceOnce(side: SideContext, dev: DeviceDescription): BuiltSide {
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
  const ctx = {
    release: side.release, smp: side.vm.smp, bus: placement.bus, netdevQueues: dev.netdevQueues,
    children: childrenOf(side, dev),
    acpiBridgeHotplug: q35AcpiBridgeHotplug(side.release, side.machine, side.vm.globals),
    slotTaken: PCIE_SLOT_DRIVERS.has(dev.driver) ? slotTaken(side, dev) : undefined,
  };
  const outcome = cachedBuild(model, dev.driver, ctx, resolved.values);
  switch (outcome.kind) {
    case 'unknown': return { kind: 'unknown', section, reason: outcome.reason };
    case 'refused': return { kind: 'refused', section, reason: outcome.reason };
    default: {
      const built = outcome.built;
      // qemu_ram_set_idstr: "<device path>/<name>" for a block registered with its device.
      const ramBlocks = (built.ramBlocks ?? []).map((b) => ({ block: b.global ? b.name : `${placement.path}/${b.name}`, size: b.size }));
      return {
        kind: 'built', model, section, cs: built.cs, notes: built.notes, assumptions: built.assumptions ?? [], props: resolved.values, ramBlocks,
        streamShape: built.streamShape,
      };
    }
  }
}

type BuildOutcome = { kind: 'built'; built: BuiltDevice } | { kind: 'unknown' | 'refused'; reason: string };
type Ctx = Omit<BuildContext, 'props'>;

/** Builds of one driver that read the same context fields and properties, by the values they read. */
interface ReadSet { fields: (keyof Ctx)[]; props: string[]; outcomes: Map<string, BuildOutcome> }

const buildCache = new Map<string, ReadSet[]>();
const OUTCOMES_MAX = 50_000;
let outcomes = 0;

const valueKey = (rs: ReadSet, ctx: Ctx, props: PropertyValues) =>
  JSON.stringify([rs.fields.map((f) => ctx[f]), rs.props.map((p) => props.get(p)?.value)]);

/**
 * Builds are pure: the same values of the context fields and properties a
 * build read give the same device. The cache remembers, per driver, which
 * fields and properties its builds read, so per-VM values the builder
 * never looks at (drive, netdev, mac, vCPUs for a root port …) do not
 * defeat it. The ConfigSpace is shared between VMs and never modified.
 */
function cachedBuild(model: DeviceModel, driver: string, ctx: Ctx, props: PropertyValues): BuildOutcome {
  const readSets = buildCache.get(driver) ?? [];
  for (let k = 0; k < readSets.length; k++) {
    const hit = readSets[k].outcomes.get(valueKey(readSets[k], ctx, props));
    if (hit) {
      // The read set that hits goes first next time: most lookups then need one key.
      if (k > 0) [readSets[0], readSets[k]] = [readSets[k], readSets[0]];
      return hit;
    }
  }
  const fields = new Set<keyof Ctx>();
  const names = new Set<string>();
  const trackedProps: PropertyValues = {
    get: (name: string) => {
      names.add(name);
      return props.get(name);
    },
  };
  const trackedCtx = new Proxy({ ...ctx, props: trackedProps } as BuildContext, {
    get(target, field: string | symbol) {
      if (typeof field === 'string' && field !== 'props') fields.add(field as keyof Ctx);
      return Reflect.get(target, field);
    },
  });
  let outcome: BuildOutcome;
  try {
    outcome = { kind: 'built', built: model.build(driver, trackedCtx) };
  } catch (e) {
    if (e instanceof NotModelledError) outcome = { kind: 'unknown', reason: e.message };
    else if (e instanceof RealizeError) outcome = { kind: 'refused', reason: e.message };
    else throw e;
  }
  if (outcomes >= OUTCOMES_MAX) {
    buildCache.clear();
    outcomes = 0;
  }
  const f = [...fields].sort();
  const p = [...names].sort();
  let rs = (buildCache.get(driver) ?? []).find((x) => x.fields.join() === f.join() && x.props.join() === p.join());
  if (!rs) {
    rs = { fields: f, props: p, outcomes: new Map() };
    buildCache.set(driver, [...(buildCache.get(driver) ?? []), rs]);
  }
  rs.outcomes.set(valueKey(rs, ctx, props), outcome);
  outcomes++;
  return outcome;
}

interface ResolutionBase { table: ReadonlyMap<string, PropertySpec>; chain: string[]; machine: Machine }

const bases = new Map<string, ResolutionBase>();

/**
 * What does not change between VMs of one release, machine type and driver:
 * the property table with the type's instance defaults, its QOM type chain,
 * and only the machine compat entries that reach that chain.
 */
function resolutionBase(side: SideContext, driver: string, model: DeviceModel): ResolutionBase {
  const key = `${side.release}|${side.machine.name}|${driver}`;
  let b = bases.get(key);
  if (!b) {
    const all = propertyTable(model.families.map(deviceFamily), side.release);
    // A property some types of the family lack (PropertySpec.drivers) is not in this type's table.
    const shared = [...all.values()].some((p) => p.drivers && !p.drivers.includes(driver))
      ? new Map([...all].filter(([, p]) => !p.drivers || p.drivers.includes(driver)))
      : all;
    const defaults = Object.entries(model.instanceDefaults?.(driver) ?? {}).filter(([name]) => shared.has(name));
    const table = defaults.length
      ? new Map([...shared, ...defaults.map(([name, value]) => [name, { ...shared.get(name)!, default: value }] as const)])
      : shared;
    const chain = model.typeChain(driver);
    const machine = { ...side.machine, compat: side.machine.compat.filter((c) => chain.includes(c.property[0])) };
    b = { table, chain, machine };
    bases.set(key, b);
  }
  return b;
}

const resolvedBySide = new WeakMap<SideContext, Map<DeviceDescription, PropertySet>>();
const sugarBySide = new WeakMap<SideContext, ReturnType<typeof q35SugarProperties>>();

/** The device's properties as QEMU resolves them: defaults ← machine compat ← -global ← machine sugar ← explicit. */
function resolveFor(side: SideContext, dev: DeviceDescription, model: DeviceModel): PropertySet {
  let bySide = resolvedBySide.get(side);
  if (!bySide) resolvedBySide.set(side, (bySide = new Map()));
  let r = bySide.get(dev);
  if (!r) {
    const { table, chain, machine } = resolutionBase(side, dev.driver, model);
    let sugar = sugarBySide.get(side);
    if (!sugar) sugarBySide.set(side, (sugar = q35SugarProperties(side.release, side.machine, side.vm.globals)));
    r = resolveProperties(table, chain, machine, side.vm.globals, dev.properties, sugar);
    bySide.set(dev, r);
  }
  return r;
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
      slot: d.addr?.slot ?? 0, fn: d.addr?.fn ?? 0,
      lnkstaDllla: isOn(propertyOf(side, d, 'x-pcie-lnksta-dllla'), true),
      linkStatus,
    };
  });
}

const takenBySide = new WeakMap<SideContext, Set<DeviceDescription>>();

/**
 * Whether a PCIe slot created before this one (command-line order) has the
 * same (chassis, slot) pair: pcie_chassis_add_slot refuses the second.
 */
function slotTaken(side: SideContext, dev: DeviceDescription): boolean {
  let taken = takenBySide.get(side);
  if (!taken) {
    taken = new Set();
    const seen = new Set<string>();
    for (const d of side.vm.devices.filter((x) => PCIE_SLOT_DRIVERS.has(x.driver))) {
      const key = `${propertyOf(side, d, 'chassis') ?? 0}:${propertyOf(side, d, 'slot') ?? 0}`;
      if (seen.has(key)) taken.add(d);
      seen.add(key);
    }
    takenBySide.set(side, taken);
  }
  return taken.has(dev);
}
