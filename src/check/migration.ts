/**
 * The whole prediction: what the destination QEMU does with the source's
 * migration stream, in the order it reads it — the machine type in the
 * configuration section first, then each device section in the order the
 * source created the devices.
 */
import { machineProfile, modelledReleases } from '../profiles/data.js';
import { MachineError, resolveMachine } from '../profiles/machine.js';
import { releaseOf, VersionError } from '../profiles/versions.js';
import { InputError } from '../inputs/errors.js';
import { type VmDescription } from '../inputs/vm.js';
import { type BuiltSide, type SideContext } from './build.js';
import { comparePair } from './compare.js';
import { type DeviceReport, type DeviceVerdict, type MigrationReport, worst } from './verdict.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { virtqueueVerdict } from './virtqueues.js';
import { deviceFeatureVerdict, featureLines, subsectionLines } from './features.js';
import { sourceBlocker } from './blockers.js';
import { ramBlockError } from './ram-blocks.js';
import { buildMigrated, machineFunctionsError, machineRamBlocksOf, unknownSectionLines } from './builtin-devices.js';
import { hostDeviceBlockers } from './host-devices.js';
import { sendsSectionFooters, streamShapeVerdict } from './stream-shape.js';
import { checkAttached } from './attached.js';
import { equalFieldLines, postLoadVerdict, preLoadVerdict } from './post-load.js';
import { guestBlockers } from './guest-blockers.js';

type Side = { kind: 'ok'; ctx: SideContext } | { kind: 'unmodelled'; reason: string } | { kind: 'no-machine'; reason: string };

/** x86 machine types QEMU has besides pc-i440fx/pc-q35: real, but not modelled. */
const OTHER_MACHINES = /^(microvm|isapc|xenfv(-[\d.]+)?|xenpv|x-remote|none)$/;

function side(vm: VmDescription): Side {
  let release: string;
  try {
    release = releaseOf(vm.qemu);
  } catch (e) {
    if (e instanceof VersionError) throw new InputError(vm.file, 'qemu', e.message);
    throw e;
  }
  const profile = machineProfile(release);
  if (!profile) {
    return { kind: 'unmodelled', reason: `QEMU ${release} is not modelled (modelled: ${modelledReleases().join(', ')})` };
  }
  if (OTHER_MACHINES.test(vm.machine)) {
    return { kind: 'unmodelled', reason: `machine type "${vm.machine}" is not modelled (only pc-i440fx-* and pc-q35-*)` };
  }
  // Proxmox VE's QEMU adds "+pveN" machine versions with its own changes: a downstream build.
  if (/\+pve\d+$/.test(vm.machine)) {
    return { kind: 'unmodelled', reason: `machine type "${vm.machine}" is Proxmox's downstream version: not modelled (upstream ${vm.machine.replace(/\+pve\d+$/, '')} is)` };
  }
  try {
    return { kind: 'ok', ctx: { vm, release, machine: resolveMachine(profile, vm.machine) } };
  } catch (e) {
    // Asked of a derived destination ("upgrade to 11.1"), a dropped machine type is the answer, not bad input.
    if (e instanceof MachineError && vm.derived) return { kind: 'no-machine', reason: e.message };
    if (e instanceof MachineError) throw new InputError(vm.file, 'machine', e.message);
    throw e;
  }
}

const summary = (vm: VmDescription) => ({ file: vm.file, qemu: vm.qemu, machine: vm.machine });

export function checkMigration(srcVm: VmDescription, dstVm: VmDescription, memo?: PairMemo): MigrationReport {
  const src = side(srcVm);
  const dst = side(dstVm);
  const base = { source: summary(srcVm), destination: summary(dstVm), qemuOutput: [] as string[], destinationOnly: [] as string[] };
  if (src.kind === 'ok' && dst.kind === 'no-machine') {
    const message = `${dst.reason}: the destination cannot start this VM; pin a machine type both releases offer`;
    return {
      ...base, verdict: 'incompatible', firstError: message, qemuOutput: [message], printedBy: 'destination', assumptions: [],
      devices: [...srcVm.devices, ...(srcVm.attached ?? [])].map((d) => ({ id: d.id, driver: d.driver, verdict: { kind: 'unknown', reason: 'not compared: the destination does not start' }, notes: [], assumptions: [] })),
    };
  }
  if (src.kind !== 'ok' || dst.kind !== 'ok') {
    const reason = src.kind !== 'ok' ? src.reason : (dst as { reason: string }).reason;
    return {
      ...base, verdict: 'unknown', assumptions: [],
      devices: [...srcVm.devices, ...(srcVm.attached ?? [])].map((d) => ({ id: d.id, driver: d.driver, verdict: { kind: 'unknown', reason }, notes: [], assumptions: [] })),
    };
  }
  const { srcBuilt, dstBuilt, devices, used } = (memo?.prepare(src.ctx, dst.ctx) && pairByMemo(memo, src.ctx, dst.ctx)) || pairBySection(src.ctx, dst.ctx);
  const destinationOnly = dstVm.devices.filter((_, j) => !used.has(j)).map((d) => d.id);
  const release = dst.ctx.release;
  const machineError = src.ctx.machine.name !== dst.ctx.machine.name
    ? qemuMessage(release, 'machineType', { src: src.ctx.machine.name, dst: dst.ctx.machine.name })
    : undefined;
  // An unmigratable source device (check/blockers.ts) stops the migration on the source, before anything is sent.
  // A passed-through device without migration support blocks it on the source too (check/host-devices.ts).
  const hostBlocker = hostDeviceBlockers(srcBuilt, devices, srcVm.devices, dstVm.devices);
  // A blocker a device added with its own text (vhost-scsi, a mounted 9p export: check/guest-blockers.ts).
  const guestBlocker = guestBlockers(srcBuilt, devices, srcVm.devices);
  const sourceRefusal = guestBlocker ?? sourceBlocker(srcBuilt, devices, src.ctx.release) ?? hostBlocker;
  const streamError = sourceRefusal ?? machineError ?? ramBlockError(srcBuilt, dstBuilt, release, { src: machineRamBlocksOf(src.ctx), dst: machineRamBlocksOf(dst.ctx) })
    // The machine's own PCI functions (I440FX, PIIX3, mch, ICH9LPC …) load before any -device section (check/builtin-devices.ts).
    ?? machineFunctionsOnce(memo, src.ctx, dst.ctx, devices);
  const firstIndex = devices.findIndex((d) => d.verdict.kind === 'incompatible');
  const firstDevice = firstIndex >= 0 ? devices[firstIndex] : undefined;
  // Devices on other buses (codecs, USB, SCSI, virtio-serial ports, ISA) and their sections (check/attached.ts),
  // in stream order with the PCI devices': `at` n - 0.5 is a section created after n of them.
  const attached = checkAttached(srcVm, dstVm, src.ctx, dst.ctx);
  const attachedFirst = attached.first && (firstIndex < 0 || attached.first.at < firstIndex) ? attached.first.lines : undefined;
  devices.push(...attached.reports);
  destinationOnly.push(...attached.destinationOnly);
  const output = streamError ?? attachedFirst ?? (firstDevice ? deviceFailureLines(firstDevice, release, srcBuilt[firstIndex]) : undefined);
  const verdict = streamError ? 'incompatible' : worst(devices.map((d) => d.verdict.kind));
  const assumptions = [...new Set(devices.flatMap((d) => d.assumptions))];
  const printedBy = sourceRefusal ? 'source' : output ? 'destination' : undefined;
  const printer = sourceRefusal ? src.ctx.release : release;
  if (output && !output.verified) assumptions.push(`QEMU ${printer}'s lines after the first were read from source, not captured from a binary`);
  return {
    ...base,
    verdict,
    firstError: output?.lines[0],
    qemuOutput: output?.lines ?? [],
    printedBy,
    devices,
    destinationOnly,
    assumptions,
  };
}

/** Each source device's build on both sides and its report; `used`: the destination devices paired. */
interface Paired { srcBuilt: BuiltSide[]; dstBuilt: BuiltSide[]; devices: DeviceReport[]; used: Set<number> }

/**
 * A device pair's result, kept by a memo: both builds and the report
 * (copied per VM: later checks set its verdict), without `compared`.
 */
export interface MemoPair {
  s: BuiltSide; d: BuiltSide; report: DeviceReport;
  /** Set by the fleet memo: whether checkMigration's VM-wide steps leave this pair alone (fleet-memo.ts plainPair). */
  plain?: boolean;
  /** Set by the fleet memo: what a port's key takes of this pair as its child (fleet-memo.ts childPart, Link Status on both sides), as a number. */
  asChild?: number;
}

/**
 * What a fleet remembers between VMs (check/fleet-memo.ts). `prepare` says
 * whether this VM is one whose devices each pair with their own copy on the
 * destination (else every device pairs by section, as usual); `lookup` and
 * `store` then work per source device, `store` told which of the VM's facts
 * the report read.
 */
export interface PairMemo {
  prepare(src: SideContext, dst: SideContext): boolean;
  /** The devices in the order to pair them: every device after the ones on its bus (a port's key names its children's builds). */
  order(): number[];
  lookup(n: number, paired: PairedSoFar): MemoPair | undefined;
  store(n: number, pair: MemoPair, reads: VmFactReads, paired: PairedSoFar): void;
  /** The machine's own functions compared (`compute`), once per pair of sides: they depend on nothing else. */
  machineFunctions(compute: () => MachineFunctionsResult): MachineFunctionsResult;
}

/** QEMU's lines for the first of the machine's own functions that fails, and a report for each that is not compatible. */
export interface MachineFunctionsResult { lines?: QemuLines; reports: DeviceReport[] }

/** The pair of a device paired earlier in `order`. */
export type PairedSoFar = (n: number) => MemoPair;


/** Pairs each source device with the first destination device in its section (or with its id when unmodelled). */
function pairBySection(src: SideContext, dst: SideContext): Paired {
  const srcVm = src.vm;
  const dstVm = dst.vm;
  // As the stream carries each device: a pxb by its inner pci-bridge (check/builtin-devices.ts buildMigrated).
  const srcBuilt = srcVm.devices.map((d) => buildMigrated(src, d));
  const dstBuilt = dstVm.devices.map((d) => buildMigrated(dst, d));
  // The first destination device with each id and each section: lookups, not scans (a fleet pairs ~30 devices per VM).
  const dstById = firstIndexBy(dstVm.devices, (x) => x.id);
  const dstBySection = firstIndexBy(dstBuilt, (b) => b.section);
  const used = new Set<number>();
  const devices = srcVm.devices.map((d, n) => {
    const s = srcBuilt[n];
    const byId = dstById.get(d.id) ?? -1;
    let j = s.section ? dstBySection.get(s.section) ?? -1 : -1;
    // By id: an unmodelled device, one that sends nothing (section ""), one the destination refuses at start.
    if (j < 0 && byId >= 0 && (s.kind === 'unknown' || !s.section || dstBuilt[byId].kind === 'refused')) j = byId;
    if (j >= 0) used.add(j);
    return deviceReport(src, dst, n, j, s, j >= 0 ? dstBuilt[j] : undefined, byId >= 0 && byId !== j, NO_READS);
  });
  return { srcBuilt, dstBuilt, devices, used };
}

/**
 * The same pairing where each device meets its own copy (the memo vouches
 * for that: same machine family, one device per address), with each pair
 * looked up before it is built. Undefined when a pair breaks the rule.
 */
function pairByMemo(memo: PairMemo, src: SideContext, dst: SideContext): Paired | undefined {
  const count = src.vm.devices.length;
  const srcBuilt: BuiltSide[] = new Array(count);
  const dstBuilt: BuiltSide[] = new Array(count);
  const devices: DeviceReport[] = new Array(count);
  const used = new Set<number>();
  const pairs: MemoPair[] = new Array(count);
  const paired: PairedSoFar = (k) => pairs[k];
  for (const n of memo.order()) {
    let p = memo.lookup(n, paired);
    if (!p) {
      const worked = workOutPair(src, dst, n);
      if (!worked) return undefined;
      p = worked.pair;
      memo.store(n, p, worked.reads, paired);
    }
    pairs[n] = p;
    srcBuilt[n] = p.s;
    dstBuilt[n] = p.d;
    devices[n] = { ...p.report, id: src.vm.devices[n].id, destinationId: dst.vm.devices[n].id };
    used.add(n);
  }
  return { srcBuilt, dstBuilt, devices, used };
}

/**
 * Device n met by its own copy on the destination: both builds and the
 * report, with what the report read of the VM's facts; undefined when the
 * copy sits in another section (then pairing by section decides).
 */
export function workOutPair(src: SideContext, dst: SideContext, n: number): { pair: MemoPair; reads: VmFactReads } | undefined {
  const s = buildMigrated(src, src.vm.devices[n]);
  const d = buildMigrated(dst, dst.vm.devices[n]);
  if (s.section !== d.section) return undefined;
  const reads = { smp: false, bootedOn: false };
  // Without the bytes compared: only renderers read them, and a PCIe function's are 8 KiB a pair.
  const { compared: _, ...report } = deviceReport(src, dst, n, n, s, d, false, reads);
  return { pair: { s, d, report }, reads };
}

/** Both sides' contexts when both are modelled (else checkMigration words why). */
export function sideContexts(srcVm: VmDescription, dstVm: VmDescription): [SideContext, SideContext] | undefined {
  const src = side(srcVm);
  const dst = side(dstVm);
  return src.kind === 'ok' && dst.kind === 'ok' ? [src.ctx, dst.ctx] : undefined;
}

/** Which of the VM's own facts a device's report read: a fleet's memo keys on them only then. */
export interface VmFactReads { smp: boolean; bootedOn: boolean }

const NO_READS: VmFactReads = { smp: false, bootedOn: false };

/**
 * The report of source device n against destination device j (-1: none),
 * both built. The VM's vCPUs and boot release are read through `reads`.
 */
export function deviceReport(
  src: SideContext, dst: SideContext, n: number, j: number, s: BuiltSide, dd: BuiltSide | undefined, movedById: boolean, reads: VmFactReads,
): DeviceReport {
  const srcVm = src.vm;
  const dstVm = dst.vm;
  const d = srcVm.devices[n];
  const smp = {
    get src() { reads.smp = true; return srcVm.smp; },
    get dst() { reads.smp = true; return dstVm.smp; },
  };
  const report: DeviceReport = {
    id: d.id, driver: d.driver, section: s.section || undefined, destinationId: j >= 0 ? dstVm.devices[j].id : undefined,
    verdict: { kind: 'compatible' }, notes: s.kind === 'built' ? [...s.notes] : [],
    assumptions: [...new Set([...assumptionsOf(s), ...(dd ? assumptionsOf(dd) : [])])],
  };
  // QEMU runs the destination's pre_load before it reads config space (vmstate_load_state): a refusal there comes first.
  report.verdict = (s.kind === 'built' && dd?.kind === 'built' ? preLoadVerdict(dd) : undefined) ?? pairVerdict(s, dd, movedById, d.guest, report, dst);
  if (s.kind === 'built' && dd?.kind === 'built' && report.verdict.kind !== 'incompatible') {
    const q = virtqueueVerdict({
      srcVersion: srcVm.qemu, get bootedOn() { reads.bootedOn = true; return srcVm.bootedOn; }, dstRelease: dst.release,
      family: s.model.families[s.model.families.length - 1], dstProps: dd.props, section: s.section,
      live: d.guest?.virtqueues,
    });
    if (q && (q.kind === 'incompatible' || report.verdict.kind === 'compatible')) report.verdict = q;
    // A new verdict object: the one from compareDevice may be shared with other VMs (comparePair).
    else if (q?.kind === 'at-risk' && report.verdict.kind === 'at-risk') report.verdict = { ...report.verdict, conditions: [...report.verdict.conditions, ...q.conditions] };
    // virtio_load checks the negotiated features after the queues (check/features.ts).
    const f = q?.kind === 'incompatible' ? undefined : deviceFeatureVerdict({
      family: s.model.families[s.model.families.length - 1], section: s.section,
      src: { release: src.release, props: s.props, config: s.cs.config, get smp() { return smp.src; }, device: d },
      dst: { release: dst.release, props: dd.props, config: dd.cs.config, get smp() { return smp.dst; }, device: dstVm.devices[j] },
    });
    report.assumptions.push(...(f?.assumptions ?? []));
    if (f?.verdict && (f.verdict.kind === 'incompatible' || report.verdict.kind === 'compatible')) report.verdict = f.verdict;
    else if (f?.verdict?.kind === 'at-risk' && report.verdict.kind === 'at-risk') report.verdict = { ...report.verdict, conditions: [...report.verdict.conditions, ...f.verdict.conditions] };
    const p = postLoadVerdict(s, dd, dst.release, dst.machine, smp);
    if (p && report.verdict.kind !== 'incompatible') report.verdict = p;
  }
  return report;
}

/** machineFunctionsError, through a fleet's memo when there is one (its reports copied: later checks may set a verdict). */
function machineFunctionsOnce(memo: PairMemo | undefined, src: SideContext, dst: SideContext, devices: DeviceReport[]): QemuLines | undefined {
  if (!memo) return machineFunctionsError(src, dst, devices);
  const r = memo.machineFunctions(() => machineFunctionsOf(src, dst));
  for (const x of r.reports) devices.push({ ...x });
  return r.lines;
}

/** The machine's own functions compared: QEMU's lines for the first that fails, and the reports of those not compatible. */
export function machineFunctionsOf(src: SideContext, dst: SideContext): MachineFunctionsResult {
  const reports: DeviceReport[] = [];
  return { lines: machineFunctionsError(src, dst, reports), reports };
}

/** Index of the first element with each key (undefined keys left out), as findIndex would find it. */
function firstIndexBy<T>(xs: T[], key: (x: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  xs.forEach((x, i) => {
    const k = key(x);
    if (k !== undefined && !m.has(k)) m.set(k, i);
  });
  return m;
}

const assumptionsOf = (b: BuiltSide) => (b.kind === 'built' ? b.assumptions : []);

function pairVerdict(
  s: BuiltSide, d: BuiltSide | undefined, movedById: boolean, guest: VmDescription['devices'][number]['guest'], report: DeviceReport,
  dst: SideContext,
): DeviceVerdict {
  const dstRelease = dst.release;
  if (s.kind === 'unknown') return { kind: 'unknown', reason: s.reason };
  if (s.kind === 'refused') return { kind: 'unknown', reason: `the source QEMU would refuse this device: ${s.reason}` };
  // Its config space is not in the stream (DeviceModel.configNotSent): only its section's presence counts, and what the pair implies is said.
  if (s.model.configNotSent && !s.section && !d) {
    // QEMU: each PCI bus's "PCIBUS" section, numbered among all buses in creation order, then tells (not modelled).
    return { kind: 'unknown', reason: 'absent on the destination: with no section of its own here, whether the load fails depends on the numbering of the PCI buses\' own sections, which is not modelled' };
  }
  if (s.model.configNotSent && (s.section ? d?.kind === 'built' : d?.kind !== 'unknown' && d?.kind !== 'refused')) {
    report.notes.push(...s.model.configNotSent(s.props, d?.kind === 'built' ? d.props : undefined));
    return { kind: 'compatible' };
  }
  if (!d) {
    const message = unknownSectionLines(dstRelease, s.section).lines[0];
    const why = movedById ? ' (the device with this id sits at another address on the destination)' : '';
    return { kind: 'incompatible', message, mismatches: [{ offset: 0, length: 0, field: 'section', source: s.section, destination: 'absent', description: `no section ${s.section} on the destination${why}` }] };
  }
  if (d.kind === 'unknown') return { kind: 'unknown', reason: `destination: ${d.reason}` };
  if (d.kind === 'refused') {
    return { kind: 'incompatible', message: `the destination QEMU refuses the device at start: ${d.reason}`, mismatches: [] };
  }
  const { sent, verdict: config } = comparePair(s.cs, guest, d.cs);
  report.compared = { source: s.cs, sent: sent.bytes, destination: d.cs };
  report.notes.push(...sent.notes);
  report.assumptions.push(...sent.assumptions);
  if (config.kind === 'incompatible' || config.kind === 'unknown') return config;
  // Config space loads (or may): what follows it in the section must have the same shape.
  return streamShapeVerdict(s.streamShape, d.streamShape, s.section, dstRelease, sendsSectionFooters(dst.machine)) ?? config;
}

/** QEMU's lines for the first failing device section: `built`, the device's source build. */
export function deviceFailureLines(d: DeviceReport, release: string, built: BuiltSide | undefined): QemuLines | undefined {
  const model = built?.kind === 'built' ? built.model : undefined;
  return equalFieldLines(d, release, model) ?? deviceLines(d, release, model?.configField);
}

/** The lines QEMU prints for a failed device section (vmstate_load_state, qemu_loadvm_section_start_full). */
function deviceLines(d: DeviceReport, release: string, configField?: string): QemuLines | undefined {
  if (d.verdict.kind !== 'incompatible') return undefined;
  const section = d.section ?? '';
  if (d.verdict.firstError) {
    const vmsd = section.slice(section.lastIndexOf('/') + 1);
    const values = { bad: d.verdict.firstError.message, vmsd, section, field: configField ?? '' };
    return qemuMessage(release, configField ? 'badConfigDirect' : 'badConfig', values);
  }
  if (d.verdict.mismatches.some((m) => m.field === 'section')) return unknownSectionLines(release, section);
  if (d.verdict.mismatches.some((m) => m.field === 'stream layout')) return qemuMessage(release, 'sectionFooter', { section });
  if (d.verdict.mismatches.some((m) => m.field.startsWith('property '))) {
    const vmsd = section.slice(section.lastIndexOf('/') + 1);
    const text = d.verdict.message.slice(0, d.verdict.message.indexOf('qemu-system-x86_64: '));
    return qemuMessage(release, 'postLoadMismatch', { text, section, vmsd });
  }
  if (d.verdict.mismatches.some((m) => m.field === 'virtio feature')) return featureLines(release, d.verdict.message, section);
  if (d.verdict.mismatches.some((m) => m.field === 'virtio subsection')) return subsectionLines(d.driver, section);
  const vq = d.verdict.mismatches.find((m) => /^virtqueue \d+ size$/.test(m.field));
  if (vq) return qemuMessage(release, 'vringNum', { vq: vq.field.split(' ')[1], num: vq.source, max: vq.destination, section });
  return { lines: [d.verdict.message], verified: false };
}
