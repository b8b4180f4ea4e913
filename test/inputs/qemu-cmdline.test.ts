// QEMU command lines: ps / libvirt VM.log forms, QemuOpts and JSON -device, -global, -machine, -smp, -netdev, -set.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { splitWords } from '../../src/inputs/shell-words.js';
import { InputError } from '../../src/inputs/errors.js';
import { LIBVIRT, byId } from './fixtures.js';

const parse = (text: string) => parseCommandLineText(text, 'vm.args', { qemu: '7.2' });

describe('splitting the line as a shell would', () => {
  it('quotes, escapes and backslash-newline continuations, each word with its line', () => {
    const w = splitWords(`a 'b c' "d \\"e\\"" f\\ g \\\n  -h\n# a comment line\n'{"x": 1}'`);
    expect(w.map((x) => x.text)).toEqual(['a', 'b c', 'd "e"', 'f g', '-h', '{"x": 1}']);
    expect(w.map((x) => x.place)).toEqual(['line 1', 'line 1', 'line 1', 'line 1', 'line 2', 'line 4']);
  });
  it('/proc/PID/cmdline: NUL-separated, no quoting', () => {
    const w = splitWords('qemu-system-x86_64\0-device\0virtio-rng-pci,id=r\0');
    expect(w.map((x) => [x.text, x.place])).toEqual([['qemu-system-x86_64', 'argument 1'], ['-device', 'argument 2'], ['virtio-rng-pci,id=r', 'argument 3']]);
  });
});

describe('a libvirt VM.log (real, libvirt 9.0 + QEMU 7.2.22)', () => {
  const vm = parseCommandLineText(readFileSync(LIBVIRT('pc.log'), 'utf8'), 'pc.log');
  it('takes the QEMU version from the header and the last start of the log', () => {
    expect(vm.qemu).toBe('7.2.22');
    // The first start in this log failed with iommu_platform on virtio-disk0; the second has it on net1.
    expect(byId(vm, 'virtio-disk0').properties.iommu_platform).toBeUndefined();
    expect(byId(vm, 'net1').properties.iommu_platform).toBe('on');
  });
  it('machine, vCPUs at start (-smp 2,maxcpus=4) and -global, environment prefix skipped', () => {
    expect([vm.name, vm.machine, vm.smp]).toEqual(['cc-pc', 'pc-i440fx-7.2', 2]);
    expect(vm.globals).toContainEqual(['virtio-blk-device', 'write-zeroes', 'off']);
    expect(vm.globals[0]).toEqual(['kvm-pit', 'lost_tick_policy', 'delay']);
  });
  it('JSON -device: booleans → on/off, numbers → decimal, addr "0x1.0x2"; the NIC\'s queues from the tap fds', () => {
    expect(byId(vm, 'net0')).toMatchObject({ driver: 'virtio-net-pci', addr: { slot: 3, fn: 0 }, netdevQueues: 4, properties: { mq: 'on', vectors: '10', ats: 'on' } });
    expect(byId(vm, 'usb')).toMatchObject({ driver: 'piix3-usb-uhci', bus: undefined, addr: { slot: 1, fn: 2 } });
    expect(byId(vm, 'virtio-disk0').properties).toEqual({ 'num-queues': '2', drive: 'libvirt-3-format', bootindex: '1', 'write-cache': 'on' });
  });
  it('keeps only PCI functions: no scsi-hd, isa-serial, virtserialport, usb-tablet, hda-duplex', () => {
    expect(vm.devices.map((d) => d.id)).toEqual(['usb', 'scsi0', 'virtio-serial0', 'virtio-disk0', 'ua-disk1', 'net0', 'net1', 'video0', 'sound0', 'balloon0', 'rng0', 'extra-rng']);
  });
  it('a QemuOpts -device from <qemu:commandline>', () => {
    expect(byId(vm, 'extra-rng')).toMatchObject({ driver: 'virtio-rng-pci', addr: { slot: 0x1e, fn: 0 }, properties: { vectors: '3' } });
  });
});

describe('QemuOpts and options', () => {
  it('",," escapes a comma; driver= may be spelled out; -M and -machine type=', () => {
    const vm = parse('qemu-system-x86_64 -M q35 -device driver=virtio-blk-pci,id=d,addr=0x5,serial=a,,b');
    expect(vm.machine).toBe('q35');
    expect(byId(vm, 'd').properties).toEqual({ serial: 'a,b' });
    expect(parse('qemu-system-x86_64 -machine type=pc-i440fx-7.2,accel=kvm').machine).toBe('pc-i440fx-7.2');
    expect(parse('qemu-system-x86_64').machine).toBe('pc');
  });
  it('-smp N, cpus=N, and the topology product when cpus is left out', () => {
    expect(parse('qemu-system-x86_64 -smp 4').smp).toBe(4);
    expect(parse('qemu-system-x86_64 -smp cpus=3,maxcpus=8').smp).toBe(3);
    expect(parse('qemu-system-x86_64 -smp sockets=2,cores=2,threads=2').smp).toBe(8);
  });
  it('-global in both spellings', () => {
    const vm = parse('qemu-system-x86_64 -global virtio-blk-device.discard=off -global driver=virtio-pci,property=disable-legacy,value=on');
    expect(vm.globals).toEqual([['virtio-blk-device', 'discard', 'off'], ['virtio-pci', 'disable-legacy', 'on']]);
  });
  it('-netdev queues=N reaches the NIC named by netdev=', () => {
    const vm = parse('qemu-system-x86_64 -netdev tap,id=n0,queues=8,vhost=on -device virtio-net-pci,netdev=n0,id=nic,addr=3');
    expect(byId(vm, 'nic').netdevQueues).toBe(8);
  });
  it('-set device.ID.PROP=V edits a QemuOpts -device', () => {
    const vm = parse('qemu-system-x86_64 -device virtio-rng-pci,id=r,addr=5 -set device.r.vectors=3');
    expect(byId(vm, 'r').properties.vectors).toBe('3');
  });
  it('a ps line: the columns before the binary are left out; a device without id gets a stand-in', () => {
    const vm = parse('libvirt+  4242     1  9 10:00 ?  00:01:02 /usr/bin/qemu-system-x86_64 -S -nodefaults -device virtio-rng-pci,addr=0x7');
    expect(vm.devices).toMatchObject([{ id: '-device#1', driver: 'virtio-rng-pci', addr: { slot: 7, fn: 0 } }]);
  });
  it('a behind-a-port device names its port as bus', () => {
    const vm = parse('qemu-system-x86_64 -M q35 -device pcie-root-port,id=rp1,chassis=1,addr=2 -device virtio-blk-pci,bus=rp1,id=d');
    expect(byId(vm, 'd')).toMatchObject({ bus: 'rp1', addr: undefined });
  });
});

describe('what is refused, in QEMU\'s terms', () => {
  const refused = (text: string, qemu: string | undefined = '7.2') => {
    try { parseCommandLineText(text, 'vm.args', { qemu }); } catch (e) { return (e as InputError).message; }
    return 'accepted';
  };
  it('no version', () => expect(refused('qemu-system-x86_64 -M pc', '')).toBe('vm.args: a command line does not say which QEMU release runs it: pass --qemu VERSION'));
  it('-set on a JSON -device, as QEMU does', () => {
    expect(refused(`qemu-system-x86_64 -device '{"driver":"virtio-rng-pci","id":"r","addr":"0x5"}' -set device.r.vectors=3`))
      .toMatch(/^vm\.args: line 1 \(-set device\.r\.vectors=3\): there is no device "r" defined/);
  });
  it('a NIC whose -netdev is missing', () => expect(refused('qemu-system-x86_64 -device virtio-net-pci,netdev=x,id=n,addr=3')).toBe('vm.args: line 1 (-device id=n).netdev: no -netdev with id "x"'));
  it('-drive if=virtio', () => expect(refused('qemu-system-x86_64 -drive file=a.img,if=virtio')).toMatch(/creates a virtio-blk-pci at an address QEMU picks/));
  it('not a command line', () => expect(refused('hello world')).toBe('vm.args: line 1: not a QEMU command line: no qemu-system-x86_64 (or qemu-kvm) binary in it'));
});

describe('-netdev types give a NIC its backend (virtio-net offloads follow it)', () => {
  it('tap (also with fds, as libvirt passes it), user, vhost-user; vnet_hdr=off said; an unknown type says nothing', () => {
    const vm = parse([
      'qemu-system-x86_64 -machine pc-q35-7.2',
      "-netdev '{\"type\":\"tap\",\"fds\":\"31:33\",\"id\":\"n0\"}' -device virtio-net-pci,netdev=n0,id=a,addr=0x3",
      '-netdev tap,id=n1,vnet_hdr=off -device virtio-net-pci,netdev=n1,id=b,addr=0x4',
      '-netdev user,id=n2 -device virtio-net-pci,netdev=n2,id=c,addr=0x5',
      '-netdev vhost-user,id=n3,chardev=c0 -device virtio-net-pci,netdev=n3,id=d,addr=0x6',
      '-netdev l2tpv3,id=n4 -device virtio-net-pci,netdev=n4,id=e,addr=0x7',
    ].join(' '));
    expect(vm.devices.map((d) => d.backend)).toEqual([
      { type: 'tap' }, { type: 'tap', vnetHdr: false }, { type: 'user' }, { type: 'vhost-user' }, undefined,
    ]);
  });
  it("libvirt's own log and its domain XML agree: <interface type='ethernet'> is a tap", () => {
    const vm = parseCommandLineText(readFileSync(LIBVIRT('q35.log'), 'utf8'), 'q35.log');
    expect(byId(vm, 'net0').backend).toEqual({ type: 'tap' });
  });
});
