/**
 * Release-dependent behaviours of QEMU's generic PCI code
 * (device-profiles/pci-core.json): a rule of hw/pci that changed between
 * releases, named, with the range of releases that have it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_DIR } from './data.js';
import { inRange } from './versions.js';

interface Behaviour { since?: string; until?: string; what: string; source: string }

let table: Record<string, Behaviour> | undefined;

export function hasBehaviour(release: string, name: string): boolean {
  table ??= (JSON.parse(readFileSync(join(PROFILES_DIR, 'pci-core.json'), 'utf8')) as { behaviours: Record<string, Behaviour> }).behaviours;
  const b = table[name];
  if (!b) throw new Error(`unknown behaviour ${name}`);
  return inRange(release, b.since, b.until);
}
