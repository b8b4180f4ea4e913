/**
 * Which -device drivers are PCI functions, and which of them carry a bus of
 * their own. Shared by the command-line and libvirt adapters so that both
 * sort devices alike: PCI functions into `devices`, the others (isa-serial,
 * usb-tablet, scsi-hd, virtserialport, hda-duplex …) into `attached`, where
 * check/attached.ts compares their migration sections.
 */
import { modelFor } from '../devices/registry.js';

/** QEMU names the root bus "pci.0" (i440fx) or "pcie.0" (q35). */
export const ROOT_BUS_NAMES = new Set(['pci.0', 'pcie.0']);

/**
 * PCI expander bridges: each opens a root bus of its own, numbered bus_nr
 * (hw/pci-bridge/pci_expander_bridge.c pxb_dev_realize_common).
 */
export const EXPANDERS = new Set(['pxb', 'pxb-pcie']);

/**
 * Bridges, ports and expander buses: QEMU names the bus they carry after the
 * device id (hw/pci/pci_bridge.c pci_bridge_initfn: br->bus_name = qdev id).
 */
export const BUS_CARRIERS = new Set([
  'pcie-root-port', 'ioh3420', 'xio3130-downstream', 'x3130-upstream', 'pci-bridge', 'pci-bridge-seat',
  'pcie-pci-bridge', 'i82801b11-bridge', ...EXPANDERS,
]);

/** PCI drivers that do not follow the "-pci" naming (USB host controllers, display, sound, NICs, storage …). */
const OTHER_PCI = new Set([
  ...BUS_CARRIERS,
  'qemu-xhci', 'nec-usb-xhci', 'piix3-usb-uhci', 'piix4-usb-uhci', 'vt82c686b-usb-uhci', 'pci-ohci', 'usb-ehci',
  'ich9-usb-ehci1', 'ich9-usb-ehci2', 'ich9-usb-uhci1', 'ich9-usb-uhci2', 'ich9-usb-uhci3', 'ich9-usb-uhci4',
  'ich9-usb-uhci5', 'ich9-usb-uhci6',
  'VGA', 'cirrus-vga', 'qxl', 'qxl-vga', 'virtio-vga', 'virtio-vga-gl', 'bochs-display', 'vmware-svga', 'secondary-vga',
  'intel-hda', 'ich9-intel-hda', 'AC97', 'ES1370', 'i6300esb',
  'e1000', 'e1000e', 'e1000-82544gc', 'e1000-82545em', 'rtl8139', 'vmxnet3', 'ne2k_pci', 'pcnet', 'igb',
  'megasas', 'megasas-gen2', 'lsi53c895a', 'lsi53c810', 'lsi', 'mptsas1068', 'am53c974', 'dc390', 'pvscsi',
  'ich9-ahci', 'ahci', 'nvme', 'vfio-pci', 'ivshmem-plain', 'ivshmem-doorbell', 'pvpanic-pci', 'pci-testdev', 'edu',
  'vhost-vsock-pci', 'vhost-user-vsock-pci',
]);

export function isPciDriver(driver: string): boolean {
  return !!modelFor(driver) || OTHER_PCI.has(driver) || /-pci(-(non-)?transitional)?$/.test(driver);
}
