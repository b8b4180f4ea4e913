// vmxnet3 read as the PCI spec: a PCI Express function by default, its MSI
// and MSI-X placement with and without x-old-msi-offsets, and the Device
// Serial Number made from the MAC.
import { describe, expect, it } from 'vitest';
import { build, hex } from './misc-build.js';

describe('vmxnet3 on 10.0, q35 root bus', () => {
  const b = build('vmxnet3', {}, '10.0', 'pc-q35-10.0');
  it('is 15ad:07b0 revision 01, class 0200, subsystem 15ad:07b0, interrupt pin A, 4096 bytes of config space', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('ad 15 b0 07');
    expect(hex(b.cs.config, 8, 4)).toBe('01 00 00 02');
    expect(hex(b.cs.config, 0x2c, 4)).toBe('ad 15 b0 07');
    expect(b.cs.config[0x3d]).toBe(1);
    expect(b.cs.size).toBe(4096);
  });
  it('BAR0 and BAR1 are 4 KiB (wmask 00 f0 ff ff), BAR2 the 8 KiB MSI-X region (wmask 00 e0 ff ff)', () => {
    expect(hex(b.cs.wmask, 0x10, 12)).toBe('00 f0 ff ff 00 f0 ff ff 00 e0 ff ff');
  });
  it('capabilities 0x34 → MSI-X 0x9c? no: the list is PCI Express 0x48 → MSI-X 0x9c → MSI 0x84 (added in reverse)', () => {
    expect(b.cs.config[0x34]).toBe(0x48);
    expect(hex(b.cs.config, 0x48, 4)).toBe('10 9c 92 00'); // version 2, Root Complex Integrated Endpoint
    expect(hex(b.cs.config, 0x9c, 12)).toBe('11 84 18 00 02 00 00 00 02 10 00 00'); // 25 entries; table BAR2+0, PBA BAR2+0x1000
    expect(hex(b.cs.config, 0x84, 4)).toBe('05 00 80 00'); // 64-bit, 1 vector
  });
  it('the option ROM is efi-vmxnet3.rom, 256 KiB, a RAM block …/vmxnet3.rom', () => {
    expect(hex(b.cs.wmask, 0x30, 4)).toBe('01 00 fc ff');
    expect(b.ramBlocks).toEqual([{ block: '0000:00:05.0/vmxnet3.rom', size: 262144 }]);
  });
});

describe('vmxnet3 variants', () => {
  it('on i440fx it is still PCI Express (4096 bytes) but has no PCI Express capability; the DSN sits at 0x100', () => {
    const b = build('vmxnet3', { mac: '52:54:00:aa:bb:cd' });
    expect(b.cs.size).toBe(4096);
    expect(b.cs.config[0x34]).toBe(0x9c);
    // vmxnet3_device_serial_num: fe, mac[3..5], mac[0..2], ff.
    expect(hex(b.cs.config, 0x100, 12)).toBe('03 00 01 00 fe aa bb cd 52 54 00 ff');
  });
  it('x-old-msi-offsets: MSI at 0x50, MSI-X in the first free space (0x40) with its PBA at 0x800', () => {
    const b = build('vmxnet3', { 'x-old-msi-offsets': 'on' });
    expect(b.cs.config[0x34]).toBe(0x40);
    expect(hex(b.cs.config, 0x40, 12)).toBe('11 50 18 00 02 00 00 00 02 08 00 00');
  });
  it('x-old-msi-offsets on a PCI Express bus: the PCI Express capability would overlap MSI-X, so there is none', () => {
    const b = build('vmxnet3', { 'x-old-msi-offsets': 'on' }, '10.0', 'pc-q35-10.0');
    expect(b.cs.capabilities.map((c) => c.name)).toEqual(['MSI', 'MSI-X', 'Device Serial Number']);
  });
  it('x-disable-pcie: a 256-byte conventional function without DSN', () => {
    const b = build('vmxnet3', { 'x-disable-pcie': 'on' }, '10.0', 'pc-q35-10.0');
    expect(b.cs.size).toBe(256);
    expect(b.cs.capabilities.map((c) => c.name)).toEqual(['MSI', 'MSI-X']);
  });
  it('pc-i440fx-2.5 (hw_compat_2_5) sets both; pc-i440fx-2.6 has an empty romfile (pc_compat_2_6): no ROM', () => {
    const old = build('vmxnet3', {}, '10.0', 'pc-i440fx-2.5');
    expect([old.cs.size, old.cs.config[0x34]]).toEqual([256, 0x40]);
    expect(build('vmxnet3', {}, '10.0', 'pc-i440fx-2.6').ramBlocks).toEqual([]);
  });
});
