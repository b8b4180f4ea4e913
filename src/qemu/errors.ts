// Typed failures of the real-QEMU driver. Each one carries what QEMU printed on
// stderr, because QEMU's own message ("'nosuch' is not a valid device model
// name", "Bad config data: ...") is almost always the useful part.

/** Base class: every error thrown by src/qemu/ is a QemuError. */
export class QemuError extends Error {
  /** QEMU's stderr lines collected up to the failure (may be empty). */
  readonly stderr: readonly string[];

  constructor(message: string, stderr: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.stderr = [...stderr];
  }
}

/** The binary could not be executed at all (missing, not executable). */
export class QemuSpawnError extends QemuError {
  constructor(
    readonly binary: string,
    cause: unknown,
  ) {
    super(`cannot run QEMU binary '${binary}': ${describe(cause)}`, [], { cause });
  }
}

/**
 * QEMU exited before it was ready (bad -machine, bad -device, missing backend ...).
 * The message is QEMU's first error line without the program-name prefix.
 */
export class QemuStartError extends QemuError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
    stderr: readonly string[],
  ) {
    super(`QEMU failed to start: ${firstErrorLine(stderr) ?? exitText(exitCode, signal)}`, stderr);
  }
}

/** QEMU exited while a qtest or QMP request was still waiting for its reply. */
export class QemuExitedError extends QemuError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
    stderr: readonly string[],
    pendingRequest?: string,
  ) {
    const what = pendingRequest === undefined ? "" : ` during '${pendingRequest}'`;
    super(
      `QEMU exited${what} (${exitText(exitCode, signal)}): ${firstErrorLine(stderr) ?? "no message"}`,
      stderr,
    );
  }
}

/** A time limit of ours ran out; the process group was killed. */
export class QemuTimeoutError extends QemuError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    stderr: readonly string[] = [],
  ) {
    super(`${what} timed out after ${timeoutMs} ms`, stderr);
  }
}

/** QMP answered a command with {"error": {...}}. */
export class QmpCommandError extends QemuError {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`QMP ${command} failed: ${errorClass}: ${desc}`);
  }
}

/** The QMP peer sent something that is not the protocol (bad JSON, no greeting). */
export class QmpProtocolError extends QemuError {}

/** qtest answered "FAIL ..." or something that is not "OK [value]". */
export class QtestCommandError extends QemuError {
  constructor(
    readonly command: string,
    readonly reply: string,
  ) {
    super(`qtest '${command}' failed: ${reply}`);
  }
}

/**
 * First line of QEMU's stderr that reports an error, without the
 * "qemu-system-x86_64: " prefix. Warnings ("...: warning: nic ... has no peer")
 * are skipped: they are printed for harmless setups and would hide the cause.
 */
export function firstErrorLine(stderr: readonly string[]): string | undefined {
  for (const line of stderr) {
    const text = stripProgramPrefix(line).trim();
    if (text === "" || /(^|: )warning:/i.test(text)) continue;
    return text;
  }
  return undefined;
}

/**
 * QEMU prefixes every error_report() line with its program name, which depends
 * on how the binary is called (qemu-system-x86_64, qemu-kvm, kvm).
 * Strip "<name>: " when <name> looks like a program name (no spaces).
 */
export function stripProgramPrefix(line: string): string {
  const m = /^([^\s:]*qemu[^\s:]*|kvm): (.*)$/i.exec(line);
  return m ? m[2]! : line;
}

function exitText(code: number | null, signal: string | null): string {
  return signal !== null ? `signal ${signal}` : `exit code ${code ?? "unknown"}`;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
