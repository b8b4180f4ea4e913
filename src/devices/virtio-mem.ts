/**
 * virtio-mem-pci, hot(un)pluggable memory in blocks. QEMU:
 * virtio_mem_pci_realize (hw/virtio/virtio-mem-pci.c: modern-only by
 * virtio_pci_force_virtio_1; from 10.0 a vectors property, 2 when
 * unspecified) and virtio_mem_device_realize (hw/virtio/virtio-mem.c: the
 * memdev checks). Its memory is mapped in the machine's device memory, not
 * behind a BAR, so PCI config space is a plain modern virtio function.
 *
 * What follows config space in the stream (usable region, requested size,
 * the plug bitmap) is sized by the memory backend, and a post-load sanity
 * check (virtio_mem_mig_sanity_checks_post_load) refuses another memaddr,
 * memdev size, block-size or node: those differences are not modelled.
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { type BuildContext, NotModelledError, propValue } from './model.js';
import { virtioPciModel } from './virtio-pci-device.js';

function validate(ctx: BuildContext): void {
  // Plugging it asks for its memory region first (virtio_mem_get_memory_region, before realize): "'memdev' property must be set".
  if (propValue(ctx, 'memdev') === undefined) throw new RealizeError('\'memdev\' property must be set');
  const pinned = ctx.props.get('size');
  if (pinned && (pinned.source === 'explicit' || pinned.source === 'global')) throw new NotModelledError('size is read-only in QEMU (the plugged size)');
}

const virtioMemPci = virtioPciModel({
  family: 'virtio-mem',
  sectionName: 'virtio-mem',
  modernOnly: true,
  features: () => [],
  defaultVectors: () => 2,
  validate,
  assumptions: (ctx) => [
    `memory backend ${propValue(ctx, 'memdev') ?? ''} has the same size on both hosts, and block-size, node and memaddr resolve alike (virtio_mem_mig_sanity_checks_post_load refuses a difference; not modelled)`,
    'the machine has device memory for it (-m …,maxmem= above the RAM size)',
  ],
});

/** virtio_mem_mig_sanity_checks_post_load: "Property '…' changed from … to …" (lines not captured). */
export const virtioMem = { ...virtioMemPci, unmodelledIfDiffer: ['block-size', 'node', 'memaddr', 'memdev'] };
