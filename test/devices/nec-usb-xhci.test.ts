// nec-usb-xhci: qemu-xhci's controller with NEC's IDs and MSI on by default;
// intrs and slots never reach the xHCI core (nec_xhci_instance_init copies
// them before any property is set).
import { describe, expect, it } from 'vitest';
import { build, hex } from './misc-build.js';

describe('nec-usb-xhci on 7.2, i440fx', () => {
  const b = build('nec-usb-xhci', {}, '7.2');
  it('is 1033:0194 revision 03, class 0c03 prog-if 30, SBRN 0x30 at 0x60, 4096 bytes of config space', () => {
    expect(hex(b.cs.config, 0, 4)).toBe('33 10 94 01');
    expect(hex(b.cs.config, 8, 4)).toBe('03 30 03 0c');
    expect(b.cs.config[0x60]).toBe(0x30);
    expect(b.cs.size).toBe(4096);
  });
  it('has MSI at 0x70 with 16 vectors (msi=auto) and MSI-X at 0x90 with 16 entries; no PCI Express capability off PCIe', () => {
    expect(hex(b.cs.config, 0x70, 4)).toBe('05 00 88 00');
    expect(hex(b.cs.config, 0x90, 4)).toBe('11 70 0f 00');
    expect(b.cs.config[0x34]).toBe(0x90);
  });
  it('intrs=8 and slots=32 change nothing: still 16 MSI vectors, 64 slots and 16 interrupters in the stream', () => {
    const n = build('nec-usb-xhci', { intrs: '8', slots: '32' }, '7.2');
    expect(hex(n.cs.config, 0x70, 4)).toBe('05 00 88 00');
    expect(n.streamShape).toEqual({ ports: 8, slots: 64, interrupters: 16 });
  });
  it('force-pcie-endcap=on adds no PCI Express capability (nec->flags is copied at instance_init)', () => {
    expect(build('nec-usb-xhci', { 'force-pcie-endcap': 'on' }, '7.2').cs.capabilities.map((c) => c.name)).toEqual(['MSI', 'MSI-X']);
  });
  it('msi=off leaves MSI-X alone; qemu-xhci, by contrast, has MSI off by default', () => {
    expect(build('nec-usb-xhci', { msi: 'off' }, '7.2').cs.capabilities.map((c) => c.name)).toEqual(['MSI-X']);
    expect(build('qemu-xhci', {}, '7.2').cs.capabilities.map((c) => c.name)).toEqual(['MSI-X']);
  });
});
