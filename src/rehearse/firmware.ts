/**
 * Firmware-like BAR addresses for a device whose description gives none:
 * each BAR at a fixed base that is aligned for any size these devices use
 * (SeaBIOS also aligns every BAR to its size), so a rehearsal or a corpus
 * case has determinate guest values.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { isIoBar, is64BitBar } from '../config-space/bar.js';
import { PCI } from '../config-space/regs.js';

export function firmwareBars(cs: ConfigSpace): Record<string, string> {
  const bars: Record<string, string> = {};
  for (const b of cs.bars) {
    const key = b.index === PCI.ROM_SLOT ? 'rom' : String(b.index);
    bars[key] = isIoBar(b.type) ? '0xc000' : is64BitBar(b.type) ? '0x800000000' : b.index === PCI.ROM_SLOT ? '0xfd000000' : '0xfe000000';
  }
  return bars;
}
