/**
 * The human summary printed by default: the verdict, what the destination
 * QEMU would print, then one line per device with the reasons under it.
 */
import { type MigrationReport } from '../check/verdict.js';
import { deviceReasons, HEADLINE, WORDS } from './words.js';

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  return cells.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
}

export function toText(r: MigrationReport): string {
  const out: string[] = [];
  out.push(`${r.source.file} (QEMU ${r.source.qemu}, ${r.source.machine}) → ${r.destination.file} (QEMU ${r.destination.qemu}, ${r.destination.machine})`);
  out.push(`verdict: ${WORDS[r.verdict]} — ${HEADLINE[r.verdict]}`);
  if (r.qemuOutput.length) out.push('', 'the destination would print:', ...r.qemuOutput.map((l) => `  ${l}`));
  if (r.devices.length) {
    out.push('', 'devices:');
    const rows = pad(r.devices.map((d) => [`  ${d.id}`, d.driver, d.section ?? '-', WORDS[d.verdict.kind]]));
    r.devices.forEach((d, n) => {
      out.push(rows[n]);
      out.push(...deviceReasons(d).map((w) => `      ${w}`));
    });
  }
  if (r.destinationOnly.length) out.push('', `only on the destination (they load with their reset state): ${r.destinationOnly.join(', ')}`);
  if (r.assumptions.length) out.push('', 'assumed:', ...r.assumptions.map((a) => `  - ${a}`));
  return out.join('\n') + '\n';
}
