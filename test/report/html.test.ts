// The HTML report: one self-contained page, each failing byte drawn where
// it is, every piece of text escaped.
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/report/html.js';
import { checkMigration } from '../../src/check/migration.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { device, q35VectorsReport, q35WithExtendedSpace, seedColdBootReport, seedReport, seedWithoutGuestValues } from './reports.js';

interface Cell { cls: string; title: string; text: string }

/** The byte cells of one grid (side "src" or "dst") of the n-th drawn device, by offset. */
function grid(html: string, side: 'src' | 'dst', n = 0): Map<number, Cell> {
  const tables = html.split(`<table class="hex" data-side="${side}">`).slice(1).map((t) => t.slice(0, t.indexOf('</table>')));
  const out = new Map<number, Cell>();
  for (const row of tables[n].matchAll(/<tr class="bytes"><th(?: class="\w+")?>0x([0-9a-f]+)<\/th>(.*?)<\/tr>/g)) {
    const base = parseInt(row[1], 16);
    [...row[2].matchAll(/<td class="([^"]*)" title="([^"]*)">([^<]*)<\/td>/g)].forEach((m, k) => {
      out.set(base + k, { cls: m[1], title: m[2], text: m[3] });
    });
  }
  return out;
}

describe('toHtml on the seed 002 report', () => {
  const html = toHtml(seedReport());

  it('is one self-contained page: inline CSS, no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href="(?!#)/i);
  });

  it('says INCOMPATIBLE and prints QEMU\'s lines', () => {
    expect(html).toContain('<div class="verdict">INCOMPATIBLE</div>');
    expect(html).toContain('get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0');
    expect(html).toContain('error while loading state for instance 0x0 of device &#39;0000:00:0b.0/virtio-blk&#39;');
  });

  it('byte 0x10 of virtio-disk1 is marked as the first failing byte with src c1 / dst 01', () => {
    const src = grid(html, 'src').get(0x10)!;
    const dst = grid(html, 'dst').get(0x10)!;
    expect([src.text, dst.text]).toEqual(['c1', '01']);
    expect(src.cls).toBe('k-checked m-first');
    expect(dst.cls).toBe('k-checked m-first');
  });

  it('the byte\'s tooltip gives offset, field, both values, the three masks and why it fails', () => {
    const t = grid(html, 'dst').get(0x10)!.title.split('&#10;');
    expect(t).toEqual([
      '0x10 · BAR0',
      'source c1 · destination 01',
      'cmask ff · wmask 80 · w1cmask 00 → compared bits 7f',
      'checked, read-only',
      'FAILS: bits 40 differ and are compared — QEMU stops here (i=0x10)',
    ]);
  });

  it('the row label 0x10 is marked as a row holding a failing byte', () => {
    expect(html.match(/<th class="fail">0x10<\/th>/g)).toHaveLength(2);
    expect(html.match(/<th class="fail">/g)).toHaveLength(2);
  });

  it('no other byte is marked failing; the guest\'s writable values are marked "differs"', () => {
    const marked = [...grid(html, 'src')].filter(([, c]) => /m-(first|failing)/.test(c.cls)).map(([o]) => o);
    expect(marked).toEqual([0x10]);
    expect(grid(html, 'src').get(0x04)).toMatchObject({ cls: 'k-writable m-differs', text: '07' });
  });

  it('draws the layout over the grid: BARs per side and the capability chain with names at their starts', () => {
    expect(html).toContain('title="BAR0 I/O 64 B">BAR0 I/O 64 B</td>');
    expect(html).toContain('title="BAR0 I/O 128 B">BAR0 I/O 128 B</td>');
    for (const label of ['virtio common-cfg @0x40', 'virtio ISR @0x50', 'virtio pci-cfg @0x84', 'MSI-X @0x98']) {
      expect(html.split(`>${label}</td>`)).toHaveLength(3); // once per side
    }
  });

  it('draws only the failing device; the compatible ones are rows of the device table', () => {
    expect(html.match(/<table class="hex"/g)).toHaveLength(2);
    expect(html.match(/<article class="device"/g)).toHaveLength(1);
    expect(html).toContain('<td class="nw"><code>virtio-disk0</code></td>');
    expect(html).toContain('<a href="#device-2"><code>virtio-disk1</code></a>');
  });

  it('has a legend naming every colour', () => {
    for (const w of ['checked, read-only', 'writable', 'write-1-to-clear', 'not checked', 'first failing byte', 'failing', 'at risk', 'differs, not compared', 'capability', 'BAR']) {
      expect(html).toContain(`</span>${w}</span>`);
    }
  });
});

describe('escaping: device ids and other text are user input', () => {
  it('an id like <img src=x onerror=alert(1)> is shown as text, never as markup', () => {
    const r = seedReport();
    const evil = '<img src=x onerror=alert(1)>';
    device(r, 'virtio-disk1').id = evil;
    device(r, 'virtio-disk0').id = `"><script>alert(2)</script>`;
    r.source.file = `</title><script>alert(3)</script>`;
    r.qemuOutput = [...r.qemuOutput, `</pre><b onmouseover=alert(4)>`];
    const html = toHtml(r);
    expect(html).not.toMatch(/<img|<script|<b /i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
  });
});

describe('at-risk and PCI Express devices', () => {
  it('the seed without guest values marks 0x10 at risk (striped), none failing', () => {
    const html = toHtml(seedWithoutGuestValues());
    expect(html).toContain('<div class="verdict">AT RISK</div>');
    expect(grid(html, 'src').get(0x10)).toMatchObject({ cls: 'k-checked m-at-risk', text: '01' });
    expect([...grid(html, 'src').values(), ...grid(html, 'dst').values()].filter((c) => /m-(first|failing)/.test(c.cls))).toEqual([]);
    expect(html).toContain('fails if the guest placed BAR0 (I/O, 64 → 128 bytes)');
  });

  it('q35: the 4096-byte disk shows rows 0x000–0x0f0, fails at 0x0de (src 01 / dst 02), folds 0x100–0xfff', () => {
    const html = toHtml(q35VectorsReport());
    const dst = grid(html, 'dst');
    expect(dst.size).toBe(256);
    expect(dst.get(0xde)).toMatchObject({ cls: 'k-checked m-first', text: '02' });
    expect(grid(html, 'src').get(0xde)?.text).toBe('01');
    expect(html).toContain('0x100–0xfff: 240 rows with no capability and nothing failing');
    expect(html).toContain('>MSI-X @0xdc</td>');
  });

  it('q35 with an extended capability and a failing byte at 0x804: those rows are drawn too', () => {
    const html = toHtml(q35WithExtendedSpace());
    const src = grid(html, 'src');
    expect([...src.keys()].filter((o) => o >= 0x100 && o % 16 === 0).map((o) => o.toString(16))).toEqual(['100', '110', '120', '130', '140', '800']);
    expect(src.get(0x804)).toMatchObject({ cls: 'k-checked m-failing', text: '5a' });
    expect(html).toContain('>Advanced Error Reporting @0x100</td>');
    expect(html).toContain('0x150–0x7ff: 107 rows with no capability and nothing failing');
  });
});

describe('devices with nothing to draw beside them', () => {
  it('a device that moved slot (no section on the destination) gets its reasons, no grid', () => {
    const vm = (addr: string) => parseVmJson({ qemu: '7.2', machine: 'pc-i440fx-7.2', devices: [{ id: 'disk', driver: 'virtio-blk-pci', addr }] }, `${addr}.json`);
    const html = toHtml(checkMigration(vm('0xb'), vm('0xc')));
    expect(html).toContain('Unknown savevm section or instance &#39;0000:00:0b.0/virtio-blk&#39; 0.');
    expect(html).toContain('<p class="muted">No destination device to draw beside it.</p>');
    expect(html).not.toContain('<table class="hex"');
  });

  it('the compatible cold-boot seed: a green banner, the device table, no grid', () => {
    const html = toHtml(seedColdBootReport());
    expect(html).toContain('<header class="banner v-compatible"><div class="verdict">compatible</div>');
    expect(html).not.toContain('<table class="hex"');
    expect(html.match(/<span class="badge v-compatible">compatible<\/span>/g)).toHaveLength(3);
  });
});
