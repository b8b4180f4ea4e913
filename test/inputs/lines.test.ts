// An inventory's lines as node:readline (crlfDelay: Infinity) gives them, read chunk by chunk (inputs/lines.ts).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachLine } from '../../src/inputs/lines.js';

const dir = mkdtempSync(join(tmpdir(), 'lines-'));

async function readlineLines(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) out.push(l);
  return out;
}

async function ours(file: string, chunk: number): Promise<string[]> {
  const out: string[] = [];
  await forEachLine(file, (l) => out.push(l), chunk);
  return out;
}

const texts = [
  'a\nb\nc\n', 'a\nb', '', '\n', '\n\n\n', 'a\r\nb\r\n', 'a\rb\rc', 'a\r\r\nb', 'a\r', '\r\n', '\r\r', 'x\n\r\ny',
  '{"name":"é→😀"}\r\n{"name":"ß"}\n\n{"x":1}', 'one line without an ending',
];

describe('an inventory read line by line', () => {
  it.each(texts.map((t, k) => [k, t] as const))('text %i gives readline\'s lines, whatever the chunk size', async (k, text) => {
    const file = join(dir, `t${k}.jsonl`);
    writeFileSync(file, text);
    const expected = await readlineLines(file);
    for (const chunk of [1, 2, 3, 5, 64, 1 << 16]) expect(await ours(file, chunk), `chunk ${chunk}`).toEqual(expected);
  });
});
