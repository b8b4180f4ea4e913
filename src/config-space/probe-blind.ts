/**
 * Writable bits a guest-style probe cannot see, because writing 1 does
 * something and the bit reads back 0: Initiate Function Level Reset
 * (Device Control bit 15; pcie_cap_flr_write_config) and Electromechanical
 * Interlock Control (Slot Control bit 11; pcie_cap_slot_write_config).
 * Comparisons of probed writable bits leave them out.
 */
import { type ConfigSpace } from './config-space.js';
import { PCI_CAP_ID } from './regs.js';

const DEVCTL_HI = 0x08 + 1; // PCI_EXP_DEVCTL, high byte: BCR_FLR 0x80
const SLTCTL_HI = 0x18 + 1; // PCI_EXP_SLTCTL, high byte: EIC 0x08

export function probeBlindBits(cs: ConfigSpace): (i: number) => number {
  const exp = cs.capabilities.find((c) => c.id === PCI_CAP_ID.EXP && !c.extended);
  if (!exp) return () => 0;
  return (i) => (i === exp.offset + DEVCTL_HI ? 0x80 : i === exp.offset + SLTCTL_HI ? 0x08 : 0);
}
