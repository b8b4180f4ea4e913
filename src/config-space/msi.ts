/**
 * MSI capability. QEMU: msi_init (hw/pci/msi.c) — Message Control gives
 * the vector count as a power-of-two order (Multiple Message Capable) and
 * the 64-bit and per-vector-mask abilities, all read-only and compared on
 * load; the guest writes Multiple Message Enable, MSI Enable, the address,
 * the data and (with per-vector masking) the mask bits.
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addCapability, type CapField } from './capability.js';
import { PCI_CAP_ID } from './regs.js';

/** PCI_MSI_VECTORS_MAX */
export const MSI_VECTORS_MAX = 32;
const FLAGS = 2;
const FLAGS_ENABLE = 0x0001;
const FLAGS_QSIZE = 0x0070; // Multiple Message Enable
const FLAGS_64BIT = 0x0080;
const FLAGS_MASKBIT = 0x0100;
const ADDRESS_LO = 4;
const ADDRESS_LO_MASK = 0xfffffffc;

export class MsiError extends Error {}

/** msi_cap_sizeof: 10, 14, 20 or 24 bytes. */
function capSize(is64: boolean, perVectorMask: boolean): number {
  return (is64 ? 14 : 10) + (perVectorMask ? 10 : 0);
}

export function msiInit(cs: ConfigSpace, offset: number, nrVectors: number, is64: boolean, perVectorMask: boolean): number {
  if (nrVectors < 1 || nrVectors > MSI_VECTORS_MAX || (nrVectors & (nrVectors - 1)) !== 0) {
    throw new MsiError(`MSI vector count ${nrVectors} is not a power of two up to ${MSI_VECTORS_MAX}`);
  }
  const dataOff = is64 ? 0x0c : 0x08;
  const maskOff = is64 ? 0x10 : 0x0c;
  const fields: CapField[] = [
    { at: FLAGS, length: 2, name: 'MSI Message Control' },
    { at: ADDRESS_LO, length: 4, name: 'MSI Message Address' },
    ...(is64 ? [{ at: 8, length: 4, name: 'MSI Message Upper Address' }] : []),
    { at: dataOff, length: 2, name: 'MSI Message Data' },
    ...(perVectorMask ? [{ at: maskOff, length: 4, name: 'MSI Mask Bits' }, { at: maskOff + 4, length: 4, name: 'MSI Pending Bits' }] : []),
  ];
  const cap = addCapability(cs, PCI_CAP_ID.MSI, offset, capSize(is64, perVectorMask), 'MSI', fields);
  const order = Math.log2(nrVectors);
  setLE(cs.config, cap + FLAGS, 2, (order << 1) | (is64 ? FLAGS_64BIT : 0) | (perVectorMask ? FLAGS_MASKBIT : 0));
  setLE(cs.wmask, cap + FLAGS, 2, FLAGS_QSIZE | FLAGS_ENABLE);
  setLE(cs.wmask, cap + ADDRESS_LO, 4, ADDRESS_LO_MASK);
  if (is64) setLE(cs.wmask, cap + 8, 4, 0xffffffff);
  setLE(cs.wmask, cap + dataOff, 2, 0xffff);
  if (perVectorMask) setLE(cs.wmask, cap + maskOff, 4, (0xffffffff >>> (MSI_VECTORS_MAX - nrVectors)) >>> 0);
  return cap;
}

