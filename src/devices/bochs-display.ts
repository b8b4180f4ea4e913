/**
 * bochs-display, a VGA-less linear framebuffer (the stdvga's Bochs dispi
 * interface without the legacy VGA). QEMU: bochs_display_realize
 * (hw/display/bochs-display.c) — vgamem checked (4..256 MiB) and rounded
 * up to a power of two as the 32-bit prefetchable BAR0 and RAM block
 * "bochs-display-vram", the 4 KiB MMIO BAR2 (EDID, dispi, QEMU extended
 * registers), revision 2, and on a PCI Express bus the PCI Express
 * capability at 0x80; then pci_add_option_rom with vgabios-bochs-display.bin.
 *
 * A hybrid device: bochs_display_init sets QEMU_PCI_CAP_EXPRESS, so QEMU
 * allocates 4096 bytes of config space (with writable bits past the header
 * all the way), and realize clears the flag again on a conventional bus,
 * where only 256 bytes migrate.
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { pcieEndpointCapInit } from '../config-space/pcie-cap.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { deviceFamily } from '../profiles/data.js';
import { addOptionRom } from './option-rom.js';
import { pcieCapOptionsOf } from './pcie-options.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propNumber } from './model.js';

const MiB = 1024 * 1024;
/** bochs_display_class_init: PCI_VENDOR_ID_QEMU, PCI_DEVICE_ID_QEMU_VGA, PCI_CLASS_DISPLAY_OTHER. */
const VENDOR = 0x1234;
const DEVICE = 0x1111;
const CLASS_DISPLAY_OTHER = 0x0380;
const REVISION = 2;
/** PCI_VGA_MMIO_SIZE */
const MMIO_SIZE = 0x1000;
const EXP_CAP = 0x80;
/** The vmsd's name, which names the section and the option ROM block. */
const VMSD = 'bochs-display';

function buildBochsDisplay(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const vgamem = propNumber(ctx, 'vgamem', 16 * MiB);
  if (vgamem < 4 * MiB) throw new RealizeError('bochs-display: video memory too small');
  if (vgamem > 256 * MiB) throw new RealizeError('bochs-display: video memory too big');
  const vram = 2 ** Math.ceil(Math.log2(vgamem));
  if (vram !== vgamem) notes.push(`vgamem ${vgamem} bytes rounded up to ${vram / MiB} MiB`);
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_DISPLAY_OTHER, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.EXPRESS_CONFIG_SPACE_SIZE);
  registerBar(cs, 0, PCI_BASE_ADDRESS.MEM_PREFETCH, vram, 'framebuffer (bochs-display-vram)');
  registerBar(cs, 2, PCI_BASE_ADDRESS.SPACE_MEMORY, MMIO_SIZE, 'MMIO: EDID, Bochs dispi, QEMU extended registers');
  if (ctx.bus.express) {
    pcieEndpointCapInit(cs, { onRootBus: ctx.bus.root, ...pcieCapOptionsOf(ctx) }, EXP_CAP);
  } else {
    // dev->cap_present &= ~QEMU_PCI_CAP_EXPRESS: pci_config_size is 256 again.
    cs.size = PCI.CONFIG_SPACE_SIZE;
  }
  const rom = addOptionRom(cs, ctx, 'vgabios-bochs-display.bin', VMSD, notes);
  return { cs, notes, ramBlocks: [{ name: 'bochs-display-vram', size: vram }, ...(rom ? [rom] : [])] };
}

export const bochsDisplay: DeviceModel = {
  drivers: ['bochs-display'],
  families: ['pci-device', 'bochs-display'],
  sectionName: VMSD,
  configField: 'pci',
  typeChain: () => deviceFamily('bochs-display').typeChains.pci,
  build: (_driver, ctx) => buildBochsDisplay(ctx),
};
