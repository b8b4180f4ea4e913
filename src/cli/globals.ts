/** -global style options from the command line: "driver.property=value". */
import { InputError } from '../inputs/errors.js';
import { type GlobalProperty } from '../profiles/data.js';

export function parseGlobals(texts: string[], option: string): GlobalProperty[] {
  return texts.map((t) => {
    const m = /^([^.=\s]+)\.([^=\s]+)=(.*)$/.exec(t);
    if (!m) throw new InputError('command line', option, `"${t}" is not driver.property=value`);
    return [m[1], m[2], m[3]];
  });
}
