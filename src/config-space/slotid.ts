/**
 * The Slot Identification capability of a PCI-to-PCI bridge. QEMU:
 * slotid_cap_init (hw/pci/slotid_cap.c) — Expansion Slot register
 * "First In Chassis" with the slot count (compared on load), and the
 * chassis number, which the guest may rewrite.
 */
import { type ConfigSpace } from './config-space.js';
import { addCapability } from './capability.js';

const PCI_CAP_ID_SLOTID = 0x04;
const SLOTID_CAP_LENGTH = 4;
const PCI_SID_ESR = 2;
const PCI_SID_CHASSIS_NR = 3;
const PCI_SID_ESR_FIC = 0x20;

export function slotidCapInit(cs: ConfigSpace, nslots: number, chassis: number, offset = 0): number {
  const cap = addCapability(cs, PCI_CAP_ID_SLOTID, offset, SLOTID_CAP_LENGTH, 'Slot Identification', [
    { at: PCI_SID_ESR, length: 1, name: 'Slot ID Expansion Slot register' },
    { at: PCI_SID_CHASSIS_NR, length: 1, name: 'Slot ID Chassis Number' },
  ]);
  cs.config[cap + PCI_SID_ESR] = PCI_SID_ESR_FIC | nslots;
  cs.config[cap + PCI_SID_CHASSIS_NR] = chassis;
  cs.wmask[cap + PCI_SID_CHASSIS_NR] = 0xff;
  return cap;
}
