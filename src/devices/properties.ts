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
  const set_ = new Map<string, ResolvedProperty>();
  const unknown: string[] = [];
  const defaults = defaultsOf(table);
  const values: PropertyValues = { get: (name) => set_.get(name) ?? defaults.get(name) };
  const set = (name: string, raw: string, source: PropertySource, via: string) => {
    const spec = table.get(name);
    if (!spec) {
      unknown.push(`${name}=${raw} (${source === 'explicit' ? 'on the -device line' : via})`);
      return;
    }
    try {
      set_.set(name, { value: normalizeValue(spec.type, raw), source, via });
    } catch (e) {
      if (e instanceof PropertyValueError) e.where = source === 'explicit' ? `properties.${name}` : source === 'global' ? `globals.${via.slice(8).split('=')[0]}` : via;
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
  for (const [name, value] of Object.entries(explicit)) set(name, value, 'explicit', '');
  return { values, unknown };
}
