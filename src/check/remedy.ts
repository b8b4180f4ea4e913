/**
 * Remedies: for each incompatible or at-risk device, the destination-side
 * change that gives it back the layout the source has — and the proof:
 * every proposal is applied to the destination and the whole prediction is
 * re-run; only proposals under which the device loads (and nothing else
 * gets worse) are reported as verified.
 *
 * Candidates come from the model, not from a list of known cases:
 * - the device's resolved properties on both sides (defaults ← machine
 *   compat ← -global ← the -device line): every property the destination
 *   release knows whose value differs, offered as destination `-global`s
 *   and as properties of the destination device, then reduced to the
 *   fewest that still verify;
 * - a machine type that differs in the stream: "pin machine type X";
 * - the 1024-entry virtqueues of a guest booted on 10.0.13: the device's
 *   queue-size property at 1024, where it has one; else a cold restart on
 *   the destination release (not a live-migration fix: never "verified").
 *
 * Pure: reads descriptions and profiles, writes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceFamily, type GlobalProperty, machineProfile, PROFILES_DIR } from '../profiles/data.js';
import { resolveMachine } from '../profiles/machine.js';
import { releaseOf } from '../profiles/versions.js';
import { modelFor } from '../devices/registry.js';
import { propertyTable } from '../devices/properties.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { buildDevice, type BuiltSide, type SideContext } from './build.js';
import { checkMigration } from './migration.js';
import { type MigrationReport, type VerdictKind } from './verdict.js';

export type RemedyKind = 'global' | 'device-property' | 'machine-type' | 'cold-restart';

export interface Remedy {
  kind: RemedyKind;
  /** The change in QEMU's terms: "-global virtio-blk-device.discard=off", "pin machine type pc-i440fx-7.2". */
  change: string;
  /** -global entries added to the destination (kind global). */
  globals: GlobalProperty[];
  /** Properties set on the destination device (kind device-property). */
  properties: Record<string, string>;
  /** The machine type to start the destination with (kind machine-type). */
  machine?: string;
  /** The libvirt domain XML that makes the change, where there is a clear element. */
  libvirt?: string;
  /** True when the prediction was re-run with the change applied and passed. */
  verified: boolean;
  /** What the re-run showed, or why this is not verifiable. */
  effect: string;
}

export interface Remedies {
  /** By source device id. */
  devices: Map<string, Remedy[]>;
  /** For failures of the stream itself (machine type). */
  stream: Remedy[];
}

const RANK: Record<VerdictKind, number> = { compatible: 0, unknown: 1, 'at-risk': 2, incompatible: 3 };

/** An incompatible verdict that no device explains: the machine type or a RAM block. */
const streamFails = (r: MigrationReport) => r.verdict === 'incompatible' && !r.devices.some((d) => d.verdict.kind === 'incompatible');

function sideContext(vm: VmDescription): SideContext | undefined {
  try {
    const release = releaseOf(vm.qemu);
    const profile = machineProfile(release);
    if (!profile) return undefined;
    return { vm, release, machine: resolveMachine(profile, vm.machine) };
  } catch {
    return undefined;
  }
}

/** Nothing that loaded before fails now, and no device is worse than it was. */
function noWorse(before: MigrationReport, after: MigrationReport, except?: string): boolean {
  if (streamFails(after) && !streamFails(before)) return false;
  return after.devices.every((d) => {
    if (d.id === except) return true;
    const b = before.devices.find((x) => x.id === d.id);
    return !b || RANK[d.verdict.kind] <= RANK[b.verdict.kind];
  });
}

function rerun(src: VmDescription, dst: VmDescription): MigrationReport | undefined {
  try {
    return checkMigration(src, dst);
  } catch {
    return undefined;
  }
}

/** The destination with a candidate applied. */
function applied(dst: VmDescription, c: { globals?: GlobalProperty[]; deviceId?: string; properties?: Record<string, string>; machine?: string }): VmDescription {
  return {
    ...dst,
    machine: c.machine ?? dst.machine,
    globals: [...dst.globals, ...(c.globals ?? [])],
    devices: c.deviceId === undefined ? dst.devices : dst.devices.map((d) => (d.id === c.deviceId ? { ...d, properties: { ...d.properties, ...c.properties } } : d)),
  };
}

/** The -global driver that reaches a property: the virtio device (vdev) or the -device type itself. */
function globalDriver(driver: string, family: string, object: string): string {
  if (object !== 'vdev') return driver;
  const f = deviceFamily(family);
  return (f.variants?.[driver]?.typeChains ?? f.typeChains).vdev[0];
}

interface Diff { name: string; value: string; driver: string; sourceVia: string }

function propertyDiffs(srcCtx: SideContext, dstCtx: SideContext, s: BuiltSide, d: BuiltSide, dev: DeviceDescription): Diff[] {
  if (s.kind !== 'built' || d.kind !== 'built') return [];
  const model = modelFor(dev.driver);
  if (!model) return [];
  const family = model.families[model.families.length - 1];
  const table = propertyTable(model.families.map(deviceFamily), dstCtx.release);
  const out: Diff[] = [];
  for (const [name, spec] of table) {
    if (spec.drivers && !spec.drivers.includes(dev.driver)) continue;
    const sv = s.props.get(name);
    const dv = d.props.get(name);
    if (!sv || sv.value === dv?.value) continue;
    out.push({ name, value: sv.value, driver: globalDriver(dev.driver, family, spec.object), sourceVia: sv.source });
  }
  void srcCtx;
  return out;
}

/** libvirt's own attributes for a few device properties; the rest go through <qemu:override>. */
const LIBVIRT_DRIVER_ATTR: Record<string, { element: string; attr: string; value?: (v: string) => string }> = {
  'num-queues': { element: 'disk or controller', attr: 'queues' },
  queues: { element: 'interface', attr: 'queues' },
  'queue-size': { element: 'disk', attr: 'queue_size' },
  rx_queue_size: { element: 'interface', attr: 'rx_queue_size' },
  tx_queue_size: { element: 'interface', attr: 'tx_queue_size' },
  iommu_platform: { element: 'device', attr: 'iommu' },
  ats: { element: 'device', attr: 'ats' },
  packed: { element: 'device', attr: 'packed' },
};

const xmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');

function overrideType(value: string): { type: string; value: string } {
  if (value === 'on' || value === 'off') return { type: 'bool', value: value === 'on' ? 'true' : 'false' };
  if (/^\d+$/.test(value)) return { type: 'unsigned', value };
  if (/^-\d+$/.test(value)) return { type: 'signed', value };
  return { type: 'string', value };
}

function libvirtForProperties(deviceId: string, props: Record<string, string>): string {
  const driverAttrs: string[] = [];
  const override: string[] = [];
  for (const [name, value] of Object.entries(props)) {
    const a = LIBVIRT_DRIVER_ATTR[name];
    if (a) driverAttrs.push(`${a.attr}='${xmlAttr(value)}'`);
    else {
      const t = overrideType(value);
      override.push(`<qemu:property name='${xmlAttr(name)}' type='${t.type}' value='${xmlAttr(t.value)}'/>`);
    }
  }
  const parts: string[] = [];
  if (driverAttrs.length) parts.push(`<driver ${driverAttrs.join(' ')}/> in the device's element`);
  if (override.length) {
    parts.push(`<qemu:override><qemu:device alias='${xmlAttr(deviceId)}'><qemu:frontend>${override.join('')}</qemu:frontend></qemu:device></qemu:override>`);
  }
  return parts.join(' and ');
}

function libvirtForGlobals(globals: GlobalProperty[]): string {
  const args = globals.flatMap(([d, p, v]) => [`<qemu:arg value='-global'/>`, `<qemu:arg value='${xmlAttr(`${d}.${p}=${v}`)}'/>`]);
  return `<qemu:commandline>${args.join('')}</qemu:commandline>`;
}

interface Candidate { kind: 'global' | 'device-property'; items: Diff[] }

function toChange(c: Candidate, deviceId: string) {
  if (c.kind === 'global') {
    const globals = c.items.map((i): GlobalProperty => [i.driver, i.name, i.value]);
    return {
      globals, properties: {},
      change: globals.map(([d, p, v]) => `-global ${d}.${p}=${v}`).join(' '),
      libvirt: libvirtForGlobals(globals),
    };
  }
  const properties = Object.fromEntries(c.items.map((i) => [i.name, i.value]));
  return {
    globals: [], properties,
    change: `${Object.entries(properties).map(([k, v]) => `${k}=${v}`).join(',')} on device ${deviceId}`,
    libvirt: libvirtForProperties(deviceId, properties),
  };
}

/** Does the candidate make this device load without making anything else worse? */
function verify(src: VmDescription, dst: VmDescription, before: MigrationReport, deviceId: string, dstId: string, c: Candidate): MigrationReport | undefined {
  const ch = toChange(c, dstId);
  const after = rerun(src, applied(dst, { globals: ch.globals, deviceId: dstId, properties: ch.properties }));
  if (!after) return undefined;
  const d = after.devices.find((x) => x.id === deviceId);
  return d?.verdict.kind === 'compatible' && noWorse(before, after, deviceId) ? after : undefined;
}

/** The fewest of the items that still verify (dropping one at a time). */
function minimize(src: VmDescription, dst: VmDescription, before: MigrationReport, deviceId: string, dstId: string, c: Candidate): Candidate {
  let items = c.items;
  for (const item of c.items) {
    if (items.length === 1) break;
    const fewer = items.filter((i) => i !== item);
    if (verify(src, dst, before, deviceId, dstId, { kind: c.kind, items: fewer })) items = fewer;
  }
  return { kind: c.kind, items };
}

interface QueueTable { queue0: Record<string, { property?: string; default?: number; size?: number }> }
let queueTable: QueueTable | undefined;
const queue0 = () => (queueTable ??= JSON.parse(readFileSync(join(PROFILES_DIR, 'virtqueues.json'), 'utf8')) as QueueTable).queue0;

const isVirtqueueFailure = (r: MigrationReport['devices'][number]) => {
  const v = r.verdict;
  if (v.kind === 'incompatible') return v.mismatches.some((m) => /^virtqueue \d+ size$/.test(m.field));
  if (v.kind === 'at-risk') return v.conditions.some((c) => c.includes('vring.num'));
  return false;
};

const hasFeatureMismatch = (r: MigrationReport['devices'][number]) =>
  (r.verdict.kind === 'incompatible' || r.verdict.kind === 'at-risk') && r.verdict.mismatches.some((m) => m.field === 'virtio feature');

function describe(after: MigrationReport, deviceId: string): string {
  return after.verdict === 'compatible'
    ? `verified: with it the prediction passes (${deviceId} loads; whole VM compatible)`
    : `verified: with it ${deviceId} loads (the VM is still ${after.verdict} for other reasons)`;
}

export function proposeRemedies(src: VmDescription, dst: VmDescription, report: MigrationReport): Remedies {
  const out: Remedies = { devices: new Map(), stream: [] };
  const srcCtx = sideContext(src);
  const dstCtx = sideContext(dst);

  // The machine type in the stream.
  if (srcCtx && dstCtx && srcCtx.machine.name !== dstCtx.machine.name) {
    const machine = srcCtx.machine.name;
    const after = rerun(src, applied(dst, { machine }));
    if (after && !streamFails(after) && noWorse(report, after)) {
      out.stream.push({
        kind: 'machine-type', change: `pin machine type ${machine}`, globals: [], properties: {}, machine,
        libvirt: `<os><type arch='x86_64' machine='${xmlAttr(machine)}'>hvm</type></os>`,
        verified: true,
        effect: after.verdict === 'compatible' ? 'verified: with it the prediction passes' : `verified: the machine type is accepted (the VM is still ${after.verdict} for other reasons)`,
      });
    }
  }
  if (!srcCtx || !dstCtx) return out;

  for (const [n, dev] of src.devices.entries()) {
    const r = report.devices[n];
    if (!r || (r.verdict.kind !== 'incompatible' && r.verdict.kind !== 'at-risk') || r.destinationId === undefined) continue;
    const dstDev = dst.devices.find((d) => d.id === r.destinationId);
    if (!dstDev || dstDev.driver !== dev.driver) continue;
    const remedies: Remedy[] = [];
    let s: BuiltSide; let d: BuiltSide;
    try {
      s = buildDevice(srcCtx, dev);
      d = buildDevice(dstCtx, dstDev);
    } catch {
      continue;
    }
    const diffs = propertyDiffs(srcCtx, dstCtx, s, d, dev);
    if (diffs.length) {
      // The form the source used first: its -globals as -globals, otherwise on the device.
      const forms: Candidate['kind'][] = diffs.some((x) => x.sourceVia === 'global') ? ['global', 'device-property'] : ['device-property', 'global'];
      for (const kind of forms) {
        const full: Candidate = { kind, items: diffs };
        if (!verify(src, dst, report, dev.id, dstDev.id, full)) continue;
        const small = minimize(src, dst, report, dev.id, dstDev.id, full);
        const after = verify(src, dst, report, dev.id, dstDev.id, small)!;
        remedies.push({ kind, ...toChange(small, dstDev.id), verified: true, effect: describe(after, dev.id) });
      }
    }
    if (isVirtqueueFailure(r) && s.kind === 'built') {
      const family = s.model.families[s.model.families.length - 1];
      const prop = queue0()[family]?.property;
      const table = propertyTable(s.model.families.map(deviceFamily), dstCtx.release);
      const spec = prop ? table.get(prop) : undefined;
      let found = false;
      if (prop && spec) {
        const item: Diff = { name: prop, value: '1024', driver: globalDriver(dev.driver, family, spec.object), sourceVia: 'explicit' };
        for (const kind of ['device-property', 'global'] as const) {
          const c: Candidate = { kind, items: [item] };
          const after = verify(src, dst, report, dev.id, dstDev.id, c);
          if (!after) continue;
          found = true;
          remedies.push({ kind, ...toChange(c, dstDev.id), verified: true, effect: describe(after, dev.id) });
        }
      }
      if (!found) {
        remedies.push({
          kind: 'cold-restart', change: `cold restart on QEMU ${dst.qemu}`, globals: [], properties: {},
          verified: false,
          effect: `not a live-migration fix: the guest's rings were sized at 1024 on QEMU ${src.qemu}${prop ? '' : ` and ${dev.driver} has no queue-size property`}; shut the VM down and start it on the destination release`,
        });
      }
    }
    // Virtio features the destination cannot offer (check/features.ts) and no property brings back:
    // only a guest that renegotiates, i.e. a fresh start on the destination, gets past virtio_load.
    if (hasFeatureMismatch(r) && !remedies.some((x) => x.verified)) {
      remedies.push({
        kind: 'cold-restart', change: `cold restart on QEMU ${dst.qemu}`, globals: [], properties: {}, verified: false,
        effect: `not a live-migration fix: the guest negotiated virtio features the destination's ${dev.driver} does not offer and no property of it brings them back; shut the VM down and start it on the destination, where the guest negotiates again`,
      });
    }
    if (remedies.length) out.devices.set(dev.id, remedies);
  }
  return out;
}

/** The report with remedies attached (a new object; the report passed in is not changed). */
export function withRemedies(report: MigrationReport, remedies: Remedies): MigrationReport {
  return {
    ...report,
    remedies: remedies.stream,
    devices: report.devices.map((d) => (remedies.devices.has(d.id) ? { ...d, remedies: remedies.devices.get(d.id) } : d)),
  };
}
