// The families test/real-qemu/device-probe.test.ts and device-migration.test.ts verify.
import { type FamilyCases } from './cases.js';
import { VIRTIO_INPUT_CASES } from './virtio-input-cases.js';
import { VIRTIO_GPU_CASES } from './virtio-gpu-cases.js';
import { QEMU_XHCI_CASES } from './qemu-xhci-cases.js';
import { VGA_CASES } from './vga-cases.js';
import { PCI_BRIDGE_CASES } from './pci-bridge-cases.js';
import { E1000_CASES } from './e1000-cases.js';
import { RTL8139_CASES } from './rtl8139-cases.js';
import { E1000E_CASES } from './e1000e-cases.js';

export const DEVICE_FAMILIES: FamilyCases[] = [VIRTIO_INPUT_CASES, VIRTIO_GPU_CASES, QEMU_XHCI_CASES, VGA_CASES, PCI_BRIDGE_CASES, E1000_CASES, RTL8139_CASES, E1000E_CASES];
