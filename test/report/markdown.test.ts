// The Markdown report for tickets: QEMU's lines verbatim, a device table
// that keeps its columns whatever the ids hold.
import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../src/report/markdown.js';
import { device, q35VectorsReport, seedReport, seedWithoutGuestValues } from './reports.js';

/** Cells of a GFM table row, split on unescaped pipes. */
const cells = (row: string) => row.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());

describe('toMarkdown on the seed 002 report', () => {
  const md = toMarkdown(seedReport());

  it('opens with the verdict', () => {
    expect(md.startsWith('## Migration check: INCOMPATIBLE\n\n**INCOMPATIBLE**: the destination QEMU will refuse this migration.\n')).toBe(true);
  });

  it('gives QEMU\'s lines verbatim in a code block', () => {
    expect(md).toContain([
      '```text',
      'get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0',
      'Failed to load PCIDevice:config',
      'Failed to load virtio-blk:virtio',
      "error while loading state for instance 0x0 of device '0000:00:0b.0/virtio-blk'",
      'load of migration failed: Invalid argument',
      '```',
    ].join('\n'));
  });

  it('has a table of devices: id, driver, section, verdict', () => {
    expect(md).toContain([
      '| id | driver | section | verdict |',
      '|---|---|---|---|',
      '| virtio-disk0 | virtio-blk-pci | `0000:00:09.0/virtio-blk` | compatible |',
      '| balloon0 | virtio-balloon-pci | `0000:00:0a.0/virtio-balloon` | compatible |',
      '| virtio-disk1 | virtio-blk-pci | `0000:00:0b.0/virtio-blk` | **INCOMPATIBLE** |',
    ].join('\n'));
  });

  it('explains virtio-disk1: QEMU\'s line and BAR0\'s mismatch (source 0x0000ffc1, destination 0x00000001)', () => {
    const section = md.slice(md.indexOf('### virtio-disk1 — INCOMPATIBLE'));
    expect(section).toContain('```text\nget_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0\n```');
    expect(section).toContain('| BAR0 | `0x10` | `0x0000ffc1` | `0x00000001` | BAR0 (I/O, 64 → 128 bytes) |');
    expect(md).not.toContain('### virtio-disk0');
  });

  it('lists the assumptions', () => {
    expect(md).toContain('### Assumptions\n\n- registers the description does not give are treated as unknown\n');
  });
});

describe('escaping', () => {
  it('a | in an id is escaped, so the device table keeps four columns', () => {
    const r = seedReport();
    device(r, 'virtio-disk1').id = 'disk|1';
    const row = toMarkdown(r).split('\n').find((l) => l.startsWith('| disk'))!;
    expect(row).toBe('| disk\\|1 | virtio-blk-pci | `0000:00:0b.0/virtio-blk` | **INCOMPATIBLE** |');
    expect(cells(row)).toHaveLength(4);
  });

  it('an id like <img src=x onerror=alert(1)> stays text; *emphasis* and [links](x) do not form', () => {
    const r = seedReport();
    device(r, 'virtio-disk1').id = '<img src=x onerror=alert(1)>';
    device(r, 'virtio-disk0').id = '*bold* [link](http://x)';
    const md = toMarkdown(r);
    expect(md).not.toContain('<img');
    expect(md).toContain('| &lt;img src=x onerror=alert(1)&gt; |');
    expect(md).toContain('| \\*bold\\* \\[link\\](http://x) |');
  });

  it('QEMU lines holding backticks get a longer fence', () => {
    const r = seedReport();
    r.qemuOutput = ['a ``` b'];
    expect(toMarkdown(r)).toContain('````text\na ``` b\n````');
  });
});

describe('other verdicts', () => {
  it('at risk: the conditions under "Fails if:"', () => {
    const md = toMarkdown(seedWithoutGuestValues());
    expect(md).toContain('### virtio-disk1 — AT RISK');
    expect(md).toContain('Fails if:\n\n- the guest placed BAR0 (I/O, 64 → 128 bytes) at an address with bit 0x40 set, i.e. not aligned to 0x80 (I/O)');
  });

  it('q35: the disk behind the root port fails on MSI-X Message Control, table size 2 → 3', () => {
    const md = toMarkdown(q35VectorsReport());
    expect(md).toContain('| disk | virtio-blk-pci | `0000:00:02.0:00.0/virtio-blk` | **INCOMPATIBLE** |');
    expect(md).toContain('| MSI-X Message Control | `0xde` | `0x0001` | `0x0002` | MSI-X Message Control: table size 2 → 3 |');
  });
});
