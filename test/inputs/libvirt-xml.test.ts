// libvirt domain XML on real samples (test/fixtures/libvirt, libvirt 9.0), and what it refuses.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDomainXml } from '../../src/inputs/libvirt-xml.js';
import { InputError } from '../../src/inputs/errors.js';
import { LIBVIRT, byId } from './fixtures.js';

const load = (f: string) => parseDomainXml(readFileSync(LIBVIRT(f), 'utf8'), f, { qemu: '7.2' });

describe('q35 VM from virt-install (virsh dumpxml)', () => {
  const vm = load('q35.xml');
  it('machine and vCPUs', () => expect([vm.name, vm.machine, vm.smp]).toEqual(['cc-q35', 'pc-q35-7.2', 2]));
  it('pcie-root-port controllers become devices: id from the alias, chassis/port from <target>, addr from their <address>', () => {
    expect(byId(vm, 'pci.1')).toMatchObject({ driver: 'pcie-root-port', bus: undefined, addr: { slot: 2, fn: 0 }, properties: { port: '16', chassis: '1', multifunction: 'on' } });
    expect(byId(vm, 'pci.14')).toMatchObject({ addr: { slot: 3, fn: 5 }, properties: { port: '29', chassis: '14' } });
  });
  it('bus="0x04" is the controller with index 4: the disk sits behind root port pci.4', () => {
    expect(byId(vm, 'virtio-disk0')).toMatchObject({ driver: 'virtio-blk-pci', bus: 'pci.4', addr: { slot: 0, fn: 0 } });
  });
  it('<boot dev="hd"> gives the first disk bootindex 1; discard="unmap" is a backend option, not on the device', () => {
    expect(byId(vm, 'virtio-disk0').properties).toEqual({ drive: 'libvirt-1-format', bootindex: '1' });
  });
  it('virtio NIC with <driver queues="2">: mq=on, vectors=2N+2, netdev queues 2', () => {
    expect(byId(vm, 'net0')).toMatchObject({ driver: 'virtio-net-pci', bus: 'pci.1', netdevQueues: 2, properties: { mq: 'on', vectors: '6', netdev: 'hostnet0' } });
  });
  it('balloon, rng, virtio-serial; the built-in SATA at 00:1f.2 is not a -device', () => {
    expect(byId(vm, 'balloon0').driver).toBe('virtio-balloon-pci');
    expect(byId(vm, 'rng0').properties).toEqual({ rng: 'objrng0' });
    expect(byId(vm, 'virtio-serial0')).toMatchObject({ driver: 'virtio-serial-pci', bus: 'pci.3' });
    expect(vm.devices.some((d) => d.id === 'ide')).toBe(false);
  });
  it('devices not modelled still appear under their QEMU driver: qemu-xhci, virtio-vga', () => {
    expect(byId(vm, 'usb')).toMatchObject({ driver: 'qemu-xhci', bus: 'pci.2', properties: { p2: '15', p3: '15' } });
    expect(byId(vm, 'video0')).toMatchObject({ driver: 'virtio-vga', addr: { slot: 1, fn: 0 } });
  });
});

describe('i440fx VM with more options (pc.xml)', () => {
  const vm = load('pc.xml');
  it('<vcpu current="2">4</vcpu>: 2 vCPUs at start', () => expect(vm.smp).toBe(2));
  it('<disk model="virtio-transitional"> and <qemu:override> properties', () => {
    expect(byId(vm, 'ua-disk1')).toMatchObject({ driver: 'virtio-blk-pci-transitional', properties: { discard: 'off', 'num-queues': '3' } });
  });
  it('disk <driver queues cache="none">: num-queues and write-cache=on', () => {
    expect(byId(vm, 'virtio-disk0').properties).toMatchObject({ 'num-queues': '2', 'write-cache': 'on' });
  });
  it('virtio-scsi <driver queues="4"> → num_queues; ats, iommu and non-transitional NICs', () => {
    expect(byId(vm, 'scsi0')).toMatchObject({ driver: 'virtio-scsi-pci', properties: { num_queues: '4' } });
    expect(byId(vm, 'net0')).toMatchObject({ netdevQueues: 4, properties: { ats: 'on', mq: 'on', vectors: '10' } });
    expect(byId(vm, 'net1')).toMatchObject({ driver: 'virtio-net-pci-non-transitional', properties: { iommu_platform: 'on' } });
  });
  it('memballoon autodeflate, VGA, intel-hda, piix3-usb-uhci', () => {
    expect(byId(vm, 'balloon0').properties).toEqual({ 'deflate-on-oom': 'on' });
    expect(byId(vm, 'video0')).toMatchObject({ driver: 'VGA', properties: { vgamem_mb: '16' } });
    expect(byId(vm, 'sound0').driver).toBe('intel-hda');
    expect(byId(vm, 'usb')).toMatchObject({ driver: 'piix3-usb-uhci', addr: { slot: 1, fn: 2 } });
  });
  it('<qemu:commandline>: the -global and the QemuOpts -device', () => {
    expect(vm.globals).toContainEqual(['virtio-blk-device', 'write-zeroes', 'off']);
    expect(byId(vm, 'extra-rng')).toMatchObject({ addr: { slot: 0x1e, fn: 0 }, properties: { vectors: '3' } });
  });
});

describe('the migratable form (virsh dumpxml --migratable)', () => {
  it('has no aliases: ids are the ones libvirt assigns', () => {
    const vm = load('q35.migratable.xml');
    expect(vm.devices.map((d) => d.id)).toEqual(load('q35.xml').devices.map((d) => d.id));
  });
  it('drops i440fx\'s implicit pci-root and default USB controller: both come back', () => {
    const vm = load('pc.migratable.xml');
    expect(byId(vm, 'usb')).toMatchObject({ driver: 'piix3-usb-uhci', addr: { slot: 1, fn: 2 } });
    expect(byId(vm, 'virtio-disk0').bus).toBeUndefined();
  });
});

describe('refused, with the line', () => {
  const refused = (xml: string, qemu = '7.2') => {
    try { parseDomainXml(xml, 'vm.xml', { qemu }); } catch (e) { return (e as InputError).message; }
    return 'accepted';
  };
  const domain = (devices: string, extra = '') => `<domain type='kvm'>\n<name>x</name>\n<vcpu>1</vcpu>\n<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>\n${extra}<devices>\n${devices}\n</devices>\n</domain>\n`;
  it('<!DOCTYPE and <!ENTITY, before any parsing', () => {
    expect(refused(`<?xml version="1.0"?>\n<!DOCTYPE domain [\n<!ENTITY x "y">\n]>\n<domain/>`))
      .toBe('vm.xml: line 2: <!DOCTYPE> is refused: compat-check reads no DTDs and expands no entities (libvirt never writes them)');
  });
  it('an undefined entity', () => expect(refused(domain("<disk type='file' device='&foo;'/>"))).toMatch(/^vm\.xml: line 6: undefined entity "&foo;"$/));
  it('malformed XML', () => expect(refused('<domain>\n<devices>\n</domain>')).toMatch(/^vm\.xml: line 3: not well-formed XML: /));
  it('not a domain', () => expect(refused('<network/>')).toBe('vm.xml: line 1: not a libvirt domain: the root element is <network>, not <domain>'));
  it('no --qemu', () => expect(refused(domain(''), '')).toBe('vm.xml: a domain XML does not say which QEMU release runs it: pass --qemu VERSION'));
  it('a virtio device without <address>', () => {
    expect(refused(domain("<memballoon model='virtio'/>"))).toMatch(/^vm\.xml: line 6 <memballoon>: no <address type='pci'> for virtio-balloon-pci/);
  });
  it('a bus index with no controller', () => {
    expect(refused(domain("<rng model='virtio'><backend model='random'>/dev/urandom</backend>\n<address type='pci' domain='0x0000' bus='0x09' slot='0x00' function='0x0'/></rng>")))
      .toBe("vm.xml: line 7 <address>: bus='0x09': no <controller type='pci' index='9'>");
  });
  it('a bad <qemu:override> value', () => {
    const ns = "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>";
    const xml = domain("<rng model='virtio'><alias name='ua-r'/><address type='pci' domain='0' bus='0' slot='5' function='0'/></rng>")
      .replace("<domain type='kvm'>", ns)
      .replace('</domain>', "<qemu:override><qemu:device alias='ua-r'><qemu:frontend>\n<qemu:property name='vectors' type='unsigned' value='many'/>\n</qemu:frontend></qemu:device></qemu:override></domain>");
    expect(refused(xml)).toBe("vm.xml: line 9 <qemu:property name='vectors'>: type='unsigned' takes a whole number, not 'many'");
  });
});

describe('<interface type> gives the NIC its backend', () => {
  it("type='ethernet' is a tap (as libvirt starts it); the adapters agree (round-trip tests)", () => {
    expect(byId(load('q35.xml'), 'net0').backend).toEqual({ type: 'tap' });
  });
});
