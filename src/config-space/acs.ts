/**
 * Access Control Services extended capability. QEMU: pcie_acs_init
 * (hw/pci/pcie.c).
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addExtCapability } from './capability.js';
import { PCI_EXT_CAP_ID } from './regs.js';

export const PCI_ACS_VER = 1;
export const PCI_ACS_SIZEOF = 8;
const ACS_CAP = 0x04;
const ACS_CTRL = 0x06;
/** Source Validation, Translation Blocking, P2P Request/Completion Redirect, Upstream Forwarding, Direct Translated P2P. */
const ACS_DOWNSTREAM_BITS = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x40;

/**
 * A downstream port (root or switch downstream port) implements SV, TB,
 * RR, CR, UF and DT; each has a writable enable in ACS Control. Other
 * functions advertise none.
 */
export function pcieAcsInit(cs: ConfigSpace, offset: number, downstream: boolean): number {
  const pos = addExtCapability(cs, PCI_EXT_CAP_ID.ACS, PCI_ACS_VER, offset, PCI_ACS_SIZEOF, 'Access Control Services', [
    { at: ACS_CAP, length: 2, name: 'ACS Capability' },
    { at: ACS_CTRL, length: 2, name: 'ACS Control' },
  ]);
  const bits = downstream ? ACS_DOWNSTREAM_BITS : 0;
  setLE(cs.config, pos + ACS_CAP, 2, bits);
  setLE(cs.wmask, pos + ACS_CTRL, 2, bits);
  return pos;
}
