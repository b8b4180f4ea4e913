// Client for QEMU's qtest text protocol (QEMU: system/qtest.c, qtest_process_command).
//
// One command per line, one reply per line, strictly in order:
//   "outl 0xcf8 0x80005810"  -> "OK"
//   "inl 0xcfc"              -> "OK 0x0001"          (width varies: parse, don't slice)
//   "readl 0xb0000000"       -> "OK 0x0000000029c08086"
//   "bogus"                  -> "FAIL Unknown command 'bogus'"
// Lines starting with "IRQ" are asynchronous notifications (only sent after
// irq_intercept_*) and are not replies. Because replies come back in order we
// can pipeline: write many commands at once and match replies first-in first-out.

import type { Socket } from "node:net";
import { onLines } from "./lines.js";
import { QemuError, QtestCommandError } from "./errors.js";

export type PortWidth = 1 | 2 | 4;
export type MemWidth = 1 | 2 | 4 | 8;

export interface QtestClient {
  /** Send raw commands (pipelined) and return their raw reply lines, in order. */
  batch(commands: readonly string[]): Promise<string[]>;
  /** Send one raw command and return its reply line ("OK ..."); throws on "FAIL". */
  command(command: string): Promise<string>;
  /** Port I/O: outb/outw/outl, inb/inw/inl. */
  out(width: PortWidth, port: number, value: number): Promise<void>;
  in(width: PortWidth, port: number): Promise<number>;
  /** Guest-physical memory (MMIO included): writeb..writeq, readb..readq. Values up to 32 bits. */
  write(width: MemWidth, addr: number, value: number): Promise<void>;
  read(width: MemWidth, addr: number): Promise<number>;
  /** Reject everything pending and stop accepting commands. */
  close(): void;
}

export interface QtestClientOptions {
  /** Builds the error for requests cut off by a closed connection (see spawn.ts failure()). */
  readonly onConnectionLost?: (request: string) => Promise<Error>;
}

const PORT_SUFFIX: Record<PortWidth, string> = { 1: "b", 2: "w", 4: "l" };
const MEM_SUFFIX: Record<MemWidth, string> = { 1: "b", 2: "w", 4: "l", 8: "q" };

/**
 * Hex literal the way qtest's parser (qemu_strtou64, base 0) accepts it.
 * Negative numbers are the int32 results of JS bit operations: take them as
 * unsigned 32-bit (0x80000000 | x is negative in JS).
 */
export function hex(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return "0x" + (value < 0 ? value >>> 0 : value).toString(16);
}

/** Value of an "OK 0x..." reply. */
export function parseValueReply(command: string, reply: string): number {
  const m = /^OK (0x[0-9a-fA-F]+)$/.exec(reply);
  if (!m) throw new QtestCommandError(command, reply);
  const value = Number.parseInt(m[1]!.slice(2), 16);
  if (!Number.isSafeInteger(value)) throw new QtestCommandError(command, `value too large: ${reply}`);
  return value;
}

export function createQtestClient(socket: Socket, options: QtestClientOptions = {}): QtestClient {
  interface Pending {
    readonly command: string;
    readonly resolve: (reply: string) => void;
    readonly reject: (err: Error) => void;
  }
  const pending: Pending[] = [];
  const connectionLost = (request: string): Promise<Error> =>
    options.onConnectionLost?.(request) ??
    Promise.resolve(new QemuError(`qtest connection closed during '${request}'`));

  onLines(socket, (line) => {
    if (line.startsWith("IRQ")) return; // asynchronous interrupt notification
    const next = pending.shift();
    if (next === undefined) return; // nothing asked: ignore stray output
    if (line === "OK" || line.startsWith("OK ")) next.resolve(line);
    else next.reject(new QtestCommandError(next.command, line));
  });

  const failAll = (): void => {
    if (pending.length === 0) return;
    const waiting = pending.splice(0);
    void connectionLost(waiting[0]!.command).then((err) => {
      for (const p of waiting) p.reject(err);
    });
  };
  socket.on("close", failAll);
  socket.on("error", () => {
    // 'close' follows and fails the pending requests; the error itself
    // (usually ECONNRESET/EPIPE because QEMU died) adds nothing.
  });

  const batch = (commands: readonly string[]): Promise<string[]> => {
    if (commands.length === 0) return Promise.resolve([]);
    if (socket.destroyed || !socket.writable) {
      return connectionLost(commands[0]!).then((err) => Promise.reject(err));
    }
    const replies = commands.map(
      (command) =>
        new Promise<string>((resolve, reject) => pending.push({ command, resolve, reject })),
    );
    socket.write(commands.join("\n") + "\n");
    return Promise.all(replies);
  };

  const command = async (cmd: string): Promise<string> => (await batch([cmd]))[0]!;

  return {
    batch,
    command,
    async out(width, port, value) {
      await command(`out${PORT_SUFFIX[width]} ${hex(port)} ${hex(value)}`);
    },
    async in(width, port) {
      const cmd = `in${PORT_SUFFIX[width]} ${hex(port)}`;
      return parseValueReply(cmd, await command(cmd));
    },
    async write(width, addr, value) {
      await command(`write${MEM_SUFFIX[width]} ${hex(addr)} ${hex(value)}`);
    },
    async read(width, addr) {
      const cmd = `read${MEM_SUFFIX[width]} ${hex(addr)}`;
      return parseValueReply(cmd, await command(cmd));
    },
    close() {
      socket.destroy();
    },
  };
}
