// compat-check SRC DST as a gate: the seed case, exit codes, the JSON report.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ROOT, run, SEED, tempFile } from './run.js';

const SEED_LINE = 'get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0';
const reportSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'));

describe('the seed: virtio-disk1 hotplugged at BAR0 0xffc0, destination with discard on', () => {
  it('prints QEMU\'s exact line and exits 1', () => {
    const r = run(join(SEED, 'src.json'), join(SEED, 'dst.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  ${SEED_LINE}\n`);
    expect(r.stdout).toContain("error while loading state for instance 0x0 of device '0000:00:0b.0/virtio-blk'");
    expect(r.stdout).toContain('BAR0 (I/O, 64 → 128 bytes)');
    expect(r.stderr).toBe('');
  });

  it('passes once the guest has BAR0 at 0xd080 (after a cold boot)', () => {
    const r = run(join(SEED, 'src-cold-boot.json'), join(SEED, 'dst.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verdict: compatible');
  });

  it('--json gives the report the schema describes, with the first error byte by byte', () => {
    const r = run(join(SEED, 'src.json'), join(SEED, 'dst.json'), '--json');
    const report = JSON.parse(r.stdout);
    const validate = new Ajv({ strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.verdict).toBe('incompatible');
    expect(report.firstError).toBe(SEED_LINE);
    const disk1 = report.devices.find((d: { id: string }) => d.id === 'virtio-disk1');
    expect(disk1.section).toBe('0000:00:0b.0/virtio-blk');
    expect(disk1.firstError).toEqual({ i: 0x10, read: 0xc1, device: 0x01, cmask: 0xff, wmask: 0x80, w1cmask: 0, message: SEED_LINE });
    expect(report.devices.map((d: { verdict: string }) => d.verdict)).toEqual(['compatible', 'compatible', 'incompatible']);
  });
});

const vm = (over: object) => ({ qemu: '7.2', machine: 'pc-i440fx-7.2', devices: [{ id: 'd', driver: 'virtio-blk-pci', addr: '0x5' }], ...over });

describe('unknown is never compatible', () => {
  it('an unmodelled device gives verdict unknown and exit 3; --allow-unknown lets it through', () => {
    const src = tempFile('src.json', vm({ devices: [{ id: 'x', driver: 'ES1370', addr: '0x6' }] }));
    const r = run(src, src, '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).devices[0].reason).toMatch(/not modelled/);
    expect(run(src, src, '--allow-unknown').code).toBe(0);
  });

  it('an unmodelled property gives unknown', () => {
    const src = tempFile('src.json', vm({ devices: [{ id: 'd', driver: 'virtio-blk-pci', addr: '0x5', properties: { 'x-frobnicate': 'on' } }] }));
    const r = run(src, src, '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).devices[0].reason).toBe('not modelled for QEMU 7.2: x-frobnicate=on (on the -device line)');
  });

  it('a real QEMU release that is not modelled gives unknown', () => {
    const src = tempFile('src.json', vm({ qemu: '4.2', machine: 'pc-i440fx-4.2' }));
    const dst = tempFile('dst.json', vm({}));
    const r = run(src, dst, '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).verdict).toBe('unknown');
  });

  it('a guest-dependent difference without guest values is at-risk (exit 1), with the condition in words', () => {
    const src = tempFile('src.json', vm({ globals: { 'virtio-blk-device.discard': 'off', 'virtio-blk-device.write-zeroes': 'off' } }));
    const dst = tempFile('dst.json', vm({}));
    const r = run(src, dst, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('at-risk');
    expect(report.devices[0].conditions).toEqual([
      'fails if the guest placed BAR0 (I/O, 64 → 128 bytes) at an address with bit 0x40 set, i.e. not aligned to 0x80 ' +
      '(I/O) — Linux puts hotplugged devices at the top of the I/O window, e.g. 0xffc0',
    ]);
  });
});
