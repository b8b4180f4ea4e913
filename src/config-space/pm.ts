/**
 * PCI Power Management capability. QEMU: pci_add_capability(PCI_CAP_ID_PM,
 * PCI_PM_SIZEOF) as used by virtio_pci_realize (later wrapped as pci_pm_init).
 */
import { type ConfigSpace } from './config-space.js';
import { addCapability } from './capability.js';
import { PCI_CAP_ID } from './regs.js';

export const PCI_PM_SIZEOF = 8;
export const PCI_PM_PMC = 2;
export const PCI_PM_CTRL = 4;
export const PCI_PM_CTRL_STATE_MASK = 0x0003;
export const PCI_PM_CTRL_NO_SOFT_RESET = 0x0008;

export function addPmCapability(cs: ConfigSpace, offset = 0): number {
  return addCapability(cs, PCI_CAP_ID.PM, offset, PCI_PM_SIZEOF, 'Power Management', [
    { at: PCI_PM_PMC, length: 2, name: 'PM Capabilities (PMC)' },
    { at: PCI_PM_CTRL, length: 2, name: 'PM Control/Status (PMCSR)' },
  ]);
}
