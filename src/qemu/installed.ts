// The real QEMU builds on this host: the one on PATH (or $QEMU_BINARY) and
// the side-by-side builds scripts/install-qemu-versions.sh puts in
// /opt/compat-check/qemu/bin. Each is asked for its version, without a shell.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findQemuBinary } from "./binary.js";

export const SIDE_BY_SIDE_DIR = "/opt/compat-check/qemu/bin";

export interface InstalledQemu {
  /** "7.2" */
  release: string;
  /** "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" */
  version: string;
  binary: string;
}

export function qemuVersionOf(binary: string): string {
  const out = execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 20_000 });
  return out.split("\n")[0].trim();
}

export function installedQemus(env: NodeJS.ProcessEnv = process.env): InstalledQemu[] {
  const candidates = [findQemuBinary(env)];
  if (existsSync(SIDE_BY_SIDE_DIR)) {
    for (const f of readdirSync(SIDE_BY_SIDE_DIR).sort()) candidates.push(join(SIDE_BY_SIDE_DIR, f));
  }
  const byRelease = new Map<string, InstalledQemu>();
  for (const binary of candidates) {
    if (!binary) continue;
    try {
      const version = qemuVersionOf(binary);
      const m = /version (\d+)\.(\d+)/.exec(version);
      if (m && !byRelease.has(`${m[1]}.${m[2]}`)) byRelease.set(`${m[1]}.${m[2]}`, { release: `${m[1]}.${m[2]}`, version, binary });
    } catch {
      // not runnable here: skip it
    }
  }
  return [...byRelease.values()];
}
