/**
 * The legacy (virtio 0.9) I/O BAR0 of a transitional device. QEMU:
 * virtio_pci_device_plugged — size = pow2ceil(VIRTIO_PCI_REGION_SIZE +
 * device config length), where the legacy header is 24 bytes when MSI-X
 * is present (two extra vector registers) and 20 without
 * (VIRTIO_PCI_CONFIG_OFF in include/standard-headers/linux/virtio_pci.h).
 */
export function legacyHeaderSize(msixPresent: boolean): number {
  return msixPresent ? 24 : 20;
}

export function legacyBarSize(msixPresent: boolean, deviceConfigLen: number): number {
  const size = legacyHeaderSize(msixPresent) + deviceConfigLen;
  return 2 ** Math.ceil(Math.log2(size));
}
