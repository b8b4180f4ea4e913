/**
 * The config-space picture for a terminal: for each failing or at-risk
 * device, the bytes the source sends beside the destination's fresh device,
 * 16 to a row. With colour, ANSI colours give each byte's category under
 * the destination's masks; with or without, failing bytes are bracketed
 * ("[c1]"), bytes at risk parenthesised ("(01)"), and a caret line points
 * at QEMU's first failing byte, so the picture stays readable in a log.
 * Bands of the BAR/capability layout are named at the end of the row they start in.
 */
import { type DeviceReport, type MigrationReport } from '../check/verdict.js';
import {
  type Band, type ByteCategory, type ByteCell, CATEGORY_WORDS, type DeviceGrid, deviceGrid, devicesToDraw, gapWords,
  gridSummary, hex2, offsetLabel, ROW, SIDE_WORDS,
} from './cells.js';
import { deviceReasons, WORDS } from './words.js';

export interface TerminalGridOptions {
  /** ANSI colours (for a TTY); false gives plain text for logs. */
  color: boolean;
}

const SGR: Record<ByteCategory | 'failing' | 'first' | 'at-risk' | 'missing' | 'marker' | 'risk-marker' | 'title' | 'dim', string> = {
  checked: '36',
  writable: '32',
  w1c: '35',
  unchecked: '90',
  failing: '1;97;41',
  first: '1;4;97;41',
  'at-risk': '1;30;43',
  missing: '90',
  marker: '1;31',
  'risk-marker': '1;33',
  title: '1',
  dim: '2',
};

/** Paints text in one of the SGR styles above; `bold` adds weight (values that differ but are not compared). */
type Paint = (code: keyof typeof SGR, text: string, bold?: boolean) => string;

function painter(color: boolean): Paint {
  return color ? (code, text, bold) => `\x1b[${bold ? '1;' : ''}${SGR[code]}m${text}\x1b[0m` : (_code, text) => text;
}

function brackets(c: ByteCell): [string, string] | undefined {
  if (c.mark === 'first' || c.mark === 'failing') return ['[', ']'];
  if (c.mark === 'at-risk') return ['(', ')'];
  return undefined;
}

/** One side of one row: 16 bytes, 49 columns wide; a run of failing bytes is bracketed as a whole. */
function sideRow(cells: ByteCell[], side: 'src' | 'dst', paint: Paint): string {
  let out = '';
  for (let k = 0; k <= ROW; k++) {
    const prev = k > 0 ? brackets(cells[k - 1]) : undefined;
    const next = k < ROW ? brackets(cells[k]) : undefined;
    let sep = ' ';
    if (prev && prev[1] !== next?.[1]) sep = prev[1];
    else if (next && next[0] !== prev?.[0]) sep = next[0];
    out += sep === ' ' ? sep : paint(sep === '[' || sep === ']' ? 'marker' : 'risk-marker', sep);
    if (k === ROW) break;
    const c = cells[k];
    const v = side === 'src' ? c.src : c.dst;
    if (v === undefined) out += paint('missing', '··');
    else if (c.mark === 'first' || c.mark === 'failing' || c.mark === 'at-risk') out += paint(c.mark, hex2(v));
    else out += paint(c.category, hex2(v), c.mark === 'differs');
  }
  return out;
}

const SIDE_WIDTH = 3 * ROW + 1;

function startingIn(bands: Band[], row: number): string[] {
  return bands.filter((b) => b.start >= row && b.start < row + ROW).map((b) => b.label);
}

function annotation(g: DeviceGrid, row: number): string {
  const dst = startingIn(g.destinationBands, row);
  const src = startingIn(g.sourceBands, row);
  if (dst.join() === src.join()) return dst.join(' · ');
  return [dst.join(' · '), `(source: ${src.join(' · ') || 'nothing starts here'})`].filter(Boolean).join('  ');
}

/** Text from the input (device ids) with control characters shown, not obeyed: no escape sequence reaches the terminal. */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (ch) => `\\x${hex2(ch.charCodeAt(0))}`);
}

/** The device line and its reasons, as in the text report. */
function deviceHead(d: DeviceReport, paint: Paint): string[] {
  return [
    `${paint('title', terminalSafe(d.id))}  ${terminalSafe(d.driver)}  ${terminalSafe(d.section ?? '-')}  ` +
      paint(d.verdict.kind === 'incompatible' ? 'marker' : 'risk-marker', WORDS[d.verdict.kind]),
    ...deviceReasons(d).map((w) => `  ${terminalSafe(w)}`),
  ];
}

function deviceBlock(g: DeviceGrid, r: MigrationReport, paint: Paint): string[] {
  const labelWidth = offsetLabel(0, g.size).length;
  const indent = ' '.repeat(2 + labelWidth + 1);
  const out: string[] = [...deviceHead(g.device, paint)];
  out.push(`  ${gridSummary(g)}`, '');
  const heading = (s: 'src' | 'dst', qemu: string) => `${SIDE_WORDS[s].title} (${SIDE_WORDS[s].meaning}, QEMU ${qemu})`;
  const srcHead = heading('src', r.source.qemu).padEnd(SIDE_WIDTH + 2);
  out.push(`${indent} ${paint('title', srcHead)} ${paint('title', heading('dst', r.destination.qemu))}`);
  const columns = Array.from({ length: ROW }, (_, k) => ` ${hex2(k)}`).join('');
  out.push(`${indent}${paint('dim', columns)}    ${paint('dim', columns)}`);
  for (const l of g.lines) {
    if (l.kind === 'gap') {
      out.push(`  ${'·'.repeat(labelWidth)}  ${gapWords(l, g.size)}`);
      continue;
    }
    const cells = g.cells.slice(l.offset, l.offset + ROW);
    const note = annotation(g, l.offset);
    out.push(`  ${paint('dim', offsetLabel(l.offset, g.size))} ${sideRow(cells, 'src', paint)}   ${sideRow(cells, 'dst', paint)}${note ? `   ${note}` : ''}`);
    if (g.first !== undefined && g.first >= l.offset && g.first < l.offset + ROW) {
      const col = 1 + 3 * (g.first - l.offset);
      const caret = ' '.repeat(col) + '^^';
      out.push(`${indent}${paint('marker', caret)}${' '.repeat(SIDE_WIDTH + 3 - caret.length)}${paint('marker', caret)} i=0x${g.first.toString(16)}: QEMU stops here`);
    }
  }
  return out.map((l) => l.trimEnd());
}

function key(color: boolean, paint: Paint): string {
  const marks = `${paint('marker', '[')}${paint('failing', 'c1')}${paint('marker', ']')} fails the check   ` +
    `${paint('marker', '^^')} QEMU's first failing byte (its i=)   ` +
    `${paint('risk-marker', '(')}${paint('at-risk', '01')}${paint('risk-marker', ')')} at risk (fails for some guest values)`;
  if (!color) return `key: ${marks}; byte categories are shown in colour only`;
  const cats = (Object.keys(CATEGORY_WORDS) as ByteCategory[]).map((k) => paint(k, CATEGORY_WORDS[k].name)).join('  ');
  return `key: ${cats}   ${paint('checked', 'bold', true)}: differs, not compared   ${marks}`;
}

export function toTerminalGrid(r: MigrationReport, opts: TerminalGridOptions): string {
  const paint = painter(opts.color);
  const devices = devicesToDraw(r);
  if (!devices.length) {
    const before = r.verdict === 'incompatible' && r.firstError ? ` (the migration fails before the devices: ${terminalSafe(r.firstError)})` : '';
    return `no device fails or is at risk: no config space to draw${before}\n`;
  }
  const out: string[] = [key(opts.color, paint), 'colours follow the destination\'s masks: only checked, read-only bits are compared'];
  for (const d of devices) {
    const g = deviceGrid(d);
    out.push('', ...(g ? deviceBlock(g, r, paint) : [...deviceHead(d, paint), '  no destination device to draw beside it']));
  }
  return out.join('\n') + '\n';
}
