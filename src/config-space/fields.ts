/**
 * Naming a config-space byte: which register, BAR or capability field it
 * belongs to, in the words of the PCI spec.
 */
import { type ConfigSpace, getLE } from './config-space.js';
import { type BarInfo } from './config-space.js';
import { describeBarType, is64BitBar, isBridgeHeader } from './bar.js';
import { BRIDGE_HEADER_FIELDS } from './bridge.js';
import { PCI } from './regs.js';

export interface Field {
  start: number;
  length: number;
  name: string;
  bar?: BarInfo;
}

const HEADER: [number, number, string][] = [
  [PCI.VENDOR_ID, 2, 'Vendor ID'],
  [PCI.DEVICE_ID, 2, 'Device ID'],
  [PCI.COMMAND, 2, 'Command'],
  [PCI.STATUS, 2, 'Status'],
  [PCI.REVISION_ID, 1, 'Revision ID'],
  [PCI.CLASS_PROG, 1, 'Programming Interface'],
  [PCI.CLASS_DEVICE, 2, 'Class Code'],
  [PCI.CACHE_LINE_SIZE, 1, 'Cache Line Size'],
  [PCI.LATENCY_TIMER, 1, 'Latency Timer'],
  [PCI.HEADER_TYPE, 1, 'Header Type'],
  [PCI.BIST, 1, 'BIST'],
  [0x28, 4, 'CardBus CIS Pointer'],
  [PCI.SUBSYSTEM_VENDOR_ID, 2, 'Subsystem Vendor ID'],
  [PCI.SUBSYSTEM_ID, 2, 'Subsystem ID'],
  [PCI.CAPABILITY_LIST, 1, 'Capabilities Pointer'],
  [0x35, 7, 'Reserved'],
  [PCI.INTERRUPT_LINE, 1, 'Interrupt Line'],
  [PCI.INTERRUPT_PIN, 1, 'Interrupt Pin'],
  [0x3e, 1, 'Min_Gnt'],
  [0x3f, 1, 'Max_Lat'],
];

function barName(b: BarInfo): string {
  return b.index === PCI.ROM_SLOT ? 'Expansion ROM BAR' : `BAR${b.index}`;
}

/** The field holding byte `i` in this device's layout. */
export function fieldAt(cs: ConfigSpace, i: number): Field {
  for (const b of cs.bars) {
    const len = is64BitBar(b.type) ? 8 : 4;
    if (i >= b.offset && i < b.offset + len) return { start: b.offset, length: len, name: barName(b), bar: b };
  }
  // A type-1 header has two BARs and the ROM BAR at 0x38; bus numbers and windows between.
  const bridge = isBridgeHeader(cs);
  const barsEnd = bridge ? 0x18 : 0x28;
  const rom = bridge ? PCI.ROM_ADDRESS1 : PCI.ROM_ADDRESS;
  if (i >= PCI.BASE_ADDRESS_0 && i < barsEnd) {
    const n = (i - PCI.BASE_ADDRESS_0) >> 2;
    return { start: PCI.BASE_ADDRESS_0 + 4 * n, length: 4, name: `BAR${n} (not implemented)` };
  }
  if (i >= rom && i < rom + 4) return { start: rom, length: 4, name: 'Expansion ROM BAR (not implemented)' };
  const header = bridge
    ? [...HEADER.filter(([start]) => start < PCI.BASE_ADDRESS_0 || start === PCI.CAPABILITY_LIST || start >= PCI.INTERRUPT_LINE && start < 0x3e), ...BRIDGE_HEADER_FIELDS]
    : HEADER;
  for (const [start, length, name] of header) {
    if (i >= start && i < start + length) return { start, length, name };
  }
  for (const c of cs.capabilities) {
    if (i < c.offset || i >= c.offset + c.size) continue;
    const f = c.fields.find((x) => i >= x.offset && i < x.offset + x.length);
    if (f) return { start: f.offset, length: f.length, name: f.name };
    if (i < c.offset + (c.extended ? 4 : 2)) return { start: c.offset, length: c.extended ? 4 : 2, name: `${c.name} capability header (ID/next)` };
    return { start: i, length: 1, name: `${c.name} capability byte +0x${(i - c.offset).toString(16)}` };
  }
  return { start: i, length: 1, name: `unused config space` };
}

/** "BAR0 (I/O, 64 → 128 bytes)", "BAR1 (absent → 32-bit memory, 4096 bytes)". */
export function describeBarChange(src: BarInfo | undefined, dst: BarInfo | undefined, name: string): string {
  const sz = (b: BarInfo) => `${b.size} bytes`;
  if (src && dst) {
    const ts = describeBarType(src.type);
    const td = describeBarType(dst.type);
    if (ts === td) return `${name} (${ts}, ${src.size} → ${sz(dst)})`;
    return `${name} (${ts}, ${sz(src)} → ${td}, ${sz(dst)})`;
  }
  if (dst) return `${name} (absent → ${describeBarType(dst.type)}, ${sz(dst)})`;
  if (src) return `${name} (${describeBarType(src.type)}, ${sz(src)} → absent)`;
  return name;
}

export function hex(n: number, width = 0): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

/** A field's value as a number (up to 4 bytes; 8-byte BARs give the low dword). */
export function fieldValue(bytes: Uint8Array, f: Field): number {
  return getLE(bytes, f.start, Math.min(f.length, 4));
}
