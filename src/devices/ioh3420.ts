/**
 * ioh3420, the Intel IOH (X58) PCI Express root port libvirt used on q35
 * before pcie-root-port. QEMU: ioh3420_class_init
 * (hw/pci-bridge/ioh3420.c) on the same rp_realize and rp_reset_hold as
 * pcie-root-port (hw/pci-bridge/pcie_root_port.c), without
 * gen_rp_realize: Intel 8086:3420 revision 2, SSVID at 0x40 (8086:0000),
 * MSI with 2 vectors and per-vector masking at 0x60 instead of an MSI-X
 * BAR, the Express capability at 0x90, AER at 0x100, no ACS, no
 * resource-reserve hint, and the x1 / 2.5 GT/s link rp_instance_post_init
 * gives a class without x-speed/x-width.
 */
import { deviceFamily } from '../profiles/data.js';
import { buildRootPort, type RootPortClass } from './pcie-root-port.js';
import { type DeviceModel } from './model.js';

const PCI_VENDOR_ID_INTEL = 0x8086;
/** PCI_DEVICE_ID_IOH_EPORT, PCI_DEVICE_ID_IOH_REV; IOH_EP_* offsets. */
const IOH3420: RootPortClass = {
  vendorId: PCI_VENDOR_ID_INTEL, deviceId: 0x3420, revision: 0x2,
  ssvidOffset: 0x40, ssid: 0,
  // ioh3420_interrupts_init: IOH_EP_MSI_SUPPORTED_FLAGS is PCI_MSI_FLAGS_MASKBIT only (32-bit addresses).
  interrupts: { kind: 'msi', offset: 0x60, vectors: 2, is64: false, maskbit: true },
  expOffset: 0x90, aerOffset: 0x100, acsOffset: 0, generic: false,
};

export const ioh3420: DeviceModel = {
  drivers: ['ioh3420'],
  families: ['pci-device', 'base-pci-bridge', 'pcie-port', 'pcie-slot', 'pcie-root-port-base', 'ioh3420'],
  // vmstate_ioh3420's name keeps QEMU's historical typo "3240".
  sectionName: 'ioh-3240-express-root-port',
  configField: 'parent_obj.parent_obj.parent_obj',
  typeChain: () => deviceFamily('ioh3420').typeChains.pci,
  build: (_driver, ctx) => buildRootPort(ctx, IOH3420, 'ioh3420'),
};
