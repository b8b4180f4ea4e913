/**
 * Virtio feature bits: after config space, virtio_load reads the features
 * the guest negotiated on the source and hands them to
 * virtio_set_features_nocheck, which refuses any bit outside the
 * destination's host features: "Features 0x18020 unsupported. Allowed
 * features: 0x179bf0064" (hw/virtio/virtio.c). Host features are what
 * each side's device offers: the transport's bits (virtio_pci_pre_plugged),
 * the feature properties (defaults ← machine compat ← -global ← -device),
 * what the device's get_features adds, and what the NIC's backend can carry
 * (virtio_net_get_features). Data: device-profiles/virtio-features.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_DIR } from '../profiles/data.js';
import { compareReleases, inRange } from '../profiles/versions.js';
import { type PropertyValues } from '../devices/properties.js';
import { type DeviceDescription, type NicBackend } from '../inputs/vm.js';
import { type DeviceVerdict, type Mismatch } from './verdict.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { modelFor } from '../devices/registry.js';

type Condition =
  | 'always' | 'legacyOnly'
  | { property: string; equals?: string; notEqual?: string; above?: number; set?: boolean }
  | { any: Condition[] } | { all: Condition[] };

interface Feature { bit: number; name: string; property?: string; since?: string; until?: string; when?: Condition; otherwise?: 'backend' }

interface FamilyFeatures {
  sameAs?: string;
  properties: Feature[];
  derived: Feature[];
  legacyOnlyClears?: number[];
  /** Device subsections a negotiated feature adds, whose name changed (virtio-balloon's page-poison). */
  subsections?: { bit: number; name: string; oldName: string; newName: string; renamedIn: string; newToOld: string[] }[];
  backend?: {
    vnetHdr: { bits: number[]; since?: string }[];
    ufo: number[]; uso: number[]; tunnel: number[];
    kernels: Record<'ufo' | 'uso' | 'tunnel', { since: string; absentIn?: string[] }>;
    types: Record<string, { vnetHdr: boolean | 'property' }>;
  };
}

interface Table {
  transport: { badFeature: Feature; version1: Feature; properties: Feature[] };
  devices: Record<string, FamilyFeatures>;
  qmpNames: Record<string, Record<string, number>>;
}

let table: Table | undefined;
export const featureTable = (): Table => (table ??= JSON.parse(readFileSync(join(PROFILES_DIR, 'virtio-features.json'), 'utf8')) as Table);

const bit = (n: number) => 1n << BigInt(n);

/** Host features: bits surely offered, and bits a backend the description does not pin down may offer. */
export interface HostFeatures { sure: bigint; maybe: bigint }

export interface FeatureSide {
  release: string;
  /** The device family ("virtio-net"); families without feature data are not checked. */
  family: string;
  props: PropertyValues;
  /** The proxy is modern (virtio_pci_modern): VERSION_1 is offered. */
  modern: boolean;
  smp: number;
  /**
   * The NIC's backend as described; undefined = not said; 'same' = said on
   * neither side, taken to be the same on both (see deviceFeatureVerdict).
   */
  backend?: NicBackend | 'same';
}

export function familyFeatures(family: string): FamilyFeatures | undefined {
  const f = featureTable().devices[family];
  return f?.sameAs ? featureTable().devices[f.sameAs] : f;
}

function holds(c: Condition, s: FeatureSide): boolean {
  if (c === 'always') return true;
  if (c === 'legacyOnly') return !s.modern;
  if ('any' in c) return c.any.some((x) => holds(x, s));
  if ('all' in c) return c.all.every((x) => holds(x, s));
  const v = s.props.get(c.property)?.value;
  if (c.set !== undefined) return (v !== undefined && v !== '') === c.set;
  if (c.equals !== undefined) return v === c.equals;
  if (c.notEqual !== undefined) return v !== undefined && v !== c.notEqual;
  if (c.above !== undefined) return queueCount(c.property, v, s) > c.above;
  return false;
}

/** num-queues=65535 is "auto": one queue per vCPU up to 1024 (virtio_pci_optimal_num_queues). */
function queueCount(property: string, value: string | undefined, s: FeatureSide): number {
  const n = Number(value ?? 0);
  return property === 'num-queues' && n === 65535 ? Math.min(s.smp, 1024) : n;
}

const inRelease = (f: Feature, release: string) => inRange(release, f.since, f.until);

/** Kernel "6.1" at least "6.2"? */
const kernelAtLeast = (kernel: string, since: string) => compareReleases(kernel.split('.').slice(0, 2).join('.'), since) >= 0;

/**
 * What the backend lets through (virtio_net_get_features): per offload
 * group, true / false / undefined (the description does not say).
 */
function backendCarries(b: NicBackend | 'same' | undefined, f: NonNullable<FamilyFeatures['backend']>) {
  // Unsaid on both sides: a tap on hosts of unknown Linux (as for a tap that says no kernel, below).
  if (b === 'same') return { vnetHdr: true, ufo: true, uso: undefined, tunnel: undefined };
  if (!b) return { vnetHdr: undefined, ufo: undefined, uso: undefined, tunnel: undefined };
  const type = f.types[b.type];
  if (!type) return { vnetHdr: undefined, ufo: undefined, uso: undefined, tunnel: undefined };
  const vnetHdr = type.vnetHdr === 'property' ? (b.vnetHdr ?? true) : type.vnetHdr;
  const kernel = (k: 'ufo' | 'uso' | 'tunnel') => {
    if (!vnetHdr) return false;
    // An unsaid kernel: UFO is taken as there (Linux 4.15, 2018, brought it back; said as an
    // assumption), USO (6.2) and UDP tunnel GSO (6.17) stay unknown — at-risk where offered.
    if (b.hostKernel === undefined) return k === 'ufo' ? true : undefined;
    const rule = f.kernels[k];
    const short = b.hostKernel.split('.').slice(0, 2).join('.');
    return kernelAtLeast(b.hostKernel, rule.since) && !(rule.absentIn ?? []).includes(short);
  };
  return { vnetHdr, ufo: kernel('ufo'), uso: kernel('uso'), tunnel: kernel('tunnel') };
}

/**
 * What get_features reads for one family on one release, worked out once:
 * the feature properties that exist there (each with its bit), the derived
 * features and their conditions, the bits a legacy proxy clears, and the
 * backend's offload groups as masks. Only property values, vCPUs and the
 * backend vary per device.
 */
interface FeaturePlan {
  fam: FamilyFeatures;
  base: bigint;
  version1: bigint;
  properties: { property: string; bit: bigint }[];
  derived: { when: Condition; bit: bigint; backend: boolean }[];
  legacyOnlyClears: bigint;
  /** vnetHdr, ufo, uso, tunnel, in the order virtio_net_get_features clears them. */
  backendGroups?: bigint[];
}

const plans = new Map<string, FeaturePlan | null>();

const maskOf = (bits: number[]) => bits.reduce((m, b) => m | bit(b), 0n);

function featurePlan(family: string, release: string): FeaturePlan | undefined {
  const key = `${family}|${release}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    const fam = familyFeatures(family);
    const t = featureTable().transport;
    plan = fam
      ? {
        fam,
        base: bit(t.badFeature.bit),
        version1: bit(t.version1.bit),
        properties: [...t.properties, ...fam.properties].filter((f) => inRelease(f, release)).map((f) => ({ property: f.property!, bit: bit(f.bit) })),
        derived: fam.derived.filter((f) => inRelease(f, release)).map((f) => ({ when: f.when ?? 'always', bit: bit(f.bit), backend: f.otherwise === 'backend' })),
        legacyOnlyClears: maskOf(fam.legacyOnlyClears ?? []),
        backendGroups: fam.backend && [
          maskOf(fam.backend.vnetHdr.filter((g) => inRange(release, g.since)).flatMap((g) => g.bits)),
          maskOf(fam.backend.ufo), maskOf(fam.backend.uso), maskOf(fam.backend.tunnel),
        ],
      }
      : null;
    plans.set(key, plan);
  }
  return plan ?? undefined;
}

/** The host features this side's device offers (virtio_bus_device_plugged → get_features). */
export function hostFeatures(s: FeatureSide): HostFeatures | undefined {
  const plan = featurePlan(s.family, s.release);
  if (!plan) return undefined;
  let sure = plan.base;
  if (s.modern) sure |= plan.version1;
  for (const f of plan.properties) if (s.props.get(f.property)?.value === 'on') sure |= f.bit;
  let maybe = 0n;
  for (const f of plan.derived) {
    if (holds(f.when, s)) sure |= f.bit;
    else if (f.backend) maybe |= f.bit;
  }
  if (!s.modern) sure &= ~plan.legacyOnlyClears;
  if (plan.backendGroups) {
    const carries = backendCarries(s.backend, plan.fam.backend!);
    const ok = [carries.vnetHdr, carries.ufo, carries.uso, carries.tunnel];
    plan.backendGroups.forEach((mask, g) => {
      if (ok[g] === true) return;
      // A group the description does not settle: what it would clear is only maybe offered.
      if (ok[g] === undefined) maybe |= sure & mask;
      sure &= ~mask;
    });
  }
  return { sure, maybe: maybe & ~sure };
}

/** Bit numbers → names ("VIRTIO_NET_F_GUEST_USO4"), for the device's family. */
export function featureNames(family: string, bits: bigint): string[] {
  const t = featureTable();
  const fam = familyFeatures(family);
  const all = [t.transport.badFeature, t.transport.version1, ...t.transport.properties, ...(fam?.properties ?? []), ...(fam?.derived ?? [])];
  const out: string[] = [];
  for (let n = 0; n < 128; n++) {
    if (!(bits & bit(n))) continue;
    out.push(all.find((f) => f.bit === n)?.name ?? `feature bit ${n}`);
  }
  return out;
}

/** The sides of one device's virtio section, and what the guest negotiated if known. */
export interface FeaturePair {
  src: FeatureSide;
  dst: FeatureSide;
  /** Live negotiated features of the running source (guest_features), if given. */
  guest?: bigint;
  section: string;
}

const LOW32 = 0xffffffffn;
const LOW64 = (1n << 64n) - 1n;

/**
 * The features the destination checks, from what the source sends:
 * the low word in the section itself; bits 32-63 in virtio/64bit_features,
 * sent when the source's host features have bits above 31; bits 64-127 in
 * virtio/128bit_features (10.2+), when they have bits above 63. Before 10.2
 * a destination whose host features have no bit above 31 checks only the
 * low word (virtio_64bit_features_needed on its own device).
 */
function checkedFeatures(guest: bigint, srcHost: bigint, dstHost: bigint, dstRelease: string): bigint {
  let sent = guest & LOW32;
  if (srcHost >> 32n) sent |= guest & (LOW64 & ~LOW32);
  if (srcHost >> 64n) sent |= guest & ~LOW64;
  if (compareReleases(dstRelease, '10.2') >= 0) return sent;
  return dstHost >> 32n ? sent & LOW64 : sent & LOW32;
}

const hex = (v: bigint) => v.toString(16);
const hex128 = (v: bigint) => v.toString(16).padStart(32, '0');
/** A feature word as the release prints it (VIRTIO_FEATURES_FMT from 10.2: two zero-padded 64-bit halves). */
const word = (release: string, v: bigint) => (compareReleases(release, '10.2') >= 0 ? hex128(v) : hex(v));

/**
 * QEMU's line (virtio_load): before 10.2 the guest features as sent and the
 * host features, unpadded; from 10.2 the features after
 * virtio_set_features_nocheck masked them with the host's (it overwrites
 * guest_features_ex before the message prints it), both as 32 hex digits.
 */
export function featuresMessage(dstRelease: string, checked: bigint, dstHost: bigint): string {
  const shown = compareReleases(dstRelease, '10.2') >= 0 ? checked & dstHost : checked;
  return `Features 0x${word(dstRelease, shown)} unsupported. Allowed features: 0x${word(dstRelease, dstHost)}`;
}

/** undefined: the features load (or the family has no feature data); otherwise the verdict. */
export function featureVerdict(p: FeaturePair): DeviceVerdict | undefined {
  return featureOutcome(p).verdict;
}

/** The verdict, and the bits taken to follow the same drive settings on both hosts (sameBackendBits). */
function featureOutcome(p: FeaturePair): { verdict?: DeviceVerdict; sameDrive: bigint } {
  const src = hostFeatures(p.src);
  const dst = hostFeatures(p.dst);
  if (!src || !dst) return { sameDrive: 0n };
  return { verdict: combinedVerdict(p, src, dst), sameDrive: sameBackendBits(p, src, dst) };
}

function combinedVerdict(p: FeaturePair, src: HostFeatures, dst: HostFeatures): DeviceVerdict | undefined {
  const sub = subsectionVerdict(p, src.sure | src.maybe, dst);
  if (sub?.kind === 'incompatible') return sub;
  const v = bitsVerdict(p, src, dst);
  if (!sub) return v;
  if (v?.kind === 'incompatible') return v;
  return { kind: 'at-risk', conditions: [...sub.conditions, ...(v?.kind === 'at-risk' ? v.conditions : [])], mismatches: v?.kind === 'at-risk' ? v.mismatches : [] };
}

/**
 * A subsection a negotiated feature adds, named differently on the two
 * sides (vmstate_subsection_load matches by name): a pre-6.0 source's
 * misspelt page-poison subsection is read by no destination, so the section
 * ends early ("Missing section footer") — after a feature check that saw
 * only the low 32 bits, because virtio/64bit_features sits behind it; a
 * 6.0+ source's is unknown to a pre-6.0 destination (-ENOENT).
 */
function subsectionVerdict(p: FeaturePair, srcAll: bigint, dst: HostFeatures): Extract<DeviceVerdict, { kind: 'incompatible' | 'at-risk' }> | undefined {
  for (const rule of familyFeatures(p.src.family)?.subsections ?? []) {
    if (!(srcAll & bit(rule.bit))) continue;
    const srcOld = compareReleases(p.src.release, rule.renamedIn) < 0;
    const dstOld = compareReleases(p.dst.release, rule.renamedIn) < 0;
    if (!srcOld && !dstOld) continue;
    const why = srcOld
      ? `QEMU ${p.src.release} sends the subsection it adds as "${rule.oldName}" (misspelt before ${rule.renamedIn}), which no release reads`
      : `QEMU ${p.src.release} sends the subsection it adds as "${rule.newName}", which QEMU ${p.dst.release} knows only as "${rule.oldName}"`;
    if (p.guest === undefined) {
      return { kind: 'at-risk', conditions: [`fails if the guest negotiated ${rule.name} (a Linux guest does with page poisoning or init_on_free on): ${why}`], mismatches: [] };
    }
    if (!(p.guest & bit(rule.bit))) continue;
    const description = `${rule.name} negotiated: ${why}`;
    if (!srcOld) {
      const vmsd = p.section.slice(p.section.lastIndexOf('/') + 1);
      const message = rule.newToOld[0].replace('{vmsd}', vmsd).replace('{section}', p.section);
      return { kind: 'incompatible', message, mismatches: [{ offset: 0, length: 0, field: 'virtio subsection', source: rule.name, destination: 'unknown subsection', description }] };
    }
    // Only the low word reaches the feature check; it runs before the footer is looked for.
    const low = p.guest & LOW32;
    if (low & ~(dst.sure | dst.maybe)) {
      return { kind: 'incompatible', message: featuresMessage(p.dst.release, low, dst.sure), mismatches: mismatchesFor(p, low & ~(dst.sure | dst.maybe), 'negotiated') };
    }
    return { kind: 'incompatible', message: `Missing section footer for ${p.section}`, mismatches: [{ offset: 0, length: 0, field: 'stream layout', source: rule.name, destination: 'subsection left unread', description }] };
  }
  return undefined;
}

/** The subsection rule's lines for a pre-rename destination (device-profiles/virtio-features.json). */
export function subsectionLines(driver: string, section: string): QemuLines {
  const model = modelFor(driver);
  const rule = model ? familyFeatures(model.families[model.families.length - 1])?.subsections?.[0] : undefined;
  const vmsd = section.slice(section.lastIndexOf('/') + 1);
  return { lines: (rule?.newToOld ?? []).map((l) => l.replace('{vmsd}', vmsd).replace('{section}', section)), verified: true };
}

/**
 * Bits a non-NIC device offers depending on its block backend (virtio-blk's
 * FLUSH follows the drive's write cache): undecided on both sides, they are
 * taken to follow the same drive settings on both hosts, so they never differ.
 */
function sameBackendBits(p: FeaturePair, src: HostFeatures, dst: HostFeatures): bigint {
  return familyFeatures(p.src.family)?.backend ? 0n : src.maybe & dst.maybe;
}

function bitsVerdict(p: FeaturePair, src: HostFeatures, dst: HostFeatures): DeviceVerdict | undefined {
  const badFeature = bit(featureTable().transport.badFeature.bit);
  const same = sameBackendBits(p, src, dst);
  dst = { ...dst, sure: dst.sure | same, maybe: dst.maybe & ~same };
  const dstAll = dst.sure | dst.maybe;
  if (p.guest !== undefined) {
    const checked = checkedFeatures(p.guest, src.sure | src.maybe, dstAll, p.dst.release);
    const refused = checked & ~dstAll;
    if (refused) {
      const message = featuresMessage(p.dst.release, checked, dst.sure);
      return { kind: 'incompatible', message, mismatches: mismatchesFor(p, refused, 'negotiated') };
    }
    const unsure = checked & dst.maybe;
    if (!unsure) return undefined;
    return {
      kind: 'at-risk',
      conditions: [`fails if the destination's backend cannot carry ${featureNames(p.src.family, unsure).join(', ')}, which the guest negotiated (say the NIC's backend and host kernel with "backend", or --src-host-kernel/--dst-host-kernel)`],
      mismatches: [],
    };
  }
  // No live features: a Linux guest negotiates nearly everything its driver knows.
  const offered = (src.sure | src.maybe) & ~badFeature;
  const checked = checkedFeatures(offered, src.sure | src.maybe, dstAll, p.dst.release);
  const missing = checked & ~dst.sure;
  if (!missing) return undefined;
  const refused = missing & ~dst.maybe;
  const conditions: string[] = [];
  if (refused) {
    conditions.push(`fails if the guest negotiated ${featureNames(p.src.family, refused).join(' or ')}: the source (QEMU ${p.src.release}) offers ${plural(refused)}, the destination (QEMU ${p.dst.release}) does not ("Features 0x… unsupported. Allowed features: 0x${word(p.dst.release, dst.sure)}"); give the live features with "guest.features" (x-query-virtio-status) to settle it`);
  }
  const unsure = missing & dst.maybe;
  if (unsure) {
    conditions.push(`fails if the guest negotiated ${featureNames(p.src.family, unsure).join(' or ')} and the destination's backend cannot carry ${unsure & (unsure - 1n) ? 'them' : 'it'} (say the NIC's backend and host kernel with "backend", or --src-host-kernel/--dst-host-kernel)`);
  }
  return { kind: 'at-risk', conditions, mismatches: mismatchesFor(p, missing, 'offered') };
}

const plural = (bits: bigint) => (bits & (bits - 1n) ? 'them' : 'it');

function mismatchesFor(p: FeaturePair, bits: bigint, how: 'negotiated' | 'offered'): Mismatch[] {
  const names = featureNames(p.src.family, bits);
  const owner = [...featureTable().transport.properties, ...(familyFeatures(p.src.family)?.properties ?? [])];
  return names.map((name) => {
    const f = owner.find((x) => x.name === name);
    const why = f?.property ? ` (property ${f.property}: ${p.src.props.get(f.property)?.value ?? '-'} → ${p.dst.props.get(f.property)?.value ?? 'absent'})` : '';
    return {
      offset: 0, length: 0, field: 'virtio feature', source: name, destination: 'not offered',
      description: `${name}: ${how === 'negotiated' ? 'negotiated by the guest' : 'offered'} on QEMU ${p.src.release}, not offered by QEMU ${p.dst.release}${why}`,
    };
  });
}

/** The exact line for messages.json (the first line is the feature line itself). */
export function featureLines(release: string, message: string, section: string) {
  const vmsd = section.slice(section.lastIndexOf('/') + 1);
  return qemuMessage(release, 'virtioFeatures', { bad: message, vmsd, section });
}

/** By config space: a built ConfigSpace is shared between devices and never modified (check/build.ts). */
const modernMemo = new WeakMap<Uint8Array, boolean>();

/** A proxy with the virtio common-config capability is modern (virtio_pci_modern). */
export function hasModernCaps(config: Uint8Array): boolean {
  let m = modernMemo.get(config);
  if (m === undefined) modernMemo.set(config, (m = findsModernCaps(config)));
  return m;
}

function findsModernCaps(config: Uint8Array): boolean {
  const PCI_CAP_ID_VNDR = 0x09;
  const VIRTIO_PCI_CAP_COMMON_CFG = 1;
  let at = config[0x34] & 0xfc;
  for (let hops = 0; at && hops < 48; hops++) {
    if (config[at] === PCI_CAP_ID_VNDR && config[at + 3] === VIRTIO_PCI_CAP_COMMON_CFG) return true;
    at = config[at + 1] & 0xfc;
  }
  return false;
}

export interface DeviceFeatureInputs {
  family: string;
  section: string;
  src: { release: string; props: PropertyValues; config: Uint8Array; smp: number; device: DeviceDescription };
  dst: { release: string; props: PropertyValues; config: Uint8Array; smp: number; device: DeviceDescription };
}

/**
 * The feature verdict of one paired virtio device. A NIC whose backend
 * neither side describes is taken to have the same backend on both hosts;
 * then the backend's limits cut both sides alike, and assuming it carries
 * every offload finds every risk a weaker one could give.
 */
export function deviceFeatureVerdict(x: DeviceFeatureInputs): { verdict?: DeviceVerdict; assumptions: string[] } {
  const fam = familyFeatures(x.family);
  if (!fam) {
    // A virtio proxy (vendor 0x1af4, device 0x1000-0x107f; ivshmem's 0x1110 is none) whose family has no feature data: said, not silently passed.
    const virtio = x.src.config[0] === 0xf4 && x.src.config[1] === 0x1a && x.src.config[3] === 0x10 && x.src.config[2] < 0x80;
    return { assumptions: virtio ? [`${x.src.device.id}: the virtio feature bits of ${x.family} are not modelled; taken to be the same on both sides`] : [] };
  }
  const sameBackend = fam.backend && !x.src.device.backend && !x.dst.device.backend;
  const side = (s: DeviceFeatureInputs['src']): FeatureSide => ({
    // vCPUs read only where a condition needs them (num-queues auto): a fleet's memo follows what is read.
    release: s.release, family: x.family, props: s.props, modern: hasModernCaps(s.config), get smp() { return s.smp; },
    backend: sameBackend ? 'same' : s.device.backend,
  });
  const { verdict, sameDrive } = featureOutcome({ src: side(x.src), dst: side(x.dst), guest: x.src.device.guest?.features, section: x.section });
  const kernelUnsaid = [x.src.device.backend, x.dst.device.backend].some((b) => b && !b.hostKernel && fam.backend?.types[b.type]?.vnetHdr === 'property');
  if (kernelUnsaid) {
    return { verdict, assumptions: [`${x.src.device.id}: the hosts' Linux is taken to be 4.15 or later (tap UFO); USO (6.2+) and UDP tunnel offloads (6.17+) need backend.hostKernel (--src-host-kernel, --dst-host-kernel)`] };
  }
  if (sameDrive) {
    const names = featureNames(x.family, sameDrive).join(', ');
    return { verdict, assumptions: [`${x.src.device.id}: ${names}, which the drive's settings decide (its write cache), taken to be the same on both hosts`] };
  }
  return {
    verdict,
    assumptions: sameBackend ? [`${x.src.device.id}: the NIC's backend is taken to be the same on both hosts (say "backend" to check its offloads; taken as a tap on hosts of unknown Linux: UFO carried, USO and UDP tunnel offloads unknown; QEMU's "Allowed features" is then shown as for a tap carrying every offload)`] : [],
  };
}
