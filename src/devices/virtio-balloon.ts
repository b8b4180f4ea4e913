/**
 * virtio-balloon-pci. QEMU: hw/virtio/virtio-balloon.c
 * virtio_balloon_config_size (qemu-4-0-config-size or page-poison: the
 * whole struct; free-page-hint: up to poison_val; the forcing property is
 * an override in the family data), virtio-balloon-pci.c
 * (class forced to "other").
 */
import { propBool, propValue } from './model.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { virtioPciModel } from './virtio-pci-device.js';

export const virtioBalloon = virtioPciModel({
  family: 'virtio-balloon',
  sectionName: 'virtio-balloon',
  features: (ctx) => [
    ...(propBool(ctx, 'free-page-hint') ? ['VIRTIO_BALLOON_F_FREE_PAGE_HINT'] : []),
    ...(propBool(ctx, 'page-poison') ? ['VIRTIO_BALLOON_F_PAGE_POISON'] : []),
  ],
  defaultVectors: () => 2,
  // virtio_balloon_device_realize
  validate: (ctx) => {
    if (propBool(ctx, 'free-page-hint') && !propValue(ctx, 'iothread')) {
      throw new RealizeError("'free-page-hint' requires 'iothread' to be set");
    }
  },
  classId: () => 0x00ff, // PCI_CLASS_OTHERS, set in virtio_balloon_pci_realize
});
