/** Exit codes: the contract with upgrade scripts. */
import { type MigrationReport, type VerdictKind } from '../check/verdict.js';
import { InputError } from '../inputs/errors.js';

export const EXIT = { compatible: 0, incompatible: 1, 'at-risk': 1, badInput: 2, unknown: 3, internal: 4 } as const;

/** The verdicts --fail-on can name. */
export type FailOn = Exclude<VerdictKind, 'compatible'>;
export const FAIL_ON_ALL: readonly FailOn[] = ['incompatible', 'at-risk', 'unknown'];

/** --fail-on "incompatible,at-risk" (any order, repeats allowed); --allow-unknown takes unknown out. */
export function parseFailOn(text: string | undefined, allowUnknown: boolean): Set<FailOn> {
  const words = (text ?? FAIL_ON_ALL.join(',')).split(',').map((w) => w.trim()).filter(Boolean);
  for (const w of words) {
    if (!FAIL_ON_ALL.includes(w as FailOn)) {
      throw new InputError('command line', '--fail-on', `"${w}" is not one of ${FAIL_ON_ALL.join(', ')}`);
    }
  }
  const set = new Set(words as FailOn[]);
  if (allowUnknown) set.delete('unknown');
  return set;
}

/**
 * The gate's exit code. Every verdict in the report counts (the VM's and
 * each device's), so --fail-on unknown still fails a VM whose worst verdict
 * is incompatible but which also has an unmodelled device:
 * 1 for a listed incompatible or at-risk, else 3 for a listed unknown, else 0.
 */
export function gateExit(report: Pick<MigrationReport, 'verdict' | 'devices'>, failOn: Set<FailOn>): number {
  const present = new Set<VerdictKind>([report.verdict, ...report.devices.map((d) => d.verdict.kind)]);
  if ((present.has('incompatible') && failOn.has('incompatible')) || (present.has('at-risk') && failOn.has('at-risk'))) return EXIT.incompatible;
  if (present.has('unknown') && failOn.has('unknown')) return EXIT.unknown;
  return EXIT.compatible;
}

/** The exit code of a verdict alone (the default --fail-on). */
export function exitCode(verdict: VerdictKind, allowUnknown: boolean): number {
  if (verdict === 'unknown') return allowUnknown ? EXIT.compatible : EXIT.unknown;
  return EXIT[verdict];
}
