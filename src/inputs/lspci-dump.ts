/**
 * A guest's `lspci -xxx` (256 bytes) or `lspci -xxxx` (4096 bytes) output:
 * for each function a header line "00:0b.0 SCSI storage controller: …"
 * (or "0000:00:0b.0 …" with -D) followed by "00: f4 1a 01 10 …" lines —
 * the whole config space as the guest reads it, i.e. what the source sends
 * (guest.config). A bridge's secondary bus number is its byte 0x19.
 */
import { InputError } from './errors.js';
import { parseHexDump } from './vm.js';
import { type PciFunction, type PciListing } from './pci-listing.js';

const HEADER = /^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])\s/i;
const HEX = /^[0-9a-f]{2,3}:(\s[0-9a-f]{2})+\s*$/i;

export function parseLspci(text: string, file: string): PciListing {
  const functions: PciFunction[] = [];
  let cur: { m: RegExpExecArray; line: number; hex: string[] } | undefined;
  const flush = () => {
    if (!cur) return;
    const where = `line ${cur.line} (${cur.m[0].trim()})`;
    if (cur.m[1] && cur.m[1] !== '0000') throw new InputError(file, where, `PCI domain ${cur.m[1]}: only domain 0 is modelled`);
    if (!cur.hex.length) throw new InputError(file, where, 'no hex dump under this function: run lspci -xxx (as root)');
    const config = parseHexDump(cur.hex.join('\n'), file, where);
    const header = config[0x0e] & 0x7f;
    functions.push({
      bus: parseInt(cur.m[2], 16), slot: parseInt(cur.m[3], 16), fn: Number(cur.m[4]),
      bars: new Map(), config, where, secondaryBus: header === 1 ? config[0x19] : undefined,
    });
  };
  text.split('\n').forEach((line, n) => {
    const h = HEADER.exec(line);
    if (h) {
      flush();
      cur = { m: h, line: n + 1, hex: [] };
    } else if (HEX.test(line.trim())) {
      if (!cur) throw new InputError(file, `line ${n + 1}`, 'hex dump before any "BB:SS.F …" function line');
      cur.hex.push(line.trim());
    } else if (line.trim() && cur) {
      throw new InputError(file, `line ${n + 1}`, 'neither a function line nor a hex dump line of lspci -xxx');
    }
  });
  flush();
  if (!functions.length) throw new InputError(file, 'line 1', 'not lspci -xxx output: no "BB:SS.F …" function line');
  return { file, functions };
}
