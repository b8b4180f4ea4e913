/**
 * virtio-serial-pci. QEMU: hw/virtio/virtio-serial-pci.c (class must be
 * one of three historical values, else "communication, other"; vectors
 * default 2), hw/char/virtio-serial-bus.c (emergency-write adds emerg_wr).
 */
import { propBool, propValue } from './model.js';
import { virtioPciModel } from './virtio-pci-device.js';

const PCI_CLASS_COMMUNICATION_OTHER = 0x0780;
const ALLOWED_CLASSES = [PCI_CLASS_COMMUNICATION_OTHER, 0x0380 /* display, other: qemu 0.10 */, 0x00ff /* qemu-kvm */];

export const virtioSerial = virtioPciModel({
  family: 'virtio-serial',
  sectionName: 'virtio-console',
  features: (ctx) => (propBool(ctx, 'emergency-write') ? ['VIRTIO_CONSOLE_F_EMERG_WRITE'] : []),
  defaultVectors: (ctx) => Number(propValue(ctx, 'max_ports') ?? 31) + 1,
  classId: (ctx) => {
    const c = Number(propValue(ctx, 'class') ?? 0);
    return ALLOWED_CLASSES.includes(c) ? c : PCI_CLASS_COMMUNICATION_OTHER;
  },
});
