/**
 * pci-bridge. QEMU: pci_bridge_dev_realize (hw/pci-bridge/pci_bridge_dev.c)
 * — the type-1 header (pci_bridge_initfn), with shpc the SHPC capability
 * and interrupt pin A, the Slot ID capability with chassis_nr, MSI when
 * SHPC is there, the resource-reserve hint, and BAR0 = the SHPC registers;
 * then qdev_pci_bridge_dev_reset (pci_bridge_reset: windows left at 0).
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { pciBridgeInitfn, pciBridgeReset, pciInitMaskBridge } from '../config-space/bridge.js';
import { msiInit } from '../config-space/msi.js';
import { shpcBarSize, shpcCapInit } from '../config-space/shpc.js';
import { slotidCapInit } from '../config-space/slotid.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { addReserveCap, refuseBridgeRom, reservesOf } from './bridge-common.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propNumber, propValue } from './model.js';

/** PCI_VENDOR_ID_REDHAT, PCI_DEVICE_ID_REDHAT_BRIDGE */
const VENDOR = 0x1b36;
const DEVICE = 0x0001;

function buildPciBridge(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const cs = createConfigSpace({ vendorId: VENDOR, deviceId: DEVICE, revision: 0, classId: 0x0604, bridge: true, multifunction: propBool(ctx, 'multifunction') },
    PCI.CONFIG_SPACE_SIZE);
  pciInitMaskBridge(cs);
  pciBridgeInitfn(cs, { expressSecondary: false, writeableSltBug: true });
  const shpc = propBool(ctx, 'shpc', true);
  if (shpc) {
    cs.config[PCI.INTERRUPT_PIN] = 1;
    shpcCapInit(cs);
  } else {
    notes.push('no SHPC: no hot-plug controller, no MSI, no BAR0');
  }
  const chassis = propNumber(ctx, 'chassis_nr', 0);
  if (!chassis) throw new RealizeError('Bridge chassis not specified. Each bridge is required to be assigned a unique chassis id > 0.');
  slotidCapInit(cs, 0, chassis);
  // MSI is not applicable without SHPC; msi=auto never fails on x86.
  if (shpc && (propValue(ctx, 'msi') ?? 'auto') !== 'off') msiInit(cs, 0, 1, true, true);
  addReserveCap(cs, reservesOf(ctx), notes);
  if (shpc) registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_TYPE_64, shpcBarSize(), 'SHPC registers');
  refuseBridgeRom(ctx);
  pciBridgeReset(cs);
  return { cs, notes };
}

export const pciBridge: DeviceModel = {
  drivers: ['pci-bridge'],
  families: ['pci-device', 'base-pci-bridge', 'pci-bridge'],
  sectionName: 'pci_bridge',
  configField: 'parent_obj',
  typeChain: () => deviceFamily('pci-bridge').typeChains.pci,
  build: (_driver, ctx) => buildPciBridge(ctx),
};
