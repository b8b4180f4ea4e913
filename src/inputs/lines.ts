/**
 * A file's lines, as node:readline gives them with crlfDelay: Infinity —
 * "\r\n", "\n" and a lone "\r" each end a line, a last line without an
 * ending still counts — but handed to `each` synchronously, chunk by
 * chunk: no event or promise per line, which a 100,000-VM inventory
 * otherwise pays for (cli/fleet.ts).
 */
import { createReadStream } from 'node:fs';

export async function forEachLine(file: string, each: (line: string) => void, chunkBytes = 1 << 16): Promise<void> {
  let rest = '';
  // A "\r" that ended the last chunk: a "\n" opening the next one belongs to it.
  let afterCr = false;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: chunkBytes })) {
    let text = chunk as string;
    let at = 0;
    if (afterCr && text.charCodeAt(0) === 0x0a) at = 1;
    afterCr = false;
    let cr = text.indexOf('\r', at);
    for (;;) {
      let nl = text.indexOf('\n', at);
      if (cr >= 0 && cr < at) cr = text.indexOf('\r', at);
      let next = nl;
      if (cr >= 0 && (nl < 0 || cr < nl)) {
        next = cr;
        nl = text.charCodeAt(cr + 1) === 0x0a ? cr + 1 : cr;
        if (cr + 1 === text.length) afterCr = true;
      }
      if (next < 0) break;
      each(at === 0 ? rest + text.slice(0, next) : text.slice(at, next));
      rest = '';
      at = nl + 1;
    }
    rest = at === 0 ? rest + text : text.slice(at);
    text = '';
  }
  if (rest) each(rest);
}
