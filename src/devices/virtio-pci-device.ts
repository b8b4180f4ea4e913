/**
 * A virtio device behind the virtio-pci transport: the per-device rules
 * (config length from features, default vectors, class) as small
 * functions, the per-release facts from device-profiles/devices/*.json.
 * QEMU: each hw/virtio/virtio-*-pci.c realize, virtio_get_config_size.
 */
import { deviceFamily, type DeviceFamily } from '../profiles/data.js';
import { inRange } from '../profiles/versions.js';
import { buildVirtioPci } from '../virtio-caps/transport.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propBool, propNumber, propValue } from './model.js';

/** DEV_NVECTORS_UNSPECIFIED: a uint32 -1 in QEMU. */
const NVECTORS_UNSPECIFIED = 0xffffffff;

export interface VirtioDeviceSpec {
  family: string;
  sectionName: string;
  /** Feature names (as in the family's configSize rule) the device offers with these properties. */
  features(ctx: BuildContext): string[];
  /** The vector count when `vectors` is left unspecified (the proxy's realize). */
  defaultVectors(ctx: BuildContext): number;
  /** The class word after realize (e.g. the "class" property of virtio-blk-pci). */
  classId?(ctx: BuildContext, classDefault: number): number;
  /** Config length override (balloon's qemu-4-0-config-size). */
  configLen?(ctx: BuildContext, fromFeatures: number, max: number): number;
}

/** QEMU: virtio_get_config_size — the largest end among offered features, at least min. */
export function configLength(fam: DeviceFamily, release: string, features: string[]): { len: number; max: number } {
  const rule = fam.configSize?.find((r) => inRange(release, r.since, r.until));
  if (!rule) throw new NotModelledError(`${fam.family}: no config size rule for QEMU ${release}`);
  let len = rule.min;
  for (const f of rule.features) if (features.includes(f.feature)) len = Math.max(len, f.end);
  return { len, max: rule.max };
}

/** QEMU: virtio_pci_optimal_num_queues(fixed) — one queue per vCPU, within MSI-X and queue limits. */
export function optimalNumQueues(ctx: BuildContext, fixed: number): number {
  return Math.min(ctx.smp, 2047 - fixed, 1024 - fixed);
}

/** Transport properties whose non-default values this model does not build. */
const UNMODELLED_ON = ['ats', 'aer'];

export function virtioPciModel(spec: VirtioDeviceSpec): DeviceModel {
  const fam = () => deviceFamily(spec.family);
  return {
    drivers: fam().pciTypes,
    families: ['virtio-pci', spec.family],
    sectionName: spec.sectionName,
    // QEMU: virtio_pci_{non_,}transitional_instance_init.
    instanceDefaults(driver): Record<string, string> {
      if (driver.endsWith('-non-transitional')) return { 'disable-legacy': 'on', 'disable-modern': 'off' };
      if (driver.endsWith('-transitional')) return { 'disable-legacy': 'off', 'disable-modern': 'off' };
      return {};
    },
    typeChain(driver) {
      const { pci, vdev } = fam().typeChains;
      return [driver, ...pci.slice(1), ...vdev];
    },
    build(driver, ctx): BuiltDevice {
      const f = fam();
      for (const p of UNMODELLED_ON) {
        if (propBool(ctx, p)) throw new NotModelledError(`${p}=on is not modelled yet`);
      }
      const notes: string[] = [];
      const features = spec.features(ctx);
      const { len: fromFeatures, max } = configLength(f, ctx.release, features);
      const configLen = spec.configLen ? spec.configLen(ctx, fromFeatures, max) : fromFeatures;
      let nvectors = propNumber(ctx, 'vectors', 0);
      if (nvectors === NVECTORS_UNSPECIFIED) {
        nvectors = spec.defaultVectors(ctx);
        notes.push(`vectors unspecified: ${nvectors} by the device's default rule`);
      }
      const classDefault = Number(f.pciClass);
      const legacyMode = propValue(ctx, 'disable-legacy') ?? 'auto';
      const r = buildVirtioPci({
        virtioId: f.virtioId!,
        legacyDeviceId: Number(f.legacyPciDeviceId),
        classId: spec.classId ? spec.classId(ctx, classDefault) : classDefault,
        configLen,
        nvectors,
        disableLegacy: legacyMode as 'on' | 'off' | 'auto',
        disableModern: propBool(ctx, 'disable-modern'),
        pagePerVq: propBool(ctx, 'page-per-vq'),
        modernPioNotify: propBool(ctx, 'modern-pio-notify'),
        xDisablePcie: propBool(ctx, 'x-disable-pcie'),
        deverrInit: propBool(ctx, 'x-pcie-deverr-init'),
        lnkctlInit: propBool(ctx, 'x-pcie-lnkctl-init'),
        pmInit: propBool(ctx, 'x-pcie-pm-init'),
        flrInit: propBool(ctx, 'x-pcie-flr-init'),
        pmNoSoftReset: propBool(ctx, 'x-pcie-pm-no-soft-reset'),
        extcapInit: propBool(ctx, 'x-pcie-extcap-init', true),
        multifunction: propBool(ctx, 'multifunction'),
        bus: ctx.bus,
      });
      notes.push(`device config ${configLen} bytes (features: ${features.join(', ') || 'none'})`);
      notes.push(...r.warnings);
      if (driver.endsWith('-transitional') || driver.endsWith('-non-transitional')) {
        notes.push(`${driver}: ${r.legacy ? 'transitional' : 'modern-only'}`);
      }
      return { cs: r.cs, notes };
    },
  };
}
