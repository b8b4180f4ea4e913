/**
 * Splitting a command line as a POSIX shell would, keeping where each word
 * starts: single and double quotes, backslash escapes, backslash-newline
 * continuations (libvirt's VM.log writes one option per line that way), and
 * whole-line `#` comments between words. A /proc/PID/cmdline dump
 * (NUL-separated, no quoting) is split on NUL instead.
 */
export interface Word {
  text: string;
  /** "line 12", or "argument 7" for a NUL-separated dump. */
  place: string;
}

export class ShellSyntaxError extends Error {
  constructor(readonly place: string, message: string) { super(message); }
}

export function splitWords(text: string, firstLine = 1): Word[] {
  if (text.includes('\0')) {
    return text.split('\0').filter((w) => w !== '').map((w, n) => ({ text: w, place: `argument ${n + 1}` }));
  }
  const words: Word[] = [];
  let line = firstLine;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '\\' && text[i + 1] === '\n') { line++; i += 2; continue; }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = line;
    let word = '';
    while (i < text.length && !/[ \t\r\n]/.test(text[i])) {
      const ch = text[i];
      if (ch === '\\') {
        if (text[i + 1] === '\n') { line++; i += 2; continue; }
        if (i + 1 < text.length) word += text[i + 1];
        i += 2;
      } else if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError(`line ${line}`, 'unterminated single quote');
        const quoted = text.slice(i + 1, end);
        line += quoted.split('\n').length - 1;
        word += quoted;
        i = end + 1;
      } else if (ch === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && '"\\$`\n'.includes(text[i + 1] ?? '')) {
            if (text[i + 1] === '\n') line++; else word += text[i + 1];
            i += 2;
          } else {
            if (text[i] === '\n') line++;
            word += text[i++];
          }
        }
        if (i >= text.length) throw new ShellSyntaxError(`line ${start}`, 'unterminated double quote');
        i++;
      } else {
        word += ch;
        i++;
      }
    }
    words.push({ text: word, place: `line ${start}` });
  }
  return words;
}
