// Devices on other buses without QEMU: section names, instances, the auto hub, ports_map,
// and "unknown" for whatever the table does not know. The same facts are checked against
// real QEMU in test/real-qemu/attached.test.ts.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';

const vm = (qemu: string, devices: object[], attached: object[]) =>
  parseVmJson({ qemu, machine: 'pc-i440fx-5.2', devices, attached }, 'test.json');
const hda = { id: 'sound0', driver: 'intel-hda', addr: '0x4' };
const uhci = { id: 'usb', driver: 'piix3-usb-uhci', addr: '0x5' };

describe('devices on other buses', () => {
  it('an hda-duplex only on the 10.0 source: hda-audio 0 is unknown to the destination (was "compatible" before)', () => {
    const r = checkMigration(vm('10.0', [hda], [{ id: 'c0', driver: 'hda-duplex', bus: 'sound0.0' }]), vm('10.0', [hda], []));
    expect(r.verdict).toBe('incompatible');
    expect(r.qemuOutput).toEqual([
      "Unknown savevm section or instance 'hda-audio' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices",
      'load of migration failed: Invalid argument',
    ]);
    expect(r.devices.find((d) => d.id === 'c0')).toMatchObject({ section: 'hda-audio', verdict: { kind: 'incompatible' } });
  });

  it('the second codec is instance 1; 11.1 words it in one line', () => {
    const two = [{ id: 'c0', driver: 'hda-duplex', bus: 'sound0.0' }, { id: 'c1', driver: 'hda-micro', bus: 'sound0.0' }];
    const r = checkMigration(vm('11.1', [hda], two), vm('11.1', [hda], two.slice(0, 1)));
    expect(r.qemuOutput).toEqual([
      "load of migration failed: Invalid argument: Unknown section or instance 'hda-audio' 1. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices",
    ]);
  });

  it("on 5.2 the codec's audio backend sends its own section 'audio' first", () => {
    const r = checkMigration(vm('5.2', [hda], [{ id: 'c0', driver: 'hda-duplex', bus: 'sound0.0' }]), vm('5.2', [hda], []));
    expect(r.firstError).toBe("Unknown savevm section or instance 'audio' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices");
  });

  it('between 5.2 and 7.2 whether that section is sent is not known: the same backends load either way', () => {
    const c0 = { id: 'c0', driver: 'hda-duplex', bus: 'sound0.0', properties: { audiodev: 'a' } };
    expect(checkMigration(vm('6.2', [hda], [c0]), vm('6.2', [hda], [c0])).verdict).toBe('compatible');
  });

  it('between 5.2 and 7.2 a backend the destination lacks is unknown, never compatible', () => {
    const c = (id: string, audiodev: string) => ({ id, driver: 'hda-duplex', bus: 'sound0.0', properties: { audiodev } });
    const r = checkMigration(vm('6.2', [hda], [c('c0', 'a'), c('c1', 'b')]), vm('6.2', [hda], [c('c0', 'a'), c('c1', 'a')]));
    expect(r.verdict).toBe('unknown');
    expect(r.devices.find((d) => d.id === 'c1')?.verdict).toEqual({ kind: 'unknown', reason: 'whether this QEMU release sends the audio backend\'s section "audio" (5.2 does, 7.2 does not) is not known: the destination has no section audio (instance 1)' });
  });

  it('two USB devices on a 2-port uhci: QEMU plugs a usb-hub into port 2 first', () => {
    const both = [{ id: 'k', driver: 'usb-kbd' }, { id: 't', driver: 'usb-tablet' }];
    const r = checkMigration(vm('7.2', [uhci], both), vm('7.2', [uhci], both.slice(0, 1)));
    expect(r.firstError).toContain("'0000:00:05.0/2/usb-hub' 0.");
    // The tablet itself sits on the hub's first port.
    expect(r.devices.find((d) => d.id === 't')?.section).toBe('0000:00:05.0/2.1/usb-ptr');
  });

  it('a usb-tablet on port 1 against one on port 2: another section', () => {
    const r = checkMigration(vm('7.2', [uhci], [{ id: 't', driver: 'usb-tablet', properties: { port: '1' } }]),
      vm('7.2', [uhci], [{ id: 't', driver: 'usb-tablet', properties: { port: '2' } }]));
    expect(r.firstError).toContain("'0000:00:05.0/1/usb-ptr' 0.");
  });

  it('virtserialport nr=1 against nr=2: the virtio-serial section fails after its config space', () => {
    const serial = { id: 'vs0', driver: 'virtio-serial-pci', addr: '0x8' };
    const r = checkMigration(vm('7.2', [serial], [{ id: 'p', driver: 'virtserialport', properties: { nr: '1' } }]),
      vm('7.2', [serial], [{ id: 'p', driver: 'virtserialport', properties: { nr: '2' } }]));
    expect(r.qemuOutput).toEqual([
      'Failed to load virtio-console:virtio',
      "error while loading state for instance 0x0 of device '0000:00:08.0/virtio-console'",
      'load of migration failed: Invalid argument',
    ]);
    expect(r.devices.find((d) => d.id === 'p')?.verdict).toMatchObject({ kind: 'incompatible', mismatches: [{ field: 'virtio-serial ports', source: '1', destination: '2' }] });
  });

  it('a driver the table does not know is unknown, never compatible', () => {
    const tpm = [{ id: 'tpm0', driver: 'tpm-tis' }];
    const r = checkMigration(vm('7.2', [], tpm), vm('7.2', [], tpm));
    expect(r.verdict).toBe('unknown');
    expect(r.devices[0].verdict).toEqual({ kind: 'unknown', reason: 'device "tpm-tis" is not modelled: compat-check does not know whether it has a migration section' });
  });

  it('present on both: compatible, with the assumption that only presence is compared', () => {
    const s = [{ id: 'serial0', driver: 'isa-serial' }];
    const r = checkMigration(vm('10.0', [], s), vm('10.0', [], s));
    expect(r.verdict).toBe('compatible');
    expect(r.devices[0]).toMatchObject({ section: 'serial', verdict: { kind: 'compatible' } });
    expect(r.assumptions.some((a) => a.includes('only their presence and place are compared'))).toBe(true);
  });

  it('a source section first in the stream wins over a later PCI failure', () => {
    const src = vm('7.2', [hda, { id: 'disk', driver: 'virtio-blk-pci', addr: '0x9' }], [{ id: 'c0', driver: 'hda-duplex', bus: 'sound0.0', position: 1 }]);
    const dst = vm('7.2', [hda], [{ id: 'c0', driver: 'hda-duplex', bus: 'sound0.0', position: 1 }]);
    expect(checkMigration(src, src).verdict).toBe('compatible');
    const r = checkMigration(src, vm('7.2', [hda, { id: 'disk', driver: 'virtio-blk-pci', addr: '0x9' }], []));
    expect(r.firstError).toContain("'hda-audio' 0.");
    expect(checkMigration(src, dst).firstError).toContain("'0000:00:09.0/virtio-blk' 0.");
  });
});
