/**
 * The report as GitHub-flavoured Markdown, to paste into a ticket: the
 * verdict, QEMU's lines in a code block, a table of devices, what fails on
 * each failing or at-risk device, and the assumptions. Text outside code
 * is escaped (device ids are user input): table cells keep their columns,
 * and nothing turns into HTML, links or emphasis.
 */
import { type DeviceReport, type MigrationReport } from '../check/verdict.js';
import { type Remedy } from '../check/remedy.js';
import { HEADLINE, WORDS } from './words.js';

/** Plain text for Markdown (and for a table cell: `|` escaped, one line). */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*[\]|~]/g, (ch) => `\\${ch}`)
    // An underscore inside a word is never emphasis in GFM; at a word's edge it may be.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ')
    // What would start a heading or a list where the text begins a line.
    .replace(/^([#+=-])/, '\\$1');
}

const md = escapeMarkdown;

/** Inline code that survives any content: a fence longer than the longest backtick run inside. */
function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  // A pipe ends a table cell even inside code in GFM.
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')}${pad}${fence}`;
}

function codeBlock(lines: string[]): string[] {
  const longest = Math.max(0, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((r) => r.length)));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence];
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function remedyItems(remedies: Remedy[]): string[] {
  return remedies.flatMap((m) => {
    const head = `- ${m.verified ? '**verified**' : '**not verified** (fallback)'}: ${code(m.change)}`;
    return [head, ...(m.libvirt ? [`  - libvirt: ${code(m.libvirt)}`] : []), `  - ${md(m.effect)}`];
  });
}

function deviceSection(d: DeviceReport): string[] {
  const v = d.verdict;
  const out = ['', `### ${md(d.id)} — ${WORDS[v.kind]}`, '',
    `${md(d.driver)}, migration section ${d.section ? code(d.section) : 'none'}`];
  if (v.kind === 'incompatible') out.push('', ...codeBlock([v.message]));
  if ((v.kind === 'incompatible' || v.kind === 'at-risk') && v.mismatches.length) {
    out.push('', ...table(['field', 'offset', 'source', 'destination', 'in words'], v.mismatches.map((m) => [
      md(m.field), code(`0x${m.offset.toString(16)}`), code(m.source), code(m.destination), md(m.description),
    ])));
  }
  if (v.kind === 'at-risk' && v.conditions.length) {
    out.push('', 'Fails if:', '', ...v.conditions.map((c) => `- ${md(c.replace(/^fails if /, ''))}`));
  }
  if (d.notes.length) out.push('', ...d.notes.map((n) => `- note: ${md(n)}`));
  if (d.remedies?.length) out.push('', 'Remedies (each re-checked with the change applied to the destination):', '', ...remedyItems(d.remedies));
  return out;
}

export function toMarkdown(r: MigrationReport): string {
  const out: string[] = [];
  out.push(`## Migration check: ${WORDS[r.verdict]}`, '', `**${WORDS[r.verdict]}**: ${md(HEADLINE[r.verdict])}.`, '');
  out.push(...table(['', 'file', 'QEMU', 'machine'], [
    ['source', md(r.source.file), md(r.source.qemu), code(r.source.machine)],
    ['destination', md(r.destination.file), md(r.destination.qemu), code(r.destination.machine)],
  ]));
  const qemu = r.qemuOutput.length ? r.qemuOutput : r.firstError ? [r.firstError] : [];
  if (qemu.length) out.push('', `The ${r.printedBy === 'source' ? 'source QEMU, asked to migrate,' : 'destination QEMU'} would print:`, '', ...codeBlock(qemu));
  if (r.remedies?.length) out.push('', 'To keep the layout:', '', ...remedyItems(r.remedies));
  if (r.devices.length) {
    out.push('', '### Devices', '', ...table(['id', 'driver', 'section', 'verdict'], r.devices.map((d) => [
      md(d.id), md(d.driver), d.section ? code(d.section) : '—', d.verdict.kind === 'compatible' ? WORDS.compatible : `**${WORDS[d.verdict.kind]}**`,
    ])));
  }
  for (const d of r.devices) {
    if (d.verdict.kind === 'incompatible' || d.verdict.kind === 'at-risk') out.push(...deviceSection(d));
  }
  const unknown = r.devices.filter((d) => d.verdict.kind === 'unknown');
  if (unknown.length) {
    out.push('', '### Not modelled', '', ...unknown.map((d) => `- ${md(d.id)}: ${md(d.verdict.kind === 'unknown' ? d.verdict.reason : '')}`));
  }
  if (r.destinationOnly.length) {
    out.push('', `Only on the destination (they load with their reset state): ${r.destinationOnly.map(md).join(', ')}`);
  }
  const assumptions = [...new Set([...r.assumptions, ...r.devices.flatMap((d) => d.assumptions)])];
  if (assumptions.length) out.push('', '### Assumptions', '', ...assumptions.map((a) => `- ${md(a)}`));
  return out.join('\n') + '\n';
}
