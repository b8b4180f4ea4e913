/**
 * The human summary printed by default.
 */
import { type MigrationReport } from '../check/verdict.js';

const WORDS = {
  compatible: 'compatible',
  incompatible: 'INCOMPATIBLE',
  'at-risk': 'AT RISK',
  unknown: 'UNKNOWN',
} as const;

export function toText(r: MigrationReport): string {
  const out: string[] = [];
  out.push(`${r.source.file} (QEMU ${r.source.qemu}, ${r.source.machine}) → ${r.destination.file} (QEMU ${r.destination.qemu}, ${r.destination.machine})`);
  out.push(`verdict: ${WORDS[r.verdict]}`);
  if (r.firstError) out.push(`the destination would print:`, ...r.qemuOutput.map((l) => `  ${l}`));
  for (const d of r.devices) {
    const v = d.verdict;
    out.push('');
    out.push(`${d.id} (${d.driver}${d.section ? `, ${d.section}` : ''}): ${WORDS[v.kind]}`);
    switch (v.kind) {
      case 'compatible':
        break;
      case 'incompatible':
        out.push(`  ${v.message}`);
        for (const m of v.mismatches) out.push(`  - ${m.description}`);
        break;
      case 'at-risk':
        for (const c of v.conditions) out.push(`  - ${c}`);
        break;
      case 'unknown':
        out.push(`  ${v.reason}`);
        break;
    }
  }
  if (r.destinationOnly.length) out.push('', `only on the destination (loads with its reset state): ${r.destinationOnly.join(', ')}`);
  if (r.assumptions.length) out.push('', 'assumed:', ...r.assumptions.map((a) => `  - ${a}`));
  return out.join('\n') + '\n';
}
