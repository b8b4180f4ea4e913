/**
 * QEMU's own words for a failed load, by the destination's release
 * (device-profiles/messages.json): the wording moved from error_report
 * lines to propagated Error objects in 10.2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_DIR } from '../profiles/data.js';
import { inRange } from '../profiles/versions.js';

export type MessageKind = 'badConfig' | 'badConfigDirect' | 'unknownSection' | 'machineType' | 'unknownRamblock' | 'ramblockSize' | 'vringNum' | 'postLoadMismatch' | 'sectionFooter' | 'migrationBlocked' | 'virtioFeatures' | 'equalField' | 'equalFieldNested' | 'virtioLoadFailed' | 'preLoadFailed';

interface Era extends Record<MessageKind, string[]> { since: string; until?: string; verified: boolean; provenance: string }

let eras: Era[] | undefined;

export interface QemuLines {
  /** First line first; "qemu-system-x86_64: " prefix left out. */
  lines: string[];
  /** False where the lines after the first were not captured from a real binary. */
  verified: boolean;
}

export function qemuMessage(release: string, kind: MessageKind, values: Record<string, string>): QemuLines {
  eras ??= (JSON.parse(readFileSync(join(PROFILES_DIR, 'messages.json'), 'utf8')) as { eras: Era[] }).eras;
  const era = eras.find((e) => inRange(release, e.since, e.until)) ?? eras[eras.length - 1];
  const lines = era[kind].map((t) => t.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`));
  return { lines, verified: era.verified };
}
