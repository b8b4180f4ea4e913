// --src-host-kernel / --dst-host-kernel: the hosts' Linux decides which tap offloads virtio-net offers
// (USO from 6.2); a guest that negotiated USO on a 6.8 host cannot land on a 6.1 host.
import { describe, expect, it } from 'vitest';
import { run, tempFile } from './run.js';

const vm = tempFile('net.json', {
  qemu: '10.0', machine: 'pc-q35-10.0',
  devices: [{ id: 'net0', driver: 'virtio-net-pci', addr: '0x3', properties: { netdev: 'n0' }, backend: { type: 'tap' } }],
});

describe('host kernels on the gate', () => {
  it('6.8 → 6.12: compatible (exit 0); 6.8 → 6.1: at-risk on the USO bits (exit 1)', () => {
    expect(run(vm, vm, '--src-host-kernel', '6.8', '--dst-host-kernel', '6.12').code).toBe(0);
    const r = run(vm, vm, '--src-host-kernel', '6.8', '--dst-host-kernel', '6.1', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).devices[0].conditions[0]).toContain('VIRTIO_NET_F_HOST_USO: the source (QEMU 10.0) offers them, the destination (QEMU 10.0) does not');
  });
  it('a kernel that is not a Linux release is bad input, naming the option', () => {
    const r = run(vm, '--to-qemu', '11.1', '--dst-host-kernel', 'latest');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('compat-check: command line: --dst-host-kernel: "latest" is not a Linux release (e.g. 6.1)\n');
  });
});
