/**
 * From a described device to the config space its QEMU builds:
 * model lookup → property resolution (defaults ← machine compat ←
 * -global ← explicit) → the model's builder.
 */
import { deviceFamily } from '../profiles/data.js';
import { type Machine } from '../profiles/machine.js';
import { modelFor } from '../devices/registry.js';
import { type BuildContext, type BuiltDevice, type ChildDevice, NotModelledError, type DeviceModel } from '../devices/model.js';
import {
  type InheritedProperties, noteRead, propertyTable, PropertyValueError, resolveInherited, type PropertySet, type PropertyValues, withExplicit,
} from '../devices/properties.js';
import { type GlobalProperty, type PropertySpec } from '../profiles/data.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { InputError } from '../inputs/errors.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { expanderBusTaken, placeDevice } from './placement.js';
import { withUnprobed } from '../devices/probed.js';
import { q35AcpiBridgeHotplug, q35SugarProperties, type SugarProperty } from '../profiles/q35-hotplug.js';
import { PCI_CAP_ID } from '../config-space/regs.js';
import { getLE } from '../config-space/config-space.js';
import { Generations } from '../inputs/generations.js';
import { PCI_EXP } from '../config-space/pcie-cap.js';
import { memdevOf } from './memdev.js';

/** Drivers that are PCIe slots (TYPE_PCIE_SLOT): their (chassis, slot) pairs must be unique. */
const PCIE_SLOT_DRIVERS = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream']);

export type BuiltSide =
  | {
    kind: 'built'; model: DeviceModel; section: string; cs: ConfigSpace; notes: string[]; assumptions: string[];
    props: PropertyValues;
    /** The device's RAM blocks by their migration names ("0000:00:03.0/virtio-net-pci.rom"), in creation order. */
    ramBlocks: { block: string; size: number }[];
    streamShape?: Record<string, number>;
    /** Whether its build read the VM's vCPUs (a fleet's memo keys the device on them only then). */
    readsSmp?: boolean;
  }
  | { kind: 'unknown'; section?: string; reason: string; readsSmp?: boolean }
  | { kind: 'refused'; section: string; reason: string; readsSmp?: boolean };

export interface SideContext {
  vm: VmDescription;
  release: string;
  machine: Machine;
}

/**
 * What one side (a VM on a release) computes once and its devices share:
 * the machine's hot-plug settings, the devices on each bus, and each
 * device's placement, properties and build. `key` names what the
 * properties a device inherits depend on (release, machine type, -global).
 */
interface SideState {
  key: string;
  sugar: SugarProperty[];
  acpiBridgeHotplug: boolean;
  byBus: Map<string, DeviceDescription[]>;
  built: Map<DeviceDescription, BuiltSide>;
  resolved: Map<DeviceDescription, Resolved>;
  /** By driver: what a device of that type inherits here (shared by every side with this key). */
  inherited: Map<string, Inherited | PropertyValueError>;
  taken?: Set<DeviceDescription>;
}

const states = new WeakMap<SideContext, SideState>();

/** An injective text for -global options: lengths first, so no value can imitate a separator. */
const globalsKey = (globals: GlobalProperty[]) => globals.map((g) => g.map((x) => `${x.length}:${x}`).join('')).join(',');

/** The machine's sugar globals and ACPI bridge hot-plug, by release, machine type and -global set. */
const machineSettings = new Map<string, { sugar: SugarProperty[]; acpiBridgeHotplug: boolean }>();

function stateOf(side: SideContext): SideState {
  let st = states.get(side);
  if (!st) {
    const key = `${side.release}|${side.machine.name}|${globalsKey(side.vm.globals)}`;
    let m = machineSettings.get(key);
    if (!m) {
      m = {
        sugar: q35SugarProperties(side.release, side.machine, side.vm.globals),
        acpiBridgeHotplug: q35AcpiBridgeHotplug(side.release, side.machine, side.vm.globals),
      };
      if (machineSettings.size >= 10_000) machineSettings.clear();
      machineSettings.set(key, m);
    }
    const byBus = new Map<string, DeviceDescription[]>();
    for (const d of side.vm.devices) {
      if (d.bus === undefined) continue;
      const on = byBus.get(d.bus);
      if (on) on.push(d);
      else byBus.set(d.bus, [d]);
    }
    let inherited = inheritedByKey.get(key);
    if (!inherited) {
      if (inheritedByKey.size >= 10_000) inheritedByKey.clear();
      inheritedByKey.set(key, (inherited = new Map()));
    }
    st = { key, ...m, byBus, built: new Map(), resolved: new Map(), inherited };
    states.set(side, st);
  }
  return st;
}

/** The device as this side's QEMU builds it; built once per side (a port's children ask again). */
export function buildDevice(side: SideContext, dev: DeviceDescription): BuiltSide {
  const st = stateOf(side);
  let b = st.built.get(dev);
  if (!b) {
    b = buildDeviceOnce(side, st, dev);
    st.built.set(dev, b);
  }
  return b;
}

/** Shared by every device with no RAM blocks or assumptions; frozen, so a stray push fails loudly. */
const NONE = Object.freeze([]) as unknown as never[];

function buildDeviceOnce(side: SideContext, st: SideState, dev: DeviceDescription): BuiltSide {
  const placement = placeDevice(side.vm, dev, side.machine.family);
  const model = modelFor(dev.driver);
  if (!model) {
    return { kind: 'unknown', reason: `device "${dev.driver}" is not modelled: compat-check cannot say what its config space holds` };
  }
  const section = `${placement.path}/${model.sectionName}`;
  let resolved: PropertySet;
  let inheritedId: number;
  let resolvedId: number;
  try {
    ({ set: resolved, inheritedId, id: resolvedId } = resolveFor(side, st, dev, model));
  } catch (e) {
    if (e instanceof PropertyValueError) {
      throw new InputError(side.vm.file, e.where.startsWith('globals.') ? e.where : `${dev.where}.${e.where}`, e.message);
    }
    throw e;
  }
  if (resolved.unknown.length) {
    return { kind: 'unknown', section, reason: `not modelled for QEMU ${side.release}: ${resolved.unknown.join(', ')}` };
  }
  const ctx: Ctx = {
    release: side.release, smp: side.vm.smp, bus: placement.bus, netdevQueues: dev.netdevQueues, nicBackend: dev.backend?.type,
    memdev: memdevOf(side.vm, dev, resolved.values.get('memdev')?.value),
    children: childrenOf(side, st, dev),
    // Only the tree below the main root bus ("0000:00:…"): a pxb-pcie's root bus has no ACPI hot-plug handler (placement.ts).
    acpiBridgeHotplug: st.acpiBridgeHotplug && placement.path.startsWith('0000:00:'),
    slotTaken: PCIE_SLOT_DRIVERS.has(dev.driver) ? slotTaken(side, st, dev) : undefined,
    busNrTaken: expanderBusTaken(side.vm, dev, side.machine.family),
  };
  const outcome = cachedBuild(model, dev.driver, ctx, resolved.values, inheritedId, dev.properties);
  switch (outcome.kind) {
    case 'unknown': return { kind: 'unknown', section, reason: outcome.reason, readsSmp: outcome.readsSmp };
    case 'refused': return { kind: 'refused', section, reason: outcome.reason, readsSmp: outcome.readsSmp };
    default: {
      // One object for every device that builds alike at one place with the same properties (shared, never modified).
      let at = builtSides.get(outcome);
      if (!at) builtSides.set(outcome, (at = new Map()));
      const key = `${resolvedId}|${section}`;
      let b = at.get(key);
      if (!b) {
        const built = outcome.built;
        // qemu_ram_set_idstr: "<device path>/<name>" for a block registered with its device.
        const ramBlocks = built.ramBlocks?.length
          ? built.ramBlocks.map((r) => ({ block: r.global ? r.name : `${placement.path}/${r.name}`, size: r.size }))
          : NONE;
        b = {
          kind: 'built', model, section, cs: built.cs, notes: built.notes, assumptions: withUnprobed(built.assumptions ?? NONE, model, dev.driver), props: resolved.values, ramBlocks,
          streamShape: built.streamShape, readsSmp: outcome.readsSmp,
        };
        if (at.size >= 1000) at.clear();
        at.set(key, b);
      }
      return b;
    }
  }
}

/** A build, and whether it read the VM's vCPUs (its read set has `smp`). */
type BuildOutcome = ({ kind: 'built'; built: BuiltDevice } | { kind: 'unknown' | 'refused'; reason: string }) & { readsSmp?: boolean };

/** Built sides by the build they wrap, then by resolved properties and section. */
const builtSides = new WeakMap<BuildOutcome, Map<string, BuiltSide>>();
type Ctx = Omit<BuildContext, 'props'>;

/** Builds of one driver that read the same context fields and properties, by the values they read. */
interface ReadSet { fields: (keyof Ctx)[]; props: string[]; outcomes: Map<string, BuildOutcome> }

const buildCache = new Map<string, ReadSet[]>();
const OUTCOMES_MAX = 50_000;
let outcomes = 0;

/** A value as key text, length first: injective whatever characters a property value holds. */
function part(v: unknown): string {
  switch (typeof v) {
    case 'string': return `${v.length}:${v}`;
    case 'undefined': return '-';
    case 'number': return `n${v};`;
    case 'boolean': return v ? 't' : 'f';
    default: {
      if (Array.isArray(v)) {
        if (v.length === 0) return '[]';
        // A port's children: "[" then each as a flat object, "]".
        let k = '[';
        for (const x of v) {
          const o = flatPart(x);
          if (o === undefined) return jsonPart(v);
          k += o;
        }
        return k + ']';
      }
      return flatPart(v) ?? jsonPart(v);
    }
  }
}

const jsonPart = (v: unknown) => {
  const t = JSON.stringify(v);
  return `${t.length}:${t}`;
};

/**
 * An object whose values are all strings, numbers, booleans or undefined
 * (the bus a device sits on, a child of a port) as "{" key value … "}",
 * cheaper than JSON; every token delimits itself, so the text stays injective.
 */
function flatPart(o: unknown): string | undefined {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  let k = '{';
  for (const name in o) {
    const x = (o as Record<string, unknown>)[name];
    if (x !== undefined && typeof x === 'object') return undefined;
    if (typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint') return undefined;
    k += `${name.length}:${name}${part(x)}`;
  }
  return k + '}';
}

/** The values a read set names, as one string: what decides the build. */
function valueKey(rs: ReadSet, ctx: Ctx, props: PropertyValues): string {
  let k = '';
  for (let i = 0; i < rs.fields.length; i++) k += part(ctx[rs.fields[i]]);
  k += '|';
  for (let i = 0; i < rs.props.length; i++) k += part(props.get(rs.props[i])?.value);
  return k;
}

/**
 * The first level, tried before the read sets: per driver, a key made of
 * what the device inherits (one id for its release, machine type, -global
 * set and driver), the context fields and the -device properties that any
 * build of the driver has read so far. Short, and computed from the few
 * properties the -device line sets, so a hit costs one small string. Two
 * devices with the same key agree on every value any recorded build read,
 * so they read the same values and get the same device; when a new build
 * reads something new, the driver's first level starts afresh.
 */
interface FirstLevel { fields: Set<keyof Ctx>; props: Set<string>; outcomes: Map<string, BuildOutcome> }

const firstLevel = new Map<string, FirstLevel>();
let firstLevelCount = 0;

function firstLevelKey(l1: FirstLevel, ctx: Ctx, props: PropertyValues, inheritedId: number, explicit: Record<string, string>): string {
  let k = `${inheritedId}|`;
  for (const f of l1.fields) k += part(ctx[f]);
  k += '|';
  for (const name in explicit) if (l1.props.has(name)) k += `${name.length}:${name}${part(props.get(name)?.value)}`;
  return k;
}

/**
 * Builds are pure: the same values of the context fields and properties a
 * build read give the same device. The cache remembers, per driver, which
 * fields and properties its builds read, so per-VM values the builder
 * never looks at (drive, netdev, mac, vCPUs for a root port …) do not
 * defeat it. The ConfigSpace is shared between VMs and never modified.
 */
function cachedBuild(
  model: DeviceModel, driver: string, ctx: Ctx, props: PropertyValues, inheritedId: number, explicit: Record<string, string>,
): BuildOutcome {
  let l1 = firstLevel.get(driver);
  if (!l1) firstLevel.set(driver, (l1 = { fields: new Set(), props: new Set(), outcomes: new Map() }));
  const k1 = firstLevelKey(l1, ctx, props, inheritedId, explicit);
  let outcome = l1.outcomes.get(k1);
  if (outcome) return outcome;
  const rs = readSetBuild(model, driver, ctx, props);
  outcome = rs.outcome;
  const grown = rs.fields.some((f) => !l1.fields.has(f)) || rs.props.some((p) => !l1.props.has(p));
  if (firstLevelCount >= OUTCOMES_MAX) {
    for (const x of firstLevel.values()) x.outcomes.clear();
    firstLevelCount = 0;
  }
  if (grown) {
    for (const f of rs.fields) l1.fields.add(f);
    for (const p of rs.props) l1.props.add(p);
    firstLevelCount -= l1.outcomes.size;
    l1.outcomes.clear();
  }
  l1.outcomes.set(grown ? firstLevelKey(l1, ctx, props, inheritedId, explicit) : k1, outcome);
  firstLevelCount++;
  return outcome;
}

/** The second level: by the values of what builds of the driver read (read sets); a miss builds. */
function readSetBuild(model: DeviceModel, driver: string, ctx: Ctx, props: PropertyValues): ReadSet & { outcome: BuildOutcome } {
  const readSets = buildCache.get(driver) ?? [];
  for (let k = 0; k < readSets.length; k++) {
    const hit = readSets[k].outcomes.get(valueKey(readSets[k], ctx, props));
    if (hit) {
      const rs = readSets[k];
      // The read set that hits goes first next time: most lookups then need one key.
      if (k > 0) [readSets[0], readSets[k]] = [readSets[k], readSets[0]];
      return { ...rs, outcome: hit };
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
  outcome.readsSmp = fields.has('smp');
  const f = [...fields].sort();
  const p = [...names].sort();
  let rs = (buildCache.get(driver) ?? []).find((x) => x.fields.join() === f.join() && x.props.join() === p.join());
  if (!rs) {
    rs = { fields: f, props: p, outcomes: new Map() };
    buildCache.set(driver, [...(buildCache.get(driver) ?? []), rs]);
  }
  rs.outcomes.set(valueKey(rs, ctx, props), outcome);
  outcomes++;
  return { ...rs, outcome };
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

/** What a type inherits (defaults ← compat ← -global ← sugar), with an id for the build cache's first level. */
interface Inherited { table: ReadonlyMap<string, PropertySpec>; inherited: InheritedProperties; id: number }

/** By side key, then driver; a refused value is kept and thrown again. */
const inheritedByKey = new Map<string, Map<string, Inherited | PropertyValueError>>();
let inheritedIds = 0;

function inheritedFor(side: SideContext, st: SideState, driver: string, model: DeviceModel): Inherited {
  let inh = st.inherited.get(driver);
  if (!inh) {
    const base = resolutionBase(side, driver, model);
    try {
      inh = { table: base.table, inherited: resolveInherited(base.table, base.chain, base.machine, side.vm.globals, st.sugar), id: ++inheritedIds };
    } catch (e) {
      if (!(e instanceof PropertyValueError)) throw e;
      inh = e;
    }
    st.inherited.set(driver, inh);
  }
  if (inh instanceof PropertyValueError) throw inh;
  return inh;
}

/** A device's resolved properties, the id of what it inherited (the build cache's first level uses it), and its own. */
interface Resolved { set: PropertySet; inheritedId: number; id: number }

/** The device's properties as QEMU resolves them: defaults ← machine compat ← -global ← machine sugar ← explicit. */
function resolveFor(side: SideContext, st: SideState, dev: DeviceDescription, model: DeviceModel): Resolved {
  let r = st.resolved.get(dev);
  if (!r) {
    const { table, inherited, id } = inheritedFor(side, st, dev.driver, model);
    // The same inheritance and -device properties resolve alike in every VM: one shared set (never modified).
    let key = `${id}|`;
    for (const name in dev.properties) key += `${name.length}:${name}${part(dev.properties[name])}`;
    r = resolvedSets.get(key);
    if (!r) {
      r = { set: withExplicit(table, inherited, dev.properties), inheritedId: id, id: nextResolved++ };
      resolvedSets.set(key, r);
    }
    st.resolved.set(dev, r);
  }
  return r;
}

const resolvedSets = new Generations<string, Resolved>(50_000);
let nextResolved = 0;

/** One property of another device, or undefined when that device or value cannot be resolved. */
function propertyOf(side: SideContext, dev: DeviceDescription, name: string): string | undefined {
  const model = modelFor(dev.driver);
  if (model) {
    try {
      return resolveFor(side, stateOf(side), dev, model).set.values.get(name)?.value;
    } catch {
      return undefined;
    }
  }
  // Not modelled: pci-device's own properties still resolve through compat, -global and the -device line.
  let v: string | undefined;
  for (const { property: [driver, prop, value] } of side.machine.compat) if (prop === name && (driver === 'pci-device' || driver === dev.driver)) v = value;
  for (const [driver, prop, value] of side.vm.globals) if (prop === name && (driver === 'pci-device' || driver === dev.driver)) v = value;
  noteRead(name);
  return dev.properties[name] ?? v;
}

const isOn = (v: string | undefined, absent: boolean) => (v === undefined ? absent : ['on', 'true', 'yes', 'y'].includes(v.toLowerCase()));

/** A built PCI Express function's Link Status register (what its port reads, pcie_sync_bridge_lnk), else undefined. */
export function linkStatusOf(built: BuiltSide): number | undefined {
  if (built.kind !== 'built') return undefined;
  const exp = built.cs.capabilities.find((c) => !c.extended && c.id === PCI_CAP_ID.EXP);
  return exp ? getLE(built.cs.config, exp.offset + PCI_EXP.LNKSTA, 2) : undefined;
}

/**
 * The devices on this device's secondary bus, as a port sees them at start:
 * their x-pcie-lnksta-dllla (pcie_cap_slot_plug_cb) and, when modelled and
 * PCI Express, their Link Status (pcie_sync_bridge_lnk).
 */
/** The one property of a child a port's build reads (childrenOf); a fleet's memo keys ports on it (fleet-memo.ts childPart). */
export const CHILD_PROPERTY = 'x-pcie-lnksta-dllla';

function childrenOf(side: SideContext, st: SideState, dev: DeviceDescription): ChildDevice[] {
  const on = st.byBus.get(dev.id);
  if (!on) return [];
  return on.map((d) => {
    const linkStatus = modelFor(d.driver) ? linkStatusOf(buildDevice(side, d)) : undefined;
    return {
      slot: d.addr?.slot ?? 0, fn: d.addr?.fn ?? 0,
      lnkstaDllla: isOn(propertyOf(side, d, CHILD_PROPERTY), true),
      linkStatus,
    };
  });
}

export const isPcieSlot = (driver: string) => PCIE_SLOT_DRIVERS.has(driver);

/**
 * A PCIe slot's "chassis:slot" as this side resolves them, or undefined for
 * a device that is no PCIe slot: a fleet's memo keys on which slots repeat.
 */
export function pcieSlotOf(side: SideContext, dev: DeviceDescription): string | undefined {
  if (!isPcieSlot(dev.driver)) return undefined;
  return `${propertyOf(side, dev, 'chassis') ?? 0}:${propertyOf(side, dev, 'slot') ?? 0}`;
}

/**
 * Whether a PCIe slot created before this one (command-line order) has the
 * same (chassis, slot) pair: pcie_chassis_add_slot refuses the second.
 */
function slotTaken(side: SideContext, st: SideState, dev: DeviceDescription): boolean {
  let taken = st.taken;
  if (!taken) {
    taken = new Set();
    const seen = new Set<string>();
    for (const d of side.vm.devices.filter((x) => PCIE_SLOT_DRIVERS.has(x.driver))) {
      const key = pcieSlotOf(side, d)!;
      if (seen.has(key)) taken.add(d);
      seen.add(key);
    }
    st.taken = taken;
  }
  return taken.has(dev);
}
