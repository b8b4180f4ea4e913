/**
 * Devices that are no PCI functions (codecs, USB and SCSI devices,
 * virtio-serial ports, ISA and IDE devices): the destination refuses a
 * stream with a section it has no device for (qemu_loadvm_section_start_full:
 * "Unknown savevm section or instance '<id>' <instance>"), and a
 * virtio-serial device whose ports differ (virtio_serial_load_device compares
 * ports_map). Only presence and placement are compared, not device state.
 */
import { type VmDescription } from '../inputs/vm.js';
import { inRange } from '../profiles/versions.js';
import { type SideContext } from './build.js';
import { type DeviceReport, type DeviceVerdict } from './verdict.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { placeDevice } from './placement.js';
import { attachedTable, placeAttached, serialPortsOf, type Placed, type Section } from './attached-place.js';

export interface AttachedResult {
  reports: DeviceReport[];
  /** Destination devices whose sections the source does not send (they keep their reset state). */
  destinationOnly: string[];
  /** The first failure in stream order: `at` is its place among the PCI devices' sections (n − 0.5: created after n of them). */
  first?: { at: number; lines: QemuLines };
}

const key = (s: Section) => `${s.id} ${s.instance}`;
const PRESENCE = 'for devices on other buses (USB, SCSI, HDA, virtio-serial, ISA) only their presence and place are compared, not their state';

export function checkAttached(srcVm: VmDescription, dstVm: VmDescription, src: SideContext, dst: SideContext): AttachedResult {
  const srcPlaced = placeAttached(srcVm, src.machine.family, src.release, 'source');
  const dstPlaced = placeAttached(dstVm, dst.machine.family, dst.release, 'destination');
  const dstBySection = new Map<string, Extract<Placed, { kind: 'placed' }>>();
  for (const p of dstPlaced) if (p.kind === 'placed') for (const s of p.sections) dstBySection.set(key(s), p);
  const dstUnknown = dstPlaced.filter((p) => p.kind === 'unknown');
  const release = dst.release;
  const failures: { at: number; lines: QemuLines }[] = [];
  const used = new Set<string>();

  const reports = srcPlaced.map((p): DeviceReport => {
    const report: DeviceReport = { id: p.dev.id, driver: p.dev.driver, verdict: { kind: 'compatible' }, notes: [], assumptions: [PRESENCE] };
    if (p.kind === 'unknown') return { ...report, verdict: { kind: 'unknown', reason: p.reason } };
    // Its own section is the last: a hub QEMU plugs for it, its audio backend, usb-storage's disk come first.
    report.section = p.sections[p.sections.length - 1]?.id;
    const at = p.dev.position - 0.5;
    let maybe: string | undefined;
    for (const s of p.sections) {
      if (s.instance > 0) report.notes.push(`section ${s.id}, instance ${s.instance}`);
      const d = dstBySection.get(key(s));
      if (d) used.add(d.dev.id);
      if (s.maybe && !d) {
        // Absent on the destination: it fails only if the source sends it.
        maybe = `${s.maybe}: the destination has no section ${s.id} (instance ${s.instance})`;
        continue;
      }
      const v = sectionVerdict(s, p, d, release, dstUnknown.map((u) => u.dev.id));
      if (v.kind !== 'compatible' && report.verdict.kind === 'compatible') {
        report.verdict = v.kind === 'incompatible' ? { kind: 'incompatible', message: v.lines.lines[0], mismatches: v.mismatches } : v;
        if (v.kind === 'incompatible') failures.push({ at, lines: v.lines });
        if (d) report.destinationId = d.dev.id;
      } else if (d && report.destinationId === undefined) {
        report.destinationId = d.dev.id;
      }
    }
    if (maybe && report.verdict.kind === 'compatible') report.verdict = { kind: 'unknown', reason: maybe };
    else if (maybe) report.assumptions.push(`${maybe}; if the source sends it, the destination names it first`);
    if (!p.sections.length && !p.port) report.notes.push('QEMU keeps no migration section for it: the stream loads whether or not the destination has it');
    return report;
  });

  // virtio-serial ports live in their device's section (virtio_serial_load_device).
  const serials = new Set([...srcPlaced, ...dstPlaced].flatMap((p) => (p.kind === 'placed' && p.port ? [p.port.serial] : [])));
  for (const serial of serials) {
    const ctrl = srcVm.devices.find((d) => d.id === serial);
    const other = dstVm.devices.find((d) => d.id === serial && d.driver === ctrl?.driver);
    const mine = srcPlaced.flatMap((p, n) => (p.kind === 'placed' && p.port?.serial === serial ? [{ p, r: reports[n] }] : []));
    if (!ctrl || !other) {
      // The virtio-serial device itself is on one side only: its own section decides (check/migration.ts).
      for (const { r } of mine) r.verdict = { kind: 'unknown', reason: `its virtio-serial device "${serial}" is not on the destination` };
      continue;
    }
    for (const p of dstPlaced) if (p.kind === 'placed' && p.port?.serial === serial) used.add(p.dev.id);
    if (dstUnknown.length) {
      for (const { r } of mine) if (r.verdict.kind === 'compatible') r.verdict = { kind: 'unknown', reason: `the destination has devices compat-check cannot place (${dstUnknown.map((u) => u.dev.id).join(', ')})` };
      continue;
    }
    const a = serialPortsOf(srcPlaced, serial);
    const b = serialPortsOf(dstPlaced, serial);
    const map = (x: Set<number>) => [...new Set([0, ...x])].sort((m, n) => m - n).join(', ');
    // ports_map must be equal (bit 0 is always set), and every port the source sends must exist (find_port_by_id).
    if (map(a) === map(b) && (!a.has(0) || b.has(0))) continue;
    let section: string;
    try {
      section = `${placeDevice(srcVm, ctrl, src.machine.family).path}/virtio-console`;
    } catch {
      for (const { r } of mine) r.verdict = { kind: 'unknown', reason: `its virtio-serial device "${serial}" has no PCI address` };
      continue;
    }
    const lines = serialPortLines(release, section);
    if (!lines) {
      for (const { r } of mine) r.verdict = { kind: 'unknown', reason: `QEMU ${release}'s words for refused virtio-serial ports are not known` };
      continue;
    }
    const fmt = (x: Set<number>) => (x.size ? [...x].sort((m, n) => m - n).join(', ') : 'none');
    const mismatch = { offset: 0, length: 0, field: 'virtio-serial ports', source: fmt(a), destination: fmt(b), description: `${section} has ports ${fmt(a)} on the source, ${fmt(b)} on the destination: virtio_serial_load_device refuses another set of ports` };
    const verdict: DeviceVerdict = { kind: 'incompatible', message: lines.lines[0], mismatches: [mismatch] };
    const missing = mine.filter(({ p }) => p.kind === 'placed' && !b.has(p.port!.nr));
    for (const { r } of missing) r.verdict = verdict;
    if (!missing.length) {
      // Only the destination has the extra port: it is what the stream does not match.
      for (const p of dstPlaced) {
        if (p.kind !== 'placed' || p.port?.serial !== serial || a.has(p.port.nr)) continue;
        reports.push({ id: p.dev.id, driver: p.dev.driver, destinationId: p.dev.id, verdict, notes: [`only on the destination: port ${p.port.nr} of ${serial}`], assumptions: [PRESENCE] });
      }
    }
    // Inside the device's own section, after its config space.
    failures.push({ at: srcVm.devices.indexOf(ctrl) + 0.25, lines });
  }

  const destinationOnly = (dstVm.attached ?? []).filter((d) => !used.has(d.id) && !srcPlaced.some((p) => p.dev.id === d.id)).map((d) => d.id);
  const first = failures.sort((x, y) => x.at - y.at)[0];
  return { reports, destinationOnly, first };
}

type SectionVerdict = { kind: 'compatible' } | { kind: 'unknown'; reason: string } | { kind: 'incompatible'; lines: QemuLines; mismatches: Extract<DeviceVerdict, { kind: 'incompatible' }>['mismatches'] };

function sectionVerdict(s: Section, p: Extract<Placed, { kind: 'placed' }>, d: Extract<Placed, { kind: 'placed' }> | undefined, release: string, dstUnknown: string[]): SectionVerdict {
  const label = s.instance ? `${s.id} (instance ${s.instance})` : s.id;
  if (!d) {
    // A destination device we cannot place might be the one that has this section.
    if (dstUnknown.length) return { kind: 'unknown', reason: `no section ${label} among the destination's modelled devices, and it has others compat-check cannot place (${dstUnknown.join(', ')})` };
    return {
      kind: 'incompatible', lines: unknownSectionLines(release, s),
      mismatches: [{ offset: 0, length: 0, field: 'section', source: label, destination: 'absent', description: `no section ${label} on the destination` }],
    };
  }
  // Whose state the section holds on each side: the device's, or a hub's or audio backend's QEMU made for it.
  const theirs = d.sections.find((x) => key(x) === key(s))?.owner ?? d.dev.driver;
  if ((s.owner ?? p.dev.driver) === theirs) return { kind: 'compatible' };
  if (s.owner || theirs !== d.dev.driver) return { kind: 'unknown', reason: `${label}: ${s.owner ?? p.dev.driver} on the source, ${theirs} on the destination; loading one's state into the other is not modelled` };
  if (p.entry.shape && d.entry.shape && p.entry.shape !== d.entry.shape) {
    const text = Object.hasOwn(attachedTable().hdaShapeMismatch, release) ? attachedTable().hdaShapeMismatch[release] : undefined;
    if (!text) return { kind: 'unknown', reason: `${label}: ${p.dev.driver} on the source, ${d.dev.driver} on the destination; how QEMU ${release} fails is not known` };
    return {
      kind: 'incompatible', lines: { lines: [text], verified: true },
      mismatches: [{ offset: 0, length: 0, field: 'state layout', source: p.entry.shape, destination: d.entry.shape, description: `${label}: ${p.dev.driver} (${p.entry.shape}) on the source, ${d.dev.driver} (${d.entry.shape}) on the destination: the destination aborts` }],
    };
  }
  if (p.entry.shape && p.entry.shape === d.entry.shape) return { kind: 'compatible' };
  return { kind: 'unknown', reason: `${label}: ${p.dev.driver} on the source, ${d.dev.driver} on the destination; loading one's state into the other is not modelled` };
}

/** The unknownSection lines with the section's instance (messages.json has the PCI sections' instance 0). */
function unknownSectionLines(release: string, s: Section): QemuLines {
  const m = qemuMessage(release, 'unknownSection', { section: s.id });
  return { ...m, lines: m.lines.map((l) => l.replace(`'${s.id}' 0.`, `'${s.id}' ${s.instance}.`)) };
}

function serialPortLines(release: string, section: string): QemuLines | undefined {
  const era = attachedTable().virtioSerialPorts.eras.find((e) => inRange(release, e.since, e.until));
  if (!era) return undefined;
  const vmsd = section.slice(section.lastIndexOf('/') + 1);
  return { lines: era.lines.map((l) => l.replace('{section}', section).replace('{vmsd}', vmsd)), verified: era.verified };
}
