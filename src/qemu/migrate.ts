// A migration rehearsal with real QEMU and no guest: the ground truth for
// "would this destination accept this source's devices?".
//
// 1. Start the source stopped (-S), let the caller program registers through
//    qtest the way a guest would (e.g. BAR0 := 0xffc0).
// 2. QMP `migrate` to `exec:cat > FILE`; poll query-migrate until completed.
//    A stopped VM migrates fine; with 32 MiB RAM the stream is ~0.5 MB.
// 3. Start the destination with `-incoming exec:cat FILE` and wait for one of:
//    - QEMU exits: the load failed. 7.2 prints the reason (e.g.
//      "get_pci_config_device: Bad config data: i=0x10 ...") and exits with 1;
//    - query-status leaves "inmigrate": the load finished. 7.2 with -S then
//      reports "prelaunch" (checked on this host), and query-migrate on the
//      destination reports "completed".
// QEMU runs the -incoming/-migrate "exec:" command through /bin/sh -c, so the
// file name is shell-quoted when it needs to be.

import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { QemuError, QemuExitedError, QemuStartError, QmpCommandError, firstErrorLine } from "./errors.js";
import { queryMigrate, queryStatus, type MigrationInfo, type RunState } from "./qmp.js";
import type { QtestClient } from "./qtest.js";
import { startSession, type QemuSession } from "./session.js";
import type { MachineSpec } from "./spawn.js";

export interface RehearseMigrationOptions {
  /** Path of qemu-system-x86_64 for the source (and the destination unless dstBinary is given). */
  readonly binary: string;
  /** Path of the destination's qemu-system-x86_64, for a migration between releases. */
  readonly dstBinary?: string;
  /** Source machine; its devices are what the guest runs on today. */
  readonly srcArgs: MachineSpec;
  /** Destination machine. */
  readonly dstArgs: MachineSpec;
  /** Program guest-visible state on the stopped source before migrating. */
  readonly program?: (qtest: QtestClient, source: QemuSession) => Promise<void>;
  /** Lifetime limit for each of the two QEMU processes (default 15 s). */
  readonly timeoutMs?: number;
  /** How often query-migrate / query-status are polled (default 5 ms). */
  readonly pollIntervalMs?: number;
}

export type MigrationSide = "source" | "destination";

export interface MigrationRehearsal {
  /** The destination loaded the stream. */
  readonly ok: boolean;
  /** Which side refused, when !ok. */
  readonly failedAt?: MigrationSide;
  /** stderr of the side that failed (the destination's when ok). */
  readonly stderr: readonly string[];
  /** First error line of `stderr` without the program-name prefix (or the QMP error). */
  readonly firstError?: string;
  /** Exit code of the destination when it exited on its own. */
  readonly exitCode?: number | null;
  /** Run state the destination reached after a good load ("prelaunch" on 7.2 with -S). */
  readonly destinationStatus?: RunState;
  readonly sourceStderr: readonly string[];
  readonly streamBytes?: number;
  readonly timings: { readonly sourceMs: number; readonly destinationMs: number; readonly totalMs: number };
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_POLL_MS = 5;

export async function rehearseMigration(options: RehearseMigrationOptions): Promise<MigrationRehearsal> {
  const t0 = performance.now();
  const poll = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), "compat-check-migration-"));
  const streamFile = join(dir, "stream");
  try {
    // ---- source -----------------------------------------------------------
    const source = await startOrReport(options.binary, options.srcArgs, [], timeoutMs);
    if ("failed" in source) {
      return { ok: false, failedAt: "source", ...source.failed, sourceStderr: source.failed.stderr, timings: since(t0, t0) };
    }
    let sourceResult: { info: MigrationInfo } | { error: string };
    try {
      await options.program?.(source.session.qtest, source.session);
      sourceResult = await migrateToFile(source.session, streamFile, poll);
    } finally {
      await source.session.close();
    }
    const sourceStderr = [...source.session.stderr];
    const tSource = performance.now();
    if ("error" in sourceResult) {
      return {
        ok: false,
        failedAt: "source",
        stderr: sourceStderr,
        firstError: sourceResult.error,
        sourceStderr,
        timings: since(t0, tSource),
      };
    }
    const streamBytes = (await stat(streamFile)).size;

    // ---- destination ------------------------------------------------------
    const incoming = ["-incoming", `exec:cat ${shellQuote(streamFile)}`];
    const dest = await startOrReport(options.dstBinary ?? options.binary, options.dstArgs, incoming, timeoutMs);
    if ("failed" in dest) {
      return { ok: false, failedAt: "destination", ...dest.failed, sourceStderr, streamBytes, timings: since(t0, tSource) };
    }
    try {
      const outcome = await waitForIncoming(dest.session, poll);
      if (outcome.loaded) {
        return {
          ok: true,
          stderr: [...dest.session.stderr],
          destinationStatus: outcome.status,
          sourceStderr,
          streamBytes,
          timings: since(t0, tSource),
        };
      }
      return {
        ok: false,
        failedAt: "destination",
        stderr: outcome.stderr,
        firstError: outcome.firstError,
        exitCode: outcome.exitCode,
        sourceStderr,
        streamBytes,
        timings: since(t0, tSource),
      };
    } finally {
      await dest.session.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Failure = { stderr: string[]; firstError?: string; exitCode?: number | null };

/** Start a session; a QEMU that refuses to start is a result, not an exception. */
async function startOrReport(
  binary: string,
  spec: MachineSpec,
  extraArgs: readonly string[],
  timeoutMs: number,
): Promise<{ session: QemuSession } | { failed: Failure }> {
  try {
    return { session: await startSession({ binary, spec, extraArgs, timeoutMs }) };
  } catch (err) {
    if (err instanceof QemuStartError) {
      return { failed: { stderr: [...err.stderr], firstError: firstErrorLine(err.stderr), exitCode: err.exitCode } };
    }
    throw err;
  }
}

/** QMP migrate to a file and wait for the outcome. */
export async function migrateToFile(
  session: QemuSession,
  file: string,
  poll: number,
): Promise<{ info: MigrationInfo } | { error: string }> {
  try {
    await session.qmp.execute("migrate", { uri: `exec:cat > ${shellQuote(file)}` });
  } catch (err) {
    // e.g. "State blocked by non-migratable device '0000:00:04.0/nvme'"
    if (err instanceof QmpCommandError) return { error: err.desc };
    throw err;
  }
  for (;;) {
    const info = await queryMigrate(session.qmp);
    if (info.status === "completed") return { info };
    if (info.status === "failed" || info.status === "cancelled") {
      return { error: info["error-desc"] ?? firstErrorLine(session.stderr) ?? `migration ${info.status}` };
    }
    await delay(poll);
  }
}

export type IncomingOutcome =
  | { loaded: true; status: RunState }
  | { loaded: false; stderr: string[]; firstError?: string; exitCode: number | null };

/** Poll the destination until it has loaded the stream or exited. */
export async function waitForIncoming(session: QemuSession, poll: number): Promise<IncomingOutcome> {
  const exited = async (): Promise<IncomingOutcome> => {
    const exit = await session.process.closed;
    const stderr = [...session.stderr];
    return { loaded: false, stderr, firstError: firstErrorLine(stderr), exitCode: exit.code };
  };
  try {
    for (;;) {
      const { status } = await queryStatus(session.qmp);
      if (status !== "inmigrate") {
        // Loaded. Cross-check with the migration state machine.
        const info = await queryMigrate(session.qmp);
        if (info.status !== "completed") {
          throw new QemuError(`destination left inmigrate (${status}) but migration is '${info.status ?? "none"}'`, session.stderr);
        }
        return { loaded: true, status };
      }
      await delay(poll);
    }
  } catch (err) {
    // A failed load makes QEMU exit, which cuts the QMP connection.
    if (err instanceof QemuExitedError) return exited();
    throw err;
  }
}

/** Quote for /bin/sh only when needed (temp paths normally need none). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function since(t0: number, tSource: number): MigrationRehearsal["timings"] {
  const now = performance.now();
  return {
    sourceMs: Math.round(tSource - t0),
    destinationMs: Math.round(now - tSource),
    totalMs: Math.round(now - t0),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
