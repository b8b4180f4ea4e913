/**
 * Loading the data in device-profiles/: machine types and compat
 * properties per QEMU release, and device families with their properties
 * across releases. The shapes are described by schemas/*.schema.json;
 * `npm test` validates every file.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PROFILES_DIR = fileURLToPath(new URL('../../device-profiles/', import.meta.url));

/** [driver, property, value] as in QEMU's GlobalProperty arrays. */
export type GlobalProperty = [string, string, string];

export interface MachineProfile {
  qemu: string;
  provenance: string;
  aliases: Record<string, string>;
  machineTypes: Record<string, { family: 'i440fx' | 'q35'; compat: string[] }>;
  compatArrays: Record<string, GlobalProperty[]>;
  notes?: string[];
}

export interface PropertySpec {
  /** The QOM object holding it ("pci", "vdev", "virtio-pci", "pci-device" …). */
  object: string;
  type: string;
  default?: string | null;
  /** The type when it changed across releases (rombar: uint32, then int32 in 10.0). */
  types?: { since: string; type: string }[];
  since?: string;
  until?: string;
  defaults?: { since: string; default: string }[];
  /** Only these -device types of the family have the property (wheel-axis: mouse and tablet, not keyboard). */
  drivers?: string[];
  hostFeature?: string;
  note?: string;
}

export interface ConfigSizeRule {
  since: string;
  until?: string;
  min: number;
  max: number;
  /** Feature name (or "A|B" for an entry any of several bits enables) and the config end it implies. */
  features?: { feature: string; end: number }[];
  /** Features the device always offers. */
  alwaysOnFeatures?: string[];
  /** Properties that force a size whatever the features (balloon's qemu-4-0-config-size). */
  overrides?: { property: string; value: string; size: number }[];
  /** The rule for this release could not be verified. */
  uncertain?: boolean;
  rule?: string;
}

export interface DeviceFamily {
  family: string;
  pciTypes: string[];
  typeChains: { pci: string[]; vdev: string[] };
  virtioId?: number;
  legacyPciDeviceId?: string;
  pciClass?: string;
  properties: Record<string, PropertySpec>;
  configSize?: ConfigSizeRule[];
  featureBits?: Record<string, number>;
  /** Per -device type, what differs within the family: class word, QOM type chains. */
  variants?: Record<string, { pciClass?: string; typeChains?: { pci: string[]; vdev: string[] } }>;
  notes?: string[];
}

export interface RomTable {
  releases: Record<string, { source: string; files: Record<string, number> }>;
}

let romCache: RomTable | undefined;

interface DebianBuilds {
  builds: { qemu: string; version: string; suite: string; package: string; romSizes: Record<string, number | null> }[];
}

/** Option ROM sizes as Debian ships them (device-profiles/debian-builds.json, read off the installed builds). */
export function romTable(): RomTable {
  if (!romCache) {
    const { builds } = readJson<DebianBuilds>(join(PROFILES_DIR, 'debian-builds.json'));
    const releases: RomTable['releases'] = {};
    for (const b of builds) {
      const files: Record<string, number> = {};
      for (const [f, size] of Object.entries(b.romSizes)) if (size !== null) files[f] = size;
      releases[b.qemu] = { source: `Debian ${b.suite} ${b.package}`, files };
    }
    romCache = { releases };
  }
  return romCache;
}

const machineCache = new Map<string, MachineProfile | null>();
const familyCache = new Map<string, DeviceFamily>();

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The machine profile of a release, or undefined when that release is not modelled. */
export function machineProfile(release: string): MachineProfile | undefined {
  if (!machineCache.has(release)) {
    const path = join(PROFILES_DIR, 'machines', `qemu-${release}.json`);
    machineCache.set(release, existsSync(path) ? readJson<MachineProfile>(path) : null);
  }
  return machineCache.get(release) ?? undefined;
}

export function modelledReleases(): string[] {
  return readdirSync(join(PROFILES_DIR, 'machines'))
    .map((f) => /^qemu-(\d+\.\d+)\.json$/.exec(f)?.[1])
    .filter((r): r is string => !!r);
}

/** The QOM type chain a driver's properties come through: its variant's (e1000-82544gc, ich9-usb-uhci3 …), else the family's. */
export function pciTypeChain(family: string, driver: string): string[] {
  const fam = deviceFamily(family);
  return (fam.variants?.[driver]?.typeChains ?? fam.typeChains).pci;
}

export function deviceFamily(name: string): DeviceFamily {
  let f = familyCache.get(name);
  if (!f) {
    f = readJson<DeviceFamily>(join(PROFILES_DIR, 'devices', `${name}.json`));
    familyCache.set(name, f);
  }
  return f;
}
