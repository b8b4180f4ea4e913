/**
 * virtio-keyboard-pci, virtio-mouse-pci, virtio-tablet-pci. QEMU:
 * hw/virtio/virtio-input-pci.c — virtio_input_pci_realize forces virtio
 * 1.0 (modern-only whatever disable-legacy says), 2 vectors by default
 * (a property default, so there is no "unspecified" rule), the class per
 * type (keyboard, mouse, other) from the family data.
 */
import { virtioPciModel } from './virtio-pci-device.js';

export const virtioInput = virtioPciModel({
  family: 'virtio-input',
  sectionName: 'virtio-input',
  modernOnly: true,
  features: () => [],
  defaultVectors: () => 2,
});
