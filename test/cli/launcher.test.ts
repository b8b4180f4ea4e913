// The command users run (dist/cli/compat-check: the gate started from a V8
// start-up snapshot, scripts/snapshot.mjs) says exactly what the ESM bundle
// says — stdout, stderr and exit code — on every kind of line, and falls back
// to the bundle where Node would refuse the snapshot.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, COMMAND, ROOT, SEED, tempFile } from './run.js';

const both = (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const opts = { cwd: ROOT, encoding: 'utf8' as const, timeout: 30_000, env };
  const a = spawnSync(COMMAND, args, opts);
  const b = spawnSync(process.execPath, [CLI, ...args], opts);
  return [{ code: a.status, stdout: a.stdout, stderr: a.stderr }, { code: b.status, stdout: b.stdout, stderr: b.stderr }];
};

describe('dist/cli/compat-check, the command users run', () => {
  it('is built with its snapshot, stamped with the Node that made it', () => {
    const blob = join(ROOT, 'dist/cli/compat-check.blob');
    expect(existsSync(blob)).toBe(true);
    expect(statSync(blob).mtimeMs).toBe(statSync(process.execPath).mtimeMs);
  });

  const lines: [string, string[]][] = [
    ['the seed (incompatible, remedies verified)', [join(SEED, 'src.json'), join(SEED, 'dst.json')]],
    ['the seed cold-booted (compatible), as JSON', [join(SEED, 'src-cold-boot.json'), join(SEED, 'dst.json'), '--json']],
    ['an upgrade question in markdown', [join(SEED, 'src.json'), '--to-qemu', '11.1', '--format', 'markdown']],
    ['libvirt domain XML', ['test/fixtures/libvirt/q35-hotplug.xml', '--qemu', '7.2', '--to-qemu', '10.0']],
    ['bad input', [tempFile('bad.json', '{"qemu": 7}'), join(SEED, 'dst.json')]],
    ['a missing file', ['/nonexistent.json', join(SEED, 'dst.json')]],
    ['--help (yargs, from the bundle)', ['--help']],
    ['a hook call libvirt makes at start', ['hook', 'vm1', 'prepare', 'begin', '-']],
  ];
  for (const [what, args] of lines) {
    it(`says what the ESM bundle says: ${what}`, () => {
      const [launcher, bundle] = both(args);
      expect(launcher).toEqual(bundle);
    });
  }

  it('takes the ESM bundle under NODE_OPTIONS (Node refuses a snapshot under other V8 flags), with the same words', () => {
    const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=200' };
    const [launcher, bundle] = both([join(SEED, 'src.json'), join(SEED, 'dst.json')], env);
    expect(launcher.code).toBe(1);
    expect(launcher).toEqual(bundle);
  });
});
