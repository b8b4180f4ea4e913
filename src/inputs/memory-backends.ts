/**
 * Host memory backends (`-object memory-backend-ram|file|memfd|shm,id=…,size=…`):
 * the RAM an ivshmem-plain maps as its BAR2 (memdev=). A description
 * carries them in `memoryBackends`, by id, with the size in bytes; the
 * command-line and libvirt adapters fill it from -object lines and <shmem>.
 */
import { InputError } from './errors.js';

/** The -object types that are host memory backends (backends/hostmem-*.c; memory-backend-shm from 9.1). */
export const MEMORY_BACKEND_TYPES = ['memory-backend-ram', 'memory-backend-file', 'memory-backend-memfd', 'memory-backend-shm'] as const;
export type MemoryBackendType = (typeof MEMORY_BACKEND_TYPES)[number];

export interface MemoryBackend {
  type: MemoryBackendType;
  /** Bytes: the backend's RAM block and the BAR that maps it are this large. */
  size: number;
  /** share=on: mapped MAP_SHARED (what makes the memory inter-VM). */
  share?: boolean;
}

const isBackendType = (t: string): t is MemoryBackendType => (MEMORY_BACKEND_TYPES as readonly string[]).includes(t);

/** Powers of 1024 by suffix, as qemu_strtosz reads them (util/cutils.c: B, K, M, G, T, P, E, either case). */
const SUFFIX: Record<string, number> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/**
 * QEMU's size syntax (qemu_strtosz, the default unit bytes): "4194304",
 * "4M", "1G", "0x400000", "1.5G" (a fraction needs a suffix). Returns the
 * bytes, or why the text is no size.
 */
export function parseQemuSize(text: string): number | string {
  const m = /^\s*(0x[0-9a-f]+|\d+(?:\.\d+)?)\s*([bkmgtpe])?$/i.exec(text);
  if (!m) return `"${text}" is not a size (bytes, or a number with a K, M, G or T suffix: "4M")`;
  const [, num, suffix] = m;
  if (num.includes('.') && !suffix) return `"${text}": a fraction needs a suffix ("1.5G")`;
  const bytes = Math.floor(Number(num) * 1024 ** SUFFIX[(suffix ?? 'b').toLowerCase()]);
  if (!Number.isSafeInteger(bytes)) return `"${text}" is too large`;
  return bytes;
}

/** A size as a description or command line gives it, checked: a positive whole number of bytes. */
export function backendSize(value: number | string, file: string, where: string): number {
  const bytes = typeof value === 'number' ? value : parseQemuSize(value);
  if (typeof bytes === 'string') throw new InputError(file, where, bytes);
  // host_memory_backend_memory_complete: "can't create backend with size 0".
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new InputError(file, where, `${value} is not a size of memory: a whole number of bytes, at least 1`);
  return bytes;
}

const isOn = (v: string | undefined) => v !== undefined && ['on', 'true', 'yes', 'y', ''].includes(v.toLowerCase());

/**
 * One -object's options (key/value pairs, qom-type first) → the backend
 * it creates, or undefined when it is no memory backend we know (an
 * iothread, a secret, memory-backend-epc …). `at` names the place.
 */
export function memoryBackendOfObject(opts: [string, string][], file: string, at: string): [id: string, backend: MemoryBackend] | undefined {
  const get = (k: string) => opts.filter(([key]) => key === k).pop()?.[1];
  const type = get('qom-type');
  if (type === undefined || !isBackendType(type)) return undefined;
  const id = get('id');
  if (!id) throw new InputError(file, at, `-object ${type} without id=`);
  const size = get('size');
  if (size === undefined) throw new InputError(file, at, `-object ${type} without size=`);
  const share = get('share');
  return [id, { type, size: backendSize(size, file, `${at}.size`), ...(share !== undefined ? { share: isOn(share) } : {}) }];
}

/** The JSON form (schemas/vm.schema.json memoryBackends): sizes as bytes or QEMU size strings, normalised to bytes. */
export function normalizeMemoryBackends(
  raw: Record<string, { type: MemoryBackendType; size: number | string; share?: boolean }> | undefined, file: string,
): Map<string, MemoryBackend> | undefined {
  if (raw === undefined) return undefined;
  return new Map(Object.entries(raw).map(([id, b]) => [id, {
    type: b.type, size: backendSize(b.size, file, `memoryBackends.${id}.size`), ...(b.share !== undefined ? { share: b.share } : {}),
  }]));
}
