/**
 * Bad input: one line naming the file and the place in it. Exit code 2.
 * Line breaks inside the parts are folded to spaces: V8's JSON.parse quotes
 * the text around the error, newlines included (found by test/fuzz).
 */
export class InputError extends Error {
  constructor(readonly file: string, readonly where: string, readonly problem: string) {
    super(`${file}: ${where ? `${where}: ` : ''}${problem}`.replace(/\s*[\r\n]+\s*/g, ' '));
  }
}

/** JSON pointer "/devices/0/addr" → "devices[0].addr". */
export function pointerToPath(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out;
}
