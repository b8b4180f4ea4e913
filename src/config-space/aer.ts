/**
 * Advanced Error Reporting extended capability. QEMU: pcie_aer_init,
 * pcie_aer_root_init, pcie_aer_root_set_vector (hw/pci/pcie_aer.c).
 */
import { type ConfigSpace, orLE, setLE } from './config-space.js';
import { addExtCapability } from './capability.js';
import { PCI_BRIDGE, PCI_BRIDGE_CTL } from './bridge.js';
import { PCI, PCI_EXT_CAP_ID } from './regs.js';

export const PCI_ERR_VER = 2;
export const PCI_ERR_SIZEOF = 0x48;
export const PCI_ERR = {
  UNCOR_STATUS: 0x04, UNCOR_MASK: 0x08, UNCOR_SEVER: 0x0c, COR_STATUS: 0x10, COR_MASK: 0x14, CAP: 0x18,
  HEADER_LOG: 0x1c, ROOT_COMMAND: 0x2c, ROOT_STATUS: 0x30, ROOT_ERR_SRC: 0x34,
} as const;
/** PCIE_AER_LOG_MAX_LIMIT: aer_log_max above this is refused. */
export const PCIE_AER_LOG_MAX_LIMIT = 128;

/** The uncorrectable errors QEMU emulates (PCI_ERR_UNC_SUPPORTED). */
const UNC_SUPPORTED = 0x03fff030;
/** PCI_ERR_UNC_MASK_DEFAULT: Uncorrectable Internal Error and TLP Prefix Blocked masked. */
const UNC_MASK_DEFAULT = 0x02400000;
const UNC_SEVERITY_DEFAULT = 0x00462030;
const COR_SUPPORTED = 0x0000f1c1;
const COR_MASK_DEFAULT = 0x0000e000;
const CAP_ECRC_GENC = 0x20;
const CAP_ECRC_GENE = 0x40;
const CAP_ECRC_CHKC = 0x80;
const CAP_ECRC_CHKE = 0x100;
const CAP_MHRC = 0x200;
const CAP_MHRE = 0x400;
const ROOT_CMD_EN_MASK = 0x7;
const ROOT_STATUS_REPORT_MASK = 0x7f;
const ROOT_IRQ = 0xf8000000;
/** PCI_SEC_STATUS_RCV_SYSTEM_ERROR, which pcie_aer_init applies to the (primary) Status register. */
const RCV_SYSTEM_ERROR = 0x4000;

export const AER_FIELDS = [
  { at: PCI_ERR.UNCOR_STATUS, length: 4, name: 'AER Uncorrectable Error Status' },
  { at: PCI_ERR.UNCOR_MASK, length: 4, name: 'AER Uncorrectable Error Mask' },
  { at: PCI_ERR.UNCOR_SEVER, length: 4, name: 'AER Uncorrectable Error Severity' },
  { at: PCI_ERR.COR_STATUS, length: 4, name: 'AER Correctable Error Status' },
  { at: PCI_ERR.COR_MASK, length: 4, name: 'AER Correctable Error Mask' },
  { at: PCI_ERR.CAP, length: 4, name: 'AER Capabilities and Control' },
  { at: PCI_ERR.HEADER_LOG, length: 16, name: 'AER Header Log' },
  { at: PCI_ERR.ROOT_COMMAND, length: 4, name: 'AER Root Error Command' },
  { at: PCI_ERR.ROOT_STATUS, length: 4, name: 'AER Root Error Status' },
  { at: PCI_ERR.ROOT_ERR_SRC, length: 4, name: 'AER Error Source Identification' },
];

export interface AerOptions {
  /** aer_log_max: more than 0 advertises Multiple Header Recording. */
  logMax: number;
  /** x-pcie-err-unc-mask (QEMU_PCIE_ERR_UNC_MASK, 8.1+): the Uncorrectable Error Mask register. */
  uncMask: boolean;
  /** PCIe port types (root, upstream, downstream) make Bridge Control SERR# Enable writable. */
  port: boolean;
}

/**
 * QEMU: pcie_aer_init — error status registers write-1-to-clear, severity
 * and correctable mask writable with their defaults, ECRC (and Multiple
 * Header Recording when a log is kept) capabilities with their enables.
 */
export function pcieAerInit(cs: ConfigSpace, offset: number, opts: AerOptions): number {
  const pos = addExtCapability(cs, PCI_EXT_CAP_ID.ERR, PCI_ERR_VER, offset, PCI_ERR_SIZEOF, 'Advanced Error Reporting', AER_FIELDS);
  setLE(cs.w1cmask, pos + PCI_ERR.UNCOR_STATUS, 4, UNC_SUPPORTED);
  if (opts.uncMask) {
    setLE(cs.config, pos + PCI_ERR.UNCOR_MASK, 4, UNC_MASK_DEFAULT);
    setLE(cs.wmask, pos + PCI_ERR.UNCOR_MASK, 4, UNC_SUPPORTED);
  }
  setLE(cs.config, pos + PCI_ERR.UNCOR_SEVER, 4, UNC_SEVERITY_DEFAULT);
  setLE(cs.wmask, pos + PCI_ERR.UNCOR_SEVER, 4, UNC_SUPPORTED);
  orLE(cs.w1cmask, pos + PCI_ERR.COR_STATUS, 4, COR_SUPPORTED);
  setLE(cs.config, pos + PCI_ERR.COR_MASK, 4, COR_MASK_DEFAULT);
  setLE(cs.wmask, pos + PCI_ERR.COR_MASK, 4, COR_SUPPORTED);
  const mhr = opts.logMax > 0;
  setLE(cs.config, pos + PCI_ERR.CAP, 4, CAP_ECRC_GENC | CAP_ECRC_CHKC | (mhr ? CAP_MHRC : 0));
  setLE(cs.wmask, pos + PCI_ERR.CAP, 4, CAP_ECRC_GENE | CAP_ECRC_CHKE | (mhr ? CAP_MHRE : 0));
  if (opts.port) {
    orLE(cs.wmask, PCI_BRIDGE.CONTROL, 2, PCI_BRIDGE_CTL.SERR);
    orLE(cs.w1cmask, PCI.STATUS, 4, RCV_SYSTEM_ERROR);
  }
  return pos;
}

/**
 * QEMU: pcie_aer_root_init — Root Error Command enables writable, the
 * received-error bits of Root Error Status write-1-to-clear, and its
 * interrupt message number not compared (devices change it).
 */
export function pcieAerRootInit(cs: ConfigSpace, pos: number): void {
  setLE(cs.wmask, pos + PCI_ERR.ROOT_COMMAND, 4, ROOT_CMD_EN_MASK);
  setLE(cs.w1cmask, pos + PCI_ERR.ROOT_STATUS, 4, ROOT_STATUS_REPORT_MASK);
  setLE(cs.cmask, pos + PCI_ERR.ROOT_STATUS, 4, ~ROOT_IRQ >>> 0);
}

/** QEMU: pcie_aer_root_set_vector — the Advanced Error Interrupt Message Number. */
export function pcieAerRootSetVector(cs: ConfigSpace, pos: number, vector: number): void {
  const at = pos + PCI_ERR.ROOT_STATUS;
  const v = ((cs.config[at + 3] << 24) | (cs.config[at + 2] << 16) | (cs.config[at + 1] << 8) | cs.config[at]) >>> 0;
  setLE(cs.config, at, 4, ((v & ~ROOT_IRQ) | (vector << 27)) >>> 0);
}
