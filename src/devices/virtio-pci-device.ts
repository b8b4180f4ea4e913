/**
 * A virtio device behind the virtio-pci transport: the per-device rules
 * (config length from features, default vectors, class) as small
 * functions, the per-release facts from device-profiles/devices/*.json.
 * QEMU: each hw/virtio/virtio-*-pci.c realize, virtio_get_config_size.
 */
import { deviceFamily, type DeviceFamily } from '../profiles/data.js';
import { inRange } from '../profiles/versions.js';
import { hasBehaviour } from '../profiles/behaviour.js';
import { buildVirtioPci, type DeviceRealize } from '../virtio-caps/transport.js';
import { type ModernOptions } from '../virtio-caps/modern-caps.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { addOptionRom } from './option-rom.js';
import {
  type BuildContext, type BuiltDevice, type DeviceModel, type EqualField, NotModelledError, propBool, propNumber, propValue, type RamBlock,
} from './model.js';

/** DEV_NVECTORS_UNSPECIFIED: a uint32 -1 in QEMU. */
const NVECTORS_UNSPECIFIED = 0xffffffff;

export interface VirtioDeviceSpec {
  family: string;
  /** Families whose properties this one shares, read before its own (virtio-vga: virtio-gpu). */
  sharedFamilies?: string[];
  sectionName: string;
  /** Feature names (as in the family's configSize rule) the device offers with these properties. */
  features(ctx: BuildContext): string[];
  /** The vector count when `vectors` is left unspecified (the proxy's realize). */
  defaultVectors(ctx: BuildContext): number;
  /** The class word after realize (e.g. the "class" property of virtio-blk-pci). */
  classId?(ctx: BuildContext, classDefault: number): number;
  /** Refusals of the device's realize (QEMU's error text), thrown as RealizeError. */
  validate?(ctx: BuildContext): void;
  /** What the device's build assumes about things no description carries (backends). */
  assumptions?(ctx: BuildContext): string[];
  /** The class's default option ROM (PCIDeviceClass.romfile), e.g. efi-virtio.rom. */
  romfile?: string;
  /** The proxy's own vmsd, which names its ROM block (virtio-vga); most proxies have none (the type name is used). */
  proxyVmsd?: string;
  /** The device's realize calls virtio_pci_force_virtio_1: modern-only by construction (virtio-input, virtio-gpu). */
  modernOnly?: boolean;
  /** What the device's realize adds before virtio_pci_device_plugged: BARs, a BAR layout, RAM blocks. */
  realize?(ctx: BuildContext, cs: ConfigSpace, modern: ModernOptions, notes: string[]): (DeviceRealize & { ramBlocks?: RamBlock[] }) | void;
  /** Migrated fields compared with the destination's own property values (DeviceModel.equalFields). */
  equalFields?: EqualField[];
  /** The device config's length where a property's content sets it (virtio-9p: the mount tag), instead of the family's rule. */
  configSize?(ctx: BuildContext): number;
}

/**
 * QEMU: virtio_get_config_size — the largest end among offered features,
 * at least min; a size-forcing property wins.
 */
export function configLength(fam: DeviceFamily, release: string, ctx: BuildContext, offered: string[]): number {
  const rule = fam.configSize?.find((r) => inRange(release, r.since, r.until));
  if (!rule) throw new NotModelledError(`${fam.family}: no config size rule for QEMU ${release}`);
  if (rule.uncertain) throw new NotModelledError(`${fam.family}: the config size of QEMU ${release} is not verified (${rule.rule ?? ''})`);
  for (const o of rule.overrides ?? []) if (propValue(ctx, o.property) === o.value) return o.size;
  const features = new Set([...offered, ...(rule.alwaysOnFeatures ?? [])]);
  let len = rule.min;
  for (const f of rule.features ?? []) {
    if (f.feature.split('|').some((name) => features.has(name))) len = Math.max(len, f.end);
  }
  return len;
}

/** QEMU: virtio_pci_optimal_num_queues(fixed) — one queue per vCPU, within MSI-X and queue limits. */
export function optimalNumQueues(ctx: Pick<BuildContext, 'smp'>, fixed: number): number {
  return Math.min(ctx.smp, 2047 - fixed, 1024 - fixed);
}

/** Transport properties whose non-default values this model does not build. */
const UNMODELLED_ON = ['ats', 'aer'];

export function virtioPciModel(spec: VirtioDeviceSpec): DeviceModel {
  const fam = () => deviceFamily(spec.family);
  return {
    drivers: fam().pciTypes,
    families: ['pci-device', 'virtio-pci', ...(spec.sharedFamilies ?? []), spec.family],
    sectionName: spec.sectionName,
    equalFields: spec.equalFields,
    // QEMU: virtio_pci_{non_,}transitional_instance_init.
    instanceDefaults(driver): Record<string, string> {
      if (driver.endsWith('-non-transitional')) return { 'disable-legacy': 'on', 'disable-modern': 'off' };
      if (driver.endsWith('-transitional')) return { 'disable-legacy': 'off', 'disable-modern': 'off' };
      return {};
    },
    typeChain(driver) {
      const { pci, vdev } = fam().variants?.[driver]?.typeChains ?? fam().typeChains;
      return [driver, ...pci.slice(1), ...vdev];
    },
    build(driver, ctx): BuiltDevice {
      const f = fam();
      for (const p of UNMODELLED_ON) {
        if (propBool(ctx, p)) throw new NotModelledError(`${p}=on is not modelled yet`);
      }
      const notes: string[] = [];
      spec.validate?.(ctx);
      const features = spec.features(ctx);
      // The device config only sizes the legacy I/O BAR, which a modern-only device never has.
      const configLen = spec.modernOnly ? 0 : spec.configSize?.(ctx) ?? configLength(f, ctx.release, ctx, features);
      let nvectors = propNumber(ctx, 'vectors', 0);
      if (nvectors === NVECTORS_UNSPECIFIED) {
        nvectors = spec.defaultVectors(ctx);
        notes.push(`vectors unspecified: ${nvectors} by the device's default rule`);
      }
      const classDefault = Number(f.variants?.[driver]?.pciClass ?? f.pciClass);
      const legacyMode = propValue(ctx, 'disable-legacy') ?? 'auto';
      let ramBlocks: RamBlock[] = [];
      const r = buildVirtioPci({
        virtioId: f.virtioId!,
        legacyDeviceId: Number(f.legacyPciDeviceId ?? 0),
        classId: spec.classId ? spec.classId(ctx, classDefault) : classDefault,
        configLen,
        nvectors,
        disableLegacy: legacyMode as 'on' | 'off' | 'auto',
        disableModern: propBool(ctx, 'disable-modern'),
        pagePerVq: propBool(ctx, 'page-per-vq'),
        modernPioNotify: propBool(ctx, 'modern-pio-notify'),
        xDisablePcie: propBool(ctx, 'x-disable-pcie'),
        // Where a release dropped an x-pcie-*-init property, the behaviour stayed on.
        deverrInit: propBool(ctx, 'x-pcie-deverr-init', true),
        lnkctlInit: propBool(ctx, 'x-pcie-lnkctl-init', true),
        pmInit: propBool(ctx, 'x-pcie-pm-init', true),
        flrInit: propBool(ctx, 'x-pcie-flr-init', true),
        pmNoSoftReset: propBool(ctx, 'x-pcie-pm-no-soft-reset'),
        extcapInit: propBool(ctx, 'x-pcie-extcap-init', true),
        extTag: propBool(ctx, 'x-pcie-ext-tag'),
        lnkstaDllla: hasBehaviour(ctx.release, 'pcie-lnksta-dllla-at-init') && propBool(ctx, 'x-pcie-lnksta-dllla'),
        multifunction: propBool(ctx, 'multifunction'),
        bus: ctx.bus,
        deviceRealize: (cs, modern) => {
          const d = spec.realize?.(ctx, cs, modern, notes) ?? {};
          ramBlocks = d.ramBlocks ?? [];
          return { forceModern: spec.modernOnly, layout: d.layout };
        },
      });
      // pci_add_option_rom names the block after the proxy's vmsd, else its type (virtio proxies mostly have none).
      const rom = addOptionRom(r.cs, ctx, spec.romfile, spec.proxyVmsd ?? driver, notes);
      if (!spec.modernOnly) notes.push(`device config ${configLen} bytes (features: ${features.join(', ') || 'none'})`);
      notes.push(...r.warnings);
      if (spec.modernOnly) notes.push(`${driver}: modern-only by construction (virtio_pci_force_virtio_1)`);
      else if (driver.endsWith('-transitional') || driver.endsWith('-non-transitional')) {
        notes.push(`${driver}: ${r.legacy ? 'transitional' : 'modern-only'}`);
      }
      return { cs: r.cs, notes, ramBlocks: [...ramBlocks, ...(rom ? [rom] : [])], assumptions: spec.assumptions?.(ctx) ?? [] };
    },
  };
}
