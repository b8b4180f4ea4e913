/**
 * The running source's live virtio state, from QMP (7.2+):
 * `x-query-virtio-status` gives the features the guest negotiated, as the
 * names QEMU decodes them to ("VIRTIO_NET_F_MRG_RXBUF: Driver can merge
 * receive buffers") plus the bits it could not name (unknown-dev-features,
 * and unknown-dev-features2 for bits 64-127 from 10.2); `x-query-virtio-
 * queue-status` gives each queue's live ring size (vring-num). Both are
 * merged onto the source description by device id, as guest.features and
 * guest.virtqueues.
 *
 * Forms taken (`--src-virtio`, repeatable):
 * - ID=FILE: one reply of either command for device ID, bare or as {"return": …};
 * - FILE: an object keyed by QOM path (/machine/peripheral/ID/virtio-backend)
 *   or device id, each value a status reply or {"status": …, "queues": [replies]}.
 *
 * Names map to bits through device-profiles/virtio-features.json (qmpNames):
 * the names are the spec's constants, the same in every release; a release
 * that does not know a bit reports it among the unknown features instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_DIR } from '../profiles/data.js';
import { InputError } from './errors.js';
import { parseJsonInput, readInput } from './read.js';
import { type DeviceDescription, type GuestValues, type VmDescription } from './vm.js';

/** The virtio device ids of the devices modelled (include/standard-headers/linux/virtio_ids.h). */
const FAMILY_BY_VIRTIO_ID: Record<number, string> = {
  1: 'virtio-net', 2: 'virtio-blk', 3: 'virtio-serial', 4: 'virtio-rng', 5: 'virtio-balloon', 8: 'virtio-scsi', 16: 'virtio-gpu', 18: 'virtio-input',
};

let names: Record<string, Record<string, number>> | undefined;
const qmpNames = () => (names ??= (JSON.parse(readFileSync(join(PROFILES_DIR, 'virtio-features.json'), 'utf8')) as { qmpNames: Record<string, Record<string, number>> }).qmpNames);

export interface LiveVirtio {
  /** Device id in the description. */
  id: string;
  /** Negotiated features (guest_features). */
  features?: bigint;
  /** Queue index → vring.num. */
  virtqueues: Map<number, number>;
}

interface FeatureList { transports?: string[]; 'dev-features'?: string[]; 'unknown-dev-features'?: number; 'unknown-dev-features2'?: number }
interface StatusReply { 'device-id'?: number; name?: string; 'guest-features'?: FeatureList }
interface QueueReply { 'queue-index': number; 'vring-num': number }

const unwrap = (j: unknown): unknown => (j && typeof j === 'object' && 'return' in j ? (j as { return: unknown }).return : j);
const isObject = (j: unknown): j is Record<string, unknown> => !!j && typeof j === 'object' && !Array.isArray(j);
const isQueue = (j: unknown): j is QueueReply => isObject(j) && typeof j['queue-index'] === 'number' && typeof j['vring-num'] === 'number';
const isStatus = (j: unknown): j is StatusReply => isObject(j) && isObject(j['guest-features']);

/** "/machine/peripheral/net0/virtio-backend" → "net0"; an id stays as it is. */
export function deviceIdOf(key: string): string {
  const m = /^\/machine\/peripheral\/([^/]+)(\/virtio-backend)?$/.exec(key);
  return m ? m[1] : key;
}

/** The guest features of one status reply as bits (names decoded per the device's family). */
export function decodeFeatures(status: StatusReply, file: string, where: string): bigint {
  const family = FAMILY_BY_VIRTIO_ID[status['device-id'] ?? -1];
  if (!family) throw new InputError(file, `${where}.device-id`, `virtio device id ${status['device-id']} (${status.name ?? '?'}) is not modelled`);
  const g = status['guest-features']!;
  let bits = 0n;
  const add = (entry: string, table: Record<string, number>, list: string) => {
    const name = entry.split(':')[0].trim();
    const n = table[name];
    if (n === undefined) throw new InputError(file, `${where}.guest-features.${list}`, `unknown feature name "${name}" for ${family}`);
    bits |= 1n << BigInt(n);
  };
  for (const t of g.transports ?? []) add(t, qmpNames().transport, 'transports');
  for (const d of g['dev-features'] ?? []) add(d, qmpNames()[family] ?? {}, 'dev-features');
  // uint64 in JSON: exact for the single bits QEMU leaves undecoded (powers of two are exact doubles).
  if (g['unknown-dev-features']) bits |= BigInt(g['unknown-dev-features']);
  if (g['unknown-dev-features2']) bits |= BigInt(g['unknown-dev-features2']) << 64n;
  return bits;
}

function merge(into: Map<string, LiveVirtio>, id: string, reply: unknown, file: string, where: string): void {
  const live = into.get(id) ?? { id, virtqueues: new Map<number, number>() };
  const r = unwrap(reply);
  if (isQueue(r)) live.virtqueues.set(r['queue-index'], r['vring-num']);
  else if (isStatus(r)) live.features = decodeFeatures(r, file, where);
  else if (isObject(r) && (r.status !== undefined || r.queues !== undefined)) {
    if (r.status !== undefined) merge(into, id, r.status, file, `${where}.status`);
    const queues = Array.isArray(r.queues) ? r.queues : [];
    queues.forEach((q, n) => merge(into, id, q, file, `${where}.queues[${n}]`));
    return;
  } else {
    throw new InputError(file, where || '(top level)', 'neither an x-query-virtio-status nor an x-query-virtio-queue-status reply');
  }
  into.set(id, live);
}

/** Reads every --src-virtio argument ("FILE" or "ID=FILE"). */
export function readVirtioFiles(args: string[]): LiveVirtio[] {
  const out = new Map<string, LiveVirtio>();
  for (const arg of args) {
    const eq = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(arg);
    const file = eq ? eq[2] : arg;
    const json = parseJsonInput(readInput(file), file);
    if (eq) {
      merge(out, eq[1], json, file, '');
      continue;
    }
    const body = unwrap(json);
    if (isStatus(body) || isQueue(body)) throw new InputError(file, '(top level)', 'a single reply names no device: give it as ID=FILE');
    if (Array.isArray(body)) {
      body.forEach((e, n) => {
        if (!isObject(e) || typeof e.path !== 'string') throw new InputError(file, `[${n}]`, 'each entry needs a "path" (QOM path or device id)');
        merge(out, deviceIdOf(e.path), e, file, `[${n}]`);
      });
    } else if (isObject(body)) {
      for (const [key, value] of Object.entries(body)) merge(out, deviceIdOf(key), value, file, key);
    } else {
      throw new InputError(file, '(top level)', 'expected a JSON object of device → x-query-virtio replies');
    }
  }
  return [...out.values()];
}

/** The source description with the live state of its virtio devices as guest values. */
export function mergeVirtio(vm: VmDescription, live: LiveVirtio[], file = '--src-virtio'): VmDescription {
  if (!live.length) return vm;
  const byId = new Map(live.map((l) => [l.id, l]));
  for (const id of byId.keys()) {
    if (!vm.devices.some((d) => d.id === id)) throw new InputError(file, id, `no device "${id}" in ${vm.file}`);
  }
  const devices = vm.devices.map((d): DeviceDescription => {
    const l = byId.get(d.id);
    if (!l) return d;
    const guest: GuestValues = d.guest ?? { bars: new Map(), registers: [] };
    return {
      ...d,
      guest: {
        ...guest,
        ...(l.features !== undefined ? { features: l.features } : {}),
        ...(l.virtqueues.size ? { virtqueues: new Map([...(guest.virtqueues ?? []), ...l.virtqueues]) } : {}),
      },
    };
  });
  return { ...vm, devices };
}
