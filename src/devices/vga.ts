/**
 * VGA, the standard VGA adapter. QEMU: pci_std_vga_realize
 * (hw/display/vga-pci.c) — the video RAM as BAR0 (vga_common_init sizes
 * it), with mmio on a 4 KiB MMIO BAR2 and revision 2 when the QEMU
 * extended registers are on; then pci_add_option_rom with
 * vgabios-stdvga.bin. No capabilities, no interrupt pin.
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { addOptionRom } from './option-rom.js';
import { addVram, vgaVramSize } from './vga-common.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propNumber } from './model.js';

/** vga_class_init / vga_pci_class_init: PCI_VENDOR_ID_QEMU, PCI_DEVICE_ID_QEMU_VGA, PCI_CLASS_DISPLAY_VGA. */
const VENDOR = 0x1234;
const DEVICE = 0x1111;
const CLASS_DISPLAY_VGA = 0x0300;
/** PCI_VGA_MMIO_SIZE */
const MMIO_SIZE = 0x1000;
/** The vmsd's name ("vga"), which names the section and the ROM block. */
const VMSD = 'vga';

function buildVga(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const cs = createConfigSpace({ vendorId: VENDOR, deviceId: DEVICE, revision: 0, classId: CLASS_DISPLAY_VGA, multifunction: propBool(ctx, 'multifunction') },
    PCI.CONFIG_SPACE_SIZE);
  const mb = propNumber(ctx, 'vgamem_mb', 16);
  const vram = addVram(cs, vgaVramSize(mb), propBool(ctx, 'global-vmstate'));
  if (vram.size !== mb * 1024 * 1024) notes.push(`vgamem_mb=${mb}: ${vram.size / (1024 * 1024)} MiB of video RAM (clamped to 1..512, rounded up to a power of two)`);
  if (propBool(ctx, 'mmio', true)) {
    if (propBool(ctx, 'qemu-extended-regs', true)) cs.config[PCI.REVISION_ID] = 2;
    registerBar(cs, 2, PCI_BASE_ADDRESS.SPACE_MEMORY, MMIO_SIZE, 'VGA MMIO registers');
  }
  const rom = addOptionRom(cs, ctx, 'vgabios-stdvga.bin', VMSD, notes);
  return { cs, notes, ramBlocks: [vram, ...(rom ? [rom] : [])] };
}

export const vga: DeviceModel = {
  drivers: ['VGA'],
  families: ['pci-device', 'vga'],
  sectionName: VMSD,
  configField: 'dev',
  typeChain: () => deviceFamily('vga').typeChains.pci,
  build: (_driver, ctx) => buildVga(ctx),
};
