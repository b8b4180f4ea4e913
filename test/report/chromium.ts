// Headless Chromium for screenshot checks (Debian's `chromium`).
//
// Locally the screenshot tests run when a binary is found ($CHROMIUM, else
// chromium or chromium-browser on PATH) and are skipped otherwise. With
// CI=true they always run, so a CI image without Chromium fails loudly.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return undefined;
}

export const chromiumBinary = process.env.CHROMIUM || onPath('chromium') || onPath('chromium-browser');

export const runScreenshotTests = chromiumBinary !== undefined || process.env.CI === 'true';

export const INSTALL_HINT = 'apt-get install -y --no-install-recommends chromium (or set CHROMIUM=/path/to/chromium)';

export const SCREENSHOT_TIMEOUT_MS = 60_000;

/** The flags used: headless, no sandbox (root in a container), nothing that reaches the network. */
export function chromiumFlags(profileDir: string, png: string, width: number, height: number): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
    `--user-data-dir=${profileDir}`, `--screenshot=${png}`, `--window-size=${width},${height}`,
  ];
}

/** Renders `html` (a whole page) in a fresh profile and returns the PNG. */
export async function screenshot(html: string, width: number, height: number): Promise<Buffer> {
  if (!chromiumBinary) throw new Error(`CI=true but no chromium binary: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'compat-check-shot-'));
  try {
    const page = join(dir, 'report.html');
    const png = join(dir, 'report.png');
    writeFileSync(page, html);
    const args = [...chromiumFlags(join(dir, 'profile'), png, width, height), `file://${page}`];
    // Its own process group, so a hung browser and its helpers can be ended together, and only them.
    const child = spawn(chromiumBinary, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const killGroup = () => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    };
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => { killGroup(); reject(new Error(`chromium timed out after ${SCREENSHOT_TIMEOUT_MS - 10_000} ms\n${stderr}`)); }, SCREENSHOT_TIMEOUT_MS - 10_000);
      child.on('error', (err) => { clearTimeout(timer); reject(err); });
      child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    killGroup();
    if (code !== 0) throw new Error(`chromium exited with ${code}\n${stderr}`);
    return readFileSync(png);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
