/**
 * Where a report goes: stdout, or --output FILE written atomically — a
 * temporary file in the same directory, then rename(2), so a reader (a
 * dashboard, a ticket bot) never sees half a report and a failed run never
 * leaves one behind or clobbers the previous one.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { type MigrationReport } from '../check/verdict.js';
import { InputError } from '../inputs/errors.js';
import { toJsonReport } from '../report/json.js';
import { toText } from '../report/text.js';
import { toMarkdown } from '../report/markdown.js';
import { toHtml } from '../report/html.js';
import { toTerminalGrid } from '../report/grid.js';
import { devicesToDraw } from '../report/cells.js';

export const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function writeAtomic(file: string, text: string): void {
  // node:crypto is loaded here, not at start: most runs write to stdout.
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw new InputError('command line', '--output', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The report in a format; `terminal` adds the coloured config-space grid of failing devices to text. */
export function render(report: MigrationReport, format: Format, terminal = false): string {
  switch (format) {
    case 'json': return JSON.stringify(toJsonReport(report), null, 2) + '\n';
    case 'markdown': return toMarkdown(report);
    case 'html': return toHtml(report);
    default: {
      const text = toText(report);
      return terminal && devicesToDraw(report).length ? `${text}\n${toTerminalGrid(report, { color: true })}` : text;
    }
  }
}

/** Writes the report to --output or stdout. */
export function emit(report: MigrationReport, format: Format, output: string | undefined): void {
  if (output !== undefined) writeAtomic(output, render(report, format));
  else process.stdout.write(render(report, format, format === 'text' && process.stdout.isTTY === true));
}
