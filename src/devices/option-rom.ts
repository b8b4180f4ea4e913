/**
 * The option ROM BAR. QEMU: pci_qdev_realize → pci_add_option_rom — after
 * the device's realize, a ROM file (the class default such as
 * efi-virtio.rom, or romfile=) becomes a ROM BAR of pow2ceil(file size)
 * bytes, or romsize= when given; rombar=0 or an empty romfile means none.
 * The file size belongs to the host's firmware package, so it is data
 * (device-profiles/roms.json), taken per release as Debian ships it.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { PCI } from '../config-space/regs.js';
import { romTable } from '../profiles/data.js';
import { compareReleases } from '../profiles/versions.js';
import { type BuildContext, NotModelledError, propNumber, propValue, type RamBlock } from './model.js';

const ROMSIZE_UNSET = 0xffffffff;

export function romFileSize(release: string, file: string): { size: number; source: string } | undefined {
  const releases = romTable().releases;
  const known = Object.keys(releases).filter((r) => releases[r].files[file] !== undefined);
  const exact = known.find((r) => r === release);
  const nearest = exact ?? known.filter((r) => compareReleases(r, release) <= 0).sort(compareReleases).pop();
  if (!nearest) return undefined;
  return { size: releases[nearest].files[file], source: `${file} of ${releases[nearest].source}${exact ? '' : ` (nearest known build to QEMU ${release})`}` };
}

/**
 * Adds the ROM BAR; returns the ROM's RAM block, or undefined when there is
 * none. QEMU names the block "<vmsd name>.rom", or "<type name>.rom" for a
 * device without a vmsd of its own (a virtio proxy): `owner`.
 */
export function addOptionRom(
  cs: ConfigSpace, ctx: BuildContext, classRomfile: string | undefined, owner: string, notes: string[],
): RamBlock | undefined {
  const romfile = propValue(ctx, 'romfile') ?? classRomfile;
  if (!romfile || propNumber(ctx, 'rombar', 1) === 0) return undefined;
  const romsize = propNumber(ctx, 'romsize', ROMSIZE_UNSET);
  let size: number;
  if (romsize !== ROMSIZE_UNSET) {
    size = romsize;
  } else {
    const known = romFileSize(ctx.release, romfile);
    if (!known) throw new NotModelledError(`the size of option ROM "${romfile}" is not known; give romsize= or rombar=0`);
    size = 2 ** Math.ceil(Math.log2(known.size));
    notes.push(`ROM BAR ${size} bytes from ${known.source}`);
  }
  registerBar(cs, PCI.ROM_SLOT, 0, size, `option ROM (${romfile})`);
  return { name: `${owner}.rom`, size };
}
