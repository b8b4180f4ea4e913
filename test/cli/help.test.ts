import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './run.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('--help and --version succeed', () => {
  it('--help prints the usage on stdout, nothing on stderr, and exits 0', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^compat-check SRC \[DST \| --to-qemu VERSION\]\n/);
    expect(r.stdout).toContain('compat-check fleet <inventory>');
    expect(r.stderr).toBe('');
  });

  it('a command\'s --help (fleet) prints its options and exits 0', () => {
    const r = run('fleet', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--to-qemu');
    expect(r.stderr).toBe('');
  });

  it('the help command prints the same usage and exits 0', () => {
    const r = run('help');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(run('--help').stdout);
  });

  it('--version prints package.json\'s version and exits 0', () => {
    const r = run('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it('an unknown option is still bad input (exit 2)', () => {
    const r = run('--no-such-option', 'a.json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
