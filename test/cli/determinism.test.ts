// Determinism and honest uncertainty, as an operator runs the CLI: byte-identical
// reports whatever the locale, time zone or JSON property order; every report says
// what it assumed; `unknown` never exits 0 without --allow-unknown.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, SEED, tempFile } from './run.js';

const runEnv = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const ENVS = [{ LC_ALL: 'C', TZ: 'UTC' }, { LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8', TZ: 'Pacific/Chatham' }, { LC_ALL: 'tr_TR.UTF-8', TZ: 'America/St_Johns' }];
const reversedKeys = (v: unknown): unknown => Array.isArray(v) ? v.map(reversedKeys)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)])) : v;

describe('determinism', () => {
  const src = join(SEED, 'src.json');
  const dst = join(SEED, 'dst.json');
  for (const json of [false, true]) {
    it(`the ${json ? 'JSON' : 'text'} report is byte-identical across locales, time zones and property order`, () => {
      const flag = json ? ['--json'] : [];
      const outs = ENVS.map((e) => runEnv(e, src, dst, ...flag));
      // Same files with every object's keys reversed, under the same names (the report names its inputs).
      const dir = tempFile('src.json', reversedKeys(JSON.parse(readFileSync(src, 'utf8'))) as object).replace(/\/src\.json$/, '');
      const other = tempFile('dst.json', reversedKeys(JSON.parse(readFileSync(dst, 'utf8'))) as object);
      const shuffled = runEnv(ENVS[0], join(dir, 'src.json'), other, ...flag);
      for (const o of outs) expect([o.code, o.stdout]).toEqual([outs[0].code, outs[0].stdout]);
      expect(outs[0].code).toBe(1);
      expect(shuffled.stdout.replaceAll(dir, 'D').replaceAll(other.replace(/\/dst\.json$/, ''), 'D'))
        .toBe(outs[0].stdout.replaceAll(SEED.replace(/\/$/, ''), 'D').replaceAll('examples/seed-hotplug-discard', 'D'));
    });
  }
});

describe('honest uncertainty', () => {
  const vm = (driver: string) => tempFile('vm.json', { qemu: '7.2', machine: 'pc-i440fx-7.2', devices: [{ id: 'x', driver, addr: '0x5' }] });
  it('an unmodelled device is unknown: exit 3, and 0 only with --allow-unknown', () => {
    const f = vm('ES1370');
    const r = runEnv({}, f, f);
    expect(r.stdout).toMatch(/verdict: UNKNOWN/);
    expect(r.code).toBe(3);
    expect(runEnv({}, f, f, '--allow-unknown').code).toBe(0);
    const j = JSON.parse(runEnv({}, f, f, '--json').stdout);
    expect(j.verdict).toBe('unknown');
    expect(j.devices[0].reason).toMatch(/not modelled/);
  });
  it('an unmodelled release is unknown, never compatible', () => {
    const f = tempFile('vm.json', { qemu: '4.2', machine: 'pc-i440fx-4.2', devices: [] });
    const r = runEnv({}, f, f);
    expect(r.code === 3 || r.code === 2).toBe(true);
    expect(r.stdout).not.toMatch(/verdict: compatible/);
  });
  it('every report lists what it assumed (text and JSON)', () => {
    for (const [s, d] of [['src.json', 'dst.json'], ['src-cold-boot.json', 'dst.json'], ['dst.json', 'dst.json']]) {
      const text = runEnv({}, join(SEED, s), join(SEED, d)).stdout;
      expect(text).toMatch(/\nassumed:\n {2}- /);
      const j = JSON.parse(runEnv({}, join(SEED, s), join(SEED, d), '--json').stdout);
      expect(j.assumptions.length).toBeGreaterThan(0);
    }
  });
});
