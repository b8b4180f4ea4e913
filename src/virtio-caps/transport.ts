/**
 * The virtio-pci transport: from a resolved device to the config space
 * QEMU builds. QEMU: virtio_pci_dc_realize, virtio_pci_realize and
 * virtio_pci_device_plugged (hw/virtio/virtio-pci.c), in that order:
 *
 *   1. dc_realize: modern devices (not x-disable-pcie) start as PCI Express,
 *      so config space is allocated at 4096 bytes;
 *   2. realize: disable-legacy=auto resolves (on behind a PCIe port); on a
 *      PCIe port the Express and PM capabilities are added, elsewhere the
 *      device drops back to conventional (256 bytes migrated);
 *   3. device_plugged: IDs, the modern caps and BAR4, MSI-X (BAR1), the
 *      legacy I/O BAR0.
 *  (4. pci_qdev_realize then adds the option ROM, see devices/.)
 */
import { type ConfigSpace, createConfigSpace, setLE } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { msixInitExclusiveBar, MSIX_MAX_ENTRIES } from '../config-space/msix.js';
import { addPmCapability, PCI_PM_CTRL, PCI_PM_CTRL_NO_SOFT_RESET, PCI_PM_CTRL_STATE_MASK, PCI_PM_PMC } from '../config-space/pm.js';
import { pcieCapDeverrInit, pcieCapFlrInit, pcieCapLnkctlInit, pcieEndpointCapInit } from '../config-space/pcie-cap.js';
import { PCI, PCI_BASE_ADDRESS} from '../config-space/regs.js';
import { addModernCaps, defaultLayout, LEGACY_IO_BAR, MSIX_BAR, type ModernLayout, type ModernOptions } from './modern-caps.js';
import { legacyBarSize } from './legacy-bar.js';

const PCI_VENDOR_ID_REDHAT_QUMRANET = 0x1af4;
const PCI_DEVICE_ID_VIRTIO_10_BASE = 0x1040;

/** Where the device sits. A "PCIe port" is an Express bus that is not a root bus. */
export interface BusPlacement {
  express: boolean;
  root: boolean;
}

export interface VirtioPciParams {
  virtioId: number;
  /** The transitional PCI device ID (0x1000 + legacy index). */
  legacyDeviceId: number;
  /** Class word: the class default, or the device's `class` property (pci_config_set_class). */
  classId: number;
  /** The virtio device's config length in bytes (virtio_get_config_size). */
  configLen: number;
  /** Resolved MSI-X vector count (0: no MSI-X). */
  nvectors: number;
  disableLegacy: 'on' | 'off' | 'auto';
  disableModern: boolean;
  pagePerVq: boolean;
  modernPioNotify: boolean;
  xDisablePcie: boolean;
  deverrInit: boolean;
  lnkctlInit: boolean;
  pmInit: boolean;
  flrInit: boolean;
  /** x-pcie-pm-no-soft-reset (9.0+); false where the property does not exist. */
  pmNoSoftReset: boolean;
  extcapInit: boolean;
  /** x-pcie-ext-tag (9.2+): advertise Extended Tag in Device Capabilities. */
  extTag: boolean;
  lnkstaDllla: boolean;
  multifunction: boolean;
  bus: BusPlacement;
  /**
   * The device's own realize (VirtioPCIClass.realize, after the PCI Express
   * decision and before virtio_pci_device_plugged): BARs it registers
   * itself, and the BAR layout it picks (default: virtio_pci_realize's).
   */
  deviceRealize?: (cs: ConfigSpace, modern: ModernOptions) => DeviceRealize | void;
}

export interface DeviceRealize {
  /** virtio_pci_force_virtio_1: modern-only whatever disable-legacy/disable-modern said. */
  forceModern?: boolean;
  layout?: ModernLayout & { msixBar: number };
}

export class RealizeError extends Error {}

export interface VirtioPciResult {
  cs: ConfigSpace;
  legacy: boolean;
  modern: boolean;
  nvectors: number;
  warnings: string[];
}

export function buildVirtioPci(p: VirtioPciParams): VirtioPciResult {
  const warnings: string[] = [];
  let modern = !p.disableModern;
  // virtio_pci_dc_realize: Express from the start when modern.
  let express = modern && !p.xDisablePcie;
  const pciePort = p.bus.express && !p.bus.root;
  const cs = createConfigSpace({
    vendorId: PCI_VENDOR_ID_REDHAT_QUMRANET,
    deviceId: p.legacyDeviceId,
    revision: 0, // VIRTIO_PCI_ABI_VERSION
    classId: p.classId,
    multifunction: p.multifunction,
  }, express ? PCI.EXPRESS_CONFIG_SPACE_SIZE : PCI.CONFIG_SPACE_SIZE);

  // virtio_pci_realize
  const disableLegacy = p.disableLegacy === 'auto' ? (pciePort ? 'on' : 'off') : p.disableLegacy;
  let legacy = disableLegacy === 'off';
  if (!modern && !legacy) {
    throw new RealizeError('device cannot work as neither modern nor legacy mode is enabled');
  }
  if (pciePort && express) {
    const pos = pcieEndpointCapInit(cs, { onRootBus: false, extcapInit: p.extcapInit, extTag: p.extTag, lnkstaDllla: p.lnkstaDllla });
    const pm = addPmCapability(cs);
    setLE(cs.config, pm + PCI_PM_PMC, 2, 0x3); // PM spec 1.2
    if (p.deverrInit) pcieCapDeverrInit(cs, pos);
    if (p.lnkctlInit) pcieCapLnkctlInit(cs, pos);
    if (p.pmInit) setLE(cs.wmask, pm + PCI_PM_CTRL, 2, PCI_PM_CTRL_STATE_MASK);
    if (p.pmNoSoftReset) setLE(cs.config, pm + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET);
    if (p.flrInit) pcieCapFlrInit(cs, pos);
  } else {
    express = false;
    cs.size = PCI.CONFIG_SPACE_SIZE;
  }

  // k->realize, then virtio_pci_device_plugged
  const modernOpts = { pagePerVq: p.pagePerVq, modernPioNotify: p.modernPioNotify };
  const dev = p.deviceRealize?.(cs, modernOpts) ?? {};
  if (dev.forceModern) {
    legacy = false;
    modern = true;
  }
  const layout = dev.layout ?? { ...defaultLayout(modernOpts), msixBar: MSIX_BAR };
  if (legacy) {
    setLE(cs.config, PCI.SUBSYSTEM_ID, 2, p.virtioId);
  } else {
    setLE(cs.config, PCI.VENDOR_ID, 2, PCI_VENDOR_ID_REDHAT_QUMRANET);
    setLE(cs.config, PCI.DEVICE_ID, 2, PCI_DEVICE_ID_VIRTIO_10_BASE + p.virtioId);
    cs.config[PCI.REVISION_ID] = 1;
  }
  cs.config[PCI.INTERRUPT_PIN] = 1;
  if (modern) addModernCaps(cs, modernOpts, layout);
  let nvectors = p.nvectors;
  if (nvectors > 0) {
    if (nvectors > MSIX_MAX_ENTRIES) {
      warnings.push(`unable to init msix vectors to ${nvectors}`);
      nvectors = 0;
    } else {
      msixInitExclusiveBar(cs, nvectors, layout.msixBar);
    }
  }
  if (legacy) {
    registerBar(cs, LEGACY_IO_BAR, PCI_BASE_ADDRESS.SPACE_IO, legacyBarSize(nvectors > 0, p.configLen), 'virtio legacy I/O');
  }
  return { cs, legacy, modern, nvectors, warnings };
}
