// The CLI with every input form: sniffed by content, --to-qemu/--to-machine, --dst-global, and
// bad input for every adapter (one line naming the file and the line or element, exit 2).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { run, SEED, tempFile } from '../cli/run.js';
import { FIXTURES, LIBVIRT } from './fixtures.js';

function expectBadInput(r: ReturnType<typeof run>, line: RegExp) {
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(r.code).toBe(2);
}

describe('any form on either side', () => {
  it('domain XML → its own VM.log command line: the same VM, compatible but for what is not modelled', () => {
    const r = run(LIBVIRT('pc.xml'), LIBVIRT('pc.log'), '--qemu', '7.2.22', '--src-pci', LIBVIRT('pc.query-pci.json'), '--json');
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('unknown'); // ats=on on a virtio device is not modelled
    expect(report.devices.filter((d: { verdict: string }) => d.verdict === 'compatible').map((d: { id: string }) => d.id))
      .toEqual(['usb', 'scsi0', 'virtio-serial0', 'virtio-disk0', 'ua-disk1', 'net1', 'video0', 'sound0', 'balloon0', 'rng0', 'extra-rng',
        // Devices on other buses, with the same sections on both sides (check/attached.ts).
        'scsi0-0-0-0', 'serial0', 'channel0', 'input0', 'sound0-codec0']);
    expect(report.devices.find((d: { id: string }) => d.id === 'net0').reason).toBe('ats=on is not modelled yet');
  });
  it('JSON descriptions still work as before', () => {
    expect(run(join(SEED, 'src.json'), join(SEED, 'dst.json')).code).toBe(1);
  });
});

describe('--to-qemu: the same VM on another release', () => {
  const args = tempFile('vm.args', 'qemu-system-x86_64 -M pc -smp 2 -device virtio-rng-pci,id=r,addr=5\n');
  it('the "pc" alias re-resolves on the destination and the stream\'s machine type is refused', () => {
    const r = run(args, '--qemu', '7.2', '--to-qemu', '10.0', '--json');
    expect(JSON.parse(r.stdout).firstError).toBe("Machine type received is 'pc-i440fx-7.2' and local is 'pc-i440fx-10.0'");
  });
  it('--to-machine pins it', () => {
    const r = run(args, '--qemu', '7.2', '--to-qemu', '10.0', '--to-machine', 'pc-i440fx-7.2');
    expect(r.code).toBe(0);
  });
  it('DST and --to-qemu together, or neither, is bad input', () => {
    expectBadInput(run(args, args, '--qemu', '7.2', '--to-qemu', '10.0'), /^compat-check: command line: give DST or --to-qemu, not both$/);
    expectBadInput(run(args, '--qemu', '7.2'), /^compat-check: command line: no destination: give DST, or --to-qemu VERSION/);
  });
  it('a --dst-global that is not driver.property=value', () => {
    expectBadInput(run(args, '--qemu', '7.2', '--to-qemu', '10.0', '--dst-global', 'discard=off'), /^compat-check: command line: --dst-global: "discard=off" is not driver.property=value$/);
  });
});

describe('bad input, every adapter', () => {
  const dst = join(SEED, 'dst.json');
  const domain = (body: string) => `<domain type='kvm'>\n  <vcpu>1</vcpu>\n  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>\n  <devices>\n${body}\n  </devices>\n</domain>\n`;
  it('XML with a DOCTYPE', () => {
    const f = tempFile('vm.xml', '<!DOCTYPE domain [<!ENTITY lol "lol">]>\n<domain/>');
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.xml: line 1: <!DOCTYPE> is refused/);
  });
  it('XML: a device element with an impossible address', () => {
    const f = tempFile('vm.xml', domain("    <rng model='virtio'>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x20' function='0x0'/>\n    </rng>"));
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.xml: line 6 <address>: impossible PCI address: slot 0x20 function 0$/);
  });
  it('XML: a property value QEMU would refuse names the element', () => {
    const f = tempFile('vm.xml', domain("    <controller type='scsi' model='virtio-scsi'>\n      <driver queues='many'/>\n      <address type='pci' domain='0' bus='0' slot='5' function='0'/>\n    </controller>"));
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.xml: line 5 <controller>: "many" is not a number \(for num_queues\)$/);
  });
  it('XML: a machine type the release does not have', () => {
    const f = tempFile('vm.xml', domain('').replace('pc-i440fx-7.2', 'pc-i440fx-9.0'));
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.xml: machine: machine type "pc-i440fx-9\.0" does not exist in QEMU 7\.2$/);
  });
  it('command line: an unterminated quote', () => {
    const f = tempFile('vm.args', "qemu-system-x86_64 \\\n  -device 'virtio-rng-pci,id=r\n");
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.args: line 2: unterminated single quote$/);
  });
  it('command line: a bad property value names the line and the device', () => {
    const f = tempFile('vm.args', 'qemu-system-x86_64 \\\n  -device virtio-blk-pci,id=d,addr=5,discard=maybe\n');
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.args: line 2 \(-device id=d\)\.properties\.discard: "maybe" is not on\/off$/);
  });
  it('command line: a JSON -device that is not JSON', () => {
    const f = tempFile('vm.args', `qemu-system-x86_64 -device '{"driver": virtio}'\n`);
    expectBadInput(run(f, dst, '--qemu', '7.2'), /vm\.args: line 1 \(-device \{"driver": virtio\}\): JSON syntax: /);
  });
  it('libvirt log: the version is missing from the header', () => {
    const f = tempFile('vm.log', '2023-09-15 02:14:55.253+0000: starting up libvirt version: 9.0.0\n/usr/bin/qemu-system-x86_64 -M pc\n');
    expectBadInput(run(f, dst), /vm\.log: the libvirt log header does not name the QEMU version \("qemu version: …"\): pass --qemu VERSION$/);
  });
  it('query-pci: malformed JSON and a wrong shape', () => {
    expectBadInput(run(dst, dst, '--src-pci', tempFile('q.json', '{"return": [')), /q\.json: not valid JSON: /);
    expectBadInput(run(dst, dst, '--src-pci', tempFile('q.json', '{"return": [{"bus": 0, "devices": [{"bus": 0, "slot": "b", "function": 0}]}]}')),
      /q\.json: return\[0\]\.devices\[0\]\.slot: must be an integer$/);
  });
  it('info pci: an impossible function', () => {
    expectBadInput(run(dst, dst, '--src-pci', tempFile('info.txt', '  Bus  0, device  40, function 0:\n    id "x"\n')), /info\.txt: line 1 \(Bus 0, device 40, function 0\): impossible PCI address$/);
  });
  it('lspci: a line that is neither', () => {
    const f = tempFile('lspci.txt', '00:0b.0 SCSI storage controller: Red Hat, Inc. Virtio block device\n00: f4 1a\nhello\n');
    expectBadInput(run(dst, dst, '--src-pci', f), /lspci\.txt: line 3: neither a function line nor a hex dump line of lspci -xxx$/);
  });
  it('a PCI listing given as SRC', () => {
    expectBadInput(run(LIBVIRT('pc.query-pci.json'), dst), /pc\.query-pci\.json: this is QMP output \(query-pci\?\), not a VM description: pass it with --src-pci$/);
  });
  it('a file that is none of the forms', () => {
    expectBadInput(run(join(FIXTURES, 'libvirt/README.md'), dst, '--qemu', '7.2'), /README\.md: line \d+: not a QEMU command line/);
  });
});
