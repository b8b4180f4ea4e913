/**
 * The PCI Express capability of a downstream port with a slot (root port,
 * switch downstream port): link width/speed, ARI forwarding, the Slot
 * and Root registers, and the state the slot takes from what is plugged
 * in. QEMU: pcie_port_init_reg (hw/pci/pcie_port.c); pcie_cap_fill_slot_lnk,
 * pcie_cap_arifwd_init, pcie_cap_slot_init, pcie_cap_root_init,
 * pcie_cap_slot_plug_cb, pcie_cap_slot_reset, pcie_cap_root_reset,
 * pcie_cap_deverr_reset, pcie_cap_arifwd_reset, pcie_sync_bridge_lnk
 * (hw/pci/pcie.c).
 */
import { type ConfigSpace, clearLE, getLE, orLE, setLE } from './config-space.js';
import { PCI_BRIDGE, PCI_BRIDGE_CTL } from './bridge.js';
import { LNKSTA_DLLLA, PCI_EXP } from './pcie-cap.js';
import { PCI } from './regs.js';

/** Link speeds as QEMU's PCIExpLinkSpeed (= the LNKCAP Max Link Speed code). */
export const LINK_SPEED: Record<string, number> = { '2_5': 1, '5': 2, '8': 3, '16': 4, '32': 5, '64': 6 };
/** Link widths (PCIExpLinkWidth = the lane count). */
export const LINK_WIDTHS = [1, 2, 4, 8, 12, 16, 32];

const FLAGS_SLOT = 0x0100;
const LNKCAP_MLS = 0x0000000f;
const LNKCAP_MLW = 0x000003f0;
const LNKCAP_DLLLARC = 0x00100000;
const LNKCAP_LBNC = 0x00200000;
const LNKSTA_CLS = 0x000f;
const LNKSTA_NLW = 0x03f0;
const LNKCTL2_TLS = 0x000f;
const DEVCAP2_ARI = 0x20;
const DEVCTL2_ARI = 0x20;
const DEVCTL_ERR_ENABLES = 0x000f;

export const SLTCAP = {
  ABP: 0x01, PCP: 0x02, AIP: 0x08, PIP: 0x10, HPS: 0x20, HPC: 0x40, EIP: 0x20000, PSN_SHIFT: 19,
} as const;
export const SLTCTL = {
  ABPE: 0x01, PDCE: 0x08, CCIE: 0x10, HPIE: 0x20,
  AIC: 0x00c0, ATTN_IND_OFF: 0x00c0,
  PIC: 0x0300, PWR_IND_ON: 0x0100, PWR_IND_OFF: 0x0300,
  PCC: 0x0400, EIC: 0x0800,
} as const;
export const SLTSTA = { ABP: 0x01, PDC: 0x08, CC: 0x10, PDS: 0x40, EIS: 0x80 } as const;
/** PCI_EXP_HP_EV_SUPPORTED: the hot-plug events QEMU raises (ABP | PDC | CC), write-1-to-clear. */
export const HP_EV_SUPPORTED = SLTSTA.ABP | SLTSTA.PDC | SLTSTA.CC;
const RTCTL_SYSERR_ENABLES = 0x0007; // SECEE | SENFEE | SEFEE

/**
 * QEMU: pcie_port_init_reg — Status and Secondary Status cleared (66 MHz
 * and fast back-to-back do not apply to Express), and the conventional-only
 * Bridge Control bits read-only.
 */
export function pciePortInitReg(cs: ConfigSpace): void {
  setLE(cs.config, PCI.STATUS, 2, 0);
  setLE(cs.config, PCI_BRIDGE.SEC_STATUS, 2, 0);
  const C = PCI_BRIDGE_CTL;
  clearLE(cs.wmask, PCI_BRIDGE.CONTROL, 2,
    C.MASTER_ABORT | C.FAST_BACK | C.DISCARD | C.SEC_DISCARD | C.DISCARD_STATUS | C.DISCARD_SERR);
}

export interface SlotLink {
  /** PCIExpLinkSpeed code (1 = 2.5 GT/s … 6 = 64 GT/s). */
  speed: number;
  /** Lanes. */
  width: number;
  /** Up to 5.2 a speed above 2.5 GT/s also set Link Status DLLLA at init. */
  dllaAtInit: boolean;
}

/**
 * QEMU: pcie_cap_fill_slot_lnk (and pcie_cap_fill_lnk) — Max Link Width and
 * Speed from x-width/x-speed; wider than x1 or faster than 2.5 GT/s adds
 * Link Bandwidth Notification; faster than 2.5 GT/s adds DLL Link Active
 * Reporting and sets Target Link Speed; faster than 5 GT/s fills the
 * Supported Link Speeds vector of Link Capabilities 2.
 */
export function pcieCapFillSlotLnk(cs: ConfigSpace, pos: number, link: SlotLink): void {
  const c = cs.config;
  clearLE(c, pos + PCI_EXP.LNKCAP, 4, LNKCAP_MLW | LNKCAP_MLS);
  orLE(c, pos + PCI_EXP.LNKCAP, 4, (link.width << 4) | link.speed);
  if (link.width > 1 || link.speed > 1) orLE(c, pos + PCI_EXP.LNKCAP, 4, LNKCAP_LBNC);
  if (link.speed > 1) {
    orLE(c, pos + PCI_EXP.LNKCAP, 4, LNKCAP_DLLLARC);
    if (link.dllaAtInit) orLE(c, pos + PCI_EXP.LNKSTA, 2, LNKSTA_DLLLA);
    clearLE(c, pos + PCI_EXP.LNKCTL2, 2, LNKCTL2_TLS);
    orLE(c, pos + PCI_EXP.LNKCTL2, 2, link.speed & LNKCTL2_TLS);
  }
  if (link.speed > 2) {
    // 2.5, 5 and 8 GT/s, then one bit per faster speed (PCI_EXP_LNKCAP2_SLS_*).
    let sls = 0x02 | 0x04 | 0x08;
    for (let s = 4; s <= link.speed; s++) sls |= 1 << s;
    setLE(c, pos + PCI_EXP.LNKCAP2, 4, sls);
  }
}

/** QEMU: pcie_cap_arifwd_init — ARI Forwarding Supported, and its enable writable. */
export function pcieCapArifwdInit(cs: ConfigSpace, pos: number): void {
  orLE(cs.config, pos + PCI_EXP.DEVCAP2, 4, DEVCAP2_ARI);
  orLE(cs.wmask, pos + PCI_EXP.DEVCTL2, 4, DEVCTL2_ARI);
}

export interface SlotOptions {
  /** The "slot" property: Physical Slot Number. */
  slot: number;
  /** hotplug=on and the native hot-plug capability not hidden (see the builder). */
  nativeHotplug: boolean;
  /** power_controller_present (QEMU_PCIE_SLTCAP_PCP). */
  powerController: boolean;
  /** From 8.1 Presence Detect State is not compared on load (before, it was). */
  pdsUnchecked: boolean;
}

/**
 * QEMU: pcie_cap_slot_init — Slot Implemented; Slot Capabilities with the
 * physical slot number, electromechanical interlock, power and attention
 * indicators, attention button, optionally hot-plug surprise/capable and
 * the power controller; Slot Control's indicator, interrupt-enable and
 * (with a power controller) power bits writable, Electromechanical
 * Interlock Control writable although it reads 0; the supported hot-plug
 * events write-1-to-clear in Slot Status, whose Presence Detect State is
 * not compared from 8.1 (a guest may have unplugged the device).
 */
export function pcieCapSlotInit(cs: ConfigSpace, pos: number, s: SlotOptions): void {
  orLE(cs.config, pos + PCI_EXP.FLAGS, 2, FLAGS_SLOT);
  let sltcap = ((s.slot << SLTCAP.PSN_SHIFT) | SLTCAP.EIP | SLTCAP.PIP | SLTCAP.AIP | SLTCAP.ABP) >>> 0;
  if (s.nativeHotplug) sltcap |= SLTCAP.HPS | SLTCAP.HPC;
  if (s.powerController) {
    sltcap |= SLTCAP.PCP;
    clearLE(cs.config, pos + PCI_EXP.SLTCTL, 2, SLTCTL.PCC);
    orLE(cs.wmask, pos + PCI_EXP.SLTCTL, 2, SLTCTL.PCC);
  }
  setLE(cs.config, pos + PCI_EXP.SLTCAP, 4, sltcap >>> 0);
  clearLE(cs.config, pos + PCI_EXP.SLTCTL, 2, SLTCTL.PIC | SLTCTL.AIC);
  orLE(cs.config, pos + PCI_EXP.SLTCTL, 2, SLTCTL.PWR_IND_OFF | SLTCTL.ATTN_IND_OFF);
  orLE(cs.wmask, pos + PCI_EXP.SLTCTL, 2,
    SLTCTL.PIC | SLTCTL.AIC | SLTCTL.HPIE | SLTCTL.CCIE | SLTCTL.PDCE | SLTCTL.ABPE | SLTCTL.EIC);
  orLE(cs.w1cmask, pos + PCI_EXP.SLTSTA, 2, HP_EV_SUPPORTED);
  if (s.pdsUnchecked) clearLE(cs.cmask, pos + PCI_EXP.SLTSTA, 2, SLTSTA.PDS);
}

/** QEMU: pcie_cap_root_init — the system-error-on-error enables of Root Control writable. */
export function pcieCapRootInit(cs: ConfigSpace, pos: number): void {
  setLE(cs.wmask, pos + PCI_EXP.RTCTL, 2, RTCTL_SYSERR_ENABLES);
}

export interface PluggedChild {
  /** The child's x-pcie-lnksta-dllla (QEMU_PCIE_LNKSTA_DLLLA in its cap_present). */
  lnkstaDllla: boolean;
}

export interface PlugRules {
  /** From 6.0, Link Capabilities DLLLARC also makes a cold-plugged device set DLLLA. */
  dllaFromLnkcap: boolean;
}

/**
 * QEMU: pcie_cap_slot_plug_cb for a device present at start (not
 * hotplugged): Presence Detect State, and Data Link Layer Link Active when
 * the child has x-pcie-lnksta-dllla or (6.0+) the port reports DLL Link
 * Active. No hot-plug event is raised.
 */
export function pcieCapSlotColdPlug(cs: ConfigSpace, pos: number, child: PluggedChild, rules: PlugRules): void {
  orLE(cs.config, pos + PCI_EXP.SLTSTA, 2, SLTSTA.PDS);
  const lnkcap = getLE(cs.config, pos + PCI_EXP.LNKCAP, 4);
  if (child.lnkstaDllla || (rules.dllaFromLnkcap && (lnkcap & LNKCAP_DLLLARC) !== 0)) {
    orLE(cs.config, pos + PCI_EXP.LNKSTA, 2, LNKSTA_DLLLA);
  }
}

export interface SlotResetRules {
  /**
   * From 8.0 ("pcie: set power indicator to off on reset by default") the
   * reset first sets the power indicator to Off (11b); setting On (01b) on
   * top leaves it Off. Before, it started from 00b and a populated slot's
   * indicator read On.
   */
  pwrIndOffFirst: boolean;
}

/**
 * QEMU: pcie_cap_slot_reset — Slot Control's enables cleared, indicators
 * off; with a power controller the slot is powered when populated (device
 * number 0 on the secondary bus) and off otherwise; the latched events and
 * the interlock status cleared.
 */
export function pcieCapSlotReset(cs: ConfigSpace, pos: number, populated: boolean, powerController: boolean, rules: SlotResetRules): void {
  const at = pos + PCI_EXP.SLTCTL;
  clearLE(cs.config, at, 2,
    SLTCTL.EIC | SLTCTL.PIC | SLTCTL.AIC | SLTCTL.HPIE | SLTCTL.CCIE | SLTCTL.PDCE | SLTCTL.ABPE);
  orLE(cs.config, at, 2, SLTCTL.ATTN_IND_OFF | (rules.pwrIndOffFirst ? SLTCTL.PWR_IND_OFF : 0));
  if (powerController) {
    if (populated) clearLE(cs.config, at, 2, SLTCTL.PCC);
    else orLE(cs.config, at, 2, SLTCTL.PCC);
    orLE(cs.config, at, 2, populated ? SLTCTL.PWR_IND_ON : SLTCTL.PWR_IND_OFF);
  }
  clearLE(cs.config, pos + PCI_EXP.SLTSTA, 2, SLTSTA.EIS | SLTSTA.CC | SLTSTA.PDC | SLTSTA.ABP);
}

/**
 * What else rp_reset_hold resets in the Express capability: Root Control
 * (pcie_cap_root_reset), the error reporting enables (pcie_cap_deverr_reset)
 * and ARI forwarding (pcie_cap_arifwd_reset) — all 0 on a fresh device.
 */
export function pcieCapPortReset(cs: ConfigSpace, pos: number): void {
  setLE(cs.config, pos + PCI_EXP.RTCTL, 2, 0);
  clearLE(cs.config, pos + PCI_EXP.DEVCTL, 2, DEVCTL_ERR_ENABLES);
  clearLE(cs.config, pos + PCI_EXP.DEVCTL2, 2, DEVCTL2_ARI);
}

/**
 * QEMU: pcie_sync_bridge_lnk, run whenever the guest reads the port's
 * Link Status: width and speed are the device's own (clamped to the port's
 * maximum) when a PCI Express device sits at device 0 of the secondary
 * bus, else the port's maximum. Link Status is never compared on load, so
 * this only makes the bytes read the same as a guest sees them.
 */
export function pcieSyncBridgeLnk(cs: ConfigSpace, pos: number, childLnksta: number | undefined, floorAlways = true): void {
  const lnkcap = getLE(cs.config, pos + PCI_EXP.LNKCAP, 2);
  let lnksta = lnkcap;
  // Before 7.2.16 the x1 / 2.5 GT/s floor only raised a device's own zero
  // width or speed (the else branches); a zero from Link Capabilities stayed.
  let nlwFloor = floorAlways;
  let clsFloor = floorAlways;
  if (childLnksta !== undefined) {
    lnksta = childLnksta;
    if ((lnksta & LNKSTA_NLW) > (lnkcap & LNKCAP_MLW)) lnksta = (lnksta & ~LNKSTA_NLW) | (lnkcap & LNKCAP_MLW);
    else nlwFloor = true;
    if ((lnksta & LNKSTA_CLS) > (lnkcap & LNKCAP_MLS)) lnksta = (lnksta & ~LNKSTA_CLS) | (lnkcap & LNKCAP_MLS);
    else clsFloor = true;
  }
  if (nlwFloor && !(lnksta & LNKSTA_NLW)) lnksta |= 1 << 4;
  if (clsFloor && !(lnksta & LNKSTA_CLS)) lnksta |= 1;
  clearLE(cs.config, pos + PCI_EXP.LNKSTA, 2, LNKSTA_CLS | LNKSTA_NLW);
  orLE(cs.config, pos + PCI_EXP.LNKSTA, 2, lnksta & (LNKSTA_CLS | LNKSTA_NLW));
}
