/**
 * What the destination checks in a device's section after config space
 * against its own device: properties a post_load hook insists on
 * (e1000e_post_load: subsys/subsys_ven), and migrated fields declared
 * VMSTATE_UINT32_EQUAL / VMSTATE_INT32_EQUAL, which hold a property's value
 * and must equal the destination's (virtio-gpu max_outputs, qxl surfaces).
 */
import { type DeviceModel, type EqualField } from '../devices/model.js';
import { type BuiltSide } from './build.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { type DeviceReport, type DeviceVerdict } from './verdict.js';

type Built = Extract<BuiltSide, { kind: 'built' }>;

const vmsdOf = (section: string) => section.slice(section.lastIndexOf('/') + 1);

/** The mismatch field naming an EQUAL field: its innermost vmsd and field, as QEMU names them. */
const equalFieldName = (f: EqualField) => `migrated ${f.path[0].vmsd}:${f.path[0].field}`;

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
export function postLoadVerdict(s: Built, d: Built, release: string): DeviceVerdict | undefined {
  return equalFieldVerdict(s, d) ?? postLoadHookVerdict(s, d, release);
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
        description: `${f.property} ${src} → ${dst}: the migrated ${f.path[0].field} must equal the destination's (VMSTATE_*_EQUAL)`,
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
 * The lines for a failed EQUAL field: the comparison, then one
 * "Failed to load vmsd:field" per vmstate_load_state it unwinds through,
 * then the section's (device-profiles/messages.json equalField).
 */
export function equalFieldLines(d: DeviceReport, release: string, model: DeviceModel | undefined): QemuLines | undefined {
  if (d.verdict.kind !== 'incompatible') return undefined;
  const m = d.verdict.mismatches.find((x) => x.field.startsWith('migrated '));
  const f = m && model?.equalFields?.find((x) => equalFieldName(x) === m.field);
  if (!f) return undefined;
  const section = d.section ?? '';
  const failed = f.path.flatMap((p) => qemuMessage(release, 'equalFieldFailed', { vmsd: p.vmsd, field: p.field }).lines);
  const out = qemuMessage(release, 'equalField', { bad: d.verdict.message, failed: failed.join('\n'), section, vmsd: vmsdOf(section) });
  // A template line that is only {failed} stands for as many lines as there are levels (none in some releases).
  return { lines: out.lines.flatMap((l) => (l === '' ? [] : l.split('\n'))), verified: out.verified };
}
