/**
 * What every VGA-compatible device shares: the video RAM, sized by
 * vga_common_init (hw/display/vga.c) — vgamem_mb clamped to 1..512 and
 * rounded up to a power of two — exposed as a 32-bit prefetchable BAR0
 * (pci_register_bar(…, PCI_BASE_ADDRESS_MEM_PREFETCH, &s->vram)) and
 * migrated as the RAM block "vga.vram" (vmstate_register_ram with the
 * device, or globally with global-vmstate=on).
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { type RamBlock } from './model.js';

const MiB = 1024 * 1024;

/** vga_common_init: uint_clamp(vram_size_mb, 1, 512), then pow2ceil, in bytes. */
export function vgaVramSize(vgamemMb: number): number {
  const mb = Math.min(Math.max(vgamemMb, 1), 512);
  return 2 ** Math.ceil(Math.log2(mb)) * MiB;
}

/** BAR0 = the video RAM; returns its RAM block. */
export function addVram(cs: ConfigSpace, size: number, global: boolean): RamBlock {
  registerBar(cs, 0, PCI_BASE_ADDRESS.MEM_PREFETCH, size, 'VGA video RAM');
  return { name: 'vga.vram', size, ...(global ? { global } : {}) };
}
