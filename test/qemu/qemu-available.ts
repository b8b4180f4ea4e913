// Gating for tests that drive a real QEMU binary.
//
// Locally the tests run when a binary is found ($QEMU_BINARY, else
// qemu-system-x86_64 on PATH) and are skipped otherwise. With CI=true they
// always run, so a CI image that lost its QEMU fails loudly instead of going
// green with everything skipped.

import { findQemuBinary } from "../../src/qemu/binary.js";

const found = findQemuBinary();

/** Whether the real-QEMU suites run: a binary exists, or CI demands them. */
export const runQemuTests = found !== undefined || process.env.CI === "true";

/** The binary to drive; throws (failing the test) when CI demanded a missing one. */
export function qemuBinary(): string {
  if (found === undefined) {
    throw new Error(
      "CI=true but no QEMU binary: install qemu-system-x86 or set QEMU_BINARY to qemu-system-x86_64",
    );
  }
  return found;
}

/** Generous per-test limit: a case takes well under a second, CI machines can be slow. */
export const QEMU_TEST_TIMEOUT_MS = 30_000;
