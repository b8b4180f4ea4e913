/**
 * Writable bits a guest-style probe cannot see, because writing 1 does
 * something and the bit reads back otherwise: Initiate Function Level
 * Reset (Device Control bit 15; pcie_cap_flr_write_config), Electromechanical
 * Interlock Control (Slot Control bit 11; pcie_cap_slot_write_config), and
 * the MSI Multiple Message Enable bits above what the device is capable of
 * (msi_write_config clamps a larger request to Multiple Message Capable),
 * and the SHPC DWORD Data window (shpc_cap_write_config passes a write to
 * the selected SHPC register and reads it back, so the window shows the
 * register's writable bits, not its own).
 * Comparisons of probed writable bits leave them out.
 */
import { type ConfigSpace } from './config-space.js';
import { PCI_CAP_ID } from './regs.js';
import { PCI_CAP_ID_SHPC, SHPC_CAP_DWORD_DATA } from './shpc.js';

const DEVCTL_HI = 0x08 + 1; // PCI_EXP_DEVCTL, high byte: BCR_FLR 0x80
const SLTCTL_HI = 0x18 + 1; // PCI_EXP_SLTCTL, high byte: EIC 0x08
const MSI_FLAGS = 2; // low byte: QMASK 0x0e (capable), QSIZE 0x70 (enabled)

export function probeBlindBits(cs: ConfigSpace): (i: number) => number {
  const blind = new Map<number, number>();
  const exp = cs.capabilities.find((c) => c.id === PCI_CAP_ID.EXP && !c.extended);
  if (exp) {
    blind.set(exp.offset + DEVCTL_HI, 0x80);
    blind.set(exp.offset + SLTCTL_HI, 0x08);
  }
  const msi = cs.capabilities.find((c) => c.id === PCI_CAP_ID.MSI);
  if (msi) {
    const capable = (cs.config[msi.offset + MSI_FLAGS] & 0x0e) << 3;
    blind.set(msi.offset + MSI_FLAGS, 0x70 & ~capable);
  }
  const shpc = cs.capabilities.find((c) => c.id === PCI_CAP_ID_SHPC);
  if (shpc) for (let i = 0; i < 4; i++) blind.set(shpc.offset + SHPC_CAP_DWORD_DATA + i, 0xff);
  return (i) => blind.get(i) ?? 0;
}
