/**
 * Bounds on what an input may be, so that hostile or broken files end in
 * one clear InputError instead of exhausting memory, the stack or time.
 * Each limit is far above anything libvirt or QEMU writes for a real VM
 * (README, "Limits").
 */
import { InputError } from './errors.js';

/** Any input file (description, command line, log, PCI listing): read no further than this. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
/** PCI functions in one description: 256 buses × 32 slots × 8 functions is QEMU's own bound. */
export const MAX_DEVICES = 4096;
/** Element nesting in domain XML (libvirt's deepest is about 6). */
export const MAX_XML_DEPTH = 64;
/** Arrays/objects nested in a JSON input (a VM description is 5 deep; query-pci 4 per bridge level). */
export const MAX_JSON_DEPTH = 256;
/** Bridges behind bridges in query-pci: bus numbers are 8 bits, so no real chain is deeper. */
export const MAX_BRIDGE_DEPTH = 255;

export function checkDeviceCount(count: number, file: string): void {
  if (count > MAX_DEVICES) throw new InputError(file, 'devices', `${count} PCI devices: more than the ${MAX_DEVICES} compat-check reads`);
}

/** The deepest nesting of arrays and objects in a parsed JSON value, found without recursion. */
export function checkJsonDepth(value: unknown, file: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) throw new InputError(file, '', `JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
    for (const c of Object.values(v)) if (c !== null && typeof c === 'object') stack.push([c, depth + 1]);
  }
}
