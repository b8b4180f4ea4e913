// --format, --output (atomic), --fail-on, and remedies in every report form.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ROOT, run, SEED, tempFile } from './run.js';

const SRC = join(SEED, 'src.json');
const DST = join(SEED, 'dst.json');
const reportSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'));

describe('report forms', () => {
  it('--format json equals --json, validates, and carries the verified remedy of the seed', () => {
    const a = run(SRC, DST, '--format', 'json');
    expect(a.stdout).toBe(run(SRC, DST, '--json').stdout);
    const report = JSON.parse(a.stdout);
    const validate = new Ajv({ strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const disk1 = report.devices.find((d: { id: string }) => d.id === 'virtio-disk1');
    expect(disk1.remedies[0]).toMatchObject({
      kind: 'global', verified: true, globals: ['virtio-blk-device.discard=off', 'virtio-blk-device.write-zeroes=off'],
    });
    expect(report.devices.find((d: { id: string }) => d.id === 'virtio-disk0').remedies).toBeUndefined();
  });

  it('text and markdown say the remedy is verified; the remedy really passes through --dst-global', () => {
    expect(run(SRC, DST).stdout).toContain('      remedy (verified): -global virtio-blk-device.discard=off -global virtio-blk-device.write-zeroes=off\n');
    const md = run(SRC, DST, '--format', 'markdown');
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('- **verified**: `-global virtio-blk-device.discard=off -global virtio-blk-device.write-zeroes=off`');
    const fixed = run(SRC, DST, '--dst-global', 'virtio-blk-device.discard=off', '--dst-global', 'virtio-blk-device.write-zeroes=off');
    expect(fixed.code).toBe(0);
  });

  it('--format html is one page; text off a TTY has no colour and no grid', () => {
    expect(run(SRC, DST, '--format', 'html').stdout).toMatch(/^<!DOCTYPE html>/i);
    const text = run(SRC, DST).stdout;
    expect(text).not.toContain('\x1b[');
    expect(text).not.toContain('key:');
  });

  it('--json with another --format is bad input', () => {
    expect(run(SRC, DST, '--json', '--format', 'markdown').code).toBe(2);
  });
});

describe('--output FILE', () => {
  it('writes the report atomically (nothing left beside it) and keeps stdout empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compat-check-out-'));
    const out = join(dir, 'report.md');
    const r = run(SRC, DST, '--format', 'markdown', '--output', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(run(SRC, DST, '--format', 'markdown').stdout);
    expect(readdirSync(dir)).toEqual(['report.md']);
  });

  it('on bad input nothing is written and an old report stays as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compat-check-out-'));
    const out = join(dir, 'report.json');
    writeFileSync(out, 'previous');
    const bad = tempFile('bad.json', '{"qemu": "7.2"');
    const r = run(bad, DST, '--json', '--output', out);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['report.json']);
    const fresh = join(dir, 'new.json');
    expect(run(bad, DST, '--output', fresh).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  it('a directory that does not exist is bad input', () => {
    const r = run(SRC, DST, '--output', join(tmpdir(), 'no-such-dir-compat-check', 'r.txt'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^compat-check: command line: --output: cannot write .*ENOENT/);
  });
});

describe('--fail-on', () => {
  const unknownVm = tempFile('src.json', { qemu: '7.2', machine: 'pc-i440fx-7.2', devices: [{ id: 'x', driver: 'ES1370', addr: '0x6' }] });

  it('fails only for the verdicts listed, with the usual codes', () => {
    expect(run(SRC, DST, '--fail-on', 'incompatible').code).toBe(1);
    expect(run(SRC, DST, '--fail-on', 'at-risk,unknown').code).toBe(0);
    expect(run(unknownVm, unknownVm).code).toBe(3);
    expect(run(unknownVm, unknownVm, '--fail-on', 'incompatible,at-risk').code).toBe(0);
    expect(run(unknownVm, unknownVm, '--fail-on', 'unknown').code).toBe(3);
    expect(run(unknownVm, unknownVm, '--fail-on', 'unknown', '--allow-unknown').code).toBe(0);
  });

  it('an unknown word is bad input', () => {
    const r = run(SRC, DST, '--fail-on', 'incompatible,risky');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('compat-check: command line: --fail-on: "risky" is not one of incompatible, at-risk, unknown\n');
  });
});
