// Starting one QEMU process: a stopped machine with no guest, reachable through
// two unix sockets (qtest and QMP), in a private temporary directory.
//
// How it is wired (the same way QEMU's own test harness, tests/qtest/libqtest.c,
// does it): WE listen on both sockets and QEMU connects to them as a client while
// it initialises. The connection is therefore ready as soon as QEMU is, with no
// polling for a socket file to appear. QEMU is run without a shell, from an
// argument vector, so device options never go through shell quoting.
//
// Facts about Debian's 7.2 build this relies on (checked on this host):
// - there is no `-accel qtest`; `-accel tcg -S` keeps the vCPU stopped so no
//   firmware runs and config space stays exactly as QEMU built it;
// - `-qtest unix:PATH` and `-qtest stdio` both work; without `-qtest-log none`
//   qtest traces every command on stderr (and GLib prints an assertion on close);
// - a failing -machine/-device makes QEMU exit with status 1 and one
//   "qemu-system-x86_64: ..." line on stderr.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onLines } from "./lines.js";
import {
  QemuError,
  QemuSpawnError,
  QemuStartError,
  QemuExitedError,
  QemuTimeoutError,
} from "./errors.js";

/** The machine to build: what differs between a source and a destination. */
export interface MachineSpec {
  /** Versioned machine type, e.g. "pc-i440fx-7.2" or "pc-q35-7.2". */
  readonly machine: string;
  /** vCPU count; changes virtio queue (and so MSI-X vector) defaults. */
  readonly smp?: number;
  /** Guest RAM in MiB (default 32: keeps a migration stream near 0.5 MB). */
  readonly memoryMiB?: number;
  /** Backends and devices, one argv element each: ["-device", "virtio-blk-pci,..."]. */
  readonly args?: readonly string[];
}

export interface SpawnQemuOptions {
  /** Path (or PATH name) of qemu-system-x86_64. */
  readonly binary: string;
  readonly spec: MachineSpec;
  /** Appended after everything else, e.g. ["-incoming", "exec:cat /tmp/x/stream"]. */
  readonly extraArgs?: readonly string[];
  /** Whole lifetime of the process; it is killed when this runs out (default 30 s). */
  readonly timeoutMs?: number;
  /** How long QEMU may take to connect both sockets (default 10 s). */
  readonly startTimeoutMs?: number;
  /** Use this directory instead of creating one; it is then NOT removed by stop(). */
  readonly dir?: string;
}

export interface QemuExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running QEMU. Call stop() exactly when you are done (it is idempotent). */
export interface QemuProcess {
  readonly pid: number;
  /** Full command: argv[0] is the binary. */
  readonly argv: readonly string[];
  /** Private working directory (sockets live here; callers may put files here). */
  readonly dir: string;
  /** stderr lines so far; grows while QEMU runs, complete once `closed` resolves. */
  readonly stderr: readonly string[];
  /** Connected qtest channel (text protocol, see qtest.ts). */
  readonly qtestSocket: Socket;
  /** Connected QMP channel (JSON lines, see qmp.ts). */
  readonly qmpSocket: Socket;
  /** Resolves (never rejects) when QEMU has exited and its stderr is drained. */
  readonly closed: Promise<QemuExit>;
  /** The exit status, once QEMU has exited. */
  exitStatus(): QemuExit | undefined;
  /**
   * The error to report for a request cut short because QEMU went away:
   * a timeout if our limit killed it, else QEMU's exit status and stderr.
   */
  failure(request?: string): Promise<QemuError>;
  /** Kill QEMU if it is still running, wait for it, remove the private directory. */
  stop(): Promise<QemuExit>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_START_TIMEOUT_MS = 10_000;
/** Linux sun_path is 108 bytes including the terminating NUL. */
const MAX_UNIX_SOCKET_PATH = 107;

/**
 * The argument vector for a stopped, guest-less machine. Order matters only
 * for readability: fixed options, the machine, the caller's devices, the two
 * control channels, then extras such as -incoming.
 */
export function buildQemuArgs(
  spec: MachineSpec,
  sockets: { readonly qtest: string; readonly qmp: string },
  extraArgs: readonly string[] = [],
): string[] {
  return [
    "-accel", "tcg",
    "-S",
    "-nodefaults",
    "-display", "none",
    "-m", String(spec.memoryMiB ?? 32),
    "-machine", spec.machine,
    ...(spec.smp === undefined ? [] : ["-smp", String(spec.smp)]),
    ...(spec.args ?? []),
    "-qtest", `unix:${sockets.qtest}`,
    "-qtest-log", "none",
    "-chardev", `socket,id=compat-check-qmp,path=${sockets.qmp}`,
    "-mon", "chardev=compat-check-qmp,mode=control",
    ...extraArgs,
  ];
}

/**
 * Start QEMU and wait until it has connected both control sockets.
 * Throws QemuSpawnError (binary not runnable), QemuStartError (QEMU exited:
 * bad machine or device, with its message) or QemuTimeoutError.
 */
export async function spawnQemu(options: SpawnQemuOptions): Promise<QemuProcess> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "compat-check-qemu-")));
  const sockets = { qtest: join(dir, "qtest.sock"), qmp: join(dir, "qmp.sock") };
  const removeDir = async (): Promise<void> => {
    if (ownsDir) await rm(dir, { recursive: true, force: true });
  };

  if (sockets.qtest.length > MAX_UNIX_SOCKET_PATH) {
    await removeDir();
    throw new QemuError(`socket path too long for a unix socket (${sockets.qtest}); set TMPDIR to a shorter directory`);
  }

  let qtestServer: Server | undefined;
  let qmpServer: Server | undefined;
  try {
    qtestServer = await listenUnix(sockets.qtest);
    qmpServer = await listenUnix(sockets.qmp);
  } catch (err) {
    qtestServer?.close();
    await removeDir();
    throw err;
  }

  const args = buildQemuArgs(options.spec, sockets, options.extraArgs);
  const child = spawn(options.binary, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const stderr: string[] = [];
  onLines(child.stderr!, (line) => stderr.push(line));

  const state = new ProcessState(
    child,
    stderr,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ownsDir ? dir : undefined,
  );

  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let startTimer: NodeJS.Timeout | undefined;
  try {
    const [qtestSocket, qmpSocket] = await Promise.race([
      Promise.all([acceptOne(qtestServer), acceptOne(qmpServer)]),
      state.startFailure(options.binary),
      new Promise<never>((_, reject) => {
        startTimer = setTimeout(() => {
          reject(new QemuTimeoutError("QEMU start-up", startTimeoutMs, stderr));
        }, startTimeoutMs);
      }),
    ]);
    let stopping: Promise<QemuExit> | undefined;
    return {
      pid: child.pid!,
      argv: [options.binary, ...args],
      dir,
      stderr,
      qtestSocket,
      qmpSocket,
      closed: state.closed,
      exitStatus: () => state.exit,
      failure: (request) => state.failure(request),
      stop: () =>
        (stopping ??= (async () => {
          qtestSocket.destroy();
          qmpSocket.destroy();
          state.kill();
          const exit = await state.closed;
          await removeDir();
          return exit;
        })()),
    };
  } catch (err) {
    state.kill();
    await state.closed;
    await removeDir();
    throw err;
  } finally {
    clearTimeout(startTimer);
    qtestServer.close();
    qmpServer.close();
  }
}

/** Lifecycle bookkeeping of one child: exit status, limit timer, kill. */
class ProcessState {
  exit: QemuExit | undefined;
  timedOut = false;
  readonly closed: Promise<QemuExit>;
  private spawnError: Error | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly child: ChildProcess,
    private readonly stderr: string[],
    private readonly timeoutMs: number,
    ownedDir: string | undefined,
  ) {
    liveChildren.set(child, ownedDir);
    installExitHook();
    this.closed = new Promise<QemuExit>((resolve) => {
      child.on("error", (err) => {
        // Spawning failed (ENOENT, EACCES): there will be no 'exit', maybe no 'close'.
        // (Also emitted if a kill() fails; keep listening so that is not fatal.)
        this.spawnError ??= err;
        if (child.pid === undefined) this.settle({ code: null, signal: null }, resolve);
      });
      child.once("close", (code, signal) => this.settle({ code, signal }, resolve));
    });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.kill();
    }, timeoutMs);
    this.timer.unref();
  }

  private settle(exit: QemuExit, resolve: (e: QemuExit) => void): void {
    if (this.exit !== undefined) return;
    this.exit = exit;
    clearTimeout(this.timer);
    liveChildren.delete(this.child);
    resolve(exit);
  }

  /** SIGKILL our own child, by its pid, if it has not exited yet. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      this.child.kill("SIGKILL");
    }
  }

  /** Rejects when the child dies before start-up completed. */
  async startFailure(binary: string): Promise<never> {
    const exit = await this.closed;
    if (this.spawnError !== undefined) throw new QemuSpawnError(binary, this.spawnError);
    throw new QemuStartError(exit.code, exit.signal, this.stderr);
  }

  async failure(request?: string): Promise<QemuError> {
    // The socket usually closes a moment before the process is reaped; wait
    // (briefly) so the error carries the exit status and complete stderr.
    const exit = await Promise.race([this.closed, delay(2_000).then(() => undefined)]);
    if (this.timedOut) return new QemuTimeoutError("QEMU session", this.timeoutMs, this.stderr);
    if (exit === undefined) return new QemuError(`connection to QEMU closed during '${request ?? "?"}'`, this.stderr);
    return new QemuExitedError(exit.code, exit.signal, this.stderr, request);
  }
}

// If the Node process exits with QEMUs still running (a test that forgot to
// stop, an uncaught exception), kill them: a stopped machine whose sockets
// closed never exits on its own. Their private directories go too.
// (A signal such as Ctrl-C reaches QEMU directly: it shares our process group.)
const liveChildren = new Map<ChildProcess, string | undefined>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [child, dir] of liveChildren) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  });
}

function listenUnix(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function acceptOne(server: Server): Promise<Socket> {
  return new Promise((resolve) => server.once("connection", resolve));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
  });
}
