// vhost-user-fs-pci, modelled from QEMU's source (not probed: no virtiofsd
// here): a modern-only virtio 1.0 function whose vector count follows its
// request queues, and whose migration depends on the release.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const fs = { chardev: 'vfs0', tag: 'share' };

function vm(properties: Record<string, string>, release = '10.0') {
  return parseVmJson({ qemu: release, machine: `pc-i440fx-${release}`, devices: [{ id: 'fs', driver: 'vhost-user-fs-pci', addr: '0x5', properties }] }, 'fs.json');
}
function build(properties: Record<string, string>, release = '10.0') {
  const v = vm(properties, release);
  return buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
}

describe('vhost-user-fs-pci on 10.0 (from source)', () => {
  it('modern-only: 1af4:105a revision 01, class 01 80 (storage/other), no I/O BAR', () => {
    const b = build(fs);
    if (b.kind !== 'built') throw new Error(b.kind);
    expect(hex(b.cs.config, 0, 4)).toBe('f4 1a 5a 10');
    expect(hex(b.cs.config, 0x08, 4)).toBe('01 00 80 01');
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 00 00 00');
  });
  it('vectors unspecified: num-request-queues + 2, so 4 request queues give an MSI-X table of 6 (Message Control 0x0005)', () => {
    const b = build({ ...fs, 'num-request-queues': '4' });
    if (b.kind !== 'built') throw new Error(b.kind);
    const msix = b.cs.capabilities.find((c) => c.id === 0x11)!.offset;
    expect(hex(b.cs.config, msix + 2, 2)).toBe('05 00');
  });
  it('realize refuses a 37-byte tag and a queue size that is not a power of 2, in QEMU\'s words', () => {
    expect(build({ chardev: 'c', tag: 'x'.repeat(37) })).toMatchObject({ kind: 'refused', reason: 'tag property must be 36 bytes or less' });
    expect(build({ ...fs, 'queue-size': '100' })).toMatchObject({ kind: 'refused', reason: 'queue-size property must be a power of 2' });
  });
});

describe('vhost-user-fs-pci migration', () => {
  it('on 7.2 the vmsd is unmigratable: the source refuses the migrate command', () => {
    const r = checkMigration(vm(fs, '7.2'), vm(fs, '7.2'));
    expect(r.printedBy).toBe('source');
    expect(r.firstError).toBe("State blocked by non-migratable device '0000:00:05.0/vhost-user-fs'");
  });
  it('on 10.0 it migrates only with a virtiofsd that supports it: unknown, never compatible', () => {
    const r = checkMigration(vm(fs), vm(fs));
    expect(r.verdict).toBe('unknown');
    expect(r.assumptions.join(' ')).toContain('modelled from QEMU\'s source, not probed');
  });
});
