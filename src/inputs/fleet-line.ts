/**
 * One inventory line of a fleet, read by parts. A region's VMs repeat the
 * same device entries over and over (the third root port, a virtio disk
 * with the same BARs), so each distinct entry text is parsed, validated
 * and normalized once (a text seen in one line only — a NIC's, with its
 * MAC — is not kept, and takes its validity from an entry like it:
 * `entry`); the rest of the line (the VM without its devices)
 * is parsed and validated on its own. The schema checks each entry of
 * `devices` independently of the rest, so the parts are valid exactly when
 * the whole is, and JSON.parse gives the same values for each part.
 *
 * Anything not in the plain shape — a repeated or escaped key, an entry
 * that is no object, any invalid part — gives undefined: the caller then
 * reads the line the ordinary way (JSON.parse, parseVmJson), which also
 * words the error. The result is always what parseVmJson would give.
 */
import {
  describeValidated, normalizeDevice, type DeviceDescription, type RawDevice, type RawVm, validDevice, validSkeleton, type VmDescription,
} from './vm.js';
import { Generations } from './generations.js';
import { Numbering } from './numbering.js';
import { propertyReads } from '../devices/properties.js';

export interface FleetLine {
  vm: VmDescription;
  /**
   * The line without its devices and the values of name, smp and bootedOn:
   * the rest of what the VM's sides depend on, as text (check/fleet-memo.ts
   * adds vCPUs and boot release only where a device reads them).
   */
  sideText: string;
  /** The device entries, as read once per distinct text (shared between lines). */
  entries: Entry[];
}

/**
 * A line scanned but not parsed: its entries (each known valid on its
 * own), its side text, and the texts of name, smp and bootedOn. Enough
 * for the fleet memo's quick path (check/fleet-memo.ts) when every part
 * has been seen in a line read whole; `full` reads the rest.
 */
export interface ScannedLine {
  line: string;
  shape: LineShape;
  entries: Entry[];
  sideText: string;
  /** The texts of the values of name, smp and bootedOn. */
  cut: CutTexts;
}

type CutTexts = { name?: string; smp?: string; bootedOn?: string };

/** What a scanned line's name, smp and bootedOn are, when each value's text was seen valid before. */
export interface LineFacts { name: string | undefined; smp: number; bootedOn: string | undefined }

export interface Entry {
  /** A number naming its text: equal numbers, equal entries. */
  id: number;
  /** The entry as parsed (shared, never modified); undefined when it is not valid on its own. */
  raw: RawDevice | undefined;
  /** Kept by the fleet memo: the number of the entry as its keys see it, for the set of read property names `projectedVersion`. */
  projected?: number;
  projectedVersion?: number;
  /**
   * Its id and its bus and address ("bus/slot.fn", 0x2 and 0x02.0 alike) as
   * numbers, equal numbers for equal values (the fleet memo finds repeats
   * with them); -1 when it does not normalize (normalizeDevice words why)
   * or too many names were numbered.
   */
  idNumber: number;
  addrNumber: number;
  /** Its bus as the number of an id (-1: the root bus, or too many names). */
  busNumber: number;
  /** Seen in more than one line: kept, and its normalized forms with it. */
  kept?: boolean;
}

/** Distinct entries, and normalized entries, kept per generation (bounded memory: generations.ts). */
const MAX_ENTRIES = 5_000;
/** Valid entries kept by projection, before that table starts afresh. */
const MAX_TEMPLATES = 20_000;
/** Entry texts seen once kept (`entry`): a few hundred VMs' worth, which the young generation collects. */
const ONCE = 512;
/** Distinct device ids and addresses numbered (a region's VMs reuse a few hundred). */
export const MAX_NAMES = 50_000;

export class FleetLineReader {
  private entries = new Generations<string, Entry>(MAX_ENTRIES);
  private once = new Map<string, Entry>();
  /** A valid entry by its projection (projectionOf): what another entry with that projection shares with it. */
  private templates = new Map<number, Entry>();
  private normalized = new Generations<string, DeviceDescription>(MAX_ENTRIES);
  private ids = 0;
  /**
   * Device ids and addresses as numbers (Entry.idNumber, addrNumber). Never
   * emptied, since equal texts must keep equal numbers: past MAX_NAMES an
   * entry with a new one gets -1 (the memo then does not key its VM).
   */
  private names = new Map<string, number>();

  private nameNumber(text: string): number {
    let n = this.names.get(text);
    if (n === undefined) {
      if (this.names.size >= MAX_NAMES) return -1;
      this.names.set(text, (n = this.names.size));
    }
    return n;
  }

  /** Texts of smp and bootedOn values seen valid in a whole line, with their values. */
  private smps = new Map<string, number>();
  private booted = new Map<string, string>();

  read(line: string, file: string): FleetLine | undefined {
    const scanned = this.scan(line);
    return scanned && this.full(scanned, file);
  }

  /** The line's parts, each entry parsed and validated once per distinct text; undefined for any other shape. */
  scan(line: string): ScannedLine | undefined {
    const shape = scanLine(line);
    if (!shape) return undefined;
    const entries: Entry[] = new Array(shape.devices.length / 2);
    for (let n = 0; n < entries.length; n++) {
      const e = this.entry(line.slice(shape.devices[2 * n], shape.devices[2 * n + 1]));
      if (!e?.raw) return undefined;
      entries[n] = e;
    }
    return { line, shape, entries, sideText: sideText(line, shape), cut: cutTexts(line, shape) };
  }

  /** The whole description of a scanned line (parseVmJson's), or undefined when the ordinary path must word an error. */
  full(scanned: ScannedLine, file: string): FleetLine | undefined {
    const { line, shape, entries } = scanned;
    const raws = entries.map((e) => e.raw!);
    let skeleton: RawVm;
    try {
      skeleton = JSON.parse(line.slice(0, shape.devicesStart) + '[]' + line.slice(shape.devicesEnd)) as RawVm;
    } catch {
      return undefined;
    }
    // A second "devices" key written with escapes would win over the one scanned.
    if (!validSkeleton(skeleton) || skeleton.devices.length) return undefined;
    skeleton.devices = raws;
    const vm = describeValidated(skeleton, file, (d, n, f) => {
      // An entry seen once (a NIC with its own MAC) is normalized for this line only.
      if (!entries[n].kept) return normalizeDevice(d, `devices[${n}]`, f);
      const key = `${n}|${entries[n].id}`;
      let dev = this.normalized.get(key);
      if (!dev) {
        dev = normalizeDevice(d, `devices[${n}]`, f);
        this.normalized.set(key, dev);
      }
      return dev;
    });
    const { cut } = scanned;
    if (cut.smp !== undefined) this.smps.set(cut.smp, vm.smp);
    if (cut.bootedOn !== undefined && vm.bootedOn !== undefined) this.booted.set(cut.bootedOn, vm.bootedOn);
    return { vm, sideText: scanned.sideText, entries };
  }

  /**
   * name, smp and bootedOn of a scanned line, without parsing it: each must
   * be a text seen valid before (a name: any JSON string, as the schema
   * says); undefined otherwise, and the line is read whole.
   */
  facts(scanned: ScannedLine): LineFacts | undefined {
    const { cut } = scanned;
    const smp = cut.smp === undefined ? 1 : this.smps.get(cut.smp);
    const bootedOn = cut.bootedOn === undefined ? undefined : this.booted.get(cut.bootedOn);
    if (smp === undefined || (cut.bootedOn !== undefined && bootedOn === undefined)) return undefined;
    let name: string | undefined;
    if (cut.name !== undefined) {
      if (cut.name.charCodeAt(0) !== 0x22) return undefined;
      try {
        name = JSON.parse(cut.name) as string;
      } catch {
        return undefined;
      }
    }
    return { name, smp, bootedOn };
  }

  /**
   * The entry of a text. A text seen once waits in `once` (emptied when
   * full) and joins the kept entries when seen again: a MAC address makes
   * every NIC's entry text new, and those would otherwise pass through the
   * kept table and outlive the collector's young generation.
   */
  private entry(text: string): Entry | undefined {
    let e = this.entries.get(text);
    if (e) return e;
    e = this.once.get(text);
    if (e) {
      // A copy of the text as the key: a slice would keep the whole line alive as long as the entry.
      this.entries.set(flat(text), e);
      this.once.delete(text);
      e.kept = true;
      return e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return undefined;
    }
    const projectedVersion = propertyReads.version;
    const projected = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? projectionOf(raw) : undefined;
    // An entry like one seen before but for values nothing reads (a MAC address) is valid or not as that
    // one was, with the same id, address and bus: schema and numbers are not worked out again.
    const like = projected === undefined ? undefined : this.templates.get(projected);
    if (like) {
      e = { id: ++this.ids, raw: raw as RawDevice, idNumber: like.idNumber, addrNumber: like.addrNumber, busNumber: like.busNumber, projected, projectedVersion };
    } else {
      const valid = validDevice(raw) ? raw as RawDevice : undefined;
      const addr = valid && addrKeyOf(valid);
      const idNumber = valid ? this.nameNumber(valid.id) : -1;
      const addrNumber = addr === undefined ? -1 : this.nameNumber(addr);
      const busNumber = valid?.bus === undefined ? -1 : this.nameNumber(valid.bus);
      e = { id: ++this.ids, raw: valid, idNumber, addrNumber, busNumber, projected, projectedVersion };
      if (valid && projected !== undefined) {
        if (this.templates.size >= MAX_TEMPLATES) this.templates.clear();
        this.templates.set(projected, e);
      }
    }
    if (this.once.size >= ONCE) this.once = new Map();
    // The slice itself as the key: it keeps its line alive only while it waits here (a few hundred lines).
    this.once.set(text, e);
    return e;
  }
}

/** Entries as the fleet memo's keys see them, numbered (`projectionOf`). */
const projections = new Numbering();

/**
 * A number for a device entry (as parsed) as the fleet memo's keys see
 * it: the values of properties nothing has read yet (devices/properties.ts
 * propertyReads: a MAC address, a drive name) left out, names kept. Only
 * string values are left out (null in their place); any other value stays,
 * wrapped in an array, so that an entry the schema refuses never shares a
 * number with one it takes, and neither does a value read later.
 */
export function projectionOf(raw: object): number {
  const own = (raw as { properties?: unknown }).properties;
  let props: unknown = own;
  if (own === undefined || (own !== null && typeof own === 'object' && !Array.isArray(own))) {
    // No prototype: a property named __proto__ stays a property.
    const p: Record<string, unknown> = Object.create(null);
    for (const name in own as Record<string, unknown>) {
      const v = (own as Record<string, unknown>)[name];
      p[name] = typeof v !== 'string' ? [v] : propertyReads.names.has(name) ? v : null;
    }
    props = p;
  }
  return projections.of(JSON.stringify({ ...raw, properties: props }));
}

/**
 * The text in a string of its own: a slice shares the line it was cut from.
 * (A lone surrogate comes back changed; that entry is then only never found again.)
 */
const flat = (text: string) => Buffer.from(text).toString();

/** An entry's bus and address, normalized (0x2 and 0x02.0 are one address); undefined when it does not normalize. */
function addrKeyOf(raw: RawDevice): string | undefined {
  try {
    const dev = normalizeDevice(raw, 'devices[0]', '');
    return `${dev.bus ?? ''}/${dev.addr?.slot ?? 0}.${dev.addr?.fn ?? 0}`;
  } catch {
    return undefined;
  }
}

/** The texts of the values of name, smp and bootedOn. */
function cutTexts(line: string, shape: LineShape): CutTexts {
  const out: Record<string, string> = {};
  shape.cutKeys.forEach((k, n) => (out[k] = line.slice(shape.cut[n][0], shape.cut[n][1])));
  return out;
}

/** The line without the devices array and the values of name, smp and bootedOn. */
function sideText(line: string, shape: LineShape): string {
  const { removed } = shape;
  let t = '';
  let at = 0;
  for (let k = 0; k < removed.length; k += 2) {
    t += line.slice(at, removed[k]) + '\u0000';
    at = removed[k + 1];
  }
  return t + line.slice(at);
}

export interface LineShape {
  /** The `[...]` of the top-level "devices" key. */
  devicesStart: number;
  devicesEnd: number;
  /** Each entry's `{...}`: start and end, one after the other. */
  devices: number[];
  /** The values of the top-level name, smp and bootedOn (which one: CUT_KEYS order, in `cutKeys`). */
  cut: [number, number][];
  cutKeys: string[];
  /** What the side text leaves out (the devices array and the cut values), in text order: start and end, one after the other. */
  removed: number[];
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** The end of the string whose opening quote is at i, or -1: the first quote after an even run of backslashes. */
function stringEnd(s: string, i: number): number {
  for (let k = i + 1; ; ) {
    const q = s.indexOf('"', k);
    if (q < 0) return -1;
    let b = q - 1;
    while (b > i && s.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    k = q + 1;
  }
}

/**
 * An object up to three levels deep (a device entry: its properties, its
 * guest values and their bars), strings skipped whole: one native match
 * instead of a loop over characters. Deeper entries go through valueEnd.
 */
const STR = String.raw`"(?:[^"\\]|\\.)*"`;
const ENTRY = new RegExp(String.raw`\{(?:[^{}"]|${STR}|\{(?:[^{}"]|${STR}|\{(?:[^{}"]|${STR})*\})*\})*\}`, 'y');

/** The end of the value at i (not checked for validity: JSON.parse of the parts does that), or -1. */
function valueEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x22) return stringEnd(s, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let k = i; k < s.length; k++) {
      const x = s.charCodeAt(k);
      if (x === 0x22) {
        k = stringEnd(s, k) - 1;
        if (k < 0) return -1;
      } else if (x === 0x7b || x === 0x5b) depth++;
      else if (x === 0x7d || x === 0x5d) {
        if (--depth === 0) return k + 1;
      }
    }
    return -1;
  }
  let k = i;
  while (k < s.length) {
    const x = s.charCodeAt(k);
    if (x === 0x2c || x === 0x7d || x === 0x5d || isSpace(x)) break;
    k++;
  }
  return k > i ? k : -1;
}

const CUT = new Set(['name', 'smp', 'bootedOn']);

/** Where the top-level "devices" entries and the values CUT names are; undefined for any other shape. */
export function scanLine(s: string): LineShape | undefined {
  let i = skipSpace(s, 0);
  if (s.charCodeAt(i) !== 0x7b) return undefined;
  const shape: LineShape = { devicesStart: -1, devicesEnd: -1, devices: [], cut: [], cutKeys: [], removed: [] };
  // The keys so far: a description has a dozen at most, so a scan.
  const seen: string[] = [];
  i = skipSpace(s, i + 1);
  if (s.charCodeAt(i) === 0x7d) return undefined;
  for (;;) {
    if (s.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = stringEnd(s, i);
    if (keyEnd < 0) return undefined;
    const key = s.slice(i + 1, keyEnd - 1);
    if (key.includes('\\') || seen.includes(key)) return undefined;
    seen.push(key);
    i = skipSpace(s, keyEnd);
    if (s.charCodeAt(i) !== 0x3a) return undefined;
    i = skipSpace(s, i + 1);
    let end: number;
    if (key === 'devices') {
      end = scanEntries(s, i, shape.devices);
      if (end < 0) return undefined;
      shape.devicesStart = i;
      shape.devicesEnd = end;
      shape.removed.push(i, end);
    } else {
      end = valueEnd(s, i);
      if (end < 0) return undefined;
      if (CUT.has(key)) {
        shape.cut.push([i, end]);
        shape.cutKeys.push(key);
        shape.removed.push(i, end);
      }
    }
    i = skipSpace(s, end);
    const c = s.charCodeAt(i);
    if (c === 0x2c) {
      i = skipSpace(s, i + 1);
      continue;
    }
    if (c !== 0x7d || skipSpace(s, i + 1) !== s.length) return undefined;
    return shape.devicesStart >= 0 ? shape : undefined;
  }
}

/** The entries of the array at i, each an object, separated by commas: their starts and ends into `entries`; the array's end, or -1. */
function scanEntries(s: string, i: number, entries: number[]): number {
  if (s.charCodeAt(i) !== 0x5b) return -1;
  i = skipSpace(s, i + 1);
  if (s.charCodeAt(i) === 0x5d) return i + 1;
  for (;;) {
    if (s.charCodeAt(i) !== 0x7b) return -1;
    ENTRY.lastIndex = i;
    const end = ENTRY.test(s) ? ENTRY.lastIndex : valueEnd(s, i);
    if (end < 0) return -1;
    entries.push(i, end);
    i = skipSpace(s, end);
    const c = s.charCodeAt(i);
    if (c === 0x5d) return i + 1;
    if (c !== 0x2c) return -1;
    i = skipSpace(s, i + 1);
  }
}
