// Locating a QEMU system emulator. No shell and no `which`: we walk PATH
// ourselves so the lookup is the same on every host.

import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** The emulator the tool drives by default (the only target we model). */
export const DEFAULT_QEMU_NAME = "qemu-system-x86_64";

/** Environment variable that names an explicit binary (absolute path or name on PATH). */
export const QEMU_BINARY_ENV = "QEMU_BINARY";

/**
 * Absolute path of the QEMU binary to use, or undefined when there is none:
 * $QEMU_BINARY if set (a path, or a name looked up on PATH), else
 * qemu-system-x86_64 on PATH.
 */
export function findQemuBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const wanted = env[QEMU_BINARY_ENV]?.trim() || DEFAULT_QEMU_NAME;
  if (wanted.includes("/")) {
    const path = isAbsolute(wanted) ? wanted : join(process.cwd(), wanted);
    return isExecutableFile(path) ? path : undefined;
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const path = join(dir, wanted);
    if (isExecutableFile(path)) return path;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
