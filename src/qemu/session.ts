// A ready-to-use QEMU: the process (spawn.ts) with its qtest and QMP clients
// connected. "Ready" means QMP answered query-status: QEMU only dispatches
// commands from its main loop, which starts after every -device was created,
// so a bad device shows up here as a QemuStartError, never later.

import { QemuStartError } from "./errors.js";
import { connectQmp, queryStatus, quit, type QmpClient, type RunState } from "./qmp.js";
import { createQtestClient, type QtestClient } from "./qtest.js";
import { spawnQemu, type QemuExit, type QemuProcess, type SpawnQemuOptions } from "./spawn.js";

export interface QemuSession {
  readonly process: QemuProcess;
  readonly qtest: QtestClient;
  readonly qmp: QmpClient;
  /** Run state when the session became ready ("prelaunch", or "inmigrate" with -incoming). */
  readonly initialStatus: RunState;
  /** QEMU's stderr lines (live). */
  readonly stderr: readonly string[];
  /** QMP quit (briefly), then kill if needed and remove the private directory. Idempotent. */
  close(): Promise<QemuExit>;
}

export type StartSessionOptions = SpawnQemuOptions;

const QUIT_GRACE_MS = 1_000;

export async function startSession(options: StartSessionOptions): Promise<QemuSession> {
  const proc = await spawnQemu(options);
  try {
    const onConnectionLost = (request: string) => proc.failure(request);
    const qtest = createQtestClient(proc.qtestSocket, { onConnectionLost });
    const qmp = await connectQmp(proc.qmpSocket, { onConnectionLost });
    const { status } = await queryStatus(qmp);
    let closing: Promise<QemuExit> | undefined;
    return {
      process: proc,
      qtest,
      qmp,
      initialStatus: status,
      stderr: proc.stderr,
      close: () =>
        (closing ??= (async () => {
          if (proc.exitStatus() === undefined) {
            await Promise.race([quit(qmp).catch(() => undefined), delay(QUIT_GRACE_MS)]);
            await Promise.race([proc.closed, delay(QUIT_GRACE_MS)]);
          }
          return proc.stop();
        })()),
    };
  } catch (err) {
    // QEMU died between connecting its sockets and finishing initialisation
    // (the usual place for "-device ...: ..." errors): report it as a start failure.
    const exit = proc.exitStatus() ?? (await Promise.race([proc.closed, delay(200).then(() => undefined)]));
    await proc.stop();
    if (exit !== undefined) throw new QemuStartError(exit.code, exit.signal, proc.stderr);
    throw err;
  }
}

/** Run fn with a fresh session and always close it afterwards. */
export async function withSession<T>(
  options: StartSessionOptions,
  fn: (session: QemuSession) => Promise<T>,
): Promise<T> {
  const session = await startSession(options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
