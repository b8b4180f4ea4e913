/**
 * The Standard Hot-Plug Controller capability of a PCI-to-PCI bridge.
 * QEMU: shpc_init and shpc_cap_add_config (hw/pci/shpc.c) — an 8-byte
 * capability at the first free offset whose DWORD Select byte and DWORD
 * Data window are writable; the window shows the selected SHPC register
 * (register 0, the BAR offset 0, after init). The registers themselves
 * live in a memory BAR of pow2roundup32(SHPC_SLOT_REG(31)) = 256 bytes
 * and migrate as SHPC state, not as config space.
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addCapability } from './capability.js';

export const PCI_CAP_ID_SHPC = 0x0c;
const SHPC_CAP_LENGTH = 0x08;
const DWORD_SELECT = 0x2;
export const SHPC_CAP_DWORD_DATA = 0x4;
/** SHPC_MAX_SLOTS */
const MAX_SLOTS = 31;

/** shpc_bar_size: the slot registers end at 0x24 + 4 × 31, rounded up to a power of two. */
export function shpcBarSize(): number {
  return 2 ** Math.ceil(Math.log2(0x24 + MAX_SLOTS * 4));
}

export function shpcCapInit(cs: ConfigSpace): number {
  const cap = addCapability(cs, PCI_CAP_ID_SHPC, 0, SHPC_CAP_LENGTH, 'SHPC', [
    { at: DWORD_SELECT, length: 1, name: 'SHPC DWORD Select' },
    { at: 3, length: 1, name: 'SHPC CSP/CIP' },
    { at: SHPC_CAP_DWORD_DATA, length: 4, name: 'SHPC DWORD Data' },
  ]);
  cs.wmask[cap + DWORD_SELECT] = 0xff;
  setLE(cs.wmask, cap + SHPC_CAP_DWORD_DATA, 4, 0xffffffff);
  return cap;
}
