// The HTML report as people see it: the seed 002 page rendered by headless
// Chromium, and the picture checked — virtio-disk1's failing byte 0x10 is
// painted in the failing colour, ringed as QEMU's first, in the grid cell
// of row 0x10, column 0, on the source and on the destination side by side.
// Set COMPAT_CHECK_SCREENSHOT_DIR to keep the PNG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTML_COLOURS, toHtml } from '../../src/report/html.js';
import { chromiumBinary, INSTALL_HINT, runScreenshotTests, screenshot, SCREENSHOT_TIMEOUT_MS } from './chromium.js';
import { type Box, decodePng, type Image, regionsOfColour } from './png.js';
import { seedReport } from './reports.js';

const WIDTH = 1280;
const HEIGHT = 2000;

function pixel(img: Image, x: number, y: number): string {
  const o = (y * img.width + x) * 4;
  return '#' + [0, 1, 2].map((k) => img.rgba[o + k].toString(16).padStart(2, '0')).join('');
}

const sameColumn = (a: Box, b: Box) => Math.abs(a.x0 - b.x0) <= 1 && Math.abs(a.x1 - b.x1) <= 1;

const title = runScreenshotTests
  ? `the seed 002 HTML report in headless Chromium (${chromiumBinary ?? 'missing'})`
  : `the seed 002 HTML report in headless Chromium — SKIPPED: no chromium binary (${INSTALL_HINT}); with CI=true this fails instead`;

if (!runScreenshotTests) console.warn(`screenshot tests skipped: no chromium binary (${INSTALL_HINT}); with CI=true they fail instead`);

describe.skipIf(!runScreenshotTests)(title, () => {
  let shot: Image | undefined;
  /** The picture the first test took. */
  const picture = (): Image => {
    if (!shot) throw new Error('no screenshot: see the first test\'s failure');
    return shot;
  };

  it('renders to a PNG that is not blank', { timeout: SCREENSHOT_TIMEOUT_MS }, async () => {
    const png = await screenshot(toHtml(seedReport()), WIDTH, HEIGHT);
    if (process.env.COMPAT_CHECK_SCREENSHOT_DIR) {
      mkdirSync(process.env.COMPAT_CHECK_SCREENSHOT_DIR, { recursive: true });
      writeFileSync(join(process.env.COMPAT_CHECK_SCREENSHOT_DIR, 'seed-report.png'), png);
    }
    shot = decodePng(png);
    const img = shot;
    expect([img.width, img.height]).toEqual([WIDTH, HEIGHT]);
    let ink = 0;
    const colours = new Set<number>();
    for (let p = 0; p < img.width * img.height; p++) {
      const [r, g, b] = [img.rgba[p * 4], img.rgba[p * 4 + 1], img.rgba[p * 4 + 2]];
      if (r + g + b < 3 * 250) ink++;
      colours.add((r << 16) | (g << 8) | b);
    }
    expect(ink / (img.width * img.height)).toBeGreaterThan(0.15);
    expect(colours.size).toBeGreaterThan(100);
  });

  it('the verdict banner is at the top, in the INCOMPATIBLE colour', () => {
    const img = picture();
    const banner = regionsOfColour(img, HTML_COLOURS.verdict.incompatible)[0];
    expect(banner.y0).toBeLessThan(100);
    expect(banner.x1 - banner.x0).toBeGreaterThan(800);
  });

  it('the failing colour paints exactly two grid cells, side by side: 0x10 on the source and on the destination', () => {
    const img = picture();
    // Cell-sized areas of the failing colour: the two legend swatches, then the two cells below them.
    const areas = regionsOfColour(img, HTML_COLOURS.failing).filter((b) => b.pixels >= 250).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
    expect(areas).toHaveLength(4);
    const [src, dst] = areas.slice(2);
    expect(src.y0).toBeGreaterThan(areas[1].y1); // below the legend
    expect(Math.abs(src.y0 - dst.y0)).toBeLessThanOrEqual(1);
    expect(dst.x0 - src.x0).toBeGreaterThan(400); // the destination grid beside the source grid
    for (const c of [src, dst]) {
      expect(c.x1 - c.x0 + 1).toBeGreaterThanOrEqual(22);
      expect(c.x1 - c.x0 + 1).toBeLessThanOrEqual(30);
      expect(c.y1 - c.y0 + 1).toBeGreaterThanOrEqual(17);
      expect(c.y1 - c.y0 + 1).toBeLessThanOrEqual(26);
    }
  });

  it('each is in row 0x10, column 0: under the vendor-ID cell of row 0x00, above the BAR4 cell of row 0x20, nothing left of it', () => {
    const img = picture();
    const failing = regionsOfColour(img, HTML_COLOURS.failing).filter((b) => b.pixels >= 250).sort((a, b) => a.y0 - b.y0).slice(2);
    const checked = regionsOfColour(img, HTML_COLOURS.checked).filter((b) => b.pixels >= 250);
    const cellColours = [HTML_COLOURS.checked, HTML_COLOURS.writable, HTML_COLOURS.w1c, HTML_COLOURS.unchecked];
    for (const f of failing) {
      const above = checked.filter((b) => sameColumn(b, f) && b.y1 < f.y0);
      const below = checked.filter((b) => sameColumn(b, f) && b.y0 > f.y1).sort((a, b) => a.y0 - b.y0);
      expect(above).toHaveLength(1); // row 0x00 only: f4, the vendor ID
      const pitch = f.y0 - above[0].y0;
      expect(pitch).toBeGreaterThan(f.y1 - f.y0);
      expect(Math.abs(below[0].y0 - f.y0 - pitch)).toBeLessThanOrEqual(1); // row 0x20: 0c, BAR4
      const midY = (f.y0 + f.y1) >> 1;
      for (let x = f.x0 - 40; x < f.x0 - 4; x++) expect(cellColours).not.toContain(pixel(img, x, midY));
      // To its right, 0x11 (writable on the destination: green).
      expect(pixel(img, f.x1 + 8, midY)).toBe(HTML_COLOURS.writable);
    }
  });

  it('QEMU\'s first failing byte is ringed in the dark ring colour', () => {
    const img = picture();
    const failing = regionsOfColour(img, HTML_COLOURS.failing).filter((b) => b.pixels >= 250).sort((a, b) => a.y0 - b.y0).slice(2);
    for (const f of failing) {
      const midX = (f.x0 + f.x1) >> 1;
      const midY = (f.y0 + f.y1) >> 1;
      const ring = [pixel(img, midX, f.y0 - 3), pixel(img, midX, f.y1 + 3), pixel(img, f.x0 - 3, midY), pixel(img, f.x1 + 3, midY)];
      expect(ring).toEqual(Array(4).fill(HTML_COLOURS.firstRing));
    }
  });
});
