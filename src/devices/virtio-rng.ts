/**
 * virtio-rng-pci. QEMU: hw/virtio/virtio-rng-pci.c — no device config;
 * vectors default 2 (7.2+; machine compat sets 0 on older types).
 */
import { virtioPciModel } from './virtio-pci-device.js';

export const virtioRng = virtioPciModel({
  family: 'virtio-rng',
  sectionName: 'virtio-rng',
  features: () => [],
  defaultVectors: () => 2,
});
