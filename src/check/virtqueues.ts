/**
 * After config space, virtio_load reads each queue's ring size. A build
 * that sizes every queue at 1024 (Debian's 10.0.13: virtio_add_queue "for
 * qemu <11.1") gives a guest that boots or resets there 1024-entry rings;
 * a destination that checks ring sizes on load (11.1) refuses any larger
 * than it allocated: "VQ 0 vring.num 1024 exceeds allocated max 256".
 * Data: device-profiles/virtqueues.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_DIR } from '../profiles/data.js';
import { compareReleases, releaseOf } from '../profiles/versions.js';
import { type PropertyValues } from '../devices/properties.js';
import { type DeviceVerdict } from './verdict.js';
import { qemuMessage } from './messages.js';

type Tri = 'yes' | 'no' | 'maybe';

interface Table {
  always1024: { builds: { release: string; withMicro: number[]; withoutMicro: number[] }[] };
  loadCheck: { since: string; absentIn: string[]; uncertain: string[] };
  queue0: Record<string, { property?: string; default?: number; size?: number }>;
  queues: Record<string, { property?: string; default?: number; size?: number }[]>;
}

let table: Table | undefined;
const data = () => (table ??= JSON.parse(readFileSync(join(PROFILES_DIR, 'virtqueues.json'), 'utf8')) as Table);

const VIRTQUEUE_MAX_SIZE = 1024;

/** Does this build (a description's qemu string, "10.0.13") size every queue at 1024? */
export function always1024(version: string): Tri {
  const release = releaseOf(version);
  const b = data().always1024.builds.find((x) => x.release === release);
  if (!b) return 'no';
  const micro = /^\d+\.\d+\.(\d+)/.exec(version)?.[1];
  if (micro === undefined) return 'maybe';
  const m = Number(micro);
  if (b.withMicro.some((w) => m >= w)) return 'yes';
  if (b.withoutMicro.some((w) => m <= w)) return 'no';
  return 'maybe';
}

export function checksOnLoad(release: string): Tri {
  const c = data().loadCheck;
  if (c.uncertain.includes(release)) return 'maybe';
  return compareReleases(release, c.since) >= 0 ? 'yes' : 'no';
}

function queue0Size(family: string, props: PropertyValues): number | undefined {
  const q = data().queue0[family];
  if (!q) return undefined;
  if (q.size !== undefined) return q.size;
  return Number(props.get(q.property!)?.value ?? q.default);
}

/**
 * The first queue the destination allocates smaller than 1024 entries: the one
 * virtio_load names when every ring of the source has 1024. A family whose queues
 * differ in size lists them (virtio-net: rx, tx, ctrl); otherwise queue 0 stands for all.
 */
function firstShortQueue(family: string, props: PropertyValues): { index: number; size: number } | undefined {
  const list = data().queues[family];
  if (!list) {
    const size = queue0Size(family, props);
    return size === undefined || size >= VIRTQUEUE_MAX_SIZE ? undefined : { index: 0, size };
  }
  const sizes = list.map((q) => q.size ?? Number(props.get(q.property!)?.value ?? q.default));
  const index = sizes.findIndex((n) => n < VIRTQUEUE_MAX_SIZE);
  return index < 0 ? undefined : { index, size: sizes[index] };
}

export interface QueueSides {
  srcVersion: string;
  /** The build the guest last booted or was reset on, if the description says. */
  bootedOn?: string;
  dstRelease: string;
  family: string;
  dstProps: PropertyValues;
  section: string;
  /** Live ring sizes by queue index on the running source (guest.virtqueues), if given: they settle the question. */
  live?: ReadonlyMap<number, number>;
}

/** undefined: the queues load; otherwise the verdict for this device's virtio state. */
export function virtqueueVerdict(q: QueueSides): DeviceVerdict | undefined {
  const grows = always1024(q.srcVersion);
  const checks = checksOnLoad(q.dstRelease);
  if (q.live?.size) return liveVerdict(q, q.live, checks);
  const short = firstShortQueue(q.family, q.dstProps);
  if (grows === 'no' || checks === 'no' || short === undefined) return undefined;
  const bootedHere = q.bootedOn === undefined ? undefined : q.bootedOn === q.srcVersion;
  if (bootedHere === false) return undefined;
  if (grows === 'yes' && checks === 'yes' && bootedHere) {
    const lines = qemuMessage(q.dstRelease, 'vringNum', { vq: String(short.index), num: String(VIRTQUEUE_MAX_SIZE), max: String(short.size), section: q.section }).lines;
    return {
      kind: 'incompatible', message: lines[0],
      mismatches: [{
        offset: 0, length: 0, field: `virtqueue ${short.index} size`, source: String(VIRTQUEUE_MAX_SIZE), destination: String(short.size),
        description: `queue ${short.index} has ${VIRTQUEUE_MAX_SIZE} entries on the source (QEMU ${q.srcVersion} sizes every queue at 1024 for a guest booted there); QEMU ${q.dstRelease} allocated ${short.size}`,
      }],
    };
  }
  const why = [
    grows === 'maybe' ? `QEMU ${q.srcVersion} may size every virtqueue at 1024 (Debian's 10.0.13 does; 10.0.2 does not)` : `QEMU ${q.srcVersion} sizes every virtqueue at 1024`,
    checks === 'maybe' ? `QEMU ${q.dstRelease} may refuse rings larger than the ${short.size} entries it allocates` : `QEMU ${q.dstRelease} refuses rings larger than the ${short.size} entries it allocates`,
  ];
  return {
    kind: 'at-risk',
    conditions: [`fails if the guest booted or was reset on the source (${why.join('; ')}): "VQ ${short.index} vring.num 1024 exceeds allocated max ${short.size}"; a guest that arrived by migration and was never reset keeps its old ring sizes — say which with "bootedOn"`],
    mismatches: [],
  };
}

/**
 * The ring the destination allocates for queue `index`: the family's own
 * list where its queues differ (virtio-net: rx, tx, ctrl of pair 0), else
 * queue 0's size for every queue; undefined past the list (not modelled).
 */
function allocated(family: string, props: PropertyValues, index: number): number | undefined {
  const list = data().queues[family];
  if (!list) return queue0Size(family, props);
  const q = list[index];
  return q === undefined ? undefined : (q.size ?? Number(props.get(q.property!)?.value ?? q.default));
}

/**
 * With the live ring sizes known, only the destination's check and
 * allocation matter: virtio_load walks the queues in order and names the
 * first whose ring exceeds what the destination allocated.
 */
function liveVerdict(q: QueueSides, live: ReadonlyMap<number, number>, checks: Tri): DeviceVerdict | undefined {
  if (checks === 'no') return undefined;
  // More live queues than the family's list (virtio-net with mq): the list's last
  // queue (ctrl) is no longer last, so from its index on the allocation is not modelled.
  const list = data().queues[q.family];
  const modelledBelow = list && live.size > list.length ? list.length - 1 : Infinity;
  const unmodelled: number[] = [];
  for (const [index, num] of [...live].sort((a, b) => a[0] - b[0])) {
    const max = index < modelledBelow ? allocated(q.family, q.dstProps, index) : undefined;
    if (max === undefined) {
      if (num > 0) unmodelled.push(index);
      continue;
    }
    if (num <= max) continue;
    const line = qemuMessage(q.dstRelease, 'vringNum', { vq: String(index), num: String(num), max: String(max), section: q.section }).lines[0];
    if (checks === 'maybe') {
      return { kind: 'at-risk', conditions: [`fails if QEMU ${q.dstRelease} checks ring sizes on load (11.1 does): queue ${index} runs ${num} entries on the source, QEMU ${q.dstRelease} allocates ${max}: "${line}"`], mismatches: [] };
    }
    return {
      kind: 'incompatible', message: line,
      mismatches: [{
        offset: 0, length: 0, field: `virtqueue ${index} size`, source: String(num), destination: String(max),
        description: `queue ${index} runs ${num} entries on the source (live, from the running guest); QEMU ${q.dstRelease} allocated ${max}`,
      }],
    };
  }
  if (!unmodelled.length) return undefined;
  return {
    kind: 'at-risk',
    conditions: [`fails if QEMU ${q.dstRelease} allocates fewer entries than the source's live rings for queue ${unmodelled.join(', ')} (the destination's size for those queues is not modelled)`],
    mismatches: [],
  };
}
