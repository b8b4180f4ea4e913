// Acceptance: seed 002 reproduced from its own artefacts (test/fixtures/seed-002: the QEMU
// command lines and `info pci` text the seed shows, completed where it elides, see the
// comments there) — converted and checked, it gives QEMU's exact error for 0000:00:0b.0.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { run } from '../cli/run.js';
import { SEED002 } from './fixtures.js';

const SEED_LINE = 'get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0';
const [SRC, DST, INFO] = [SEED002('src.cmdline'), SEED002('dst.log'), SEED002('src-info-pci.txt')];

describe('seed 002 from its command lines and info pci', () => {
  it('prints QEMU\'s exact line for 0000:00:0b.0 and exits 1', () => {
    const r = run(SRC, DST, '--qemu', '7.2', '--src-pci', INFO);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`  ${SEED_LINE}\n`);
    expect(r.stdout).toMatch(/virtio-disk1 +virtio-blk-pci +0000:00:0b\.0\/virtio-blk +INCOMPATIBLE/);
  });

  it('the predicted lines are the ones the destination logged (dst.log, after the command)', () => {
    const report = JSON.parse(run(SRC, DST, '--qemu', '7.2', '--src-pci', INFO, '--json').stdout);
    const logged = readFileSync(DST, 'utf8').split('\n').filter((l) => l.includes(' qemu-kvm: ')).map((l) => l.replace(/^.* qemu-kvm: /, ''));
    expect(logged).toHaveLength(4);
    expect(report.firstError).toBe(SEED_LINE);
    expect(report.qemuOutput.slice(0, 4)).toEqual(logged);
  });

  it('the remedy on the destination (-global …discard=off, …write-zeroes=off) makes it pass', () => {
    const r = run(SRC, DST, '--qemu', '7.2', '--src-pci', INFO,
      '--dst-global', 'virtio-blk-device.discard=off', '--dst-global', 'virtio-blk-device.write-zeroes=off');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verdict: compatible');
  });

  it('the boot log alone cannot describe the hotplugged disk: info pci names it, and the input is refused', () => {
    const r = run(SEED002('src-boot.log'), DST, '--qemu', '7.2', '--src-pci', INFO);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/src-info-pci\.txt: line 2 \(Bus 0, device 11, function 0\): device "virtio-disk1" at 00:0b\.0 is not in .*src-boot\.log/);
  });

  it('the seed\'s logs do not name the QEMU version: without --qemu that is bad input', () => {
    const r = run(SRC, DST);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/src\.cmdline: a command line does not say which QEMU release runs it: pass --qemu VERSION\n$/);
  });
});
