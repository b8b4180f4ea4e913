/**
 * What the config-space pictures (HTML and terminal) draw, computed once:
 * per byte its category under the destination's masks, whether it fails
 * get_pci_config_device's predicate, the field it belongs to; per side
 * the capability chain and BARs as labelled bands; and which 16-byte rows
 * are worth showing. The renderers only choose colours and characters.
 */
import { type DeviceReport, type MigrationReport } from '../check/verdict.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { describeBarType, is64BitBar, isIoBar } from '../config-space/bar.js';
import { fieldAt } from '../config-space/fields.js';
import { checkedBits } from '../config-space/load-check.js';
import { PCI } from '../config-space/regs.js';

/**
 * A byte by the destination's masks (only the destination's count):
 *   checked    some bits compared and read-only: cmask & ~wmask & ~w1cmask
 *   w1c        write-1-to-clear bits, never compared
 *   writable   guest-writable bits, never compared
 *   unchecked  neither compared nor writable
 */
export type ByteCategory = 'checked' | 'w1c' | 'writable' | 'unchecked';

/**
 * How the two sides compare at a byte:
 *   first     the byte QEMU stops at (its "i=")
 *   failing   compared bits differ: the load fails here too
 *   at-risk   compared bits the guest may have changed: fails for some guest values
 *   differs   the values differ only in bits the destination does not compare
 *   same      equal, or nothing to compare
 */
export type ByteMark = 'first' | 'failing' | 'at-risk' | 'differs' | 'same';

export interface ByteCell {
  offset: number;
  /** The byte the source sends; undefined past the source's config size. */
  src?: number;
  /** The destination's own byte; undefined past its config size. */
  dst?: number;
  cmask: number;
  wmask: number;
  w1cmask: number;
  /** cmask & ~wmask & ~w1cmask: the bits get_pci_config_device compares. */
  checked: number;
  category: ByteCategory;
  mark: ByteMark;
  /** The register, BAR or capability field, named on the destination's layout. */
  field: string;
  /** The same, on the source's layout, when it differs. */
  sourceField?: string;
}

export interface Band {
  kind: 'bar' | 'capability' | 'extended-capability';
  /** "MSI-X @0x98", "virtio common-cfg @0x40", "BAR0 I/O 128 B". */
  label: string;
  start: number;
  length: number;
  /** Position in its side's chain, so neighbours can be told apart. */
  index: number;
}

/** A stretch of one 16-byte row: inside one band, or between bands. */
export interface BandSegment {
  column: number;
  length: number;
  band?: Band;
  /** The band starts in this segment: draw its label here. */
  starts: boolean;
}

export type GridLine =
  | { kind: 'row'; offset: number }
  | { kind: 'gap'; from: number; to: number; rows: number };

export interface DeviceGrid {
  device: DeviceReport;
  /** Bytes covered: the larger of the two migrated sizes (256, or 4096 for PCI Express). */
  size: number;
  sourceSize: number;
  destinationSize: number;
  /** Indexed by offset. */
  cells: ByteCell[];
  /** The rows drawn, with the stretches left out in between. */
  lines: GridLine[];
  sourceBands: Band[];
  destinationBands: Band[];
  /** QEMU's i=: the first failing byte, when the device definitely fails. */
  first?: number;
  failing: number[];
  atRisk: number[];
}

export const ROW = 16;

export const CATEGORY_WORDS: Record<ByteCategory, { name: string; meaning: string }> = {
  checked: { name: 'checked, read-only', meaning: 'compared on load: cmask & ~wmask & ~w1cmask' },
  writable: { name: 'writable', meaning: 'the guest may change it (wmask): not compared' },
  w1c: { name: 'write-1-to-clear', meaning: 'status bits the guest clears (w1cmask): not compared' },
  unchecked: { name: 'not checked', meaning: 'neither compared nor writable' },
};

export const MARK_WORDS: Record<Exclude<ByteMark, 'same'>, { name: string; meaning: string }> = {
  first: { name: 'first failing byte', meaning: "where QEMU stops: its i=" },
  failing: { name: 'failing', meaning: 'compared bits differ: the load fails' },
  'at-risk': { name: 'at risk', meaning: 'fails for some guest values the description does not give' },
  differs: { name: 'differs, not compared', meaning: 'values differ only in bits the destination ignores' },
};

export function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Offsets as a row label: 0x00…0xf0, or 0x000…0xff0 for 4 KiB spaces. */
export function offsetLabel(n: number, size: number): string {
  return '0x' + n.toString(16).padStart(size > PCI.CONFIG_SPACE_SIZE ? 3 : 2, '0');
}

export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && n % 1024 === 0 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n} ${units[u]}`;
}

/** "I/O", "mem32", "mem64 pref". */
function barKind(type: number): string {
  if (isIoBar(type)) return 'I/O';
  const t = describeBarType(type);
  return `mem${is64BitBar(type) ? 64 : 32}${t.includes('prefetchable') ? ' pref' : ''}`;
}

/** The BARs and the capability chain of one side, in offset order. */
export function bandsOf(cs: ConfigSpace): Band[] {
  const raw: Omit<Band, 'index'>[] = [
    ...cs.bars.map((b) => ({
      kind: 'bar' as const,
      label: b.index === PCI.ROM_SLOT ? `ROM ${humanSize(b.size)}` : `BAR${b.index} ${barKind(b.type)} ${humanSize(b.size)}`,
      start: b.offset,
      length: is64BitBar(b.type) ? 8 : 4,
    })),
    ...cs.capabilities.map((c) => ({
      kind: c.extended ? 'extended-capability' as const : 'capability' as const,
      label: `${c.name} @${offsetLabel(c.offset, c.extended ? PCI.EXPRESS_CONFIG_SPACE_SIZE : PCI.CONFIG_SPACE_SIZE)}`,
      start: c.offset,
      length: c.size,
    })),
  ];
  return raw.sort((a, b) => a.start - b.start).map((b, index) => ({ ...b, index }));
}

/** One row split into runs of the same band, left to right. */
export function bandSegments(bands: Band[], rowOffset: number): BandSegment[] {
  const at = (col: number) => bands.find((b) => rowOffset + col >= b.start && rowOffset + col < b.start + b.length);
  const out: BandSegment[] = [];
  for (let col = 0; col < ROW; col++) {
    const band = at(col);
    const last = out[out.length - 1];
    if (last && last.band === band && !(band && band.start === rowOffset + col)) {
      last.length++;
    } else {
      out.push({ column: col, length: 1, band, starts: band !== undefined && band.start === rowOffset + col });
    }
  }
  return out;
}

export function categoryOf(dst: ConfigSpace, i: number): ByteCategory {
  if (checkedBits(dst, i)) return 'checked';
  if (dst.w1cmask[i]) return 'w1c';
  if (dst.wmask[i]) return 'writable';
  return 'unchecked';
}

/**
 * Bytes the guest may have set so that the load fails: inside a field the
 * prediction named as a mismatch (none of whose bytes fails outright),
 * compared on the destination and guest-writable on the source — the rule
 * src/check/compare.ts applies to registers the description leaves unknown.
 */
function atRiskBytes(d: DeviceReport, src: ConfigSpace, dst: ConfigSpace, failing: Set<number>, common: number): number[] {
  const v = d.verdict;
  if (v.kind !== 'incompatible' && v.kind !== 'at-risk') return [];
  const out = new Set<number>();
  for (const m of v.mismatches) {
    const bytes = Array.from({ length: m.length }, (_, k) => m.offset + k).filter((i) => i < common);
    if (bytes.some((i) => failing.has(i))) continue;
    for (const i of bytes) {
      if (checkedBits(dst, i) & (src.wmask[i] | src.w1cmask[i])) out.add(i);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Which rows to draw: all of a 256-byte space; of 4 KiB, the first 256 and any extended row that holds something. */
function gridLines(size: number, interesting: (row: number) => boolean): GridLine[] {
  const lines: GridLine[] = [];
  let gapFrom: number | undefined;
  const closeGap = (to: number) => {
    if (gapFrom !== undefined) lines.push({ kind: 'gap', from: gapFrom, to: to - 1, rows: (to - gapFrom) / ROW });
    gapFrom = undefined;
  };
  for (let row = 0; row < size; row += ROW) {
    if (row < PCI.CONFIG_SPACE_SIZE || interesting(row)) {
      closeGap(row);
      lines.push({ kind: 'row', offset: row });
    } else if (gapFrom === undefined) {
      gapFrom = row;
    }
  }
  closeGap(size);
  return lines;
}

/** The grid for one paired device; undefined when there is nothing to compare. */
export function deviceGrid(d: DeviceReport): DeviceGrid | undefined {
  if (!d.compared) return undefined;
  const { source: src, sent, destination: dst } = d.compared;
  const sourceSize = Math.min(sent.length, src.size);
  const destinationSize = dst.size;
  const size = Math.max(sourceSize, destinationSize);
  const common = Math.min(sourceSize, destinationSize);
  const v = d.verdict;

  const differing: number[] = [];
  for (let i = 0; i < common; i++) if ((sent[i] ^ dst.config[i]) & checkedBits(dst, i)) differing.push(i);
  // An at-risk verdict means no compared bit differs for certain: what differs there is a guest value we assumed.
  const failing = v.kind === 'incompatible' ? differing : [];
  const first = v.kind === 'incompatible' ? (v.firstError?.i ?? failing[0]) : undefined;
  const atRisk = [...new Set([...atRiskBytes(d, src, dst, new Set(failing), common), ...(v.kind === 'at-risk' ? differing : [])])]
    .sort((a, b) => a - b);
  const failingSet = new Set(failing);
  const atRiskSet = new Set(atRisk);

  const cells: ByteCell[] = [];
  for (let i = 0; i < size; i++) {
    const s = i < sourceSize ? sent[i] : undefined;
    const o = i < destinationSize ? dst.config[i] : undefined;
    const mark: ByteMark = i === first ? 'first'
      : failingSet.has(i) ? 'failing'
        : atRiskSet.has(i) ? 'at-risk'
          : s !== o ? 'differs' : 'same';
    const field = i < destinationSize ? fieldAt(dst, i).name : 'beyond the destination\'s config space';
    const sourceName = i < sourceSize ? fieldAt(src, i).name : 'beyond the source\'s config space';
    cells.push({
      offset: i, src: s, dst: o,
      cmask: dst.cmask[i], wmask: dst.wmask[i], w1cmask: dst.w1cmask[i], checked: checkedBits(dst, i),
      category: categoryOf(dst, i), mark, field,
      ...(sourceName !== field ? { sourceField: sourceName } : {}),
    });
  }

  const sourceBands = bandsOf(src);
  const destinationBands = bandsOf(dst);
  const inBand = (bands: Band[], row: number) => bands.some((b) => b.start < row + ROW && b.start + b.length > row);
  const lines = gridLines(size, (row) =>
    cells.slice(row, row + ROW).some((c) => c.mark !== 'same' && c.mark !== 'differs') ||
    inBand(sourceBands, row) || inBand(destinationBands, row));

  return { device: d, size, sourceSize, destinationSize, cells, lines, sourceBands, destinationBands, first, failing, atRisk };
}

/** The devices worth a picture: those that fail or are at risk (a grid when both sides exist). */
export function devicesToDraw(r: MigrationReport): DeviceReport[] {
  return r.devices.filter((d) => d.verdict.kind === 'incompatible' || d.verdict.kind === 'at-risk');
}

/** "0x10 · BAR0 / source c1 · destination 01 / cmask ff …": the full story of one byte, for tooltips. */
export function describeCell(c: ByteCell, size: number): string[] {
  const b = (n: number | undefined) => (n === undefined ? '—' : hex2(n));
  const lines = [
    `${offsetLabel(c.offset, size)} · ${c.field}`,
    ...(c.sourceField ? [`on the source: ${c.sourceField}`] : []),
    `source ${b(c.src)} · destination ${b(c.dst)}`,
    `cmask ${hex2(c.cmask)} · wmask ${hex2(c.wmask)} · w1cmask ${hex2(c.w1cmask)} → compared bits ${hex2(c.checked)}`,
    `${CATEGORY_WORDS[c.category].name}`,
  ];
  const diff = c.src !== undefined && c.dst !== undefined ? (c.src ^ c.dst) : 0;
  if (c.mark === 'first') lines.push(`FAILS: bits ${hex2(diff & c.checked)} differ and are compared — QEMU stops here (i=0x${c.offset.toString(16)})`);
  else if (c.mark === 'failing') lines.push(`FAILS: bits ${hex2(diff & c.checked)} differ and are compared`);
  else if (c.mark === 'at-risk') lines.push('AT RISK: compared bits the guest may have changed');
  else if (c.mark === 'differs') lines.push(c.src === undefined || c.dst === undefined ? 'present on one side only' : `differs in bits ${hex2(diff)}, none of them compared`);
  return lines;
}

/** What each side of the picture shows. */
export const SIDE_WORDS = {
  src: { title: 'SOURCE', meaning: 'the bytes sent' },
  dst: { title: 'DESTINATION', meaning: 'the fresh device' },
} as const;

/** "1 failing byte: 0x10 · QEMU stops at the first, i=0x10 · 256 bytes migrated". */
export function gridSummary(g: DeviceGrid): string {
  const off = (n: number) => offsetLabel(n, g.size);
  const some = (list: number[]) => `${list.slice(0, 12).map(off).join(', ')}${list.length > 12 ? ' …' : ''}`;
  const parts: string[] = [];
  if (g.failing.length) parts.push(`${g.failing.length} failing byte${g.failing.length > 1 ? 's' : ''}: ${some(g.failing)}`);
  if (g.first !== undefined) parts.push(`QEMU stops at the first, i=0x${g.first.toString(16)}`);
  if (g.atRisk.length) parts.push(`${g.atRisk.length} byte${g.atRisk.length > 1 ? 's' : ''} at risk: ${some(g.atRisk)}`);
  parts.push(g.sourceSize === g.destinationSize ? `${g.size} bytes migrated`
    : `the source sends ${g.sourceSize} bytes, the destination reads ${g.destinationSize}`);
  return parts.join(' · ');
}

/** "0x100–0xfff: 240 rows with no capability and nothing failing". */
export function gapWords(l: Extract<GridLine, { kind: 'gap' }>, size: number): string {
  return `${offsetLabel(l.from, size)}–${offsetLabel(l.to, size)}: ${l.rows} rows with no capability and nothing failing`;
}
