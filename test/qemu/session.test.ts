// The process side of the driver: start-up failures carry QEMU's own message,
// nothing is left behind, and QMP works on the stopped machine.

import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { QemuSpawnError, QemuStartError } from "../../src/qemu/errors.js";
import { queryPci, queryStatus } from "../../src/qemu/qmp.js";
import { startSession, withSession } from "../../src/qemu/session.js";
import { QEMU_TEST_TIMEOUT_MS, qemuBinary, runQemuTests } from "./qemu-available.js";

describe.runIf(runQemuTests)("QEMU sessions (real binary)", () => {
  it("starts a stopped i440fx 7.2 machine and answers QMP", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    let dir = "";
    await withSession(
      {
        binary: qemuBinary(),
        spec: {
          machine: "pc-i440fx-7.2",
          args: ["-drive", "if=none,id=d0,driver=null-co", "-device", "virtio-blk-pci,drive=d0,addr=0xb"],
        },
      },
      async ({ qmp, initialStatus, process }) => {
        dir = process.dir;
        expect(existsSync(dir)).toBe(true);
        expect(initialStatus).toBe("prelaunch");
        expect((await queryStatus(qmp)).running).toBe(false);
        const devices = (await queryPci(qmp))[0]!.devices;
        expect(devices.find((d) => d.slot === 0x0b)?.id).toMatchObject({ vendor: 0x1af4, device: 0x1001 });
        expect(qmp.greeting.version.qemu.major).toBeGreaterThanOrEqual(5);
      },
    );
    expect(existsSync(dir)).toBe(false); // private directory removed
  });

  it("reports a bad -device with QEMU's message", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    const start = startSession({
      binary: qemuBinary(),
      spec: { machine: "pc-i440fx-7.2", args: ["-device", "no-such-device"] },
    });
    await expect(start).rejects.toBeInstanceOf(QemuStartError);
    await expect(start).rejects.toThrow("'no-such-device' is not a valid device model name");
    await start.catch((err: QemuStartError) => expect(err.exitCode).toBe(1));
  });

  it("reports an unknown machine type with QEMU's message", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await expect(startSession({ binary: qemuBinary(), spec: { machine: "pc-i440fx-0.1" } })).rejects.toThrow(
      /QEMU failed to start: .*(unsupported machine type|Unsupported machine)/i,
    );
  });

  it("reports a device property error raised while realizing", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await expect(
      startSession({
        binary: qemuBinary(),
        spec: { machine: "pc-i440fx-7.2", args: ["-device", "virtio-blk-pci,addr=0xb"] },
      }),
    ).rejects.toThrow(/drive property not set/);
  });

  it("reports a missing binary as QemuSpawnError", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    qemuBinary(); // keep the CI rule: this suite needs a real QEMU anyway
    await expect(
      startSession({ binary: "/nonexistent/qemu-system-x86_64", spec: { machine: "pc-i440fx-7.2" } }),
    ).rejects.toBeInstanceOf(QemuSpawnError);
  });
});
