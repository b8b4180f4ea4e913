/**
 * The words every human-facing report uses for verdicts and reasons.
 */
import { type DeviceReport } from '../check/verdict.js';

/** A verdict as printed. */
export const WORDS = {
  compatible: 'compatible',
  incompatible: 'INCOMPATIBLE',
  'at-risk': 'AT RISK',
  unknown: 'UNKNOWN',
} as const;

/** What a verdict means for the migration. */
export const HEADLINE = {
  compatible: 'the destination accepts every modelled device',
  incompatible: 'the destination QEMU will refuse this migration',
  'at-risk': 'the destination refuses it under the conditions below (guest values, ring sizes or features the description does not settle)',
  unknown: 'something is not modelled: no promise either way',
} as const;

/** The reasons under a device: QEMU's line and the mismatches, the at-risk conditions, or what is not modelled. */
export function deviceReasons(d: DeviceReport): string[] {
  const v = d.verdict;
  return v.kind === 'incompatible' ? [v.message, ...v.mismatches.map((m) => m.description)]
    : v.kind === 'at-risk' ? v.conditions
      : v.kind === 'unknown' ? [v.reason] : [];
}
