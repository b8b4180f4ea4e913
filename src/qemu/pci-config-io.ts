// Reading and writing PCI config space of a stopped QEMU through qtest, the
// way firmware or a guest kernel would.
//
// Two mechanisms:
// - Configuration mechanism #1 (ports 0xcf8/0xcfc) for offsets 0x00..0xff.
//   Works on every x86 machine, needs no set-up. The address latch stays set,
//   so several accesses to one dword need only one `outl 0xcf8`.
// - q35 MMCONFIG (ECAM) for the whole 4 KiB, including extended capabilities
//   (AER, ACS, ATS ...). It is off until firmware programs the MCH's PCIEXBAR
//   register (QEMU: hw/pci-host/q35.c mch_update_pciexbar); enableMmconfig()
//   does what SeaBIOS does. PCIEXBAR is MCH config, so it is migrated like
//   any other register (it is guest-writable; the destination takes it over).
//
// Functions here build qtest command lists, so callers (probe.ts) can pipeline
// many accesses in one batch; the async helpers send them.

import type { Bdf } from "./bdf.js";
import { formatBdf } from "./bdf.js";
import { QemuError } from "./errors.js";
import { hex, parseValueReply, type QtestClient } from "./qtest.js";

export const PCI_CONFIG_ADDRESS_PORT = 0xcf8;
export const PCI_CONFIG_DATA_PORT = 0xcfc;
/** Size of conventional and of PCI Express config space. */
export type ConfigSize = 256 | 4096;
export type AccessWidth = 1 | 2 | 4;

/** Where SeaBIOS (and we) put the q35 ECAM window (QEMU: Q35_HOST_BRIDGE_PCIEXBAR_DEFAULT). */
export const Q35_MMCONFIG_BASE = 0xb0000000;
/** MCH registers (QEMU: include/hw/pci-host/q35.h MCH_HOST_BRIDGE_PCIEXBAR). */
const MCH = { bus: 0, device: 0, fn: 0 } as const satisfies Bdf;
const MCH_PCIEXBAR = 0x60; // low dword: base address bits, length, enable (bit 0)
const MCH_PCIEXBAR_HIGH = 0x64;
const MCH_PCIEXBAR_ENABLE = 0x1; // length field 00 = 256 buses
const Q35_MCH_ID = 0x29c08086; // device << 16 | vendor, as the dword at offset 0 reads

/** The value written to 0xcf8 to select (bus, device, function, dword of reg). */
export function cf8Address(a: Bdf, reg: number): number {
  return (0x80000000 | (a.bus << 16) | (a.device << 11) | (a.fn << 8) | (reg & 0xfc)) >>> 0;
}

/** Guest-physical address of a config register in the ECAM window. */
export function mmconfigAddress(a: Bdf, reg: number, base = Q35_MMCONFIG_BASE): number {
  return base + ((a.bus << 20) | (a.device << 15) | (a.fn << 12) | reg);
}

const PORT_SUFFIX = { 1: "b", 2: "w", 4: "l" } as const;

/**
 * qtest commands that read `width` bytes at `reg`; the reply to the LAST
 * command holds the value. Offsets >= 0x100 go through MMCONFIG.
 */
export function configReadCommands(a: Bdf, reg: number, width: AccessWidth): string[] {
  checkAccess(reg, width);
  if (reg >= 0x100) return [`read${PORT_SUFFIX[width]} ${hex(mmconfigAddress(a, reg))}`];
  return [
    `outl ${hex(PCI_CONFIG_ADDRESS_PORT)} ${hex(cf8Address(a, reg))}`,
    `in${PORT_SUFFIX[width]} ${hex(PCI_CONFIG_DATA_PORT + (reg & 3))}`,
  ];
}

/** qtest commands that write `width` bytes at `reg`. */
export function configWriteCommands(a: Bdf, reg: number, width: AccessWidth, value: number): string[] {
  checkAccess(reg, width);
  if (reg >= 0x100) return [`write${PORT_SUFFIX[width]} ${hex(mmconfigAddress(a, reg))} ${hex(value)}`];
  return [
    `outl ${hex(PCI_CONFIG_ADDRESS_PORT)} ${hex(cf8Address(a, reg))}`,
    `out${PORT_SUFFIX[width]} ${hex(PCI_CONFIG_DATA_PORT + (reg & 3))} ${hex(value)}`,
  ];
}

export async function readConfigAt(qtest: QtestClient, a: Bdf, reg: number, width: AccessWidth): Promise<number> {
  const cmds = configReadCommands(a, reg, width);
  const replies = await qtest.batch(cmds);
  return parseValueReply(cmds[cmds.length - 1]!, replies[replies.length - 1]!);
}

export async function writeConfigAt(qtest: QtestClient, a: Bdf, reg: number, width: AccessWidth, value: number): Promise<void> {
  await qtest.batch(configWriteCommands(a, reg, width, value));
}

export const readConfigByte = (q: QtestClient, a: Bdf, reg: number) => readConfigAt(q, a, reg, 1);
export const readConfigWord = (q: QtestClient, a: Bdf, reg: number) => readConfigAt(q, a, reg, 2);
export const readConfigDword = (q: QtestClient, a: Bdf, reg: number) => readConfigAt(q, a, reg, 4);
export const writeConfigByte = (q: QtestClient, a: Bdf, reg: number, v: number) => writeConfigAt(q, a, reg, 1, v);
export const writeConfigWord = (q: QtestClient, a: Bdf, reg: number, v: number) => writeConfigAt(q, a, reg, 2, v);
export const writeConfigDword = (q: QtestClient, a: Bdf, reg: number, v: number) => writeConfigAt(q, a, reg, 4, v);

/**
 * Read the first `size` bytes of a function's config space, dword by dword,
 * in one pipelined batch. 4096 enables MMCONFIG first (q35 only); 256 uses
 * ports and works everywhere. An absent function reads as all 0xff.
 */
export async function readConfig(qtest: QtestClient, a: Bdf, size: ConfigSize): Promise<Uint8Array> {
  if (size === 4096) await enableMmconfig(qtest);
  const cmds: string[] = [];
  for (let reg = 0; reg < size; reg += 4) cmds.push(...configReadCommands(a, reg, 4));
  const replies = await qtest.batch(cmds);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let r = 0;
  for (let reg = 0; reg < size; reg += 4) {
    r += reg >= 0x100 ? 1 : 2; // commands per dword, see configReadCommands
    view.setUint32(reg, parseValueReply(cmds[r - 1]!, replies[r - 1]!), true);
  }
  return out;
}

/**
 * Turn on the q35 ECAM window at 0xb0000000 like SeaBIOS does
 * (mch_mmconfig_setup): PCIEXBAR high dword := 0, low dword := base | enable.
 * Idempotent. Refuses on anything but the q35 MCH: on i440fx offset 0x60 is
 * DRAM configuration and writing it would corrupt the machine.
 */
export async function enableMmconfig(qtest: QtestClient): Promise<void> {
  const id = await readConfigDword(qtest, MCH, 0x00);
  if (id !== Q35_MCH_ID) {
    throw new QemuError(
      `extended config space needs the q35 MCH at 00:00.0 (8086:29c0), found ${hex(id)}; use a pc-q35-* machine`,
    );
  }
  const wanted = (Q35_MMCONFIG_BASE | MCH_PCIEXBAR_ENABLE) >>> 0;
  if ((await readConfigDword(qtest, MCH, MCH_PCIEXBAR)) === wanted) return;
  await writeConfigDword(qtest, MCH, MCH_PCIEXBAR_HIGH, 0);
  await writeConfigDword(qtest, MCH, MCH_PCIEXBAR, wanted);
  const now = await readConfigDword(qtest, MCH, MCH_PCIEXBAR);
  if (now !== wanted) throw new QemuError(`MCH PCIEXBAR did not take ${hex(wanted)} (reads ${hex(now)})`);
}

/** Bus-number registers of a type-1 (bridge) header, offsets 0x18..0x1a. */
export interface BridgeBusNumbers {
  readonly primary: number;
  readonly secondary: number;
  readonly subordinate: number;
}

/**
 * Program a bridge's (or PCIe root/downstream port's) bus numbers so the
 * functions behind it answer config cycles: QEMU routes a config access to a
 * secondary bus only when the bus number falls in [secondary, subordinate]
 * (QEMU: pci_find_bus_nr / pci_secondary_bus_in_range). Byte 0x1b, the
 * secondary latency timer, is written as 0. E.g. {0, 1, 1} writes 0x00010100.
 */
export async function setBridgeBusNumbers(qtest: QtestClient, bridge: Bdf, n: BridgeBusNumbers): Promise<void> {
  const headerType = (await readConfigByte(qtest, bridge, 0x0e)) & 0x7f;
  if (headerType !== 1) {
    throw new QemuError(`${formatBdf(bridge)} is not a bridge (header type ${headerType})`);
  }
  const value = (n.primary & 0xff) | ((n.secondary & 0xff) << 8) | ((n.subordinate & 0xff) << 16);
  await writeConfigDword(qtest, bridge, 0x18, value);
}

function checkAccess(reg: number, width: AccessWidth): void {
  if (!Number.isInteger(reg) || reg < 0 || reg + width > 4096 || reg % width !== 0) {
    throw new RangeError(`bad config access: ${width} byte(s) at ${hex(reg)}`);
  }
}
