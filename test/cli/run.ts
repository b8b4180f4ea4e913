// Runs the built CLI (dist/, made by `npm test`'s tsc step) as a user would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The ESM bundle; COMMAND is what users run: a launcher that starts it from the start-up snapshot (scripts/snapshot.mjs). */
export const CLI = join(ROOT, 'dist/cli/compat-check.mjs');
export const COMMAND = join(ROOT, 'dist/cli/compat-check');
export const SEED = join(ROOT, 'examples/seed-hotplug-discard');

export function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(COMMAND, args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a file into a fresh temp dir and returns its path. */
export function tempFile(name: string, content: string | object): string {
  const dir = mkdtempSync(join(tmpdir(), 'compat-check-test-'));
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
