/**
 * What the destination checks in a device's section after config space
 * against its own device: properties a post_load hook insists on
 * (e1000e_post_load: subsys/subsys_ven), and migrated fields declared
 * VMSTATE_UINT32_EQUAL / VMSTATE_INT32_EQUAL, which hold a property's value
 * and must equal the destination's (virtio-gpu max_outputs, qxl surfaces).
 */
import { type DeviceModel, type EqualField } from '../devices/model.js';
import { sendsSectionFooters } from './stream-shape.js';
import { checksOnLoad } from './virtqueues.js';
import { type Machine } from '../profiles/machine.js';
import { type BuiltSide } from './build.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { type DeviceReport, type DeviceVerdict } from './verdict.js';

type Built = Extract<BuiltSide, { kind: 'built' }>;

const vmsdOf = (section: string) => section.slice(section.lastIndexOf('/') + 1);

/** The mismatch field naming an EQUAL field: its innermost vmsd and field, as QEMU names them. */
const equalFieldName = (f: EqualField) => `migrated ${f.vmsd}:${f.field}`;

/**
 * QEMU: get_uint32_equal / get_int32_equal print the destination's value,
 * then the stream's, in hex ("%" PRIx32 " != %" PRIx32): a negative int32
 * prints as its 32-bit two's complement.
 */
const hex32 = (v: string) => (Number(v) >>> 0).toString(16);

/**
 * A device whose post_load hook insists that properties match
 * (e1000e_post_load: subsys/subsys_ven) refuses a source that had others.
 */
export function postLoadVerdict(s: Built, d: Built, release: string, machine: Machine, smp: { src: number; dst: number }): DeviceVerdict | undefined {
  return preLoadVerdict(d) ?? loadMismatchVerdict(s, d, release, machine, smp) ?? equalFieldVerdict(s, d) ?? postLoadHookVerdict(s, d, release) ?? unmodelledVerdict(s, d);
}

/**
 * The destination vmsd's pre_load hook refuses the section before reading it (DeviceModel.preLoad: ivshmem not master).
 * QEMU runs pre_load before any field, config space included (vmstate_load_state).
 */
export function preLoadVerdict(d: Built): DeviceVerdict | undefined {
  const text = d.model.preLoad?.refuses(d.props);
  if (text === undefined) return undefined;
  return { kind: 'incompatible', message: text, mismatches: [{ offset: 0, length: 0, field: 'pre-load', source: '', destination: text, description: `the destination's ${vmsdOf(d.section)} pre_load hook refuses the section` }] };
}

/** A property the device's post-load checks compare in a way not modelled (DeviceModel.unmodelledIfDiffer). */
function unmodelledVerdict(s: Built, d: Built): DeviceVerdict | undefined {
  const differ = (d.model.unmodelledIfDiffer ?? []).filter((p) => s.props.get(p)?.value !== d.props.get(p)?.value);
  if (!differ.length) return undefined;
  const what = differ.map((p) => `${p} ${s.props.get(p)?.value ?? 'unset'} → ${d.props.get(p)?.value ?? 'unset'}`).join(', ');
  return { kind: 'unknown', reason: `${what}: the device's post-load check compares it, which is not modelled` };
}

/**
 * QEMU 11.1: virtio_load refuses a source queue beyond those the
 * destination allocated ("exceeds allocated max 0"), before the device's
 * own state; then the device's load function reads state shaped by the
 * destination's own properties (DeviceModel.loadMismatch).
 */
function loadMismatchVerdict(s: Built, d: Built, release: string, machine: Machine, smp: { src: number; dst: number }): DeviceVerdict | undefined {
  // vCPUs are read only where a queue count follows them (a fleet keys a device on them only then).
  const [qs, qd] = [s.model.virtqueueSizes?.(s.props, () => smp.src), d.model.virtqueueSizes?.(d.props, () => smp.dst)];
  if (qs && qd && qs.length > qd.length && checksOnLoad(release) !== 'no') {
    const what = `the source has ${qs.length} virtqueues, the destination ${qd.length}`;
    if (checksOnLoad(release) === 'maybe') return { kind: 'unknown', reason: `${what}: whether QEMU ${release} checks ring sizes on load is not known` };
    const [vq, num] = [String(qd.length), String(qs[qd.length])];
    const message = qemuMessage(release, 'vringNum', { vq, num, max: '0', section: s.section }).lines[0];
    return {
      kind: 'incompatible', message,
      mismatches: [{ offset: 0, length: 0, field: `virtqueue ${vq} size`, source: num, destination: '0', description: `${what} (virtqueue ${vq} is not allocated there)` }],
    };
  }
  const m = d.model.loadMismatch?.(s.props, d.props);
  if (!m) return undefined;
  if (m.fails === 'section-footer') {
    // Machine types that send no footers (pc ≤ 2.3) fail some other way, not modelled.
    if (!sendsSectionFooters(machine)) return { kind: 'unknown', reason: `${m.what}, and this machine type sends no section footers` };
    const message = qemuMessage(release, 'sectionFooter', { section: s.section }).lines[0];
    return { kind: 'incompatible', message, mismatches: [{ offset: 0, length: 0, field: 'stream layout', source: '', destination: '', description: m.what }] };
  }
  const message = qemuMessage(release, 'virtioLoadFailed', { section: s.section, vmsd: vmsdOf(s.section) }).lines[0];
  return { kind: 'incompatible', message, mismatches: [{ offset: 0, length: 0, field: 'device load', source: '', destination: '', description: m.what }] };
}

/** The first EQUAL field, in stream order, whose two values differ. */
function equalFieldVerdict(s: Built, d: Built): DeviceVerdict | undefined {
  for (const f of d.model.equalFields ?? []) {
    const src = s.props.get(f.property)?.value ?? f.absent;
    const dst = d.props.get(f.property)?.value ?? f.absent;
    if (Number(src) === Number(dst)) continue;
    return {
      kind: 'incompatible', message: `${hex32(dst)} != ${hex32(src)}`,
      mismatches: [{
        offset: 0, length: 0, field: equalFieldName(f), source: src, destination: dst,
        description: `${f.property} ${src} → ${dst}: the migrated ${f.field} must equal the destination's (VMSTATE_*_EQUAL)`,
      }],
    };
  }
  return undefined;
}

function postLoadHookVerdict(s: Built, d: Built, release: string): DeviceVerdict | undefined {
  const rule = d.model.postLoadEqual;
  if (!rule) return undefined;
  const differ = rule.properties.filter((p) => s.props.get(p)?.value !== d.props.get(p)?.value);
  if (!differ.length) return undefined;
  const message = qemuMessage(release, 'postLoadMismatch', { text: rule.text, section: s.section, vmsd: vmsdOf(s.section) }).lines[0];
  return {
    kind: 'incompatible', message,
    mismatches: differ.map((p) => ({
      offset: 0, length: 0, field: `property ${p}`, source: s.props.get(p)?.value ?? '-', destination: d.props.get(p)?.value ?? '-',
      description: `${p} ${s.props.get(p)?.value} → ${d.props.get(p)?.value}: the device's post-load check refuses it`,
    })),
  };
}

/**
 * The lines for a failed EQUAL field (device-profiles/messages.json):
 * the comparison, then each vmstate_load_state it unwinds through
 * (equalFieldNested when a field's own get function loaded its vmsd).
 */
export function equalFieldLines(d: DeviceReport, release: string, model: DeviceModel | undefined): QemuLines | undefined {
  if (d.verdict.kind !== 'incompatible') return undefined;
  if (d.verdict.mismatches.some((x) => x.field === 'pre-load') && model?.preLoad) {
    const { versionId, minimumVersionId } = model.preLoad;
    return qemuMessage(release, 'preLoadFailed', {
      text: d.verdict.message, section: d.section ?? '', vmsd: vmsdOf(d.section ?? ''), versionId: String(versionId), minimumVersionId: String(minimumVersionId),
    });
  }
  if (d.verdict.mismatches.some((x) => x.field === 'device load')) {
    return qemuMessage(release, 'virtioLoadFailed', { section: d.section ?? '', vmsd: vmsdOf(d.section ?? '') });
  }
  const m = d.verdict.mismatches.find((x) => x.field.startsWith('migrated '));
  const f = m && model?.equalFields?.find((x) => equalFieldName(x) === m.field);
  if (!f) return undefined;
  const section = d.section ?? '';
  const bad = d.verdict.message;
  if (!f.via) return qemuMessage(release, 'equalField', { bad, section, vmsd: f.vmsd, field: f.field });
  return qemuMessage(release, 'equalFieldNested', {
    bad, section, innerVmsd: f.vmsd, innerField: f.field, vmsd: f.via.vmsd, field: f.via.field, info: f.via.info,
  });
}
