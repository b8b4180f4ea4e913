// Devices on other buses are kept by every adapter, in creation order, with what places them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDomainXml } from '../../src/inputs/libvirt-xml.js';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { type VmDescription } from '../../src/inputs/vm.js';
import { LIBVIRT } from './fixtures.js';

/** What names a section: id, driver, bus, place in the stream and the placing properties. */
const PLACING = ['port', 'channel', 'scsi-id', 'lun', 'nr', 'cad', 'index'];
const placing = (vm: VmDescription) => (vm.attached ?? []).map((a) => ({
  id: a.id, driver: a.driver, bus: a.bus, position: a.position,
  properties: Object.fromEntries(Object.entries(a.properties).filter(([k]) => PLACING.includes(k))),
}));
const xml = (f: string) => parseDomainXml(readFileSync(LIBVIRT(f), 'utf8'), f, { qemu: '7.2.22' });
const log = (f: string) => parseCommandLineText(readFileSync(LIBVIRT(f), 'utf8'), f);

describe('devices on other buses: dumpxml ⇄ VM.log', () => {
  it('q35 (virt-install): isa-serial, the qemu-ga virtserialport and the usb-tablet, after the 18 PCI functions before them', () => {
    expect(placing(xml('q35.xml'))).toEqual(placing(log('q35.log')));
    expect(placing(xml('q35.migratable.xml'))).toEqual(placing(log('q35.log')));
    expect(placing(log('q35.log'))).toEqual([
      { id: 'serial0', driver: 'isa-serial', bus: undefined, position: 18, properties: { index: '0' } },
      { id: 'channel0', driver: 'virtserialport', bus: 'virtio-serial0.0', position: 18, properties: { nr: '1' } },
      { id: 'input0', driver: 'usb-tablet', bus: 'usb.0', position: 18, properties: { port: '1' } },
    ]);
  });
  it('i440fx: the scsi-hd after the controllers, the hda-duplex codec libvirt adds to <sound model="ich6"/>', () => {
    expect(placing(xml('pc.xml'))).toEqual(placing(log('pc.log')));
    expect(placing(xml('pc.migratable.xml'))).toEqual(placing(log('pc.log')));
    const vm = log('pc.log');
    expect(placing(vm).map((a) => `${a.id} ${a.driver} ${a.position}`)).toEqual([
      'scsi0-0-0-0 scsi-hd 5', 'serial0 isa-serial 7', 'channel0 virtserialport 7', 'input0 usb-tablet 7', 'sound0-codec0 hda-duplex 9',
    ]);
    // The codec follows its controller: sound0 is the 9th PCI function.
    expect(vm.devices[8].id).toBe('sound0');
  });
});

describe('libvirt elements on other buses', () => {
  const domain = (devices: string) => parseDomainXml(`<domain type='kvm'><name>t</name><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><devices>
    <controller type='usb' index='0' model='qemu-xhci'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></controller>
    <controller type='scsi' index='0' model='virtio-scsi'><address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/></controller>
    ${devices}</devices></domain>`, 'd.xml', { qemu: '7.2' });
  it('codecs, a USB disk, a SCSI cdrom, a redirector, a virtio console, a SATA disk, an ISA panic', () => {
    const vm = domain(`
      <disk type='file' device='cdrom'><target dev='sdb' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='2'/></disk>
      <disk type='file' device='disk'><target dev='sdc' bus='usb'/><address type='usb' bus='0' port='2'/></disk>
      <disk type='file' device='disk'><target dev='sda' bus='sata'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>
      <console type='pty'><target type='virtio' port='0'/></console>
      <sound model='ich9'><codec type='micro'/><codec type='output'/><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></sound>
      <redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='3'/></redirdev>
      <panic model='isa'/>`);
    expect(placing(vm).map((a) => [a.id, a.driver, a.bus, a.properties])).toEqual([
      ['scsi0-0-0-2', 'scsi-cd', 'scsi0.0', { channel: '0', 'scsi-id': '0', lun: '2' }],
      ['usb-disk1', 'usb-storage', 'usb.0', { port: '2' }],
      ['sata0-0-1', 'ide-hd', 'ide.1', {}],
      ['console0', 'virtconsole', undefined, {}],
      ['sound0-codec0', 'hda-micro', 'sound0.0', { cad: '0' }],
      ['sound0-codec1', 'hda-output', 'sound0.0', { cad: '1' }],
      ['redir0', 'usb-redir', 'usb.0', { port: '3' }],
      ['panic0', 'pvpanic', undefined, {}],
    ]);
  });
});

describe('libvirt: a disk on an lsilogic controller', () => {
  it('is addressed by its unit as scsi-id (qemuBuildDiskDeviceProps), with libvirt\'s 3-part alias', () => {
    const vm = parseDomainXml(`<domain type='kvm'><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os><devices>
      <controller type='scsi' index='0' model='lsilogic'><address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/></controller>
      <disk type='file' device='disk'><target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='3'/></disk>
      </devices></domain>`, 'd.xml', { qemu: '7.2' });
    expect(vm.devices.map((d) => d.driver)).toContain('lsi'); // QEMU's alias of lsi53c895a
    expect(placing(vm)).toEqual([{ id: 'scsi0-0-3', driver: 'scsi-hd', bus: 'scsi0.0', position: 2, properties: { 'scsi-id': '3' } }]);
  });
});

describe('QEMU command lines', () => {
  it('QemuOpts and JSON -device lines on other buses are kept, with their place among the PCI functions', () => {
    const vm = parseCommandLineText([
      'qemu-system-x86_64 -machine pc-i440fx-7.2 -nodefaults',
      '-device intel-hda,id=sound0,addr=0x4 -device hda-duplex,bus=sound0.0,id=c0',
      `-device '{"driver":"usb-tablet","id":"input0","bus":"usb.0","port":"1"}'`,
      '-device piix3-usb-uhci,id=usb,addr=0x5 -device isa-serial,chardev=s0',
    ].join(' '), 'cmd', { qemu: '7.2' });
    expect(vm.devices.map((d) => d.id)).toEqual(['sound0', 'usb']);
    expect(placing(vm)).toEqual([
      { id: 'c0', driver: 'hda-duplex', bus: 'sound0.0', position: 1, properties: {} },
      { id: 'input0', driver: 'usb-tablet', bus: 'usb.0', position: 1, properties: { port: '1' } },
      { id: '-device#5', driver: 'isa-serial', bus: undefined, position: 2, properties: {} },
    ]);
  });
  it('an id used by a PCI function and a device on another bus is refused, as QEMU does', () => {
    expect(() => parseCommandLineText('qemu-system-x86_64 -device intel-hda,id=x,addr=0x4 -device hda-duplex,id=x', 'cmd', { qemu: '7.2' }))
      .toThrow(/duplicate device id "x"/);
  });
});
