// vhost-scsi-pci, modelled from QEMU's source (not probed: no /dev/vhost-scsi
// here): virtio-scsi's layout, and a migration blocker unless migratable=on.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';
import { VHOST_SCSI_BLOCKER } from '../../src/devices/vhost-scsi.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function vm(properties: Record<string, string>, release = '10.0', machine = `pc-i440fx-${release}`, smp = 1) {
  return parseVmJson({ qemu: release, machine, smp, devices: [{ id: 'vs', driver: 'vhost-scsi-pci', addr: '0x5', properties: { wwpn: 'naa.5001405000000001', ...properties } }] }, 'vs.json');
}
function built(properties: Record<string, string>, release = '10.0', machine?: string, smp = 1) {
  const v = vm(properties, release, machine, smp);
  const b = buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}

describe('vhost-scsi-pci (from source)', () => {
  it('1af4:1004, class 01 00 00 (storage/SCSI), BAR0 24+36 → 64 bytes (wmask c0 ff)', () => {
    const b = built({});
    expect(hex(b.cs.config, 0, 4)).toBe('f4 1a 04 10');
    expect(hex(b.cs.config, 0x09, 3)).toBe('00 00 01');
    expect(hex(b.cs.wmask, 0x10, 2)).toBe('c0 ff');
  });
  it('num_queues auto with 3 vCPUs: vectors 3 + 2 + 1 = 6 (MSI-X Message Control 0x0005); pc-i440fx-5.1 pins 1 queue: 4 vectors', () => {
    const msix = (b: ReturnType<typeof built>) => hex(b.cs.config, b.cs.capabilities.find((c) => c.id === 0x11)!.offset + 2, 2);
    expect(msix(built({}, '10.0', undefined, 3))).toBe('05 00');
    expect(msix(built({}, '10.0', 'pc-i440fx-5.1', 3))).toBe('03 00');
  });
  it('without a wwpn realize refuses in QEMU\'s words', () => {
    const v = parseVmJson({ qemu: '10.0', machine: 'pc-i440fx-10.0', devices: [{ id: 'vs', driver: 'vhost-scsi-pci', addr: '0x5', properties: {} }] }, 'vs.json');
    expect(buildDevice({ vm: v, release: '10.0', machine: resolveMachine(machineProfile('10.0')!, v.machine) }, v.devices[0]))
      .toMatchObject({ kind: 'refused', reason: 'vhost-scsi: missing wwpn' });
  });
});

describe('vhost-scsi-pci migration', () => {
  it('migratable off (the default): the source refuses the migrate command with the blocker\'s text', () => {
    const r = checkMigration(vm({}), vm({}));
    expect(r.verdict).toBe('incompatible');
    expect(r.printedBy).toBe('source');
    expect(r.firstError).toBe(VHOST_SCSI_BLOCKER);
  });
  it('migratable on: config space decides; the same device loads', () => {
    expect(checkMigration(vm({ migratable: 'on' }), vm({ migratable: 'on' })).verdict).toBe('compatible');
  });
});
