/**
 * pcie-pci-bridge. QEMU: pcie_pci_bridge_realize
 * (hw/pci-bridge/pcie_pci_bridge.c) — the type-1 header, interrupt pin A,
 * SHPC, a PCI Express capability of type PCI Express-to-PCI bridge with
 * ARI forwarding and error reporting, PM, AER at 0x100, MSI, and BAR0 =
 * the SHPC registers; then pcie_pci_bridge_reset (pci_bridge_reset).
 */
import { createConfigSpace, setLE } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { pciBridgeInitfn, pciBridgeReset, pciInitMaskBridge } from '../config-space/bridge.js';
import { msiInit } from '../config-space/msi.js';
import { shpcBarSize, shpcCapInit } from '../config-space/shpc.js';
import { pcieCapDeverrInit, pcieCapInit, PCI_EXP_TYPE } from '../config-space/pcie-cap.js';
import { pcieCapArifwdInit } from '../config-space/pcie-port.js';
import { addPmCapability, PCI_PM_PMC } from '../config-space/pm.js';
import { pcieAerInit } from '../config-space/aer.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { refuseBridgeRom } from './bridge-common.js';
import { aerUncMaskOf, pcieCapOptionsOf } from './pcie-options.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propValue } from './model.js';

/** PCI_VENDOR_ID_REDHAT, PCI_DEVICE_ID_REDHAT_PCIE_BRIDGE */
const VENDOR = 0x1b36;
const DEVICE = 0x000e;
const AER_OFFSET = 0x100;

function buildPciePciBridge(ctx: BuildContext): BuiltDevice {
  const cs = createConfigSpace({ vendorId: VENDOR, deviceId: DEVICE, revision: 0, classId: 0x0604, bridge: true, multifunction: propBool(ctx, 'multifunction') },
    PCI.EXPRESS_CONFIG_SPACE_SIZE);
  pciInitMaskBridge(cs);
  pciBridgeInitfn(cs, { expressSecondary: false, writeableSltBug: true });
  cs.config[PCI.INTERRUPT_PIN] = 1;
  shpcCapInit(cs);
  const exp = pcieCapInit(cs, 0, PCI_EXP_TYPE.PCI_BRIDGE, 0, pcieCapOptionsOf(ctx));
  const pm = addPmCapability(cs);
  setLE(cs.config, pm + PCI_PM_PMC, 2, 0x3);
  pcieCapArifwdInit(cs, exp);
  pcieCapDeverrInit(cs, exp);
  // No aer_log_max property: the PCIDevice's log_max stays 0.
  pcieAerInit(cs, AER_OFFSET, { logMax: 0, uncMask: aerUncMaskOf(ctx), port: false });
  if ((propValue(ctx, 'msi') ?? 'auto') !== 'off') msiInit(cs, 0, 1, true, true);
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_TYPE_64, shpcBarSize(), 'SHPC registers');
  refuseBridgeRom(ctx);
  pciBridgeReset(cs);
  return { cs, notes: [] };
}

export const pciePciBridge: DeviceModel = {
  drivers: ['pcie-pci-bridge'],
  families: ['pci-device', 'base-pci-bridge', 'pcie-pci-bridge'],
  sectionName: 'pcie-pci-bridge',
  configField: 'parent_obj',
  typeChain: () => deviceFamily('pcie-pci-bridge').typeChains.pci,
  build: (_driver, ctx) => buildPciePciBridge(ctx),
};
