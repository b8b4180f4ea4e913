/**
 * Reading an input file; a missing or unreadable file is bad input, and so
 * is one above MAX_INPUT_BYTES. The file is read in chunks and refused as
 * soon as it passes the limit, so /dev/zero or a FIFO cannot exhaust memory
 * (a size from stat would be 0 for those, and for /proc/PID/cmdline).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.js';
import { MAX_INPUT_BYTES, checkJsonDepth } from './limits.js';

export function readInput(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new InputError(file, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_INPUT_BYTES) throw new InputError(file, '', `larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB: not a VM description, command line or PCI listing`);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** JSON text → value, with the nesting bounded (limits.ts). */
export function parseJsonInput(text: string, file: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, '', `not valid JSON: ${(e as Error).message}`);
  }
  checkJsonDepth(json, file);
  return json;
}
