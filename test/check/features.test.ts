// Virtio feature bits after config space (virtio_load → virtio_set_features_nocheck).
// Every figure here was read from Debian's real binaries: host features from
// x-query-virtio-status (7.2.22, 10.0.13) and from the transport's feature
// registers over qtest (5.2.0 … 11.1.3), the messages from real migrations
// in which the source's "guest" was qtest writing the guest-features register
// (test/guest/features.test.ts re-checks them against the binaries).
import { describe, expect, it } from 'vitest';
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';
import { proposeRemedies } from '../../src/check/remedy.js';
import { featureTable, hasModernCaps, hostFeatures, type FeatureSide } from '../../src/check/features.js';
import { deviceFamily } from '../../src/profiles/data.js';

const HUB = { type: 'hubport' } as const;

function vm(qemu: string, machine: string, device: Record<string, unknown>, extra: Record<string, unknown> = {}): VmDescription {
  return parseVmJson({ qemu, machine, devices: [{ id: 'd0', addr: '0x3', ...device }], ...extra }, `${qemu}.json`);
}

/** The host features our model gives the device d0 of a description. */
function modelHost(v: VmDescription, family: string): string {
  const profile = machineProfile(v.qemu)!;
  const ctx = { vm: v, release: v.qemu, machine: resolveMachine(profile, v.machine) };
  const b = buildDevice(ctx, v.devices[0]);
  if (b.kind !== 'built') throw new Error(b.reason);
  const side: FeatureSide = { release: v.qemu, family, props: b.props, modern: hasModernCaps(b.cs.config), smp: v.smp, backend: v.devices[0].backend };
  const h = hostFeatures(side)!;
  expect(h.maybe).toBe(0n);
  return `0x${h.sure.toString(16)}`;
}

// Real host features with the default properties on 'pc' (hubport NIC, null-co disk).
const REAL: Record<string, Record<string, string>> = {
  '5.2': { net: '0x179bf8064', blk: '0x179006e54', scsi: '0x179000006', balloon: '0x179000012', serial: '0x179000006', rng: '0x179000000' },
  '7.2': { net: '0x10179bf8064', blk: '0x10179006e54', scsi: '0x10179000006', balloon: '0x10179000012', serial: '0x10179000006', rng: '0x10179000000' },
  '10.0': { net: '0x10179bf8064', blk: '0x10179006e54', scsi: '0x10179000006', balloon: '0x10179000012', serial: '0x10179000006', rng: '0x10179000000' },
  '11.1': { net: '0x10179bf8064', blk: '0x10179006e54', scsi: '0x10179000006', balloon: '0x10179000012', serial: '0x10179000006', rng: '0x10179000000' },
};
const DEVICES: Record<string, [string, Record<string, unknown>]> = {
  net: ['virtio-net', { driver: 'virtio-net-pci', backend: HUB }],
  blk: ['virtio-blk', { driver: 'virtio-blk-pci' }],
  scsi: ['virtio-scsi', { driver: 'virtio-scsi-pci' }],
  balloon: ['virtio-balloon', { driver: 'virtio-balloon-pci' }],
  serial: ['virtio-serial', { driver: 'virtio-serial-pci' }],
  rng: ['virtio-rng', { driver: 'virtio-rng-pci' }],
};

describe('host features, default properties on "pc", as the real binaries offer them', () => {
  for (const [release, byDevice] of Object.entries(REAL)) {
    for (const [key, real] of Object.entries(byDevice)) {
      it(`${release} ${key}: ${real}`, () => {
        const [family, device] = DEVICES[key];
        expect(modelHost(vm(release, 'pc', device), family)).toBe(real);
      });
    }
  }
  it('7.2 virtio-net, disable-modern=on: no VERSION_1 (0x10079bf8064)', () => {
    expect(modelHost(vm('7.2', 'pc', { driver: 'virtio-net-pci', backend: HUB, properties: { 'disable-modern': 'on' } }), 'virtio-net')).toBe('0x10079bf8064');
  });
  it('5.2 virtio-net, mrg_rxbuf=off: 0x179bf0064', () => {
    expect(modelHost(vm('5.2', 'pc', { driver: 'virtio-net-pci', backend: HUB, properties: { mrg_rxbuf: 'off' } }), 'virtio-net')).toBe('0x179bf0064');
  });
  it('the feature table agrees with the device families\' hostFeatureBit', () => {
    const t = featureTable();
    for (const [family, f] of Object.entries(t.devices)) {
      if (f.sameAs) continue;
      const props = deviceFamily(family).properties;
      for (const p of f.properties) {
        const said = (props[p.property!] as { hostFeatureBit?: number } | undefined)?.hostFeatureBit;
        if (said !== undefined) expect([family, p.property, said]).toEqual([family, p.property, p.bit]);
      }
    }
    const common = deviceFamily('virtio-pci').properties;
    for (const p of t.transport.properties) expect([p.property, (common[p.property!] as { hostFeatureBit?: number }).hostFeatureBit]).toEqual([p.property, p.bit]);
  });
});

const net = (qemu: string, props: Record<string, string> = {}, guest?: Record<string, unknown>, backend: object = HUB) =>
  vm(qemu, 'pc', { driver: 'virtio-net-pci', backend, properties: props, ...(guest ? { guest } : {}) });

describe('a negotiated feature the destination does not offer: the exact line per release', () => {
  // Guest features 0x18020: MAC, MRG_RXBUF, STATUS (a legacy driver); destination mrg_rxbuf=off.
  const cases: [string, string[]][] = [
    ['5.2', ['Features 0x18020 unsupported. Allowed features: 0x179bf0064', 'Failed to load virtio-net:virtio', "error while loading state for instance 0x0 of device '0000:00:03.0/virtio-net'", 'load of migration failed: Operation not permitted']],
    ['7.2', ['Features 0x18020 unsupported. Allowed features: 0x10179bf0064', 'Failed to load virtio-net:virtio', "error while loading state for instance 0x0 of device '0000:00:03.0/virtio-net'", 'load of migration failed: Operation not permitted']],
    ['10.0', ['Features 0x18020 unsupported. Allowed features: 0x10179bf0064', 'Failed to load virtio-net:virtio', "error while loading state for instance 0x0 of device '0000:00:03.0/virtio-net'", 'load of migration failed: Operation not permitted']],
    // 10.2+: 128 bits, and the features printed are those left after masking with the host's (bit 15 gone).
    ['11.1', ['Features 0x00000000000000000000000000010020 unsupported. Allowed features: 0x00000000000000000000010179bf0064', "load of migration failed: Invalid argument: error while loading state for instance 0x0 of device '0000:00:03.0/virtio-net': Failed to load element of type virtio for virtio"]],
  ];
  for (const [release, lines] of cases) {
    it(`${release}: ${lines[0]}`, () => {
      const r = checkMigration(net(release, {}, { features: '0x18020' }), net(release, { mrg_rxbuf: 'off' }));
      expect(r.verdict).toBe('incompatible');
      expect(r.qemuOutput).toEqual(lines);
      const v = r.devices[0].verdict;
      expect(v.kind === 'incompatible' && v.mismatches.map((m) => m.description)).toEqual([
        `VIRTIO_NET_F_MRG_RXBUF: negotiated by the guest on QEMU ${release}, not offered by QEMU ${release} (property mrg_rxbuf: on → off)`,
      ]);
    });
  }
  it('a modern guest (VERSION_1 too) on 7.2: the 64-bit word is printed, 0x100018020', () => {
    const r = checkMigration(net('7.2', {}, { features: '0x100018020' }), net('7.2', { mrg_rxbuf: 'off' }));
    expect(r.firstError).toBe('Features 0x100018020 unsupported. Allowed features: 0x10179bf0064');
  });
  it('a destination without bits above 31 (5.2, disable-modern=on) prints the 32-bit form', () => {
    const r = checkMigration(net('5.2', { 'disable-modern': 'on' }, { features: '0x18020' }), net('5.2', { mrg_rxbuf: 'off', 'disable-modern': 'on' }));
    expect(r.firstError).toBe('Features 0x18020 unsupported. Allowed features: 0x79bf0064');
  });
  it('negotiated features all offered by the destination: compatible', () => {
    expect(checkMigration(net('7.2', {}, { features: '0x18020' }), net('7.2', { guest_announce: 'off' })).verdict).toBe('compatible');
  });
});

describe('no live features: what the source offers and the destination does not is at-risk, never compatible', () => {
  it('destination mrg_rxbuf=off: at-risk naming VIRTIO_NET_F_MRG_RXBUF', () => {
    const r = checkMigration(net('7.2'), net('7.2', { mrg_rxbuf: 'off' }));
    expect(r.verdict).toBe('at-risk');
    const v = r.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.conditions[0]).toMatch(/^fails if the guest negotiated VIRTIO_NET_F_MRG_RXBUF: the source \(QEMU 7\.2\) offers it, the destination \(QEMU 7\.2\) does not/);
  });
  it('a feature only the destination offers is no risk', () => {
    expect(checkMigration(net('7.2', { mrg_rxbuf: 'off' }), net('7.2')).verdict).toBe('compatible');
  });
  it('USO (8.2+): a tap on Linux 6.8 offers it, one on 6.1 does not', () => {
    const tap = (k: string) => ({ type: 'tap', hostKernel: k });
    const r = checkMigration(net('10.0', {}, undefined, tap('6.8')), net('10.0', {}, undefined, tap('6.1')));
    const v = r.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.conditions[0]).toMatch(/^fails if the guest negotiated VIRTIO_NET_F_GUEST_USO4 or VIRTIO_NET_F_GUEST_USO6 or VIRTIO_NET_F_HOST_USO: /);
    expect(checkMigration(net('10.0', {}, undefined, tap('6.1')), net('10.0', {}, undefined, tap('6.8'))).verdict).toBe('compatible');
  });
  it('UDP tunnel GSO (10.2+, bits 65-68): a tap on Linux 6.17 offers it, one on 6.8 does not; a live guest that acked it fails with 128-bit words', () => {
    const tap = (k: string) => ({ type: 'tap', hostKernel: k });
    const nic = (k: string, guest?: object) => vm('11.1', 'pc-i440fx-11.1', { driver: 'virtio-net-pci', backend: tap(k), ...(guest ? { guest } : {}) });
    const v = checkMigration(nic('6.17'), nic('6.8')).devices[0].verdict;
    expect(v.kind === 'at-risk' && v.mismatches.map((m) => m.source)).toEqual([
      'VIRTIO_NET_F_GUEST_UDP_TUNNEL_GSO', 'VIRTIO_NET_F_GUEST_UDP_TUNNEL_GSO_CSUM', 'VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO', 'VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO_CSUM',
    ]);
    const r = checkMigration(nic('6.17', { features: '0x20000000100000001' }), nic('6.8'));
    expect(r.firstError).toBe('Features 0x00000000000000000000000100000001 unsupported. Allowed features: 0x000000000000000001c0010179bfffe7');
    // Both on pc-i440fx-10.1: hw_compat_10_1 turns the tunnel properties off on both sides.
    const old = (k: string) => vm('11.1', 'pc-i440fx-10.1', { driver: 'virtio-net-pci', backend: tap(k) });
    expect(checkMigration(old('6.17'), old('6.8')).verdict).toBe('compatible');
  });
  it('a tap whose host kernel is not given: the USO bits depend on it (at-risk, says which)', () => {
    const r = checkMigration(net('10.0', {}, undefined, { type: 'tap', hostKernel: '6.8' }), net('10.0', {}, undefined, { type: 'tap' }));
    const v = r.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.conditions[0]).toMatch(/and the destination's backend cannot carry them/);
  });
  it('tap source, user-mode destination: every offload is at risk', () => {
    const r = checkMigration(net('7.2', {}, undefined, { type: 'tap', hostKernel: '6.1' }), net('7.2', {}, undefined, { type: 'user' }));
    const v = r.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.mismatches.map((m) => m.source)).toEqual([
      'VIRTIO_NET_F_CSUM', 'VIRTIO_NET_F_GUEST_CSUM', 'VIRTIO_NET_F_GUEST_TSO4', 'VIRTIO_NET_F_GUEST_TSO6', 'VIRTIO_NET_F_GUEST_ECN',
      'VIRTIO_NET_F_GUEST_UFO', 'VIRTIO_NET_F_HOST_TSO4', 'VIRTIO_NET_F_HOST_TSO6', 'VIRTIO_NET_F_HOST_ECN', 'VIRTIO_NET_F_HOST_UFO',
    ]);
  });
  it('backends said on neither side: taken to be the same, no risk from them (and the report says so)', () => {
    const plain = (q: string) => vm(q, 'pc-i440fx-7.2', { driver: 'virtio-net-pci' });
    const r = checkMigration(plain('7.2'), plain('10.0'));
    expect(r.verdict).toBe('compatible');
    expect(r.assumptions).toContain('d0: the NIC\'s backend is taken to be the same on both hosts (say "backend" to check its offloads; taken as a tap on hosts of unknown Linux: UFO carried, USO and UDP tunnel offloads unknown; QEMU\'s "Allowed features" is then shown as for a tap carrying every offload)');
  });
  it('an 8.1 machine type drops USO (hw_compat_8_1): a source with USO on meets it at-risk; the verified remedy turns USO on at the destination', () => {
    const tap = { type: 'tap', hostKernel: '6.8' };
    const src = vm('10.0', 'pc-i440fx-10.0', { driver: 'virtio-net-pci', backend: tap });
    const dst = vm('10.0', 'pc-i440fx-8.1', { driver: 'virtio-net-pci', backend: tap });
    const r = checkMigration(src, dst);
    expect(r.verdict).toBe('incompatible'); // the machine type itself differs in the stream
    const live = vm('10.0', 'pc-i440fx-8.1', { driver: 'virtio-net-pci', backend: tap, properties: { guest_uso4: 'on', guest_uso6: 'on', host_uso: 'on' } });
    const d = vm('10.0', 'pc-i440fx-8.1', { driver: 'virtio-net-pci', backend: tap });
    const r2 = checkMigration(live, d);
    const v = r2.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.mismatches.map((m) => m.description)).toEqual([
      'VIRTIO_NET_F_GUEST_USO4: offered on QEMU 10.0, not offered by QEMU 10.0 (property guest_uso4: on → off)',
      'VIRTIO_NET_F_GUEST_USO6: offered on QEMU 10.0, not offered by QEMU 10.0 (property guest_uso6: on → off)',
      'VIRTIO_NET_F_HOST_USO: offered on QEMU 10.0, not offered by QEMU 10.0 (property host_uso: on → off)',
    ]);
    const remedies = proposeRemedies(live, d, r2).devices.get('d0')!;
    expect(remedies[0]).toMatchObject({ kind: 'device-property', verified: true, properties: { guest_uso4: 'on', guest_uso6: 'on', host_uso: 'on' } });
  });
});

describe('virtio-blk: features that follow other properties', () => {
  it('num-queues=2: VIRTIO_BLK_F_MQ; a destination with one queue refuses a guest that negotiated it', () => {
    const src = vm('7.2', 'pc', { driver: 'virtio-blk-pci', properties: { 'num-queues': '2', vectors: '3' }, guest: { features: '0x100001000' } });
    const dst = vm('7.2', 'pc', { driver: 'virtio-blk-pci', properties: { 'num-queues': '1', vectors: '3' } });
    const r = checkMigration(src, dst);
    expect(r.firstError).toBe('Features 0x100001000 unsupported. Allowed features: 0x10179006e54');
  });
  it('disable-modern=on: SCSI instead of ANY_LAYOUT, no VERSION_1', () => {
    expect(modelHost(vm('7.2', 'pc', { driver: 'virtio-blk-pci', properties: { 'disable-modern': 'on' } }), 'virtio-blk')).toBe('0x10071006ed4');
  });
  it('num-queues=2 on 7.2: 0x10179007e54', () => {
    expect(modelHost(vm('7.2', 'pc', { driver: 'virtio-blk-pci', properties: { 'num-queues': '2' } }), 'virtio-blk')).toBe('0x10179007e54');
  });
  it('virtio-gpu-pci (10.0) and virtio-vga (7.2): EDID and the transport bits, 0x10179000002; virtio-tablet-pci: 0x10179000000', () => {
    expect(modelHost(vm('10.0', 'pc', { driver: 'virtio-gpu-pci' }), 'virtio-gpu')).toBe('0x10179000002');
    expect(modelHost(vm('7.2', 'pc', { driver: 'virtio-vga' }), 'virtio-vga')).toBe('0x10179000002');
    expect(modelHost(vm('10.0', 'pc', { driver: 'virtio-tablet-pci' }), 'virtio-input')).toBe('0x10179000000');
  });
});

describe('virtio-blk FLUSH follows the drive: the same drive settings on both hosts', () => {
  it('pc-i440fx-4.2 (x-enable-wce-if-config-wce off), 7.2 → 10.0, no live features: compatible, the assumption said', () => {
    const r = checkMigration(vm('7.2', 'pc-i440fx-4.2', { driver: 'virtio-blk-pci' }), vm('10.0', 'pc-i440fx-4.2', { driver: 'virtio-blk-pci' }));
    expect(r.verdict).toBe('compatible');
    expect(r.assumptions).toContain("d0: VIRTIO_BLK_F_FLUSH, which the drive's settings decide (its write cache), taken to be the same on both hosts");
  });
});

describe('live virtqueue sizes settle the ring-size question', () => {
  it('10.0.13 → 11.1, queue 0 live at 1024: incompatible, whatever bootedOn says', () => {
    const src = vm('10.0.13', 'pc-i440fx-10.0', { driver: 'virtio-blk-pci', guest: { virtqueues: { 0: 1024 } } });
    const dst = vm('11.1', 'pc-i440fx-10.0', { driver: 'virtio-blk-pci' });
    expect(checkMigration(src, dst).firstError).toBe('VQ 0 vring.num 1024 exceeds allocated max 256');
  });
  it('10.0.13 → 11.1, queue 0 live at 256 (arrived by migration): compatible', () => {
    const src = vm('10.0.13', 'pc-i440fx-10.0', { driver: 'virtio-blk-pci', guest: { virtqueues: { 0: 256 } } });
    const dst = vm('11.1', 'pc-i440fx-10.0', { driver: 'virtio-blk-pci' });
    expect(checkMigration(src, dst).verdict).toBe('compatible');
  });
  it('virtio-net rx 1024 on the destination, live rings rx/tx/ctrl 1024/1024/64: the tx queue fails (VQ 1), as a booted 10.0.13 guest does', () => {
    const src = vm('10.0.13', 'pc-i440fx-10.0', { driver: 'virtio-net-pci', guest: { virtqueues: { 0: 1024, 1: 1024, 2: 64 } } });
    const dst = vm('11.1', 'pc-i440fx-10.0', { driver: 'virtio-net-pci', properties: { rx_queue_size: '1024' } });
    expect(checkMigration(src, dst).firstError).toBe('VQ 1 vring.num 1024 exceeds allocated max 256');
  });
  it('virtio-net with mq, a live queue past rx/tx/ctrl of pair 0: at-risk, its allocation is not modelled', () => {
    const src = vm('10.0.13', 'pc-i440fx-10.0', { driver: 'virtio-net-pci', guest: { virtqueues: { 0: 256, 1: 256, 2: 256, 3: 256, 4: 64 } } });
    const dst = vm('11.1', 'pc-i440fx-10.0', { driver: 'virtio-net-pci' });
    const r = checkMigration(src, dst);
    expect(r.verdict).toBe('at-risk');
    expect(r.devices[0].verdict.kind === 'at-risk' && r.devices[0].verdict.conditions.join()).toContain('queue 2, 3, 4');
  });
});

describe('virtio-balloon page-poison: the subsection misspelt before 6.0', () => {
  const balloon = (qemu: string, features?: string) => vm(qemu, 'pc-i440fx-5.2', { driver: 'virtio-balloon-pci', ...(features ? { guest: { features } } : {}) });
  it('5.2 → 7.2 with PAGE_POISON negotiated: the section ends early', () => {
    const r = checkMigration(balloon('5.2', '0x100000012'), balloon('7.2'));
    expect(r.qemuOutput).toEqual(['Missing section footer for 0000:00:03.0/virtio-balloon', 'load of migration failed: Invalid argument']);
  });
  it('5.2 → 5.2 too: no release reads the misspelt name', () => {
    expect(checkMigration(balloon('5.2', '0x100000012'), balloon('5.2')).firstError).toBe('Missing section footer for 0000:00:03.0/virtio-balloon');
  });
  it('5.2 → 5.2, destination page-poison=off: the feature check sees only the low word (0x12)', () => {
    const dst = vm('5.2', 'pc-i440fx-5.2', { driver: 'virtio-balloon-pci', properties: { 'page-poison': 'off' } });
    expect(checkMigration(balloon('5.2', '0x100000012'), dst).firstError).toBe('Features 0x12 unsupported. Allowed features: 0x179000002');
  });
  it('10.0 → 5.2 with PAGE_POISON negotiated: 5.2 does not know the subsection', () => {
    expect(checkMigration(balloon('10.0', '0x100000012'), balloon('5.2')).qemuOutput).toEqual([
      'Failed to load virtio-balloon:virtio',
      "error while loading state for instance 0x0 of device '0000:00:03.0/virtio-balloon'",
      'load of migration failed: No such file or directory',
    ]);
  });
  it('without PAGE_POISON negotiated every pair loads; unknown guest features make it at-risk', () => {
    expect(checkMigration(balloon('5.2', '0x100000002'), balloon('7.2')).verdict).toBe('compatible');
    expect(checkMigration(balloon('7.2', '0x100000002'), balloon('5.2')).verdict).toBe('compatible');
    expect(checkMigration(balloon('7.2', '0x100000012'), balloon('10.0')).verdict).toBe('compatible');
    const r = checkMigration(balloon('5.2'), balloon('7.2'));
    const v = r.devices[0].verdict;
    expect(v.kind === 'at-risk' && v.conditions[0]).toMatch(/^fails if the guest negotiated VIRTIO_BALLOON_F_PAGE_POISON/);
  });
});

describe('remedies for features', () => {
  it('destination mrg_rxbuf=off on its -device line: the verified fix is mrg_rxbuf=on there (a -global would lose to the -device line)', () => {
    const src = net('7.2', {}, { features: '0x18020' });
    const dst = net('7.2', { mrg_rxbuf: 'off' });
    const remedies = proposeRemedies(src, dst, checkMigration(src, dst)).devices.get('d0')!;
    expect(remedies.map((r) => [r.kind, r.change, r.verified])).toEqual([
      ['device-property', 'mrg_rxbuf=on on device d0', true],
    ]);
  });
  it('a destination backend without offloads: no property brings them back, only a cold restart (never verified)', () => {
    const src = net('7.2', {}, { features: '0x100000003' }, { type: 'tap', hostKernel: '6.1' });
    const dst = net('7.2', {}, undefined, { type: 'user' });
    const r = checkMigration(src, dst);
    expect(r.firstError).toBe('Features 0x100000003 unsupported. Allowed features: 0x10179bf8064');
    const remedies = proposeRemedies(src, dst, r).devices.get('d0')!;
    expect(remedies).toEqual([expect.objectContaining({ kind: 'cold-restart', verified: false, change: 'cold restart on QEMU 7.2' })]);
  });
});

describe('tap offloads follow the host kernel (USO from Linux 6.2): unsaid is at-risk where the machine type offers them', () => {
  const tapNet = (qemu: string, machine: string, hostKernel?: string) => vm(qemu, machine, {
    driver: 'virtio-net-pci', properties: { netdev: 'n0' }, backend: { type: 'tap', ...(hostKernel ? { hostKernel } : {}) },
  });
  it('pc-q35-10.0 (USO offered), tap, no kernel said: at-risk naming the USO bits', () => {
    const r = checkMigration(tapNet('10.0', 'pc-q35-10.0'), tapNet('10.0', 'pc-q35-10.0'));
    expect(r.verdict).toBe('at-risk');
    expect(r.devices[0].verdict.kind === 'at-risk' && r.devices[0].verdict.conditions[0])
      .toMatch(/^fails if the guest negotiated VIRTIO_NET_F_GUEST_USO4 or VIRTIO_NET_F_GUEST_USO6 or VIRTIO_NET_F_HOST_USO and the destination's backend cannot carry them/);
  });
  it('source host 6.8, destination host 6.1: at-risk, the destination cannot carry USO', () => {
    const r = checkMigration(tapNet('10.0', 'pc-q35-10.0', '6.8'), tapNet('10.0', 'pc-q35-10.0', '6.1'));
    expect(r.devices[0].verdict.kind === 'at-risk' && r.devices[0].verdict.conditions[0])
      .toMatch(/^fails if the guest negotiated VIRTIO_NET_F_GUEST_USO4 or VIRTIO_NET_F_GUEST_USO6 or VIRTIO_NET_F_HOST_USO: the source \(QEMU 10\.0\) offers them, the destination \(QEMU 10\.0\) does not/);
  });
  it('both hosts 6.8: compatible; pc-q35-8.1 (USO off by compat) with no kernel said: compatible', () => {
    expect(checkMigration(tapNet('10.0', 'pc-q35-10.0', '6.8'), tapNet('10.0', 'pc-q35-10.0', '6.8')).verdict).toBe('compatible');
    expect(checkMigration(tapNet('10.0', 'pc-q35-8.1'), tapNet('10.0', 'pc-q35-8.1')).verdict).toBe('compatible');
  });
});
