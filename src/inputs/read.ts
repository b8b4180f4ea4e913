/** Reading an input file; a missing or unreadable file is bad input. */
import { readFileSync } from 'node:fs';
import { InputError } from './errors.js';

export function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new InputError(file, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
