/**
 * QEMU's `addr=` for a PCI device: "SLOT[.FUNCTION]", both hex with or
 * without 0x ("0x2.0x1", "0b", "6.1"). QEMU: hw/core/qdev-properties-system.c
 * set_pci_devfn (strtoul base 16 for both parts; slot ≤ 0x1f, function ≤ 7).
 * A JSON -device may give it as a number, the devfn itself.
 */
import { type PciAddress } from './vm.js';

export function parseDevfn(text: string | number): PciAddress | string {
  if (typeof text === 'number') {
    if (!Number.isInteger(text) || text < 0 || text > 0xff) return `impossible PCI devfn ${text}`;
    return { slot: text >> 3, fn: text & 7 };
  }
  const m = /^(?:0x)?([0-9a-f]+)(?:\.(?:0x)?([0-9a-f]+))?$/i.exec(text.trim());
  if (!m) return `"${text}" is not a PCI address (SLOT[.FUNCTION] in hex)`;
  const slot = parseInt(m[1], 16);
  const fn = m[2] === undefined ? 0 : parseInt(m[2], 16);
  if (slot > 0x1f) return `impossible PCI address "${text}": slot 0x${slot.toString(16)} is above 0x1f`;
  if (fn > 7) return `impossible PCI address "${text}": function ${fn} is above 7`;
  return { slot, fn };
}

/** "0x0b" style, as the JSON form writes addr. */
export function formatDevfn(a: PciAddress): string {
  return `0x${a.slot.toString(16)}.${a.fn}`;
}
