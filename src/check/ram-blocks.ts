/**
 * Device RAM blocks (option ROMs, video RAM) travel in the RAM section,
 * which the destination reads before any device section: it names every
 * source block with its size. QEMU: ram_load_precopy (RAM_SAVE_FLAG_MEM_SIZE)
 * stops at the first block it has no block for ("Unknown ramblock") or
 * cannot resize — ROM and VGA RAM blocks are not resizeable, so any size
 * change is refused ("Size mismatch"). Blocks only the destination has are
 * ignored.
 */
import { type BuiltSide } from './build.js';
import { qemuMessage, type QemuLines } from './messages.js';

/**
 * The source's blocks in the order its stream lists them: ram_block_add
 * keeps the list sorted from the largest block to the smallest, a new block
 * going after those of the same size (so creation order breaks ties).
 */
function streamOrder(machine: Block[], src: BuiltSide[]): Block[] {
  const blocks = [...machine, ...src.flatMap((s) => (s.kind === 'built' ? s.ramBlocks : []))];
  return blocks.map((b, n) => ({ b, n })).sort((x, y) => y.b.size - x.b.size || x.n - y.n).map((x) => x.b);
}

const pathOf = (block: string) => block.slice(0, block.lastIndexOf('/'));

type Block = { block: string; size: number };

/**
 * The first block the destination refuses. `machine`: the blocks each
 * side's machine creates before any device (its ACPI tables: builtin-devices.ts
 * machineRamBlocksOf), which stream order puts first among equal sizes.
 */
export function ramBlockError(src: BuiltSide[], dst: BuiltSide[], release: string, machine: { src: Block[]; dst: Block[] } = { src: [], dst: [] }): QemuLines | undefined {
  const local = new Map([...machine.dst, ...dst.flatMap((d) => (d.kind === 'built' ? d.ramBlocks : []))].map((b) => [b.block, b.size] as const));
  // Paths where the destination device is not modelled: its blocks cannot be judged.
  const unjudged = new Set(dst.filter((d) => d.kind !== 'built' && d.section).map((d) => pathOf(d.section!)));
  for (const s of streamOrder(machine.src, src)) {
    if (s.block.includes('/') && unjudged.has(pathOf(s.block))) continue;
    const size = local.get(s.block);
    if (size === undefined) return qemuMessage(release, 'unknownRamblock', { block: s.block });
    if (size !== s.size) {
      return qemuMessage(release, 'ramblockSize', { block: s.block, srcSize: s.size.toString(16), dstSize: size.toString(16) });
    }
  }
  return undefined;
}
