// A real Linux guest under QEMU (TCG), for the suites that need drivers bound and
// virtqueues in use rather than a stopped machine: the kernel and busybox initramfs
// scripts/build-guest.sh makes from Debian packages. The QEMU plumbing is the
// project's own (src/qemu: spawn, session, QMP, migrate-to-file); this file only adds
// the guest: -kernel/-initrd, a serial console captured to a file, `cont`, and the
// wait for the ready marker the guest's /init prints once every device was used.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSession, type QemuSession } from '../../src/qemu/session.js';
import { QemuStartError, firstErrorLine } from '../../src/qemu/errors.js';
import { migrateToFile, shellQuote, waitForIncoming, type IncomingOutcome } from '../../src/qemu/migrate.js';
import type { QmpClient } from '../../src/qemu/qmp.js';

export const GUEST_DIR = process.env.COMPAT_CHECK_GUEST_DIR ?? '/opt/compat-check/guest';
/** What the guest's /init prints on ttyS0 when it is done (scripts/build-guest.sh). */
export const READY_MARKER = 'compat-check-guest: ready';

export interface GuestImage {
  readonly vmlinuz: string;
  readonly initrd: string;
  /** Package name → Debian version, from the manifest. */
  readonly packages: Record<string, string>;
}

/** The built guest, or undefined when scripts/build-guest.sh has not been run. */
export function guestImage(dir = GUEST_DIR): GuestImage | undefined {
  const vmlinuz = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.img');
  const manifest = join(dir, 'manifest.json');
  if (![vmlinuz, initrd, manifest].every(existsSync)) return undefined;
  const { packages } = JSON.parse(readFileSync(manifest, 'utf8')) as { packages: Record<string, string> };
  return { vmlinuz, initrd, packages };
}

export interface GuestVmOptions {
  /** qemu-system-x86_64 of the release to run. */
  readonly binary: string;
  /** Versioned machine type, e.g. "pc-i440fx-5.2". */
  readonly machine: string;
  /** Backends and devices, one argv element each (src/rehearse/vm-args.ts vmMachineSpec makes them). */
  readonly args: readonly string[];
  readonly smp?: number;
  /** Lifetime limit of the QEMU process (default 300 s: TCG on a busy 2-core host). */
  readonly timeoutMs?: number;
}

/** A QEMU running the test guest. close() ends it and removes its directory. */
export interface GuestVm {
  readonly session: QemuSession;
  readonly qmp: QmpClient;
  /** Private directory: sockets, the serial log, streams the caller saves here. */
  readonly dir: string;
  /** The guest's console so far. */
  serial(): string;
  close(): Promise<void>;
}

const MEMORY_MIB = 256;
/**
 * no_timer_check: under TCG on a loaded host Linux's IO-APIC timer check can miss the
 * 8254's ticks and panic ("IO-APIC + timer doesn't work!"), seen here once in ~30 boots;
 * the check is pointless in a VM (the same flag distributions' cloud images boot with).
 */
const APPEND = 'console=ttyS0 quiet no_timer_check';

/**
 * QEMU with the guest loaded but stopped (spawn.ts always passes -S). The
 * destination of a migration needs the same -kernel/-initrd: they become
 * option ROM and fw_cfg state (linuxboot_dma.bin is a RAM block in the stream).
 */
async function startGuestQemu(options: GuestVmOptions, extraArgs: readonly string[] = []): Promise<GuestVm> {
  const image = guestImage();
  if (!image) throw new Error(`no test guest in ${GUEST_DIR}: run scripts/build-guest.sh`);
  const dir = await mkdtemp(join(tmpdir(), 'cc-guest-'));
  const serialLog = join(dir, 'serial.log');
  const args = [
    ...options.args,
    '-kernel', image.vmlinuz, '-initrd', image.initrd, '-append', APPEND,
    '-serial', `file:${serialLog}`,
  ];
  let session: QemuSession;
  try {
    session = await startSession({
      binary: options.binary,
      spec: { machine: options.machine, smp: options.smp, memoryMiB: MEMORY_MIB, args },
      extraArgs,
      dir,
      timeoutMs: options.timeoutMs ?? 300_000,
      startTimeoutMs: 30_000,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    session,
    qmp: session.qmp,
    dir,
    serial: () => (existsSync(serialLog) ? readFileSync(serialLog, 'utf8') : ''),
    close: async () => {
      await session.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Boot the guest on a release with the given devices and wait until its
 * /init has loaded the virtio drivers and used every device (the ready
 * marker). The returned VM is running; the caller closes it.
 */
export async function bootGuest(options: GuestVmOptions & { readyTimeoutMs?: number }): Promise<GuestVm> {
  const vm = await startGuestQemu(options);
  try {
    await vm.qmp.execute('cont');
    await waitForSerial(vm, READY_MARKER, options.readyTimeoutMs ?? 240_000);
    return vm;
  } catch (err) {
    await vm.close();
    throw err;
  }
}

/** Poll the serial log for a line; fails with the console so far. */
export async function waitForSerial(vm: GuestVm, marker: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!vm.serial().includes(marker)) {
    if (vm.serial().includes('Kernel panic')) throw new Error(`the guest panicked before "${marker}":\n${vm.serial().slice(-2000)}`);
    if (vm.session.process.exitStatus() !== undefined) {
      throw new Error(`QEMU exited before "${marker}": ${firstErrorLine(vm.session.stderr) ?? ''}\n${vm.serial().slice(-2000)}`);
    }
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`no "${marker}" within ${timeoutMs} ms; console:\n${vm.serial().slice(-2000)}`);
    }
    await delay(100);
  }
}

/**
 * Migrate a running guest to a file (QMP migrate to exec:cat > FILE), as
 * src/qemu/migrate.ts does for a stopped machine. The source ends paused.
 */
export async function saveStream(vm: GuestVm, file: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const r = await migrateToFile(vm.session, file, 20);
  return 'error' in r ? { ok: false, error: r.error } : { ok: true };
}

export interface Arrival {
  readonly outcome: IncomingOutcome;
  /** Every stderr line of the destination (warnings included). */
  readonly stderr: readonly string[];
  /** The running destination when it loaded (for a further migration); undefined when it refused. */
  readonly vm?: GuestVm;
}

/**
 * Start the destination release with `-incoming "exec:cat FILE"` and wait
 * for the load. A destination that refuses to start (a device property it
 * lacks) is an outcome too. On a good load the VM is returned (stopped:
 * spawn.ts passes -S) and the caller must close it; keepRunning false closes it here.
 */
export async function loadStream(options: GuestVmOptions, file: string, keepRunning = false): Promise<Arrival> {
  let vm: GuestVm;
  try {
    vm = await startGuestQemu(options, ['-incoming', `exec:cat ${shellQuote(file)}`]);
  } catch (err) {
    if (err instanceof QemuStartError) {
      return { outcome: { loaded: false, stderr: [...err.stderr], firstError: firstErrorLine(err.stderr), exitCode: err.exitCode }, stderr: [...err.stderr] };
    }
    throw err;
  }
  const outcome = await waitForIncoming(vm.session, 20);
  const stderr = [...vm.session.stderr];
  if (outcome.loaded && keepRunning) return { outcome, stderr, vm };
  await vm.close();
  return { outcome, stderr: outcome.loaded ? stderr : outcome.stderr };
}

// ---- live virtio state over QMP (7.2 and later) ------------------------------

export interface VirtioDeviceState {
  /** QOM path of the virtio device, e.g. "/machine/peripheral/blk0/virtio-backend". */
  readonly path: string;
  /** x-query-virtio's name, e.g. "virtio-blk". */
  readonly name: string;
  /** x-query-virtio-status as QEMU returned it. */
  readonly status: Record<string, unknown>;
  /** x-query-virtio-queue-status per queue index, for the queues the device has. */
  readonly queues: Record<string, unknown>[];
}

/**
 * x-query-virtio lists the realized virtio devices; x-query-virtio-status
 * and x-query-virtio-queue-status (QEMU 7.2+, qmp_x_query_virtio_status /
 * qmp_x_query_virtio_queue_status in hw/virtio/virtio-qmp.c) give the live
 * feature words and each queue's vring.num and indexes. Queues are read
 * from 0 until QEMU says the index is out of range (virtio_queue_get_num 0).
 */
export async function virtioState(qmp: QmpClient, options: { status?: boolean } = {}): Promise<VirtioDeviceState[]> {
  const devices = await qmp.execute<{ path: string; name: string }[]>('x-query-virtio');
  const out: VirtioDeviceState[] = [];
  for (const d of devices) {
    // Debian's 11.1.3 aborts in x-query-virtio-status (see STATUS_ABORTS): pass status: false there.
    const status = options.status === false ? {} : await qmp.execute<Record<string, unknown>>('x-query-virtio-status', { path: d.path });
    const queues: Record<string, unknown>[] = [];
    for (let queue = 0; queue < 1024; queue++) {
      try {
        queues.push(await qmp.execute<Record<string, unknown>>('x-query-virtio-queue-status', { path: d.path, queue }));
      } catch {
        break; // "Invalid virtqueue number N"
      }
    }
    out.push({ path: d.path, name: d.name, status, queues });
  }
  return out;
}

/**
 * Debian's QEMU 11.1.3 aborts on x-query-virtio-status for every virtio device,
 * booted or not: "qapi/qapi-visit-core.c:52: visit_start_struct: Assertion
 * `!(v->type & VISITOR_OUTPUT) || *obj' failed." (a NULL struct member in the
 * reply); x-query-virtio-queue-status works. Releases listed here get no status.
 */
export const STATUS_ABORTS = new Set(['11.1']);

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
