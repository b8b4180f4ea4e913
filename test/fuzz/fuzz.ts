// Shared by the fuzz suites: fixed seeds, run counts (small in `npm test`,
// FUZZ_RUNS=… in `npm run fuzz`), the real inputs mutated, and the contract
// every adapter keeps: it returns, or throws InputError — quickly.
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { InputError } from '../../src/inputs/errors.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** FUZZ_SEED reproduces a failure fast-check reported; the default keeps CI deterministic. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
/** One run of one input may take this long at most (a hang shows as a failure, not a stuck suite). */
export const MAX_MS_PER_RUN = 2_000;

export const params = (seedOffset: number, runs = RUNS): fc.Parameters<unknown> => ({ seed: SEED + seedOffset, numRuns: runs, endOnFailure: true });

export const fixture = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');
export const fixtureNames = (dir: string, re: RegExp) => readdirSync(join(ROOT, dir)).filter((f) => re.test(f)).map((f) => join(dir, f));

/** Calls f; anything thrown that is not InputError, or a run over MAX_MS_PER_RUN, fails the property. */
export function onlyInputError<T>(f: () => T): T | InputError {
  const t = performance.now();
  let out: T | InputError;
  try {
    out = f();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`not an InputError: ${e instanceof Error ? e.stack : String(e)}`);
    expect(e.message).not.toMatch(/\n/); // one line
    out = e;
  }
  const ms = performance.now() - t;
  if (ms > MAX_MS_PER_RUN) throw new Error(`took ${Math.round(ms)} ms (limit ${MAX_MS_PER_RUN})`);
  return out;
}

/** Tokens that break parsers: quotes, escapes, brackets, huge numbers, prototype names, control characters. */
const NASTY = [
  "'", '"', '\\', '\\\n', '\n', '\r\n', '\0', '\t', ',', ',,', '=', '{', '}', '[', ']', '<', '>', '/>', '</', '&', '&#x110000;', '&#0;', '&lt;',
  '&bogus;', '<!DOCTYPE x>', '<![CDATA[', '-->', '<!--', '$(id)', '`id`', ';', '|', '0x', '0xffffffffffffffffffff', '-1', '1e308', 'NaN', '99999999999999999999',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', '-device', '-global', '-set', 'device.x.y=', 'virtio-blk-pci', 'pcie-root-port',
  'Bus 0, device 31, function 7:', 'BAR9: I/O at 0x10 [0x1f].', '00: ff', '00:1f.7 x\n', '"regions": 5', 'null', 'true', '"', '\u{1F600}', '\uFFFF', '\uD800',
  'starting up libvirt version: 9.0.0, qemu version: 7.2.0\n', 'qemu-system-x86_64 ',
];

/** A random edit of a text: delete, duplicate, insert a token or random text, flip a char, or truncate. */
const edit = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 })) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), ch: fc.integer({ min: 0, max: 0x7f }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function apply(text: string, e: Edit): string {
  const at = text.length ? e.at % (text.length + 1) : 0;
  switch (e.op) {
    case 'delete': return text.slice(0, at) + text.slice(at + e.len);
    case 'dup': return text.slice(0, at) + text.slice(at, at + e.len) + text.slice(at);
    case 'insert': return text.slice(0, at) + e.text + text.slice(at);
    case 'flip': return text.slice(0, at) + String.fromCharCode(e.ch) + text.slice(at + 1);
    case 'truncate': return text.slice(0, at);
  }
}

/** A real input with 1–6 random edits. */
export const mutated = (texts: string[]) =>
  fc.tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([t, es]) => es.reduce(apply, t));
