/**
 * Resolving a device's properties the way QEMU does for a new object:
 * class default ← machine compat properties ← -global ← the -device
 * line. A compat or global entry applies when its driver names the
 * object's type or any parent type (object_apply_global_props matches with
 * object_dynamic_cast), so "virtio-pci" reaches every virtio PCI proxy and
 * "virtio-blk-device" the block device behind virtio-blk-pci.
 */
import { type DeviceFamily, type GlobalProperty, type PropertySpec } from '../profiles/data.js';
import { inRange } from '../profiles/versions.js';
import { type Machine } from '../profiles/machine.js';

export type PropertySource = 'default' | 'machine' | 'global' | 'explicit';

export interface ResolvedProperty {
  value: string;
  source: PropertySource;
  /** For machine: the compat array; for global: the -global text. */
  via?: string;
}

/** Resolved values by name: a release's defaults, with what compat, globals and the -device line set on top. */
export interface PropertyValues {
  get(name: string): ResolvedProperty | undefined;
}

export interface PropertySet {
  values: PropertyValues;
  /** Properties set but not modelled for this release (verdict unknown). */
  unknown: string[];
}

const tables = new Map<string, Map<string, PropertySpec>>();

/**
 * The properties a family has in a release, with the default that release
 * uses. Memoized: the returned map is shared and must not be modified.
 */
export function propertyTable(families: DeviceFamily[], release: string): ReadonlyMap<string, PropertySpec> {
  const key = `${release}|${families.map((f) => f.family).join(',')}`;
  let t = tables.get(key);
  if (!t) {
    t = buildTable(families, release);
    tables.set(key, t);
  }
  return t;
}

function buildTable(families: DeviceFamily[], release: string): Map<string, PropertySpec> {
  const out = new Map<string, PropertySpec>();
  for (const fam of families) {
    for (const [name, spec] of Object.entries(fam.properties)) {
      if (!inRange(release, spec.since, spec.until)) continue;
      let def = spec.default;
      for (const d of spec.defaults ?? []) if (inRange(release, d.since)) def = d.default;
      let type = spec.type;
      for (const t of spec.types ?? []) if (inRange(release, t.since)) type = t.type;
      out.set(name, { ...spec, type, default: def });
    }
  }
  return out;
}

export class PropertyValueError extends Error {
  /** Where the value came from: "properties.discard" or "globals.virtio-blk-device.discard". */
  where = '';
}

const TRUE = new Set(['on', 'true', 'yes', 'y']);
const FALSE = new Set(['off', 'false', 'no', 'n']);

/** QEMU's parsing of a property value, reduced to one spelling per value. */
export function normalizeValue(type: string, raw: string): string {
  const v = raw.trim();
  switch (type) {
    case 'bool':
    case 'bit':
      if (TRUE.has(v.toLowerCase())) return 'on';
      if (FALSE.has(v.toLowerCase())) return 'off';
      throw new PropertyValueError(`"${raw}" is not on/off`);
    case 'onoffauto': {
      const l = v.toLowerCase();
      if (l === 'auto') return 'auto';
      return normalizeValue('bool', l);
    }
    case 'size': case 'size32': {
      // qemu_strtosz: a number with an optional binary suffix (k, M, G, T, P, E; a trailing B is allowed).
      const m = /^(\d+)([kmgtpe]?)b?$/i.exec(v);
      if (m) return (BigInt(m[1]) << BigInt(10 * ' kmgtpe'.indexOf((m[2] || ' ').toLowerCase()))).toString();
      if (!/^0x[0-9a-f]+$/i.test(v)) throw new PropertyValueError(`"${raw}" is not a size`);
      return BigInt(v).toString();
    }
    case 'uint8': case 'uint16': case 'uint32': case 'uint64': case 'int32': case 'int64': {
      if (!/^(0x[0-9a-f]+|-?\d+)$/i.test(v)) throw new PropertyValueError(`"${raw}" is not a number`);
      return BigInt(v).toString();
    }
    default:
      return v;
  }
}

const defaultsByTable = new WeakMap<ReadonlyMap<string, PropertySpec>, Map<string, ResolvedProperty>>();

/** The default values of a (shared) property table, computed once. */
function defaultsOf(table: ReadonlyMap<string, PropertySpec>): Map<string, ResolvedProperty> {
  let d = defaultsByTable.get(table);
  if (!d) {
    d = new Map();
    for (const [name, spec] of table) if (spec.default != null) d.set(name, { value: spec.default, source: 'default' });
    defaultsByTable.set(table, d);
  }
  return d;
}

export function resolveProperties(
  table: ReadonlyMap<string, PropertySpec>,
  typeChain: string[],
  machine: Machine,
  globals: GlobalProperty[],
  explicit: Record<string, string>,
  /** Globals the machine registers at init (pc_q35_init); applied after -global, only where the property exists. */
  sugar: { property: GlobalProperty; via: string }[] = [],
): PropertySet {
  return withExplicit(table, resolveInherited(table, typeChain, machine, globals, sugar), explicit);
}

/**
 * What a device of one type inherits before its -device line: defaults ←
 * machine compat ← -global ← machine sugar. The same for every device of
 * that type in VMs of one release, machine type and -global set, so it is
 * computed once for all of them (the returned value is shared, never modified).
 */
export interface InheritedProperties {
  values: ReadonlyMap<string, ResolvedProperty>;
  /** Set by compat, -global or sugar but not a property of this type in this release. */
  unknown: string[];
}

export function resolveInherited(
  table: ReadonlyMap<string, PropertySpec>,
  typeChain: string[],
  machine: Machine,
  globals: GlobalProperty[],
  sugar: { property: GlobalProperty; via: string }[] = [],
): InheritedProperties {
  const values = new Map(defaultsOf(table));
  const unknown: string[] = [];
  const set = (name: string, raw: string, source: PropertySource, via: string) => {
    const spec = table.get(name);
    if (!spec) {
      unknown.push(`${name}=${raw} (${via})`);
      return;
    }
    try {
      values.set(name, { value: normalizeValue(spec.type, raw), source, via });
    } catch (e) {
      if (e instanceof PropertyValueError) e.where = source === 'global' ? `globals.${via.slice(8).split('=')[0]}` : via;
      throw e;
    }
  };
  for (const { property: [driver, name, value], array } of machine.compat) {
    if (typeChain.includes(driver)) set(name, value, 'machine', array);
  }
  for (const [driver, name, value] of globals) {
    if (typeChain.includes(driver)) set(name, value, 'global', `-global ${driver}.${name}=${value}`);
  }
  for (const { property: [driver, name, value], via } of sugar) {
    if (typeChain.includes(driver) && table.has(name)) set(name, value, 'machine', via);
  }
  return { values, unknown };
}

/** The types normalizeValue parses; any other is only trimmed. */
const PARSED_TYPES = new Set(['bool', 'bit', 'onoffauto', 'size', 'size32', 'uint8', 'uint16', 'uint32', 'uint64', 'int32', 'int64']);

/** One spelling per (type, value) as given on -device lines: parsed once, shared (never modified). */
const explicitValues = new Map<string, ResolvedProperty>();

function explicitValue(type: string, raw: string, name: string): ResolvedProperty {
  // Strings (drive, netdev, mac, serial …) are only trimmed: nothing to parse or to share.
  if (!PARSED_TYPES.has(type)) return { value: normalizeValue(type, raw), source: 'explicit', via: '' };
  const key = `${type}\0${raw}`;
  let r = explicitValues.get(key);
  if (!r) {
    try {
      r = { value: normalizeValue(type, raw), source: 'explicit', via: '' };
    } catch (e) {
      if (e instanceof PropertyValueError) e.where = `properties.${name}`;
      throw e;
    }
    if (explicitValues.size >= 100_000) explicitValues.clear();
    explicitValues.set(key, r);
  }
  return r;
}

/**
 * Every property name anything has read from a device's resolved values
 * (a builder, a check), or that was not a property of its type (its value
 * then appears in the verdict): only grows. A fleet's memo keys devices on
 * the values of these names only, so a value no check ever reads (a MAC
 * address, a drive name) does not make two devices differ; `version` says
 * when the set grew.
 */
export const propertyReads = { names: new Set<string>(), version: 0 };

export function noteRead(name: string): void {
  if (!propertyReads.names.has(name)) {
    propertyReads.names.add(name);
    propertyReads.version++;
  }
}

/** The -device line's properties over what the type inherits: the explicit value wins. */
export function withExplicit(table: ReadonlyMap<string, PropertySpec>, inherited: InheritedProperties, explicit: Record<string, string>): PropertySet {
  let own: Map<string, ResolvedProperty> | undefined;
  let unknown = inherited.unknown;
  for (const name of Object.keys(explicit)) {
    const raw = explicit[name];
    const spec = table.get(name);
    if (!spec) {
      if (unknown === inherited.unknown) unknown = [...unknown];
      noteRead(name);
      unknown.push(`${name}=${raw} (on the -device line)`);
      continue;
    }
    (own ??= new Map()).set(name, explicitValue(spec.type, raw, name));
  }
  const base = inherited.values;
  const values: PropertyValues = own
    ? { get: (name) => (noteRead(name), own.get(name) ?? base.get(name)) }
    : { get: (name) => (noteRead(name), base.get(name)) };
  return { values, unknown };
}
