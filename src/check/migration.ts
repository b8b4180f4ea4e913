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
import { buildDevice, type BuiltSide, type SideContext } from './build.js';
import { comparePair } from './compare.js';
import { type DeviceReport, type DeviceVerdict, type MigrationReport, worst } from './verdict.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { virtqueueVerdict } from './virtqueues.js';
import { deviceFeatureVerdict, featureLines, subsectionLines } from './features.js';
import { sourceBlocker } from './blockers.js';
import { ramBlockError } from './ram-blocks.js';
import { machineFunctionsError } from './builtin-devices.js';
import { hostDeviceBlockers } from './host-devices.js';
import { sendsSectionFooters, streamShapeVerdict } from './stream-shape.js';
import { checkAttached } from './attached.js';
import { equalFieldLines, postLoadVerdict } from './post-load.js';
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

export function checkMigration(srcVm: VmDescription, dstVm: VmDescription): MigrationReport {
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
  const srcBuilt = srcVm.devices.map((d) => buildDevice(src.ctx, d));
  const dstBuilt = dstVm.devices.map((d) => buildDevice(dst.ctx, d));
  // The first destination device with each id and each section: lookups, not scans (a fleet pairs ~30 devices per VM).
  const dstById = firstIndexBy(dstVm.devices, (x) => x.id);
  const dstBySection = firstIndexBy(dstBuilt, (b) => b.section);
  const used = new Set<number>();
  const devices: DeviceReport[] = srcVm.devices.map((d, n) => {
    const s = srcBuilt[n];
    const byId = dstById.get(d.id) ?? -1;
    let j = s.section ? dstBySection.get(s.section) ?? -1 : -1;
    if (j < 0 && s.kind === 'unknown' && byId >= 0) j = byId;
    if (j >= 0) used.add(j);
    const report: DeviceReport = {
      id: d.id, driver: d.driver, section: s.section, destinationId: j >= 0 ? dstVm.devices[j].id : undefined,
      verdict: { kind: 'compatible' }, notes: s.kind === 'built' ? [...s.notes] : [],
      assumptions: [...new Set([...assumptionsOf(s), ...(j >= 0 ? assumptionsOf(dstBuilt[j]) : [])])],
    };
    report.verdict = pairVerdict(s, j >= 0 ? dstBuilt[j] : undefined, byId >= 0 && byId !== j, d.guest, report, dst.ctx);
    if (s.kind === 'built' && j >= 0 && dstBuilt[j].kind === 'built' && report.verdict.kind !== 'incompatible') {
      const dstSide = dstBuilt[j] as Extract<BuiltSide, { kind: 'built' }>;
      const q = virtqueueVerdict({
        srcVersion: srcVm.qemu, bootedOn: srcVm.bootedOn, dstRelease: dst.ctx.release,
        family: s.model.families[s.model.families.length - 1], dstProps: dstSide.props, section: s.section,
        live: d.guest?.virtqueues,
      });
      if (q && (q.kind === 'incompatible' || report.verdict.kind === 'compatible')) report.verdict = q;
      // A new verdict object: the one from compareDevice may be shared with other VMs (comparePair).
      else if (q?.kind === 'at-risk' && report.verdict.kind === 'at-risk') report.verdict = { ...report.verdict, conditions: [...report.verdict.conditions, ...q.conditions] };
      // virtio_load checks the negotiated features after the queues (check/features.ts).
      const f = q?.kind === 'incompatible' ? undefined : deviceFeatureVerdict({
        family: s.model.families[s.model.families.length - 1], section: s.section,
        src: { release: src.ctx.release, props: s.props, config: s.cs.config, smp: srcVm.smp, device: d },
        dst: { release: dst.ctx.release, props: dstSide.props, config: dstSide.cs.config, smp: dstVm.smp, device: dstVm.devices[j] },
      });
      report.assumptions.push(...(f?.assumptions ?? []));
      if (f?.verdict && (f.verdict.kind === 'incompatible' || report.verdict.kind === 'compatible')) report.verdict = f.verdict;
      else if (f?.verdict?.kind === 'at-risk' && report.verdict.kind === 'at-risk') report.verdict = { ...report.verdict, conditions: [...report.verdict.conditions, ...f.verdict.conditions] };
      const p = postLoadVerdict(s, dstSide, dst.ctx.release, dst.ctx.machine, { src: srcVm.smp, dst: dstVm.smp });
      if (p && report.verdict.kind !== 'incompatible') report.verdict = p;
    }
    return report;
  });
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
  const streamError = sourceRefusal ?? machineError ?? ramBlockError(srcBuilt, dstBuilt, release)
    // The machine's own PCI functions (I440FX, PIIX3, mch, ICH9LPC …) load before any -device section (check/builtin-devices.ts).
    ?? machineFunctionsError(src.ctx, dst.ctx, devices);
  const firstIndex = devices.findIndex((d) => d.verdict.kind === 'incompatible');
  const firstDevice = firstIndex >= 0 ? devices[firstIndex] : undefined;
  const firstBuilt = srcBuilt[firstIndex];
  const configField = firstBuilt?.kind === 'built' ? firstBuilt.model.configField : undefined;
  const firstModel = firstBuilt?.kind === 'built' ? firstBuilt.model : undefined;
  // Devices on other buses (codecs, USB, SCSI, virtio-serial ports, ISA) and their sections (check/attached.ts),
  // in stream order with the PCI devices': `at` n - 0.5 is a section created after n of them.
  const attached = checkAttached(srcVm, dstVm, src.ctx, dst.ctx);
  const attachedFirst = attached.first && (firstIndex < 0 || attached.first.at < firstIndex) ? attached.first.lines : undefined;
  devices.push(...attached.reports);
  destinationOnly.push(...attached.destinationOnly);
  const output = streamError ?? attachedFirst ?? (firstDevice ? equalFieldLines(firstDevice, release, firstModel) ?? deviceLines(firstDevice, release, configField) : undefined);
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
  if (!d) {
    const message = qemuMessage(dstRelease, 'unknownSection', { section: s.section }).lines[0];
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

/** The lines QEMU prints for a failed device section (vmstate_load_state, qemu_loadvm_section_start_full). */
function deviceLines(d: DeviceReport, release: string, configField?: string): QemuLines | undefined {
  if (d.verdict.kind !== 'incompatible') return undefined;
  const section = d.section ?? '';
  if (d.verdict.firstError) {
    const vmsd = section.slice(section.lastIndexOf('/') + 1);
    const values = { bad: d.verdict.firstError.message, vmsd, section, field: configField ?? '' };
    return qemuMessage(release, configField ? 'badConfigDirect' : 'badConfig', values);
  }
  if (d.verdict.mismatches.some((m) => m.field === 'section')) return qemuMessage(release, 'unknownSection', { section });
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
