// A Proxmox VE style command line (test/fixtures/proxmox/README.md): read like libvirt's,
// and its "+pveN" machine type is a downstream build: unknown, never compatible.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { checkMigration } from '../../src/check/migration.js';
import { retarget } from '../../src/check/retarget.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/proxmox/${name}`, import.meta.url)), 'utf8');

describe('a Proxmox VE command line', () => {
  const vm = parseCommandLineText(fixture('vm100.cmdline'), 'vm100.cmdline', { qemu: '7.2' });

  it('gives every PCI device with its bus, address and properties; non-PCI devices stay out', () => {
    expect(vm.smp).toBe(4);
    expect(vm.devices.map((d) => [d.id, d.driver, d.bus ?? 'pci.0', d.addr])).toEqual([
      ['pci.1', 'pci-bridge', 'pci.0', { slot: 0x1e, fn: 0 }],
      ['pci.2', 'pci-bridge', 'pci.0', { slot: 0x1f, fn: 0 }],
      ['vga', 'VGA', 'pci.0', { slot: 2, fn: 0 }],
      ['balloon0', 'virtio-balloon-pci', 'pci.0', { slot: 3, fn: 0 }],
      ['scsihw0', 'virtio-scsi-pci', 'pci.0', { slot: 5, fn: 0 }],
      ['virtio1', 'virtio-blk-pci', 'pci.0', { slot: 0xb, fn: 0 }],
      ['net0', 'virtio-net-pci', 'pci.0', { slot: 0x12, fn: 0 }],
    ]);
    const net = vm.devices.find((d) => d.id === 'net0')!;
    expect(net.netdevQueues).toBe(4);
    expect(net.properties).toMatchObject({ mq: 'on', vectors: '10', packed: 'on', rx_queue_size: '1024' });
  });

  it('its pc-i440fx-7.2+pve0 machine type is unknown, not compatible', () => {
    const r = checkMigration(vm, retarget(vm, { qemu: '10.0' }));
    expect(r.verdict).toBe('unknown');
    expect(r.devices[0].verdict).toEqual({ kind: 'unknown', reason: 'machine type "pc-i440fx-7.2+pve0" is Proxmox\'s downstream version: not modelled (upstream pc-i440fx-7.2 is)' });
  });

  it('with the upstream machine type the 7.2 → 10.0 upgrade is predicted device by device', () => {
    const up = parseCommandLineText(fixture('vm100-upstream.cmdline'), 'vm100-upstream.cmdline', { qemu: '7.2' });
    const r = checkMigration(up, retarget(up, { qemu: '10.0' }));
    // 7 PCI functions and the scsi-hd on scsihw0 (section 0000:00:05.0/0:0:0/scsi-disk on both sides).
    expect(r.devices.map((d) => d.verdict.kind)).toEqual(Array(8).fill('compatible'));
    expect(r.devices.find((d) => d.id === 'scsi0')?.section).toBe('0000:00:05.0/0:0:0/scsi-disk');
  });
});
