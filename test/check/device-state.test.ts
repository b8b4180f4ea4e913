// What a migration carries besides config space — RAM blocks (option ROMs,
// video RAM) and the shape of a device's state — and how the prediction
// words it (real-QEMU agreement is in test/real-qemu/device-migration.test.ts).
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { checkMigration } from '../../src/check/migration.js';

const vm = (devices: Record<string, unknown>[], machine = 'pc-i440fx-7.2') =>
  parseVmJson({ qemu: '7.2', machine, devices }, 'test.json');
const vga = (props: Record<string, string> = {}, addr = '0x2') => ({ id: 'video0', driver: 'VGA', addr, properties: props });

describe('RAM blocks', () => {
  it('VGA vgamem_mb 16 → 8: the video RAM block cannot be resized', () => {
    const r = checkMigration(vm([vga()]), vm([vga({ vgamem_mb: '8' })]));
    expect(r.firstError).toBe('Size mismatch: 0000:00:02.0/vga.vram: 0x1000000 != 0x800000: Invalid argument');
  });

  it('vgamem_mb 9 is rounded up to 16 MiB: nothing differs', () => {
    expect(checkMigration(vm([vga()]), vm([vga({ vgamem_mb: '9' })])).verdict).toBe('compatible');
  });

  it('the stream lists blocks largest first: the video RAM fails before a ROM of another device', () => {
    const net = (romsize?: string) => ({ id: 'net0', driver: 'virtio-net-pci', addr: '0x3', properties: romsize ? { romsize } : {} });
    const r = checkMigration(vm([net(), vga()]), vm([net('0x80000'), vga({ vgamem_mb: '32' })]));
    expect(r.firstError).toBe('Size mismatch: 0000:00:02.0/vga.vram: 0x1000000 != 0x2000000: Invalid argument');
  });

  it('global-vmstate=on names the video RAM block without the device path', () => {
    const r = checkMigration(vm([vga()]), vm([vga({ 'global-vmstate': 'on' })]));
    expect(r.firstError).toBe('Unknown ramblock "0000:00:02.0/vga.vram", cannot accept migration');
  });

  it('virtio-vga names its ROM block after its own vmsd', () => {
    const vvga = (props: Record<string, string>) => ({ id: 'video0', driver: 'virtio-vga', addr: '0x1', properties: props });
    const r = checkMigration(vm([vvga({})], 'pc-q35-7.2'), vm([vvga({ romfile: '' })], 'pc-q35-7.2'));
    expect(r.firstError).toBe('Unknown ramblock "0000:00:01.0/virtio-vga.rom", cannot accept migration');
  });
});

describe('the shape of the state after config space', () => {
  const xhci = (props: Record<string, string>) => ({ id: 'usb', driver: 'qemu-xhci', addr: '0x4', properties: props });

  it('qemu-xhci with another port count: the section loses its footer', () => {
    const r = checkMigration(vm([xhci({})]), vm([xhci({ p2: '15', p3: '15' })]));
    expect(r.firstError).toBe('Missing section footer for 0000:00:04.0/xhci');
    expect(r.qemuOutput).toEqual(['Missing section footer for 0000:00:04.0/xhci', 'load of migration failed: Invalid argument']);
    const d = r.devices[0].verdict;
    expect(d.kind === 'incompatible' && d.mismatches.map((m) => m.description)).toEqual([
      "ports: 8 → 30 (sizes the device's migrated state after config space)",
    ]);
  });

  it('the same total in another split loads (usb_xhci_init counts p2 + p3)', () => {
    expect(checkMigration(vm([xhci({})]), vm([xhci({ p2: '3', p3: '5' })])).verdict).not.toBe('incompatible');
  });

  it('a machine type without section footers (pc ≤ 2.3) leaves the outcome unknown', () => {
    const r = checkMigration(vm([xhci({})], 'pc-i440fx-2.3'), vm([xhci({ p2: '15' })], 'pc-i440fx-2.3'));
    expect(r.devices[0].verdict.kind).toBe('unknown');
  });
});

describe('modern-only virtio devices', () => {
  it('virtio-keyboard-pci ignores disable-legacy=off (virtio_pci_force_virtio_1): the same bytes', () => {
    const kbd = (props: Record<string, string>) => ({ id: 'kbd', driver: 'virtio-keyboard-pci', addr: '0x5', properties: props });
    expect(checkMigration(vm([kbd({})]), vm([kbd({ 'disable-legacy': 'off' })])).verdict).not.toBe('incompatible');
  });

  it('wheel-axis exists on virtio-mouse-pci, not on virtio-keyboard-pci', () => {
    const r = checkMigration(vm([{ id: 'k', driver: 'virtio-keyboard-pci', addr: '0x5', properties: { 'wheel-axis': 'off' } }]),
      vm([{ id: 'k', driver: 'virtio-keyboard-pci', addr: '0x5', properties: {} }]));
    expect(r.devices[0].verdict).toMatchObject({ kind: 'unknown' });
    const m = checkMigration(vm([{ id: 'm', driver: 'virtio-mouse-pci', addr: '0x5', properties: { 'wheel-axis': 'off' } }]),
      vm([{ id: 'm', driver: 'virtio-mouse-pci', addr: '0x5', properties: {} }]));
    expect(m.devices[0].verdict.kind).not.toBe('unknown');
  });
});
