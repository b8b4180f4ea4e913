/** Exit codes: the contract with upgrade scripts. */
import { type VerdictKind } from '../check/verdict.js';

export const EXIT = { compatible: 0, incompatible: 1, 'at-risk': 1, badInput: 2, unknown: 3, internal: 4 } as const;

export function exitCode(verdict: VerdictKind, allowUnknown: boolean): number {
  if (verdict === 'unknown') return allowUnknown ? EXIT.compatible : EXIT.unknown;
  return EXIT[verdict];
}
