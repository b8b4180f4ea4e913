/**
 * QEMU's option syntax for -device and friends (util/qemu-option.c,
 * qemu_opts_parse): "driver,key=value,...", where ",," is a literal comma
 * and a bare "key" means key=on; or the JSON form -device '{"driver": …}'
 * (qdev JSON syntax), whose booleans and numbers become "on"/"off" and
 * decimal strings as on a command line.
 */
export class QemuOptsError extends Error {}

export interface ParsedOpts {
  /** The implied first key's value (the driver of -device), if any. */
  implied?: string;
  props: Record<string, string>;
}

function jsonValue(v: unknown, key: string): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return v;
  throw new QemuOptsError(`property "${key}" must be a string, number or boolean`);
}

/** Splits on single commas; ",," stays a comma inside a value. */
function splitOpts(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',') {
      if (text[i + 1] === ',') {
        cur += ',';
        i++;
        continue;
      }
      parts.push(cur);
      cur = '';
    } else {
      cur += text[i];
    }
  }
  parts.push(cur);
  return parts;
}

/**
 * Parses one option argument. `impliedKey` names the key a leading bare
 * word stands for ("driver" for -device, "type" for -machine).
 */
export function parseQemuOpts(text: string, impliedKey?: string): ParsedOpts {
  const t = text.trim();
  if (t.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      throw new QemuOptsError(`JSON syntax: ${(e as Error).message}`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new QemuOptsError('JSON syntax: not an object');
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) props[k] = jsonValue(v, k);
    const implied = impliedKey ? props[impliedKey] : undefined;
    if (impliedKey) delete props[impliedKey];
    return { implied, props };
  }
  const props: Record<string, string> = {};
  let implied: string | undefined;
  splitOpts(t).forEach((part, n) => {
    if (part === '') throw new QemuOptsError(`empty option in "${text}"`);
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (n === 0 && impliedKey) implied = part;
      else props[part] = 'on';
      return;
    }
    const key = part.slice(0, eq);
    if (impliedKey && key === impliedKey) implied = part.slice(eq + 1);
    else props[key] = part.slice(eq + 1);
  });
  return { implied, props };
}
