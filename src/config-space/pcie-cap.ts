/**
 * The PCI Express capability of an endpoint. QEMU: pcie_cap_init,
 * pcie_cap_v1_init, pcie_cap_v1_fill, pcie_endpoint_cap_init,
 * pcie_endpoint_cap_v1_init, pcie_cap_deverr_init,
 * pcie_cap_lnkctl_init, pcie_cap_flr_init (hw/pci/pcie.c).
 */
import { type ConfigSpace, orLE, setLE } from './config-space.js';
import { addCapability } from './capability.js';
import { PCI, PCI_CAP_ID } from './regs.js';

export const PCI_EXP_VER2_SIZEOF = 0x3c;
/** A version-1 capability ends after Link Status (PCI_EXP_VER1_SIZEOF). */
export const PCI_EXP_VER1_SIZEOF = 0x14;
export const PCI_EXP = {
  FLAGS: 0x02, DEVCAP: 0x04, DEVCTL: 0x08, DEVSTA: 0x0a, LNKCAP: 0x0c, LNKCTL: 0x10, LNKSTA: 0x12,
  SLTCAP: 0x14, SLTCTL: 0x18, SLTSTA: 0x1a, RTCTL: 0x1c, RTCAP: 0x1e, RTSTA: 0x20,
  DEVCAP2: 0x24, DEVCTL2: 0x28, LNKCAP2: 0x2c, LNKCTL2: 0x30,
} as const;
export const PCI_EXP_TYPE = { ENDPOINT: 0x0, ROOT_PORT: 0x4, UPSTREAM: 0x5, DOWNSTREAM: 0x6, PCI_BRIDGE: 0x7, RC_END: 0x9 } as const;

const FLAGS_VER1 = 1;
const FLAGS_VER2 = 2;
const DEVCAP_RBER = 0x8000;
const DEVCAP_EXT_TAG = 0x20;
const DEVCAP_FLR = 0x10000000;
const DEVCTL_ERR_ENABLES = 0x000f; // CERE | NFERE | FERE | URRE
const DEVCTL_BCR_FLR = 0x8000;
const DEVSTA_ERR_DETECTED = 0x000f; // CED | NFED | FED | URD
const LNKCAP_ASPMS_0S = 0x400;
const LNK_X1 = 1 << 4; // width x1 in LNKCAP.MLW / LNKSTA.NLW
const LNK_2_5GT = 1; // speed 2.5 GT/s in LNKCAP.MLS / LNKSTA.CLS
const LNKCTL_CCC_ES = 0x00c0;
export const LNKSTA_DLLLA = 0x2000;
const DEVCAP2_EFF_EETLPP = 0x300000;
const DEVCTL2_EETLPPB = 0x8000;

export const PCIE_CAP_FIELDS = [
  { at: PCI_EXP.FLAGS, length: 2, name: 'PCIe Capabilities register (type/version)' },
  { at: PCI_EXP.DEVCAP, length: 4, name: 'PCIe Device Capabilities' },
  { at: PCI_EXP.DEVCTL, length: 2, name: 'PCIe Device Control' },
  { at: PCI_EXP.DEVSTA, length: 2, name: 'PCIe Device Status' },
  { at: PCI_EXP.LNKCAP, length: 4, name: 'PCIe Link Capabilities' },
  { at: PCI_EXP.LNKCTL, length: 2, name: 'PCIe Link Control' },
  { at: PCI_EXP.LNKSTA, length: 2, name: 'PCIe Link Status' },
  { at: PCI_EXP.SLTCAP, length: 4, name: 'PCIe Slot Capabilities' },
  { at: PCI_EXP.SLTCTL, length: 2, name: 'PCIe Slot Control' },
  { at: PCI_EXP.SLTSTA, length: 2, name: 'PCIe Slot Status' },
  { at: PCI_EXP.RTCTL, length: 2, name: 'PCIe Root Control' },
  { at: PCI_EXP.RTCAP, length: 2, name: 'PCIe Root Capabilities' },
  { at: PCI_EXP.RTSTA, length: 4, name: 'PCIe Root Status' },
  { at: PCI_EXP.DEVCAP2, length: 4, name: 'PCIe Device Capabilities 2' },
  { at: PCI_EXP.DEVCTL2, length: 2, name: 'PCIe Device Control 2' },
  { at: PCI_EXP.LNKCAP2, length: 4, name: 'PCIe Link Capabilities 2' },
  { at: PCI_EXP.LNKCTL2, length: 2, name: 'PCIe Link Control 2' },
];


export interface PcieCapOptions {
  /** x-pcie-extcap-init: make the dword at 0x100 read-only, a NULL extended header. */
  extcapInit: boolean;
  /** x-pcie-ext-tag (QEMU_PCIE_EXT_TAG, 9.2+): Extended Tag Field Supported. */
  extTag: boolean;
  /** Up to 5.2, pcie_cap_v1_fill set Link Status DLLLA itself (x-pcie-lnksta-dllla). */
  lnkstaDllla: boolean;
}

/**
 * QEMU: pcie_cap_init(dev, offset, type, port) — a version-2 capability
 * (offset 0: the first free space) filled by pcie_cap_v1_fill: x1 at
 * 2.5 GT/s, role-based error reporting, the port number in Link
 * Capabilities. A PCIe slot's link width and speed are filled afterwards
 * (pcie-port.ts, pcie_cap_fill_slot_lnk).
 */
export function pcieCapInit(cs: ConfigSpace, offset: number, type: number, port: number, opts: PcieCapOptions): number {
  const pos = addCapability(cs, PCI_CAP_ID.EXP, offset, PCI_EXP_VER2_SIZEOF, 'PCI Express', PCIE_CAP_FIELDS);
  pcieCapV1Fill(cs, pos, type, port, FLAGS_VER2, opts);
  setLE(cs.config, pos + PCI_EXP.DEVCAP2, 4, DEVCAP2_EFF_EETLPP);
  setLE(cs.wmask, pos + PCI_EXP.DEVCTL2, 2, DEVCTL2_EETLPPB);
  if (opts.extcapInit && cs.size === PCI.EXPRESS_CONFIG_SPACE_SIZE) {
    setLE(cs.wmask, PCI.CONFIG_SPACE_SIZE, 4, 0);
  }
  return pos;
}

/**
 * QEMU: pcie_cap_v1_init(dev, offset, type, port) — a version-1
 * capability of PCI_EXP_VER1_SIZEOF bytes (up to Link Status), filled by
 * the same pcie_cap_v1_fill; no Device Capabilities 2 and no
 * x-pcie-extcap-init handling.
 */
export function pcieCapV1Init(cs: ConfigSpace, offset: number, type: number, port: number, opts: PcieCapOptions): number {
  const fields = PCIE_CAP_FIELDS.filter((f) => f.at < PCI_EXP_VER1_SIZEOF);
  const pos = addCapability(cs, PCI_CAP_ID.EXP, offset, PCI_EXP_VER1_SIZEOF, 'PCI Express (v1)', fields);
  pcieCapV1Fill(cs, pos, type, port, FLAGS_VER1, opts);
  return pos;
}

/** QEMU: pcie_cap_v1_fill — x1 at 2.5 GT/s, role-based error reporting, the port number in Link Capabilities. */
function pcieCapV1Fill(cs: ConfigSpace, pos: number, type: number, port: number, version: number, opts: PcieCapOptions): void {
  setLE(cs.config, pos + PCI_EXP.FLAGS, 2, (type << 4) | version);
  setLE(cs.config, pos + PCI_EXP.DEVCAP, 4, DEVCAP_RBER | (opts.extTag ? DEVCAP_EXT_TAG : 0));
  setLE(cs.config, pos + PCI_EXP.LNKCAP, 4, ((port << 24) | LNKCAP_ASPMS_0S | LNK_X1 | LNK_2_5GT) >>> 0);
  setLE(cs.config, pos + PCI_EXP.LNKSTA, 2, LNK_X1 | LNK_2_5GT | (opts.lnkstaDllla ? LNKSTA_DLLLA : 0));
  // Link Status changes across versions and in hardware: never compared.
  setLE(cs.cmask, pos + PCI_EXP.LNKSTA, 2, 0);
}

export interface PcieEndpointOptions extends PcieCapOptions {
  /** On the root complex itself (q35's pcie.0): a Root Complex Integrated Endpoint. */
  onRootBus: boolean;
}

/** QEMU: pcie_endpoint_cap_init(dev, offset) — a version-2 capability (offset 0: the first free space). */
export function pcieEndpointCapInit(cs: ConfigSpace, opts: PcieEndpointOptions, offset = 0): number {
  return pcieCapInit(cs, offset, opts.onRootBus ? PCI_EXP_TYPE.RC_END : PCI_EXP_TYPE.ENDPOINT, 0, opts);
}

/** QEMU: pcie_endpoint_cap_v1_init(dev, offset) — the same choice of type, a version-1 capability. */
export function pcieEndpointCapV1Init(cs: ConfigSpace, opts: PcieEndpointOptions, offset = 0): number {
  return pcieCapV1Init(cs, offset, opts.onRootBus ? PCI_EXP_TYPE.RC_END : PCI_EXP_TYPE.ENDPOINT, 0, opts);
}

/** QEMU: pcie_cap_deverr_init — error reporting enables writable, error status write-1-to-clear. */
export function pcieCapDeverrInit(cs: ConfigSpace, pos: number): void {
  orLE(cs.config, pos + PCI_EXP.DEVCAP, 4, DEVCAP_RBER);
  orLE(cs.wmask, pos + PCI_EXP.DEVCTL, 2, DEVCTL_ERR_ENABLES);
  orLE(cs.w1cmask, pos + PCI_EXP.DEVSTA, 2, DEVSTA_ERR_DETECTED);
}

/** QEMU: pcie_cap_lnkctl_init — Common Clock Configuration and Extended Synch writable. */
export function pcieCapLnkctlInit(cs: ConfigSpace, pos: number): void {
  orLE(cs.wmask, pos + PCI_EXP.LNKCTL, 2, LNKCTL_CCC_ES);
}

/** QEMU: pcie_cap_flr_init — advertise Function Level Reset; Initiate FLR writable. */
export function pcieCapFlrInit(cs: ConfigSpace, pos: number): void {
  orLE(cs.config, pos + PCI_EXP.DEVCAP, 4, DEVCAP_FLR);
  orLE(cs.wmask, pos + PCI_EXP.DEVCTL, 2, DEVCTL_BCR_FLR);
}
