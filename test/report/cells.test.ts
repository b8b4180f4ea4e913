// Per byte, what the pictures show: the category by the destination's
// masks, whether it fails get_pci_config_device, and the layout bands.
import { describe, expect, it } from 'vitest';
import { bandSegments, deviceGrid, devicesToDraw } from '../../src/report/cells.js';
import { device, q35VectorsReport, q35WithExtendedSpace, seedReport, seedWithoutGuestValues } from './reports.js';

describe('the seed 002 report (virtio-disk1 hotplugged at BAR0 0xffc0)', () => {
  const r = seedReport();
  const g = deviceGrid(device(r, 'virtio-disk1'))!;

  it('only virtio-disk1 is drawn: the compatible disk and balloon are not', () => {
    expect(devicesToDraw(r).map((d) => d.id)).toEqual(['virtio-disk1']);
    expect(deviceGrid(device(r, 'virtio-disk0'))?.failing).toEqual([]);
  });

  it('byte 0x10 of virtio-disk1 is QEMU\'s first failing byte, with src c1 / dst 01, checked read-only (cmask ff wmask 80)', () => {
    expect(g.first).toBe(0x10);
    expect(g.failing).toEqual([0x10]);
    expect(g.cells[0x10]).toMatchObject({ src: 0xc1, dst: 0x01, cmask: 0xff, wmask: 0x80, w1cmask: 0, checked: 0x7f, category: 'checked', mark: 'first', field: 'BAR0' });
  });

  it('the rest of BAR0 differs only in writable bits: 0x11 src ff / dst 00 is "differs", not failing', () => {
    expect(g.cells[0x11]).toMatchObject({ src: 0xff, dst: 0x00, category: 'writable', mark: 'differs' });
  });

  it('categories follow the destination\'s masks: vendor ID checked, Status high byte write-1-to-clear, Interrupt Line writable, Subsystem ID unchecked', () => {
    expect(g.cells[0x00]).toMatchObject({ category: 'checked', field: 'Vendor ID', mark: 'same' });
    expect(g.cells[0x07]).toMatchObject({ category: 'w1c', field: 'Status' });
    expect(g.cells[0x3c]).toMatchObject({ category: 'writable', field: 'Interrupt Line' });
    expect(g.cells[0x2e]).toMatchObject({ category: 'unchecked', field: 'Subsystem ID' });
  });

  it('the guest-programmed Command register differs (07 05 → 00 00) but is writable, so it is not a failure', () => {
    expect([g.cells[0x04].mark, g.cells[0x04].src, g.cells[0x04].dst]).toEqual(['differs', 0x07, 0x00]);
  });

  it('bands name the BARs per side and the capability chain: "BAR0 I/O 64 B" on the source, "BAR0 I/O 128 B" on the destination, "MSI-X @0x98"', () => {
    expect(g.sourceBands.find((b) => b.start === 0x10)?.label).toBe('BAR0 I/O 64 B');
    expect(g.destinationBands.map((b) => b.label)).toEqual([
      'BAR0 I/O 128 B', 'BAR1 mem32 4 KiB', 'BAR4 mem64 pref 16 KiB',
      'virtio common-cfg @0x40', 'virtio ISR @0x50', 'virtio device-cfg @0x60', 'virtio notify @0x70', 'virtio pci-cfg @0x84', 'MSI-X @0x98',
    ]);
  });

  it('row 0x80 splits into the end of "virtio notify" (4 bytes) and the start of "virtio pci-cfg @0x84"', () => {
    const segs = bandSegments(g.destinationBands, 0x80);
    expect(segs.map((s) => [s.column, s.length, s.band?.label, s.starts])).toEqual([
      [0, 4, 'virtio notify @0x70', false],
      [4, 12, 'virtio pci-cfg @0x84', true],
    ]);
  });

  it('a 256-byte space is drawn whole: 16 rows, no gap', () => {
    expect(g.lines.map((l) => (l.kind === 'row' ? l.offset : -1))).toEqual(Array.from({ length: 16 }, (_, k) => k * 16));
  });
});

describe('the seed without guest values for virtio-disk1', () => {
  it('byte 0x10 is at risk (src 01 / dst 01 as assumed), and nothing fails', () => {
    const g = deviceGrid(device(seedWithoutGuestValues(), 'virtio-disk1'))!;
    expect(g.first).toBeUndefined();
    expect(g.failing).toEqual([]);
    expect(g.atRisk).toEqual([0x10]);
    expect(g.cells[0x10]).toMatchObject({ src: 0x01, dst: 0x01, mark: 'at-risk' });
  });
});

describe('q35: virtio-blk-pci behind a pcie-root-port, vectors 2 → 3', () => {
  it('the disk has 4096 bytes; byte 0xde (MSI-X Message Control) fails with src 01 / dst 02', () => {
    const g = deviceGrid(device(q35VectorsReport(), 'disk'))!;
    expect([g.size, g.sourceSize, g.destinationSize]).toEqual([4096, 4096, 4096]);
    expect(g.first).toBe(0xde);
    expect(g.cells[0xde]).toMatchObject({ src: 0x01, dst: 0x02, field: 'MSI-X Message Control', mark: 'first' });
  });

  it('draws the first 256 bytes and folds 0x100–0xfff, which hold neither capability nor failure, into one gap', () => {
    const g = deviceGrid(device(q35VectorsReport(), 'disk'))!;
    expect(g.lines.filter((l) => l.kind === 'row')).toHaveLength(16);
    expect(g.lines.at(-1)).toEqual({ kind: 'gap', from: 0x100, to: 0xfff, rows: 240 });
  });

  it('extended rows holding a capability or a failing byte are drawn, the rest folded', () => {
    const g = deviceGrid(device(q35WithExtendedSpace(), 'disk'))!;
    expect(g.failing).toEqual([0xde, 0x804]);
    expect(g.destinationBands.at(-1)?.label).toBe('Advanced Error Reporting @0x100');
    const drawn = g.lines.map((l) => (l.kind === 'row' ? l.offset.toString(16) : `gap ${l.from.toString(16)}-${l.to.toString(16)}`));
    expect(drawn.slice(16)).toEqual(['100', '110', '120', '130', '140', 'gap 150-7ff', '800', 'gap 810-fff']);
  });
});
