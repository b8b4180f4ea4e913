// Minimal QMP client (QEMU Machine Protocol, docs/interop/qmp-spec.rst).
//
// The wire format is one JSON object per line. On connect QEMU sends a
// greeting {"QMP": {...}}; the client must send {"execute": "qmp_capabilities"}
// before any other command. Replies are {"return": ...} or
// {"error": {"class", "desc"}}, tagged with the "id" we sent; asynchronous
// {"event": ...} messages may arrive at any time and are only recorded.
//
// QEMU dispatches non-OOB commands from its main loop, so a command's reply
// also proves that machine initialisation (device creation) is finished.

import type { Socket } from "node:net";
import { onLines } from "./lines.js";
import { QemuError, QmpCommandError, QmpProtocolError } from "./errors.js";

export interface QmpGreeting {
  readonly version: { readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number }; readonly package: string };
  readonly capabilities: readonly string[];
}

export interface QmpEvent {
  readonly event: string;
  readonly data?: unknown;
  readonly timestamp?: { readonly seconds: number; readonly microseconds: number };
}

export interface QmpClient {
  readonly greeting: QmpGreeting;
  /** Every event received so far, oldest first. */
  readonly events: readonly QmpEvent[];
  /** Run a command; resolves with its "return" value, rejects with QmpCommandError. */
  execute<T = unknown>(command: string, args?: Readonly<Record<string, unknown>>): Promise<T>;
  close(): void;
}

export interface QmpClientOptions {
  /** Builds the error for requests cut off by a closed connection (see spawn.ts failure()). */
  readonly onConnectionLost?: (request: string) => Promise<Error>;
}

/** Read the greeting, negotiate capabilities, return a ready client. */
export async function connectQmp(socket: Socket, options: QmpClientOptions = {}): Promise<QmpClient> {
  interface Pending {
    readonly command: string;
    readonly resolve: (value: unknown) => void;
    readonly reject: (err: Error) => void;
  }
  const pending = new Map<number, Pending>();
  const events: QmpEvent[] = [];
  let nextId = 1;
  let greeting: ((g: QmpGreeting) => void) | undefined;
  const connectionLost = (request: string): Promise<Error> =>
    options.onConnectionLost?.(request) ??
    Promise.resolve(new QemuError(`QMP connection closed during '${request}'`));

  const greeted = new Promise<QmpGreeting>((resolve, reject) => {
    greeting = resolve;
    socket.once("close", () => {
      if (greeting !== undefined) void connectionLost("QMP greeting").then(reject);
    });
  });

  onLines(socket, (line) => {
    if (line.trim() === "") return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      socket.destroy(new QmpProtocolError(`QMP sent a line that is not JSON: ${line.slice(0, 200)}`));
      return;
    }
    if ("QMP" in msg) {
      greeting?.(msg["QMP"] as QmpGreeting);
      greeting = undefined;
    } else if ("event" in msg) {
      events.push(msg as unknown as QmpEvent);
    } else if (typeof msg["id"] === "number" && pending.has(msg["id"])) {
      const p = pending.get(msg["id"])!;
      pending.delete(msg["id"]);
      if ("error" in msg) {
        const e = msg["error"] as { class?: string; desc?: string };
        p.reject(new QmpCommandError(p.command, e.class ?? "GenericError", e.desc ?? JSON.stringify(e)));
      } else {
        p.resolve(msg["return"]);
      }
    }
    // Replies we did not ask for (no id) cannot occur: every command we send has one.
  });

  socket.on("close", () => {
    if (pending.size === 0) return;
    const waiting = [...pending.values()];
    pending.clear();
    void connectionLost(waiting[0]!.command).then((err) => {
      for (const p of waiting) p.reject(err);
    });
  });
  socket.on("error", () => {
    // 'close' follows and fails what is pending.
  });

  const execute = <T>(command: string, args?: Readonly<Record<string, unknown>>): Promise<T> => {
    if (socket.destroyed || !socket.writable) {
      return connectionLost(command).then((err) => Promise.reject(err));
    }
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject });
      socket.write(JSON.stringify(args === undefined ? { execute: command, id } : { execute: command, arguments: args, id }) + "\n");
    });
  };

  const g = await greeted;
  await execute("qmp_capabilities");
  return {
    greeting: g,
    events,
    execute,
    close: () => socket.destroy(),
  };
}

// ---- The few commands the tool uses, typed ---------------------------------

/** QEMU RunState names as query-status reports them (QAPI RunState). */
export type RunState =
  | "debug" | "inmigrate" | "internal-error" | "io-error" | "paused" | "postmigrate"
  | "prelaunch" | "finish-migrate" | "restore-vm" | "running" | "save-vm" | "shutdown"
  | "suspended" | "watchdog" | "guest-panicked" | "colo";

export interface StatusInfo {
  readonly status: RunState;
  readonly running: boolean;
}

export function queryStatus(qmp: QmpClient): Promise<StatusInfo> {
  return qmp.execute<StatusInfo>("query-status");
}

/** query-migrate's "status" (QAPI MigrationStatus); absent before any migration. */
export type MigrationStatus =
  | "none" | "setup" | "cancelling" | "cancelled" | "active" | "postcopy-active"
  | "postcopy-paused" | "postcopy-recover" | "completed" | "failed" | "colo"
  | "pre-switchover" | "device" | "wait-unplug";

export interface MigrationInfo {
  readonly status?: MigrationStatus;
  readonly "error-desc"?: string;
  readonly "total-time"?: number;
  readonly ram?: { readonly transferred: number; readonly total: number };
}

export function queryMigrate(qmp: QmpClient): Promise<MigrationInfo> {
  return qmp.execute<MigrationInfo>("query-migrate");
}

/** query-pci (QAPI PciInfo), the fields we read. */
export interface PciMemoryRegion {
  readonly bar: number;
  readonly type: "io" | "memory";
  readonly address: number;
  readonly size: number;
  readonly prefetch?: boolean;
  readonly mem_type_64?: boolean;
}

export interface PciDeviceInfo {
  readonly bus: number;
  readonly slot: number;
  readonly function: number;
  readonly class_info: { readonly class: number; readonly desc?: string };
  readonly id: { readonly vendor: number; readonly device: number; readonly subsystem?: number; readonly "subsystem-vendor"?: number };
  readonly irq?: number;
  readonly irq_pin: number;
  readonly qdev_id: string;
  readonly regions: readonly PciMemoryRegion[];
  readonly pci_bridge?: {
    readonly bus: { readonly number: number; readonly secondary: number; readonly subordinate: number };
    readonly devices?: readonly PciDeviceInfo[];
  };
}

export interface PciBusInfo {
  readonly bus: number;
  readonly devices: readonly PciDeviceInfo[];
}

export function queryPci(qmp: QmpClient): Promise<PciBusInfo[]> {
  return qmp.execute<PciBusInfo[]>("query-pci");
}

/**
 * Ask QEMU to exit. QEMU may close the connection right after (or even
 * before) sending the reply, so a lost connection counts as success here.
 */
export async function quit(qmp: QmpClient): Promise<void> {
  try {
    await qmp.execute("quit");
  } catch (err) {
    if (err instanceof QmpCommandError) throw err;
  }
}
