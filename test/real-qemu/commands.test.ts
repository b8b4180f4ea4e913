// The probe and rehearse commands, run as an operator would, on every
// installed QEMU release.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ROOT, run, SEED } from '../cli/run.js';
import { CI, releasesUnderTest } from './harness.js';

const qemus = releasesUnderTest();
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/probe-profile.schema.json'), 'utf8'));

describe.runIf(qemus.length > 0 || CI)('compat-check probe', () => {
  for (const q of qemus) {
    it(`--verify: the model of QEMU ${q.release} equals the binary for a q35 VM with a root port`, () => {
      const r = run('probe', '--qemu', q.binary, '--machine', `pc-q35-${q.release}`, '--smp', '2',
        '--device', 'pcie-root-port,id=rp1,chassis=1,addr=0x2', '--device', 'virtio-net-pci,bus=rp1',
        '--device', 'virtio-blk-pci', '--device', 'virtio-scsi-pci', '--device', 'virtio-balloon-pci',
        '--device', 'virtio-serial-pci', '--device', 'virtio-rng-pci', '--verify');
      expect(r.stdout.trim().split('\n').slice(1).filter((l) => !l.includes('identical to the model'))).toEqual([]);
      expect(r.code).toBe(0);
    });
  }

  it('--verify shows a build whose defaults differ (a -global the model was not told about), byte by byte', () => {
    const r = run('probe', '--machine', 'pc-i440fx-7.2', '--device', 'virtio-blk-pci',
      '--qemu-global', 'virtio-blk-device.discard=off', '--qemu-global', 'virtio-blk-device.write-zeroes=off', '--verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dev0 (virtio-blk-pci) at 00:05.0: 1 difference(s) from our model of QEMU 7.2\n  0x10 BAR0: writable bits model 80, QEMU c0\n');
  });

  it('writes a profile described by schemas/probe-profile.schema.json', () => {
    const r = run('probe', '--machine', 'pc-i440fx-7.2', '--device', 'virtio-blk-pci,discard=off,write-zeroes=off');
    expect(r.code).toBe(0);
    const profile = JSON.parse(r.stdout);
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(profile), JSON.stringify(validate.errors)).toBe(true);
    expect(profile.devices[0].config.slice(0x10 * 2, 0x10 * 2 + 2)).toBe('01');
    expect(profile.devices[0].wmask.slice(0x10 * 2, 0x10 * 2 + 2)).toBe('c0');
  });

  it('refuses a device QEMU refuses, in one line, exit 2', () => {
    const r = run('probe', '--machine', 'pc-i440fx-7.2', '--device', 'no-such-device');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("'no-such-device' is not a valid device model name");
  });

  it('a missing binary is a clear error, exit 2', () => {
    const r = run('probe', '--qemu', '/nonexistent/qemu', '--machine', 'pc', '--device', 'virtio-blk-pci');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('compat-check: command line: --qemu: no QEMU binary at /nonexistent/qemu\n');
  });
});

describe.runIf(qemus.length > 0 || CI)('compat-check rehearse', () => {
  it('the seed, for real: QEMU\'s verdict beside the prediction, and they agree', () => {
    const r = run('rehearse', join(SEED, 'src.json'), join(SEED, 'dst.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('QEMU:        failed at destination\n             get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0\n');
    expect(r.stdout).toContain('the prediction agrees with QEMU');
  });
});
