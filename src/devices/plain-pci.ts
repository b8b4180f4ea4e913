/**
 * A conventional PCI function with no capabilities: header IDs, interrupt
 * pin A, fixed BARs, then the class's option ROM — what pci_e1000_realize
 * and pci_rtl8139_realize build (followed by pci_qdev_realize's
 * pci_add_option_rom). Each model adds only what is its own.
 */
import { type ConfigSpace, createConfigSpace, type HeaderIds } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { PCI } from '../config-space/regs.js';
import { addOptionRom } from './option-rom.js';
import { type BuildContext, type BuiltDevice, propBool } from './model.js';

export interface PlainBar { index: number; type: number; size: number; name: string }

export function buildPlainPci(
  ctx: BuildContext, ids: Omit<HeaderIds, 'multifunction'>, bars: PlainBar[], rom: { file: string; vmsd: string },
  extra?: (cs: ConfigSpace) => void,
): BuiltDevice {
  const notes: string[] = [];
  const cs = createConfigSpace({ ...ids, multifunction: propBool(ctx, 'multifunction') }, PCI.CONFIG_SPACE_SIZE);
  cs.config[PCI.INTERRUPT_PIN] = 1;
  extra?.(cs);
  for (const b of bars) registerBar(cs, b.index, b.type, b.size, b.name);
  const block = addOptionRom(cs, ctx, rom.file, rom.vmsd, notes);
  return { cs, notes, ramBlocks: block ? [block] : [] };
}
