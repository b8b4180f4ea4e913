/**
 * QEMU release numbers. A description names a release ("7.2") or a build
 * ("7.2.22"); device profiles exist per release (major.minor).
 */

/** Every QEMU feature release, so "4.2" (real, not modelled) differs from "4.7" (no such release). */
const RELEASES: readonly string[] = [
  ...range(0, [10, 11, 12, 13, 14, 15]).map((m) => `0.${m}`),
  ...range(1, [0, 1, 2, 3, 4, 5, 6, 7]),
  ...range(2, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  ...range(3, [0, 1]), ...range(4, [0, 1, 2]), ...range(5, [0, 1, 2]), ...range(6, [0, 1, 2]),
  ...range(7, [0, 1, 2]), ...range(8, [0, 1, 2]), ...range(9, [0, 1, 2]), ...range(10, [0, 1, 2]),
  ...range(11, [0, 1]),
];

function range(major: number, minors: number[]): string[] {
  return minors.map((m) => `${major}.${m}`);
}

export class VersionError extends Error {}

/** "7.2", "7.2.0", "7.2.22", "10.0.13+ds" → "7.2"/"10.0"; throws on anything that is not a QEMU release. */
const releases = new Map<string, string>();

export function releaseOf(version: string): string {
  let r = releases.get(version);
  if (r === undefined) {
    r = parseRelease(version);
    if (releases.size >= 10_000) releases.clear();
    releases.set(version, r);
  }
  return r;
}

function parseRelease(version: string): string {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:[+~-][\w.+~-]*)?$/.exec(version.trim());
  if (!m) throw new VersionError(`"${version}" is not a QEMU version (expected e.g. "7.2" or "7.2.0")`);
  const release = `${Number(m[1])}.${Number(m[2])}`;
  if (!RELEASES.includes(release)) {
    throw new VersionError(`QEMU ${version} does not exist (known releases end at ${RELEASES[RELEASES.length - 1]})`);
  }
  return release;
}

const ordinals = new Map<string, number>();

/** "10.2" → 10002: releases as numbers, parsed once. */
function ordinal(release: string): number {
  let o = ordinals.get(release);
  if (o === undefined) {
    const [m, n] = release.split('.').map(Number);
    o = m * 1000 + n;
    ordinals.set(release, o);
  }
  return o;
}

/** Orders "5.2" < "7.2" < "10.0". */
export function compareReleases(a: string, b: string): number {
  return ordinal(a) - ordinal(b);
}

/** True when `release` lies in [since, until] (either bound may be absent). */
export function inRange(release: string, since?: string, until?: string): boolean {
  return (!since || compareReleases(release, since) >= 0) && (!until || compareReleases(release, until) <= 0);
}
