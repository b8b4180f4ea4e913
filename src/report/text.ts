/**
 * The human summary printed by default: the verdict, what the destination
 * QEMU would print, then one line per device with the reasons under it.
 */
import { type MigrationReport } from '../check/verdict.js';
import { type Remedy } from '../check/remedy.js';
import { deviceReasons, HEADLINE, WORDS } from './words.js';

/** A remedy as two or three lines: the change with whether the re-run verified it, the libvirt XML, the effect. */
export function remedyLines(m: Remedy, indent: string): string[] {
  const out = [`${indent}${m.verified ? 'remedy (verified)' : 'fallback (not verified)'}: ${m.change}`];
  if (m.libvirt) out.push(`${indent}  libvirt: ${m.libvirt}`);
  out.push(`${indent}  ${m.effect}`);
  return out;
}

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  return cells.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
}

export function toText(r: MigrationReport): string {
  const out: string[] = [];
  out.push(`${r.source.file} (QEMU ${r.source.qemu}, ${r.source.machine}) → ${r.destination.file} (QEMU ${r.destination.qemu}, ${r.destination.machine})`);
  out.push(`verdict: ${WORDS[r.verdict]} — ${HEADLINE[r.verdict]}`);
  if (r.qemuOutput.length) out.push('', `the ${r.printedBy === 'source' ? 'source, asked to migrate,' : 'destination'} would print:`, ...r.qemuOutput.map((l) => `  ${l}`));
  if (r.remedies?.length) out.push('', 'to keep the layout:', ...r.remedies.flatMap((m) => remedyLines(m, '  ')));
  if (r.devices.length) {
    out.push('', 'devices:');
    const rows = pad(r.devices.map((d) => [`  ${d.id}`, d.driver, d.section ?? '-', WORDS[d.verdict.kind]]));
    r.devices.forEach((d, n) => {
      out.push(rows[n]);
      out.push(...deviceReasons(d).map((w) => `      ${w}`));
      for (const m of d.remedies ?? []) out.push(...remedyLines(m, '      '));
    });
  }
  if (r.destinationOnly.length) out.push('', `only on the destination (they load with their reset state): ${r.destinationOnly.join(', ')}`);
  if (r.assumptions.length) out.push('', 'assumed:', ...r.assumptions.map((a) => `  - ${a}`));
  return out.join('\n') + '\n';
}
