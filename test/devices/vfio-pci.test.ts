// vfio-pci, modelled from QEMU's source (no VFIO device here): whether QEMU
// lets the VM migrate at all, in its words, and what a pair of host config
// dumps can tell.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';

function vm(release: string, props: Record<string, string>, config?: string, extra: object[] = []) {
  return parseVmJson({
    qemu: release, machine: `pc-q35-${release}`,
    devices: [
      ...extra,
      { id: 'hostdev0', driver: 'vfio-pci', addr: '0x5', properties: props, ...(config ? { guest: { config } } : {}) },
    ],
  }, 'vm.json');
}

/** A handmade 256-byte dump of a Mellanox ConnectX-5 VF (15b3:1018), subsystem 15b3:0080, revision 0. */
function dump(device = '18 10', subsystem = 'b3 15 80 00', revision = '00'): string {
  const b = Array<string>(256).fill('00');
  ['b3', '15', ...device.split(' ')].forEach((x, i) => { b[i] = x; });
  b[8] = revision;
  [b[9], b[10], b[11]] = ['00', '00', '02'];
  subsystem.split(' ').forEach((x, i) => { b[0x2c + i] = x; });
  return b.join(' ');
}

describe('vfio-pci', () => {
  it('on 5.2 and 7.2 blocks migration on the source: "VFIO device doesn\'t support migration"', () => {
    for (const r of ['5.2', '7.2']) {
      const v = vm(r, { host: '0000:65:00.1' });
      const rep = checkMigration(v, v);
      expect(rep.verdict).toBe('incompatible');
      expect(rep.firstError).toBe("VFIO device doesn't support migration");
      expect(rep.devices[0].verdict.kind).toBe('incompatible');
      const m = (rep.devices[0].verdict as { mismatches: { description: string }[] }).mismatches[0].description;
      expect(m).toContain('failover_pair_id');
    }
  });

  it('on 7.2 x-enable-migration=on (experimental v1 region) is unknown, not compatible', () => {
    const v = vm('7.2', { host: '65:00.1', 'x-enable-migration': 'on' });
    const rep = checkMigration(v, v);
    expect(rep.verdict).toBe('unknown');
    expect((rep.devices[0].verdict as { reason: string }).reason).toContain('v1 migration region');
  });

  it('with failover_pair_id QEMU adds no blocker (it unplugs the VF): unknown, the guest\'s part is not modelled', () => {
    const net = { id: 'net0', driver: 'virtio-net-pci', addr: '0x4', properties: { failover: 'on' } };
    const v = vm('7.2', { host: '65:00.1', failover_pair_id: 'net0' }, undefined, [net]);
    const rep = checkMigration(v, v);
    expect(rep.devices.find((d) => d.id === 'hostdev0')!.verdict).toMatchObject({ kind: 'unknown' });
    expect(rep.firstError).toBeUndefined();
  });

  it('on 10.0 enable-migration=off blocks with the host address QEMU names the device by', () => {
    const v = vm('10.0', { host: '65:00.1', 'enable-migration': 'off' });
    const rep = checkMigration(v, v);
    expect(rep.firstError).toBe('0000:65:00.1: Migration is disabled for VFIO device');
  });

  it('on 10.0 by default it depends on the host driver: unknown, with the operators\' advice', () => {
    const v = vm('10.0', { host: '0000:65:00.1' });
    const rep = checkMigration(v, v);
    expect(rep.verdict).toBe('unknown');
    const reason = (rep.devices[0].verdict as { reason: string }).reason;
    expect(reason).toContain('vendor variant driver');
    expect(reason).toContain('same VF model and firmware');
  });

  it('on 10.0 with both hosts\' dumps: another VF model (Device ID 1018 → 101a) is incompatible', () => {
    const rep = checkMigration(vm('10.0', { host: '65:00.1' }, dump()), vm('10.0', { host: '65:00.1' }, dump('1a 10')));
    expect(rep.verdict).toBe('incompatible');
    const v = rep.devices[0].verdict as { mismatches: { field: string; source: string; destination: string }[] };
    expect(v.mismatches.map((m) => [m.field, m.source, m.destination])).toEqual([['Device ID', '1018', '101a']]);
  });

  it('on 10.0 with both hosts\' dumps: another firmware (subsystem 15b3:0080 → 15b3:0081) is incompatible; the same dump stays unknown', () => {
    const other = checkMigration(vm('10.0', { host: '65:00.1' }, dump()), vm('10.0', { host: '65:00.1' }, dump('18 10', 'b3 15 81 00')));
    expect((other.devices[0].verdict as { mismatches: { field: string }[] }).mismatches.map((m) => m.field)).toEqual(['Subsystem ID']);
    const same = checkMigration(vm('10.0', { host: '65:00.1' }, dump()), vm('10.0', { host: '65:00.1' }, dump()));
    expect(same.verdict).toBe('unknown');
  });

  it('a vfio-pci property compat-check does not model makes it unknown', () => {
    const v = vm('10.0', { host: '65:00.1', 'x-no-mmap': 'on' });
    expect(checkMigration(v, v).verdict).toBe('unknown');
  });
});
