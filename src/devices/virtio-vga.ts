/**
 * virtio-vga: virtio-gpu behind a proxy that is also a standard VGA. QEMU:
 * virtio_vga_base_realize (hw/display/virtio-vga.c) — 8 MiB of video RAM as
 * BAR0, the modern BAR moved to 2 (MSI-X to 4, PIO notify to 5) with its
 * regions packed at the end of the BAR to leave the stdvga MMIO registers
 * room at its start; then virtio-gpu as virtio-gpu-pci has it. With hostmem
 * (8.2+) the shared memory takes BAR4 and MSI-X BAR1. Option ROM
 * vgabios-virtio.bin.
 */
import { defaultRegions, modernBarSize, type ModernOptions, type ModernRegions } from '../virtio-caps/modern-caps.js';
import { addVram, vgaVramSize } from './vga-common.js';
import { addHostmem, GPU_SPEC } from './virtio-gpu.js';
import { virtioPciModel } from './virtio-pci-device.js';

/** virtio_vga_base_realize sets vram_size_mb = 8 before vga_common_init: there is no vgamem_mb. */
const VRAM_MB = 8;

/**
 * The regions from the end of the modern BAR down: notify, device, ISR,
 * common; with page-per-vq off the common and ISR regions are halved.
 */
export function virtioVgaRegions(o: ModernOptions): ModernRegions {
  const r = defaultRegions(o);
  if (!o.pagePerVq) {
    r.common.size /= 2;
    r.isr.size /= 2;
  }
  let offset = modernBarSize(o);
  for (const span of [r.notify, r.device, r.isr, r.common]) {
    offset -= span.size;
    span.offset = offset;
  }
  return r;
}

export const virtioVga = virtioPciModel({
  ...GPU_SPEC,
  family: 'virtio-vga',
  sharedFamilies: ['virtio-gpu'],
  romfile: 'vgabios-virtio.bin',
  proxyVmsd: 'virtio-vga',
  realize: (ctx, cs, modern) => {
    const ramBlocks = [addVram(cs, vgaVramSize(VRAM_MB), false)];
    // With hostmem (8.2+) BAR4 holds the shared memory and MSI-X goes back to BAR1.
    const msixBar = addHostmem(ctx, cs) ? 1 : 4;
    return { ramBlocks, layout: { memBar: 2, ioBar: 5, msixBar, regions: virtioVgaRegions(modern) } };
  },
});
