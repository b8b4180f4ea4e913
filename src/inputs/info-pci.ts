/**
 * HMP `info pci` text (`virsh qemu-monitor-command VM --hmp 'info pci'`,
 * hw/pci/pci-hmp-cmds.c hmp_info_pci): one block per function,
 *   Bus  0, device  11, function 0:
 *     SCSI controller: PCI device 1af4:1001
 *       BAR0: I/O at 0xffc0 [0xffff].
 *       BAR4: 64 bit prefetchable memory at 0x4287fffc000 [0x4287fffffff].
 *       id "virtio-disk1"
 * Read with patterns over the whole text, so a copy whose lines were joined
 * (as in seed 002: "…1af4:1001IRQ 0.BAR0: I/O at 0xd080 [0xd0bf].BAR1: …")
 * reads the same. An unmapped BAR shows address 0xffffffffffffffff.
 */
import { InputError } from './errors.js';
import { lineAt } from './text-place.js';
import { type PciFunction, type PciListing } from './pci-listing.js';

const BLOCK = /Bus\s+(\d+),\s*device\s+(\d+),\s*function\s+(\d+):/g;
const BAR = /BAR(\d):\s*(?:I\/O|(?:32|64) bit(?: prefetchable)? memory) at (0x[0-9a-fA-F]+) \[(0x[0-9a-fA-F]+)\]/g;
const UNMAPPED = 0xffffffffffffffffn;

export function parseInfoPci(text: string, file: string): PciListing {
  const starts = [...text.matchAll(BLOCK)];
  if (!starts.length) throw new InputError(file, 'line 1', 'not `info pci` output: no "Bus N, device N, function N:" line');
  const functions: PciFunction[] = starts.map((m, n) => {
    const body = text.slice(m.index! + m[0].length, starts[n + 1]?.index ?? text.length);
    const where = `line ${lineAt(text, m.index!)} (Bus ${m[1]}, device ${m[2]}, function ${m[3]})`;
    const bars = new Map<number, bigint>();
    for (const b of body.matchAll(BAR)) {
      // hmp_info_pci_device prints regions 0-5 and the ROM as BAR6; a higher index is not QEMU's output.
      if (Number(b[1]) > 6) throw new InputError(file, `${where}`, `BAR${b[1]}: a function has BAR0-5 and the ROM (BAR6)`);
      const addr = BigInt(b[2]);
      if (addr !== UNMAPPED) bars.set(Number(b[1]), addr);
    }
    const secondary = /secondary bus (\d+)/.exec(body)?.[1];
    const id = /id "([^"]*)"/.exec(body)?.[1];
    const [bus, slot, fn] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (slot > 31 || fn > 7) throw new InputError(file, where, 'impossible PCI address');
    return { bus, slot, fn, id: id || undefined, secondaryBus: secondary === undefined ? undefined : Number(secondary), bars, where };
  });
  return { file, functions };
}
