// compat-check hook, called exactly as libvirt calls /etc/libvirt/hooks/qemu:
// argv "VMNAME OPERATION SUB-OPERATION EXTRA", the domain XML on stdin; a
// non-zero exit cancels the incoming migration and libvirt shows stderr.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from './run.js';

const XML = (name: string) => readFileSync(join(ROOT, 'test/fixtures/libvirt', name), 'utf8');

function hook(argv: string[], stdin: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, 'hook', ...argv], {
    cwd: ROOT, input: stdin, encoding: 'utf8', timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('libvirt qemu hook', () => {
  it('every other operation exits 0 at once, printing nothing', () => {
    for (const op of [['prepare', 'begin', '-'], ['start', 'begin', '-'], ['started', 'begin', '-'], ['stopped', 'end', '-'], ['release', 'end', '-'], ['migrate', 'end', '-'], ['restore', 'begin', '-']]) {
      const r = hook(['cc-q35', ...op], XML('q35.migratable.xml'));
      expect(r, op.join(' ')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
  });

  it('migrate begin: devices compat-check does not model refuse the migration unless the operator opts in', () => {
    const args = ['cc-pc', 'migrate', 'begin', '-', '--src-qemu-version', '7.2.22', '--dst-qemu-version', '10.0.13'];
    const strict = hook(args, XML('pc.migratable.xml'));
    expect(strict.code).toBe(3);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toBe('compat-check: migration of cc-pc from QEMU 7.2.22 to QEMU 10.0.13 refused: UNKNOWN: net0: ats=on is not modelled yet\n');
  });

  it('migrate begin: an incoming VM the local QEMU accepts goes through, stdout empty (libvirt keeps its XML)', () => {
    const r = hook(['cc-pc', 'migrate', 'begin', '-', '--src-qemu-version', '7.2.22', '--dst-qemu-version', '10.0.13', '--allow-unknown'], XML('pc.migratable.xml'));
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('migrate begin: a machine type the local QEMU lacks cancels the migration with one line on stderr', () => {
    const r = hook(['cc-pc', 'migrate', 'begin', '-', '--src-qemu-version', '7.2.22', '--dst-qemu-version', '5.2.0'], XML('pc.migratable.xml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('compat-check: migration of cc-pc from QEMU 7.2.22 to QEMU 5.2.0 refused: INCOMPATIBLE: '
      + 'machine type "pc-i440fx-7.2" does not exist in QEMU 5.2: the destination cannot start this VM; pin a machine type both releases offer\n');
  });

  it('migrate begin: 10.0.13 → 11.1 is at risk (1024-entry rings) and cancelled, naming a verified remedy when there is one', () => {
    const r = hook(['cc-q35', 'migrate', 'begin', '-'], XML('q35.migratable.xml'), { COMPAT_CHECK_SRC_QEMU: '10.0.13', COMPAT_CHECK_DST_QEMU: '11.1.3' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^compat-check: migration of cc-q35 from QEMU 10\.0\.13 to QEMU 11\.1\.3 refused: AT RISK: .*VQ 0 vring\.num 1024 exceeds allocated max/);
    // --fail-on incompatible lets at-risk through.
    expect(hook(['cc-q35', 'migrate', 'begin', '-', '--fail-on', 'incompatible'], XML('q35.migratable.xml'),
      { COMPAT_CHECK_SRC_QEMU: '10.0.13', COMPAT_CHECK_DST_QEMU: '11.1.3' }).code).toBe(0);
  });

  it('the domain metadata names the source QEMU, before --src-qemu-version', () => {
    const xml = XML('pc.migratable.xml').replace('<metadata>',
      '<metadata>\n    <compat-check:source xmlns:compat-check="https://compat-check.invalid/xmlns/1" qemu="7.2.22"/>');
    const r = hook(['cc-pc', 'migrate', 'begin', '-', '--src-qemu-version', '10.0.13', '--dst-qemu-version', '5.2.0'], xml);
    expect(r.stderr).toContain('from QEMU 7.2.22 to QEMU 5.2.0');
  });

  it('without a source QEMU version the migration is refused (exit 2), saying how to give one', () => {
    const r = hook(['cc-pc', 'migrate', 'begin', '-', '--dst-qemu-version', '10.0'], XML('pc.migratable.xml'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^compat-check: cc-pc \(incoming domain XML\): source QEMU: unknown: add <compat-check:source .*--src-qemu-version\n$/);
  });

  it('asks the local emulator for its version when none is configured', () => {
    const fake = join(ROOT, 'test/fixtures/hook/fake-qemu-5.2');
    const r = hook(['cc-pc', 'migrate', 'begin', '-', '--src-qemu-version', '7.2', '--qemu-binary', fake], XML('pc.migratable.xml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('to QEMU 5.2.0 refused');
  });
});
