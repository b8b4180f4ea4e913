/**
 * virtio-iommu-pci. QEMU: virtio_iommu_pci_realize (hw/virtio/virtio-iommu-pci.c)
 * — modern-only (virtio_pci_force_virtio_1), no "vectors" property and so no
 * MSI-X, class "other" unless the class property says otherwise; the machine
 * must take it as a hotplug handler (pc and q35 do from 6.2:
 * pc_machine_device_pre_plug_cb), and from 7.2 it must sit on the root bus
 * (never behind a root port or bridge). Two queues of 256 (request, event).
 */
import { compareReleases } from '../profiles/versions.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { type BuildContext, propValue } from './model.js';
import { virtioPciModel } from './virtio-pci-device.js';

function validate(ctx: BuildContext): void {
  if (compareReleases(ctx.release, '6.2') < 0) {
    // 5.2-6.1: no x86 machine has a hotplug handler for it; QEMU prefixes the machine type's name.
    throw new RealizeError('machine fails to create iommu-map device tree bindings');
  }
  if (compareReleases(ctx.release, '7.2') >= 0 && !ctx.bus.root) {
    throw new RealizeError('virtio-iommu-pci must be plugged on the root bus');
  }
}

export const virtioIommu = virtioPciModel({
  family: 'virtio-iommu',
  sectionName: 'virtio-iommu',
  modernOnly: true,
  features: () => [],
  defaultVectors: () => 0, // no vectors property: the proxy's nvectors stays 0
  validate,
  // virtio_pci_device_plugged: a non-zero class_code replaces the class word.
  classId: (ctx, def) => Number(propValue(ctx, 'class') ?? 0) || def,
  assumptions: () => ['no other vIOMMU (intel-iommu, a second virtio-iommu-pci) in the VM: QEMU refuses a second one at start'],
});
