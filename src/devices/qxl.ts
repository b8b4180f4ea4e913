/**
 * qxl-vga (primary, VGA compatible) and qxl (secondary), the SPICE QXL
 * display. QEMU: qxl_realize_primary / qxl_realize_secondary →
 * qxl_init_ramsize → qxl_realize_common (hw/display/qxl.c), then
 * pci_add_option_rom (vgabios-qxl.bin, primary only).
 *
 * Four memory areas, each a BAR and (except the alias) a RAM block:
 *   BAR0  the "ram" (primary surface + command rings): the VGA video RAM
 *         "vga.vram" on qxl-vga (vga_common_init), "qxl.vgavram" on qxl;
 *   BAR1  the 32-bit view of the surface memory (alias of qxl.vram);
 *   BAR2  the QXL ROM "qxl.vrom" (mode list, not the option ROM);
 *   BAR3  the I/O ports, sized by the revision;
 *   BAR4  the whole surface memory "qxl.vram", 64-bit prefetchable, only
 *         when it is larger than BAR1.
 * RAM blocks are not resizeable: any size change is a "Size mismatch".
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { deviceFamily } from '../profiles/data.js';
import { addOptionRom } from './option-rom.js';
import { vgaVramSize } from './vga-common.js';
import {
  type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propBool, propNumber, type RamBlock,
} from './model.js';

const MiB = 1024 * 1024;
/** qxl_pci_class_init: REDHAT_PCI_VENDOR_ID, QXL_DEVICE_ID_STABLE. */
const VENDOR = 0x1b36;
const DEVICE = 0x0100;
/** qxl_primary_class_init: PCI_CLASS_DISPLAY_VGA; qxl_secondary_class_init: PCI_CLASS_DISPLAY_OTHER. */
const CLASS_DISPLAY_VGA = 0x0300;
const CLASS_DISPLAY_OTHER = 0x0380;
/** DEFINE_PROP_UINT32(..., -1): "not given", the byte-sized property wins. */
const UNSET = 0xffffffff;
/** QXL_DEFAULT_REVISION = QXL_REVISION_STABLE_V12 + 1. */
const MAX_REVISION = 5;
/** The vmsd's name ("qxl", both types), which names the section and the option ROM block. */
const VMSD = 'qxl';

/** qxl_realize_common: the revision ID byte and the I/O BAR size per revision (QXL_IO_RANGE_SIZE, 24 ports, rounded up). */
const REVISIONS: Record<number, { revisionId: number; ioSize: number }> = {
  1: { revisionId: 1, ioSize: 8 }, // spice 0.4, QXL_REVISION_STABLE_V04
  2: { revisionId: 2, ioSize: 16 }, // spice 0.6, QXL_REVISION_STABLE_V06
  3: { revisionId: 3, ioSize: 32 }, // QXL_REVISION_STABLE_V10
  4: { revisionId: 4, ioSize: 32 }, // QXL_REVISION_STABLE_V12
  5: { revisionId: 5, ioSize: 32 },
};

/**
 * qxl_realize_common → qxl_rom_size: 8 KiB. 5.2 returns QXL_ROM_SZ; 6.0+
 * QXL_REQUIRED_SZ (a little over 4 KiB) aligned up to the host page, which
 * is 8 KiB on an x86-64 host with 4 KiB pages.
 */
export const QXL_ROM_SIZE = 8192;

const pow2ceil = (n: number) => 2 ** Math.ceil(Math.log2(n));

export interface QxlSizes {
  /** BAR0: the ram (vga.vram_size after qxl_init_ramsize; on qxl-vga then clamped by vga_common_init). */
  ram: number;
  /** The VGA framebuffer part of it (vgamem_mb clamped to 8..256 MiB), not a BAR of its own. */
  vgamem: number;
  /** BAR1, the 32-bit surface window. */
  vram32: number;
  /** qxl.vram, the whole surface memory (BAR4 when larger than BAR1). */
  vram: number;
}

/** QEMU: qxl_init_ramsize — the *_mb properties win over the byte ones, each area has a floor, then pow2ceil. */
export function qxlSizes(ctx: BuildContext): QxlSizes {
  const vgamemMb = Math.min(Math.max(propNumber(ctx, 'vgamem_mb', 16), 8), 256);
  const vgamem = vgamemMb * MiB;
  const ramMb = propNumber(ctx, 'ram_size_mb', UNSET);
  // ram_size_mb * MiB lands in vga.vram_size, a uint32: 4096 MiB and more would wrap.
  if (ramMb !== UNSET && ramMb >= 4096) throw new NotModelledError(`ram_size_mb=${ramMb}: wraps QEMU's 32-bit ram size`);
  let ram = ramMb !== UNSET ? ramMb * MiB : propNumber(ctx, 'ram_size', 64 * MiB);
  if (ram < vgamem * 2) ram = vgamem * 2;
  const vram32Mb = propNumber(ctx, 'vram_size_mb', UNSET);
  let vram32 = vram32Mb !== UNSET ? vram32Mb * MiB : propNumber(ctx, 'vram_size', 64 * MiB);
  if (vram32 < 4096) vram32 = 4096;
  const vramMb = propNumber(ctx, 'vram64_size_mb', UNSET);
  let vram = vramMb !== UNSET ? vramMb * MiB : vram32;
  if (vram < vram32) vram = vram32;
  if (propNumber(ctx, 'revision', MAX_REVISION) === 1) vram32 = vram = 4096;
  const sizes = { ram: pow2ceil(ram), vgamem: pow2ceil(vgamem), vram32: pow2ceil(vram32), vram: pow2ceil(vram) };
  // pow2ceil of a uint32 ram above 2 GiB wraps to 0; a 32-bit BAR of 4 GiB cannot be registered.
  if (sizes.ram > 2 ** 31) throw new NotModelledError(`qxl ram of ${ram} bytes: above 2 GiB QEMU's 32-bit size wraps`);
  if (sizes.vram32 > 2 ** 31) throw new NotModelledError(`qxl vram_size of ${vram32} bytes: a 32-bit BAR above 2 GiB is not modelled`);
  return sizes;
}

function buildQxl(driver: string, ctx: BuildContext): BuiltDevice {
  const primary = driver === 'qxl-vga';
  const notes: string[] = [];
  const revision = propNumber(ctx, 'revision', MAX_REVISION);
  const rev = REVISIONS[revision];
  if (!rev) throw new RealizeError(`Invalid revision ${revision} for qxl device (max ${MAX_REVISION})`);
  // qxl_realize_common allocates num_surfaces command slots (g_new0): a count below 1 is not a device QEMU builds sanely.
  if (propNumber(ctx, 'surfaces', 1024) < 1) throw new NotModelledError(`surfaces=${propNumber(ctx, 'surfaces', 1024)}: below 1 is not modelled`);
  const sizes = qxlSizes(ctx);
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: DEVICE, revision: rev.revisionId, classId: primary ? CLASS_DISPLAY_VGA : CLASS_DISPLAY_OTHER,
    multifunction: propBool(ctx, 'multifunction'),
  }, PCI.CONFIG_SPACE_SIZE);
  cs.config[PCI.INTERRUPT_PIN] = 1;
  const blocks: RamBlock[] = [];
  let ram = sizes.ram;
  if (primary) {
    // qxl_realize_primary → vga_common_init: the video RAM, clamped to 512 MiB, registered with the device unless global-vmstate.
    ram = vgaVramSize(ram / MiB);
    blocks.push({ name: 'vga.vram', size: ram, ...(propBool(ctx, 'global-vmstate') ? { global: true } : {}) });
  } else {
    // qxl_realize_secondary: plain device RAM; global-vmstate has no effect here.
    blocks.push({ name: 'qxl.vgavram', size: ram });
  }
  // qxl_realize_common: the QXL ROM, then the surface memory, in that order.
  blocks.push({ name: 'qxl.vrom', size: QXL_ROM_SIZE }, { name: 'qxl.vram', size: sizes.vram });
  registerBar(cs, 3, PCI_BASE_ADDRESS.SPACE_IO, rev.ioSize, 'QXL I/O ports');
  registerBar(cs, 2, PCI_BASE_ADDRESS.SPACE_MEMORY, QXL_ROM_SIZE, 'QXL ROM (qxl.vrom)');
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY, ram, `QXL ram (${primary ? 'vga.vram' : 'qxl.vgavram'})`);
  registerBar(cs, 1, PCI_BASE_ADDRESS.SPACE_MEMORY, sizes.vram32, 'QXL vram, 32-bit window');
  if (sizes.vram32 < sizes.vram) {
    registerBar(cs, 4, PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_TYPE_64 | PCI_BASE_ADDRESS.MEM_PREFETCH, sizes.vram, 'QXL vram (64-bit)');
  }
  notes.push(`ram ${ram / MiB} MiB (vgamem ${sizes.vgamem / MiB} MiB), vram32 ${sizes.vram32 / 1024} KiB, vram ${sizes.vram / 1024} KiB${sizes.vram32 < sizes.vram ? ' (BAR4)' : ''}; revision ${revision}: I/O BAR ${rev.ioSize} bytes`);
  // pci_qdev_realize → pci_add_option_rom: only qxl-vga's class has a ROM file.
  const rom = addOptionRom(cs, ctx, primary ? 'vgabios-qxl.bin' : undefined, VMSD, notes);
  if (rom) blocks.push(rom);
  return {
    cs, notes, ramBlocks: blocks,
    assumptions: [
      'the QXL ROM (qxl.vrom) is 8 KiB: an x86-64 host with 4 KiB pages (qxl_rom_size)',
      // qxl_realize_primary: graphic_console_init must hand it console 0.
      ...(primary ? ['qxl-vga is the first display device (else QEMU refuses it: "primary qxl-vga device must be console 0 (first display device on the command line)")'] : []),
    ],
  };
}

export const qxl: DeviceModel = {
  drivers: ['qxl-vga', 'qxl'],
  families: ['pci-device', 'qxl'],
  sectionName: VMSD,
  configField: 'pci',
  typeChain: (driver) => [driver, ...deviceFamily('qxl').typeChains.pci.slice(1)],
  // qxl_vmstate: VMSTATE_INT32_EQUAL(ssd.num_surfaces), after config space and the VGA state, before the array it sizes.
  equalFields: [{ property: 'surfaces', absent: '1024', vmsd: VMSD, field: 'ssd.num_surfaces' }],
  build: buildQxl,
};
