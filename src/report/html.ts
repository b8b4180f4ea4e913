/**
 * The report as one self-contained HTML page: the verdict, QEMU's lines,
 * the devices, and for each failing or at-risk device its config space as
 * a 16-column hex grid — the bytes the source sends beside the destination's
 * fresh device, coloured by the destination's masks, failing bytes marked,
 * the BARs and capability chain banded over it. Inline CSS, no script, no
 * external resource; every piece of text is escaped (device ids are user input).
 */
import { type DeviceReport, type MigrationReport } from '../check/verdict.js';
import {
  type Band, bandSegments, type ByteCategory, type ByteCell, type ByteMark, CATEGORY_WORDS, describeCell,
  type DeviceGrid, deviceGrid, devicesToDraw, gapWords, gridSummary, hex2, MARK_WORDS, offsetLabel, ROW, SIDE_WORDS,
} from './cells.js';
import { deviceReasons, HEADLINE, WORDS } from './words.js';

/** The colours the page paints with (exported so the screenshot test can look for them). */
export const HTML_COLOURS = {
  checked: '#cfe2ff',
  writable: '#d8f3dc',
  w1c: '#eadcff',
  unchecked: '#f6f8fa',
  failing: '#e5243b',
  firstRing: '#1b1f24',
  atRisk: '#ffb950',
  bar: '#57606a',
  capabilities: ['#0a63c9', '#8250df', '#1b7c83', '#9a6700', '#bf3989', '#2f7d32'],
  verdict: { incompatible: '#a40e26', 'at-risk': '#b35900', unknown: '#57606a', compatible: '#1a7f37' },
} as const;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values, escaped; newlines kept (as &#10; so they survive in attributes). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESC[ch]).replace(/\n/g, '&#10;');
}

const e = escapeHtml;

const C = HTML_COLOURS;

/** Width of a byte column in the grids. */
const BYTE_WIDTH_PX = 26;

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1120px; margin: 0 auto; }
code, pre, .hex { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
h1 { font-size: 13px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); margin: 0 0 8px; }
h2 { font-size: 17px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 8px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; }
.banner { border-radius: 10px; padding: 16px 20px; color: #fff; }
.banner .verdict { font-size: 26px; font-weight: 700; letter-spacing: .02em; }
.banner .headline { font-size: 16px; opacity: .95; }
.banner dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 12px 0 0; font-size: 13px; }
.banner dt { opacity: .8; } .banner dd { margin: 0; }
.v-incompatible { background: ${C.verdict.incompatible}; } .v-at-risk { background: ${C.verdict['at-risk']}; }
.v-unknown { background: ${C.verdict.unknown}; } .v-compatible { background: ${C.verdict.compatible}; }
.badge { display: inline-block; color: #fff; border-radius: 999px; padding: 1px 10px; font-size: 12px; font-weight: 700; letter-spacing: .03em; white-space: nowrap; }
pre.qemu { background: #1b1f24; color: #e6edf3; padding: 12px 14px; border-radius: 8px; overflow-x: auto; font-size: 12.5px; line-height: 1.5; margin: 0; }
pre.qemu .first { color: #ff9492; }
table.list { border-collapse: collapse; width: 100%; font-size: 13.5px; }
table.list th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line); padding: 6px 10px; }
table.list td { border-bottom: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
table.list td.why { color: var(--muted); font-size: 12.5px; }
table.list td.nw, table.list td.nw code { white-space: nowrap; }
.device { border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px 18px; margin: 16px 0 24px; }
.device .section { color: var(--muted); font-size: 13px; font-weight: 400; }
.device p { margin: 6px 0; }
.device .msg code { background: #ffebe9; color: #82071e; padding: 2px 6px; border-radius: 4px; font-size: 12.5px; }
.device ul { margin: 6px 0; padding-left: 20px; }
.device table.list { margin: 8px 0; width: auto; }
.summary { color: var(--muted); font-size: 13px; }
.grids { display: flex; flex-wrap: wrap; gap: 18px 36px; margin-top: 14px; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-size: 12.5px; font-weight: 700; letter-spacing: .05em; margin-bottom: 4px; }
figcaption small { font-weight: 400; letter-spacing: 0; color: var(--muted); }
table.hex { border-collapse: separate; border-spacing: 2px 0; table-layout: fixed; font-size: 12px; }
table.hex col.lbl { width: 44px; } table.hex col.b { width: ${BYTE_WIDTH_PX}px; }
table.hex thead th { font-weight: 400; color: var(--muted); font-size: 11px; padding: 0 0 2px; text-align: center; }
table.hex tbody th { font-weight: 400; color: var(--muted); text-align: right; padding-right: 6px; font-size: 11.5px; }
table.hex tbody th.fail { color: #b3122a; font-weight: 700; } table.hex tbody th.risk { color: #8a4600; font-weight: 700; }
table.hex tr.bytes td { height: 21px; text-align: center; border-radius: 3px; position: relative; padding: 0; }
table.hex tr.bands td { height: 15px; padding: 0; }
.k-checked { background: ${C.checked}; color: #0b2e5c; }
.k-writable { background: ${C.writable}; color: #1b4d2b; }
.k-w1c { background: ${C.w1c}; color: #4a2380; }
.k-unchecked { background: ${C.unchecked}; color: #8c959f; }
.k-none { background: repeating-linear-gradient(135deg, #f6f8fa 0 3px, #e6e9ed 3px 5px); color: #8c959f; }
.m-differs { font-weight: 700; background-image: linear-gradient(225deg, #59636e 5px, transparent 5px); }
.m-at-risk { background: repeating-linear-gradient(135deg, ${C.atRisk} 0 4px, #ffd591 4px 8px); color: #3d2000; font-weight: 700; outline: 1px dashed #8a4600; outline-offset: -1px; }
.m-failing, .m-first { background: ${C.failing}; color: #fff; font-weight: 700; }
.m-first { box-shadow: 0 0 0 2px #fff, 0 0 0 4px ${C.firstRing}; z-index: 1; }
td.band { font: 600 9px/13px system-ui, "DejaVu Sans", sans-serif; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 0;
  text-align: left; padding: 0 3px !important; color: var(--c); border-top: 3px solid var(--c); background: linear-gradient(var(--t), #fff); }
td.band.cont { border-left: 0; }
td.band.again { font-weight: 400; font-style: italic; }
td.band.starts { border-left: 2px solid var(--c); }
.b-bar { --c: ${C.bar}; --t: #eef1f4; }
${C.capabilities.map((c, n) => `.b-cap${n} { --c: ${c}; --t: ${c}1f; }`).join('\n')}
tr.gap td { color: var(--muted); font-size: 11.5px; font-style: italic; text-align: center; padding: 4px 0 6px; border-top: 1px dashed var(--line); border-bottom: 1px dashed var(--line); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 12.5px; margin: 6px 0 4px; padding: 10px 12px; background: #f6f8fa; border-radius: 8px; }
.legend span.item { display: inline-flex; align-items: center; gap: 6px; }
.legend .sw { display: inline-block; width: 24px; height: 18px; border-radius: 3px; text-align: center; font: 700 11px/18px ui-monospace, "DejaVu Sans Mono", monospace; position: relative; }
.legend .swb { display: inline-block; width: 40px; height: 12px; border-top: 3px solid var(--c); background: var(--t); }
.muted { color: var(--muted); }
details { margin-top: 10px; font-size: 13px; } summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } .device { break-inside: avoid; } }
`;

function badge(kind: DeviceReport['verdict']['kind']): string {
  return `<span class="badge v-${kind}">${e(WORDS[kind])}</span>`;
}

function list(items: string[], cls = ''): string {
  return items.length ? `<ul${cls ? ` class="${cls}"` : ''}>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>` : '';
}

function bandClass(b: Band): string {
  return b.kind === 'bar' ? 'b-bar' : `b-cap${b.index % C.capabilities.length}`;
}

function cellClasses(category: ByteCategory | 'none', mark: ByteMark): string {
  return `k-${category}${mark === 'same' ? '' : ` m-${mark}`}`;
}

function byteCell(c: ByteCell, side: 'src' | 'dst', size: number): string {
  const value = side === 'src' ? c.src : c.dst;
  const title = describeCell(c, size).join('\n');
  if (value === undefined) return `<td class="k-none" title="${e(title)}">··</td>`;
  return `<td class="${cellClasses(c.category, c.mark)}" title="${e(title)}">${hex2(value)}</td>`;
}

/** Whether a band label fits in `columns` byte columns (9px bold text, about 6.5px a character). */
function labelFits(label: string, columns: number): boolean {
  return label.length * 6.5 + 10 <= columns * (BYTE_WIDTH_PX + 2) - 2;
}

/** A label cut to its columns, keeping the "@0x7c" that says where the capability starts. */
function fitLabel(label: string, columns: number): string {
  const at = label.lastIndexOf(' @');
  if (labelFits(label, columns) || at < 0) return label;
  const tail = label.slice(at);
  let name = label.slice(0, at);
  while (name.length > 1 && !labelFits(`${name}… ${tail.trim()}`, columns)) name = name.slice(0, -1);
  return `${name.trimEnd()}…${tail}`;
}

/**
 * Where a band's label goes: at its start; when that stretch is too short
 * for it and the band runs on into the next row, repeated there in full.
 */
function labelHere(band: Band, row: number, columns: number, starts: boolean): 'start' | 'again' | undefined {
  if (starts) return 'start';
  const startRow = band.start - (band.start % ROW);
  const startColumns = Math.min(ROW - (band.start % ROW), band.length);
  if (row === startRow + ROW && !labelFits(band.label, startColumns) && columns > startColumns) return 'again';
  return undefined;
}

function bandRow(bands: Band[], row: number): string {
  const segs = bandSegments(bands, row);
  if (segs.every((s) => !s.band)) return `<tr class="bands"><th></th><td colspan="${ROW}"></td></tr>`;
  return `<tr class="bands"><th></th>${segs.map((s) => {
    const span = s.length > 1 ? ` colspan="${s.length}"` : '';
    if (!s.band) return `<td${span}></td>`;
    const label = labelHere(s.band, row, s.length, s.starts);
    const cls = `band ${bandClass(s.band)}${s.starts ? ' starts' : ' cont'}${label === 'again' ? ' again' : ''}`;
    const text = label === 'start' ? fitLabel(s.band.label, s.length) : label === 'again' ? s.band.label : '';
    return `<td${span} class="${cls}" title="${e(s.band.label)}">${e(text)}</td>`;
  }).join('')}</tr>`;
}

function hexGrid(g: DeviceGrid, side: 'src' | 'dst'): string {
  const bands = side === 'src' ? g.sourceBands : g.destinationBands;
  const head = `<colgroup><col class="lbl">${'<col class="b">'.repeat(ROW)}</colgroup>` +
    `<thead><tr><th></th>${Array.from({ length: ROW }, (_, k) => `<th>${k.toString(16)}</th>`).join('')}</tr></thead>`;
  const body = g.lines.map((l) => {
    if (l.kind === 'gap') {
      return `<tr class="gap"><td colspan="${ROW + 1}">${e(gapWords(l, g.size))}</td></tr>`;
    }
    const row = g.cells.slice(l.offset, l.offset + ROW);
    const hot = row.some((c) => c.mark === 'first' || c.mark === 'failing') ? ' class="fail"'
      : row.some((c) => c.mark === 'at-risk') ? ' class="risk"' : '';
    return `<tr class="bytes"><th${hot}>${offsetLabel(l.offset, g.size)}</th>${row.map((c) => byteCell(c, side, g.size)).join('')}</tr>${bandRow(bands, l.offset)}`;
  }).join('');
  return `<table class="hex" data-side="${side}">${head}<tbody>${body}</tbody></table>`;
}

function legend(): string {
  const sw = (cls: string, name: string, meaning: string, text = 'ab') =>
    `<span class="item" title="${e(meaning)}"><span class="sw ${cls}">${text}</span>${e(name)}</span>`;
  const cats = (Object.keys(CATEGORY_WORDS) as ByteCategory[])
    .map((k) => sw(`k-${k}`, CATEGORY_WORDS[k].name, CATEGORY_WORDS[k].meaning));
  const marks = (['first', 'failing', 'at-risk', 'differs'] as const)
    .map((k) => sw(cellClasses('checked', k), MARK_WORDS[k].name, MARK_WORDS[k].meaning));
  const bands = [
    `<span class="item"><span class="swb b-cap0"></span>capability</span>`,
    `<span class="item"><span class="swb b-bar"></span>BAR</span>`,
  ];
  return `<div class="legend" role="list">${[...cats, ...marks, ...bands].join('')}` +
    `<span class="item muted">colours follow the destination's masks · hover a byte for its offset, values, masks and field</span></div>`;
}

function mismatchTable(d: DeviceReport): string {
  const v = d.verdict;
  if ((v.kind !== 'incompatible' && v.kind !== 'at-risk') || !v.mismatches.length) return '';
  const rows = v.mismatches.map((m) =>
    `<tr><td>${e(m.field)}</td><td><code>0x${m.offset.toString(16)}</code></td><td><code>${e(m.source)}</code></td>` +
    `<td><code>${e(m.destination)}</code></td><td>${e(m.description)}</td></tr>`).join('');
  return `<table class="list"><thead><tr><th>field</th><th>offset</th><th>source</th><th>destination</th><th>in words</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function deviceArticle(d: DeviceReport, r: MigrationReport): string {
  const v = d.verdict;
  const g = deviceGrid(d);
  const head = `<h3>${badge(v.kind)}<code>${e(d.id)}</code><span>${e(d.driver)}</span><span class="section">${e(d.section ?? 'no migration section')}</span></h3>`;
  const msg = v.kind === 'incompatible' ? `<p class="msg"><code>${e(v.message)}</code></p>` : '';
  const conditions = v.kind === 'at-risk' ? list(v.conditions, 'conditions') : '';
  const grids = g
    ? `<p class="summary">${e(gridSummary(g))}</p><div class="grids">` +
      `<figure><figcaption>${SIDE_WORDS.src.title} <small>${SIDE_WORDS.src.meaning} · QEMU ${e(r.source.qemu)}, ${e(r.source.machine)}</small></figcaption>${hexGrid(g, 'src')}</figure>` +
      `<figure><figcaption>${SIDE_WORDS.dst.title} <small>${SIDE_WORDS.dst.meaning} · QEMU ${e(r.destination.qemu)}, ${e(r.destination.machine)}</small></figcaption>${hexGrid(g, 'dst')}</figure>` +
      `</div>`
    : `<p class="muted">No destination device to draw beside it.</p>`;
  const extra = [...d.notes, ...d.assumptions];
  const details = extra.length ? `<details><summary>notes and assumptions for this device</summary>${list(extra)}</details>` : '';
  return `<article class="device" id="device-${r.devices.indexOf(d)}">${head}${msg}${mismatchTable(d)}${conditions}${grids}${details}</article>`;
}

export function toHtml(r: MigrationReport): string {
  const drawn = devicesToDraw(r);
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(`compat-check: ${WORDS[r.verdict]} — ${r.source.file} → ${r.destination.file}`)}</title>`,
    `<style>${CSS}</style>`, '</head>', '<body>', '<main>');
  out.push('<h1>compat-check · QEMU live migration</h1>',
    `<header class="banner v-${r.verdict}"><div class="verdict">${e(WORDS[r.verdict])}</div>` +
    `<div class="headline">${e(HEADLINE[r.verdict])}</div><dl>` +
    `<dt>source</dt><dd>${e(`${r.source.file} — QEMU ${r.source.qemu}, ${r.source.machine}`)}</dd>` +
    `<dt>destination</dt><dd>${e(`${r.destination.file} — QEMU ${r.destination.qemu}, ${r.destination.machine}`)}</dd>` +
    `</dl></header>`);
  if (r.qemuOutput.length) {
    out.push(`<h2>What the ${r.printedBy === 'source' ? 'source QEMU, asked to migrate,' : 'destination QEMU'} would print</h2>`,
      `<pre class="qemu">${r.qemuOutput.map((l, n) => (n === 0 ? `<span class="first">${e(l)}</span>` : e(l))).join('\n')}</pre>`);
  } else if (r.firstError) {
    out.push(`<h2>What the ${r.printedBy === 'source' ? 'source QEMU, asked to migrate,' : 'destination QEMU'} would print</h2>`, `<pre class="qemu"><span class="first">${e(r.firstError)}</span></pre>`);
  }
  if (r.devices.length) {
    const rows = r.devices.map((d) => {
      const why = d.verdict.kind === 'compatible' ? '' : deviceReasons(d).map(e).join('<br>');
      const id = drawn.includes(d) ? `<a href="#device-${r.devices.indexOf(d)}"><code>${e(d.id)}</code></a>` : `<code>${e(d.id)}</code>`;
      return `<tr><td class="nw">${id}</td><td class="nw">${e(d.driver)}</td><td class="nw"><code>${e(d.section ?? '—')}</code></td><td>${badge(d.verdict.kind)}</td><td class="why">${why}</td></tr>`;
    }).join('');
    out.push('<h2>Devices</h2>',
      `<table class="list devices"><thead><tr><th>id</th><th>driver</th><th>section</th><th>verdict</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  if (r.destinationOnly.length) {
    out.push(`<p class="muted">Only on the destination (they load with their reset state): ${r.destinationOnly.map((id) => `<code>${e(id)}</code>`).join(', ')}</p>`);
  }
  if (drawn.length) {
    out.push('<h2>Config space of the devices that fail or are at risk</h2>', legend(), ...drawn.map((d) => deviceArticle(d, r)));
  }
  if (r.assumptions.length) out.push('<h2>Assumptions</h2>', list(r.assumptions));
  out.push('<footer>compat-check · get_pci_config_device fails a byte when (src ^ dst) &amp; cmask &amp; ~wmask &amp; ~w1cmask ≠ 0</footer>',
    '</main>', '</body>', '</html>');
  return out.join('\n') + '\n';
}
