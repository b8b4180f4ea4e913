// virtio-9p-pci read as the virtio spec lays it out: the device config is
// tag_len and the mount tag, so the tag's length sizes the legacy I/O BAR;
// and a guest that mounted the export makes the source refuse to migrate.
// Agreement with real QEMU: test/real-qemu/virtio-9p-cases.ts.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function vm(properties: Record<string, string>, guest?: Record<string, unknown>, release = '10.0') {
  return parseVmJson({
    qemu: release, machine: `pc-i440fx-${release}`,
    devices: [{ id: 'fs', driver: 'virtio-9p-pci', addr: '0x5', properties, ...(guest ? { guest } : {}) }],
  }, '9p.json');
}

function build(properties: Record<string, string>) {
  const v = vm(properties);
  return buildDevice({ vm: v, release: '10.0', machine: resolveMachine(machineProfile('10.0')!, v.machine) }, v.devices[0]);
}

describe('virtio-9p-pci on 10.0', () => {
  it('IDs: 1af4:1009; class_id 0x0002 is prog-if 00, subclass 02, base class 00; subsystem 1af4:0009', () => {
    const b = build({ fsdev: 'fs0', mount_tag: 'share' });
    if (b.kind !== 'built') throw new Error(b.kind);
    expect(hex(b.cs.config, 0, 4)).toBe('f4 1a 09 10');
    expect(hex(b.cs.config, 0x09, 3)).toBe('00 02 00');
    expect(hex(b.cs.config, 0x2c, 4)).toBe('f4 1a 09 00');
  });
  it('the legacy BAR0 is the 24-byte header (with MSI-X) plus the config: tag "share" 24+7 → 32 bytes, "ninebytes" 24+11 → 64', () => {
    const five = build({ fsdev: 'fs0', mount_tag: 'share' });
    const nine = build({ fsdev: 'fs0', mount_tag: 'ninebytes' });
    if (nine.kind !== 'built' || five.kind !== 'built') throw new Error('not built');
    expect(hex(five.cs.wmask, 0x10, 2)).toBe('e0 ff');
    expect(hex(nine.cs.wmask, 0x10, 2)).toBe('c0 ff');
  });
  it('without MSI-X (vectors 0) the header is 20 bytes: "ninebytes" 20+11 → 32', () => {
    const b = build({ fsdev: 'fs0', mount_tag: 'ninebytes', vectors: '0' });
    if (b.kind !== 'built') throw new Error('not built');
    expect(hex(b.cs.wmask, 0x10, 2)).toBe('e0 ff');
  });
  it('realize refuses a tag of 32 bytes and a missing tag, in QEMU\'s words', () => {
    expect(build({ fsdev: 'fs0', mount_tag: 'x'.repeat(32) })).toMatchObject({ kind: 'refused', reason: `mount tag '${'x'.repeat(32)}' (32 bytes) is longer than maximum (31 bytes)` });
    expect(build({ fsdev: 'fs0' })).toMatchObject({ kind: 'refused', reason: 'fsdev with id fs0 needs mount_tag arguments' });
  });
});

describe('a mounted export blocks migration on the source (v9fs_attach)', () => {
  const share = { fsdev: 'fs0', mount_tag: 'share' };
  it('unsaid: at risk, with the condition in words', () => {
    const r = checkMigration(vm(share), vm(share));
    expect(r.verdict).toBe('at-risk');
    const v = r.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.conditions[0]).toContain("fails if the guest has mounted the 9p export (mount_tag 'share')");
  });
  it('guest.mounted false, or no negotiated feature (the driver never ran): compatible', () => {
    expect(checkMigration(vm(share, { mounted: false }), vm(share)).verdict).toBe('compatible');
    expect(checkMigration(vm(share, { features: '0x0' }), vm(share)).verdict).toBe('compatible');
  });
  it('guest.mounted true: the source refuses the migrate command with the blocker\'s text', () => {
    const r = checkMigration(vm(share, { mounted: true }), vm(share));
    expect(r.verdict).toBe('incompatible');
    expect(r.printedBy).toBe('source');
    expect(r.firstError).toBe("Migration is disabled when VirtFS export path '<path= of -fsdev fs0>' is mounted in the guest using mount_tag 'share'");
  });
});
