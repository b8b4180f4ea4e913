/**
 * Bridge Subsystem Vendor ID capability: a type-1 header has no subsystem
 * ID registers, so bridges report them here. QEMU: pci_bridge_ssvid_init
 * (hw/pci/pci_bridge.c).
 */
import { type ConfigSpace, setLE } from './config-space.js';
import { addCapability } from './capability.js';
import { PCI_CAP_ID } from './regs.js';

export const PCI_SSVID_SIZEOF = 8;
const PCI_SSVID_SVID = 4;
const PCI_SSVID_SSID = 6;

export function pciBridgeSsvidInit(cs: ConfigSpace, offset: number, svid: number, ssid: number): number {
  const pos = addCapability(cs, PCI_CAP_ID.SSVID, offset, PCI_SSVID_SIZEOF, 'Bridge Subsystem Vendor ID', [
    { at: PCI_SSVID_SVID, length: 2, name: 'Bridge Subsystem Vendor ID' },
    { at: PCI_SSVID_SSID, length: 2, name: 'Bridge Subsystem ID' },
  ]);
  setLE(cs.config, pos + PCI_SSVID_SVID, 2, svid);
  setLE(cs.config, pos + PCI_SSVID_SSID, 2, ssid);
  return pos;
}
