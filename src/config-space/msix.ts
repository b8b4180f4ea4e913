/**
 * MSI-X capability. QEMU: msix_init and msix_init_exclusive_bar (hw/pci/msix.c).
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addCapability } from './capability.js';
import { registerBar } from './bar.js';
import { PCI_BASE_ADDRESS, PCI_CAP_ID } from './regs.js';

export const MSIX_CAP_LENGTH = 12;
/** PCI_MSIX_FLAGS_QSIZE + 1: the table size field holds at most 2048 entries. */
export const MSIX_MAX_ENTRIES = 2048;
const MSIX_ENTRY_SIZE = 16;
/** Message Control byte 1 (cap + 3): MSI-X Enable (0x80) and Function Mask (0x40). */
const MSIX_CONTROL_WRITABLE = 0xc0;

export const MSIX_FIELDS = [
  { at: 2, length: 2, name: 'MSI-X Message Control' },
  { at: 4, length: 4, name: 'MSI-X Table offset/BIR' },
  { at: 8, length: 4, name: 'MSI-X PBA offset/BIR' },
];

export class MsixError extends Error {}

/**
 * Adds the capability: Message Control = table size - 1 (read-only, so
 * compared on load), Table and PBA dwords = offset | BAR indicator; only
 * the Enable and Function Mask bits are writable.
 */
export function msixInit(
  cs: ConfigSpace, nentries: number, tableBar: number, tableOffset: number, pbaBar: number, pbaOffset: number, capPos = 0,
): number {
  if (nentries < 1 || nentries > MSIX_MAX_ENTRIES) {
    throw new MsixError(`The number of MSI-X vectors is invalid (${nentries})`);
  }
  const cap = addCapability(cs, PCI_CAP_ID.MSIX, capPos, MSIX_CAP_LENGTH, 'MSI-X', MSIX_FIELDS);
  setLE(cs.config, cap + 2, 2, nentries - 1);
  setLE(cs.config, cap + 4, 4, (tableOffset | tableBar) >>> 0);
  setLE(cs.config, cap + 8, 4, (pbaOffset | pbaBar) >>> 0);
  cs.wmask[cap + 3] |= MSIX_CONTROL_WRITABLE;
  return cap;
}

/** Size of the MSI-X BAR: 4 KiB up to 128 vectors, table in the low half and PBA in the high half. */
export function msixExclusiveBarLayout(nentries: number): { barSize: number; pbaOffset: number } {
  let pbaOffset = 4096 / 2;
  const pbaSize = Math.ceil(nentries / 64) * 8;
  if (nentries * MSIX_ENTRY_SIZE > pbaOffset) pbaOffset = nentries * MSIX_ENTRY_SIZE;
  const size = Math.max(4096, pbaOffset + pbaSize);
  return { barSize: 2 ** Math.ceil(Math.log2(size)), pbaOffset };
}

/** QEMU: msix_init_exclusive_bar — table and PBA in their own 32-bit memory BAR. */
export function msixInitExclusiveBar(cs: ConfigSpace, nentries: number, barNr: number): number {
  const { barSize, pbaOffset } = msixExclusiveBarLayout(nentries);
  const cap = msixInit(cs, nentries, barNr, 0, barNr, pbaOffset);
  registerBar(cs, barNr, PCI_BASE_ADDRESS.SPACE_MEMORY, barSize, 'MSI-X table and PBA');
  return cap;
}
