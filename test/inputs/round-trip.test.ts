// The XML and the command line libvirt generated from it give the same description
// (same devices in the same order, properties, addresses, globals).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDomainXml } from '../../src/inputs/libvirt-xml.js';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { LIBVIRT, comparable } from './fixtures.js';

const xml = (f: string) => parseDomainXml(readFileSync(LIBVIRT(f), 'utf8'), f, { qemu: '7.2.22' });
const log = (f: string) => parseCommandLineText(readFileSync(LIBVIRT(f), 'utf8'), f);

describe('virsh dumpxml ⇄ the command line in VM.log', () => {
  it('q35 (virt-install defaults: 14 root ports, xhci, virtio disk/net/serial/balloon/rng, virtio-vga)', () => {
    expect(comparable(xml('q35.xml'))).toEqual(comparable(log('q35.log')));
    expect(log('q35.log').devices).toHaveLength(21);
  });
  it('i440fx with queues, transitional models, ats/iommu, <qemu:commandline> and <qemu:override>', () => {
    expect(comparable(xml('pc.xml'))).toEqual(comparable(log('pc.log')));
  });
});

describe('the migratable XML ⇄ the command line', () => {
  // The migratable form has no <source index>, so the -blockdev node name a disk links to is unknown;
  // everything that shapes config space is the same.
  const withoutDrive = (vm: ReturnType<typeof comparable>) => ({
    ...vm, devices: vm.devices.map((d) => ({ ...d, properties: Object.fromEntries(Object.entries(d.properties).filter(([k]) => k !== 'drive')) })),
  });
  it('q35', () => expect(withoutDrive(comparable(xml('q35.migratable.xml')))).toEqual(withoutDrive(comparable(log('q35.log')))));
  it('i440fx', () => expect(withoutDrive(comparable(xml('pc.migratable.xml')))).toEqual(withoutDrive(comparable(log('pc.log')))));
});
