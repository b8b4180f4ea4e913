/**
 * One device: the source's bytes against the destination's fresh device,
 * with get_pci_config_device's predicate, split into failures that do not
 * depend on the guest and failures that do.
 */
import { type ConfigSpace, getLE } from '../config-space/config-space.js';
import { badConfigMessage, type ByteFailure, checkedBits, failingAt, failingBytes } from '../config-space/load-check.js';
import { describeBarChange, type Field, fieldAt, fieldValue, hex } from '../config-space/fields.js';
import { describeBarType, isIoBar } from '../config-space/bar.js';
import { guestKey, sourceBytes, type SourceBytes } from './source-bytes.js';
import { type GuestValues } from '../inputs/vm.js';
import { type DeviceVerdict, type Mismatch } from './verdict.js';

const candidatesByPair = new WeakMap<ConfigSpace, WeakMap<ConfigSpace, number[]>>();

/**
 * The offsets where this source device can fail on this destination at
 * all: a compared bit differs in the fresh devices, or the guest can write
 * a compared bit. Every other byte passes whatever the guest did; a pair of
 * models is met again and again across a fleet, so this is computed once.
 */
function candidateOffsets(src: ConfigSpace, dst: ConfigSpace, common: number): number[] {
  let byDst = candidatesByPair.get(src);
  if (!byDst) candidatesByPair.set(src, (byDst = new WeakMap()));
  let c = byDst.get(dst);
  if (!c) {
    c = [];
    for (let i = 0; i < common; i++) {
      if (((src.config[i] ^ dst.config[i]) | src.wmask[i] | src.w1cmask[i]) & checkedBits(dst, i)) c.push(i);
    }
    byDst.set(dst, c);
  }
  return c;
}

/** What a source device sends and how the destination device takes it. Shared between VMs: never modified. */
export interface PairResult { sent: SourceBytes; verdict: DeviceVerdict }

const PAIRS_MAX = 4096;
let pairs = new WeakMap<ConfigSpace, WeakMap<ConfigSpace, Map<string, PairResult>>>();
let pairCount = 0;

/**
 * sourceBytes and compareDevice, remembered by (source build, destination
 * build, guest values): across a fleet the same pair meets the same BAR
 * addresses again and again. Bounded (a PCI Express entry holds 8 KiB):
 * past PAIRS_MAX entries the cache starts afresh.
 */
export function comparePair(src: ConfigSpace, guest: GuestValues | undefined, dst: ConfigSpace): PairResult {
  const key = guestKey(guest);
  if (key === undefined) {
    const sent = sourceBytes(src, guest);
    return { sent, verdict: compareDevice(src, sent, dst) };
  }
  let byDst = pairs.get(src);
  if (!byDst) pairs.set(src, (byDst = new WeakMap()));
  let byGuest = byDst.get(dst);
  if (!byGuest) byDst.set(dst, (byGuest = new Map()));
  let r = byGuest.get(key);
  if (!r) {
    const sent = sourceBytes(src, guest);
    r = { sent, verdict: compareDevice(src, sent, dst) };
    if (++pairCount > PAIRS_MAX) {
      pairs = new WeakMap();
      pairCount = 1;
      pairs.set(src, (byDst = new WeakMap()));
      byDst.set(dst, (byGuest = new Map()));
    }
    byGuest.set(key, r);
  }
  return r;
}

export function compareDevice(src: ConfigSpace, sent: SourceBytes, dst: ConfigSpace): DeviceVerdict {
  // The destination reads pci_config_size() bytes of its own; a size change desynchronises the stream.
  const common = Math.min(src.size, dst.size);
  // Same size: the bytes sent are exactly what the destination reads (no copy).
  let bytes = sent.bytes;
  if (src.size !== dst.size || bytes.length !== dst.size) {
    bytes = new Uint8Array(dst.size);
    bytes.set(sent.bytes.subarray(0, common));
  }
  // A raw dump can hold anything: check every byte. Otherwise only where the pair can differ.
  const offsets = sent.raw ? undefined : candidateOffsets(src, dst, common);
  const all = offsets
    ? offsets.map((i) => failingAt(bytes, dst, i)).filter((f): f is ByteFailure => f !== undefined)
    : failingBytes(bytes, { ...dst, size: common });
  const definite = all.filter((f) => f.bits & ~sent.unknown[f.i]);
  const failing = new Set(definite.map((f) => f.i));
  const risky: number[] = [];
  for (const i of offsets ?? [...Array(common).keys()]) {
    if (sent.unknown[i] & checkedBits(dst, i) && !failing.has(i)) risky.push(i);
  }
  const mismatches = describe(src, dst, bytes, [...definite.map((f) => f.i), ...risky]);
  if (src.size !== dst.size && definite.length === 0) {
    return {
      kind: 'incompatible',
      message: `config space size differs: the source sends ${src.size} bytes, the destination reads ${dst.size} ` +
        '(PCI vs PCI Express); the stream desynchronises and the load fails',
      mismatches,
    };
  }
  if (definite.length) {
    const f = definite[0];
    return { kind: 'incompatible', firstError: { ...f, message: badConfigMessage(f) }, message: badConfigMessage(f), mismatches };
  }
  if (risky.length) {
    return { kind: 'at-risk', conditions: conditions(src, dst, risky, sent.unknown), mismatches };
  }
  return { kind: 'compatible' };
}

function groupByField(cs: ConfigSpace, offsets: number[]): Map<number, { field: Field; offsets: number[] }> {
  const groups = new Map<number, { field: Field; offsets: number[] }>();
  for (const i of [...offsets].sort((a, b) => a - b)) {
    const field = fieldAt(cs, i);
    const g = groups.get(field.start) ?? { field, offsets: [] };
    g.offsets.push(i);
    groups.set(field.start, g);
  }
  return groups;
}

function describe(src: ConfigSpace, dst: ConfigSpace, sent: Uint8Array, offsets: number[]): Mismatch[] {
  return [...groupByField(dst, offsets).values()].map(({ field }) => {
    const width = Math.min(field.length, 4) * 2;
    const s = fieldValue(sent, field);
    const d = fieldValue(dst.config, field);
    let description = `${field.name}: ${hex(s, width)} → ${hex(d, width)}`;
    if (field.bar || field.name.startsWith('BAR') || field.name.startsWith('Expansion ROM')) {
      const index = field.bar?.index ?? (field.start - 0x10) / 4;
      const name = field.name.replace(/ \(not implemented\)$/, '');
      description = describeBarChange(src.bars.find((b) => b.index === index), dst.bars.find((b) => b.index === index), name);
    } else if (field.name === 'MSI-X Message Control') {
      description = `MSI-X Message Control: table size ${(s & 0x7ff) + 1} → ${(d & 0x7ff) + 1}`;
    } else if (field.name === 'Capabilities Pointer') {
      description = `Capabilities Pointer: ${hex(s)} → ${hex(d)} (the capability list is laid out differently)`;
    } else if (field.name === 'unused config space') {
      const capSrc = src.capabilities.find((c) => field.start >= c.offset && field.start < c.offset + c.size);
      description = `byte ${hex(field.start)}: ${capSrc ? `inside the ${capSrc.name} capability on the source, ` : ''}unused on the destination`;
    }
    return { offset: field.start, length: field.length, field: field.name, source: hex(s, width), destination: hex(d, width), description };
  });
}

/** Words for "fails if the guest …", one per field at risk. */
function conditions(src: ConfigSpace, dst: ConfigSpace, risky: number[], unknown: Uint8Array): string[] {
  return [...groupByField(dst, risky).values()].map(({ field, offsets }) => {
    const bits = offsets.reduce((acc, i) => acc + (unknown[i] & checkedBits(dst, i)) * 2 ** (8 * (i - field.start)), 0);
    const db = field.bar;
    if (db) {
      const sb = src.bars.find((b) => b.index === db.index);
      const what = describeBarChange(sb, db, field.name);
      const lowest = bits & -bits;
      const example = isIoBar(db.type)
        ? ` — Linux puts hotplugged devices at the top of the I/O window, e.g. ${hex(0x10000 - (sb?.size ?? lowest))}`
        : '';
      return `fails if the guest placed ${what} at an address with bit ${hex(lowest)} set, i.e. not aligned to ` +
        `${hex(db.size)} (${describeBarType(db.type)})${example}`;
    }
    const cur = getLE(src.wmask, field.start, Math.min(field.length, 4));
    return `fails if the guest set bits ${hex(bits)} of ${field.name} (writable on the source, mask ${hex(cur)}; read-only on the destination)`;
  });
}
