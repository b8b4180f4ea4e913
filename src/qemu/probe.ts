// Measuring a device's guest-writable bits the way a guest finds BAR sizes:
// write all ones, read back, write zeros, read back, put the original back.
//
// This is the ground truth our model's `wmask` is compared with. What the
// measurement can and cannot see (QEMU: pci_default_write_config applies
// `(val & wmask) | (old & ~wmask)` and clears `val & w1cmask`):
// - a bit that reads 1 after writing ones and 0 after writing zeros is in wmask;
// - write-1-to-clear bits read 0 after writing ones: they are not reported
//   (and are only visible at all when they were set);
// - registers with side effects act on the writes: PCIe Device Control
//   "initiate FLR" and bridge "secondary bus reset" reset the device, MSI-X
//   enable switches interrupt delivery. Probe a device in a fresh VM, and not
//   the q35 MCH (00:00.0): PCIEXBAR/PAM/SMRAM writes remap memory, and SMRAM's
//   D_LCK bit is write-once.
// Writes are byte-wise, through 0xcfc + (reg & 3) below 0x100 and MMCONFIG
// above, so one byte's probe never touches its neighbours.

import type { Bdf } from "./bdf.js";
import {
  PCI_CONFIG_ADDRESS_PORT,
  PCI_CONFIG_DATA_PORT,
  cf8Address,
  enableMmconfig,
  mmconfigAddress,
  readConfig,
  writeConfigByte,
  type ConfigSize,
} from "./pci-config-io.js";
import { hex, parseValueReply, type QtestClient } from "./qtest.js";

export interface ProbeResult {
  /** Config space as read before any probing write. */
  readonly config: Uint8Array;
  /** Estimated guest-writable bits: read 1 after writing 0xff and 0 after writing 0x00. */
  readonly wmask: Uint8Array;
  /** Raw read-back after writing 0xff to each byte. */
  readonly afterOnes: Uint8Array;
  /** Raw read-back after writing 0x00 to each byte. */
  readonly afterZeros: Uint8Array;
  /** Offsets whose value differed from `config` after the probe and were written back. */
  readonly repaired: readonly number[];
}

/** Bytes probed per pipelined qtest batch (5 commands per byte). */
const PROBE_BATCH_BYTES = 256;

/** The only part of a session the probe needs (a QemuSession fits). */
export interface ProbeTarget {
  readonly qtest: QtestClient;
}

/**
 * Read `size` bytes of config space, then probe every byte's writable bits.
 * The whole space is read first so `config` is untouched by the probe itself.
 */
export async function probeDevice(session: ProbeTarget, a: Bdf, size: ConfigSize): Promise<ProbeResult> {
  const { qtest } = session;
  if (size === 4096) await enableMmconfig(qtest);
  const config = await readConfig(qtest, a, size);
  const afterOnes = new Uint8Array(size);
  const afterZeros = new Uint8Array(size);

  // Pipelined batches of PROBE_BATCH_BYTES: qtest executes commands in order,
  // so this is the same sequence as one access at a time, minus the round trips.
  // Within a dword: select it once through 0xcf8, then probe its four bytes
  // in ascending order (order matters only for side effects, see above).
  for (let chunk = 0; chunk < size; chunk += PROBE_BATCH_BYTES) {
    const cmds: string[] = [];
    const reads: { reg: number; into: Uint8Array; index: number }[] = [];
    for (let reg = chunk; reg < Math.min(size, chunk + PROBE_BATCH_BYTES); reg++) {
      if (reg < 0x100 && (reg & 3) === 0) {
        cmds.push(`outl ${hex(PCI_CONFIG_ADDRESS_PORT)} ${hex(cf8Address(a, reg))}`);
      }
      const ops = byteOps(a, reg);
      cmds.push(ops.write(0xff));
      reads.push({ reg, into: afterOnes, index: cmds.push(ops.read) - 1 });
      cmds.push(ops.write(0x00));
      reads.push({ reg, into: afterZeros, index: cmds.push(ops.read) - 1 });
      cmds.push(ops.write(config[reg]!));
    }
    const replies = await qtest.batch(cmds);
    for (const { reg, into, index } of reads) into[reg] = parseValueReply(cmds[index]!, replies[index]!);
  }

  const wmask = new Uint8Array(size);
  for (let i = 0; i < size; i++) wmask[i] = afterOnes[i]! & ~afterZeros[i]! & 0xff;

  // A reset triggered by the probe (FLR, secondary bus reset) may have reverted
  // bytes probed earlier. Put back what is writable and differs; read-only
  // differences (e.g. status bits) cannot be repaired and are left as they are.
  const now = await readConfig(qtest, a, size);
  const repaired: number[] = [];
  for (let i = 0; i < size; i++) {
    if (now[i] !== config[i] && wmask[i] !== 0) {
      await writeConfigByte(qtest, a, i, config[i]!);
      repaired.push(i);
    }
  }
  return { config, wmask, afterOnes, afterZeros, repaired };
}

/** Byte access commands for one offset; below 0x100 the 0xcf8 latch must already select its dword. */
function byteOps(a: Bdf, reg: number): { write: (v: number) => string; read: string } {
  if (reg >= 0x100) {
    const addr = hex(mmconfigAddress(a, reg));
    return { write: (v) => `writeb ${addr} ${hex(v)}`, read: `readb ${addr}` };
  }
  const port = hex(PCI_CONFIG_DATA_PORT + (reg & 3));
  return { write: (v) => `outb ${port} ${hex(v)}`, read: `inb ${port}` };
}
