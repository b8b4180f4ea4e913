/**
 * Device Serial Number extended capability. QEMU: pcie_dev_ser_num_init
 * (hw/pci/pcie.c) — version 1, PCI_EXT_CAP_DSN_SIZEOF bytes, the 64-bit
 * serial number at +4; all read-only and compared on load.
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addExtCapability } from './capability.js';
import { PCI_EXT_CAP_ID } from './regs.js';

export const PCI_EXT_CAP_DSN_SIZEOF = 0x0c;
const DSN_VER = 1;
const DSN_SERIAL = 4;

export function pcieDevSerNumInit(cs: ConfigSpace, offset: number, serial: bigint): number {
  const pos = addExtCapability(cs, PCI_EXT_CAP_ID.DSN, DSN_VER, offset, PCI_EXT_CAP_DSN_SIZEOF, 'Device Serial Number', [
    { at: DSN_SERIAL, length: 8, name: 'Device Serial Number' },
  ]);
  setLE(cs.config, pos + DSN_SERIAL, 4, Number(serial & 0xffffffffn));
  setLE(cs.config, pos + DSN_SERIAL + 4, 4, Number((serial >> 32n) & 0xffffffffn));
  return pos;
}
