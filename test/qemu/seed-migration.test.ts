// The seed incident, rehearsed on real QEMU 7.2: a guest programmed virtio-blk's
// legacy I/O BAR0 at 0xffc0 on a source where the BAR is 64 bytes
// (discard=off,write-zeroes=off); on the destination the BAR is 128 bytes, so
// bit 6 of byte 0x10 is read-only there and the loaded 0xc1 does not match.

import { describe, expect, it } from "vitest";
import { bdf } from "../../src/qemu/bdf.js";
import { rehearseMigration } from "../../src/qemu/migrate.js";
import { readConfigDword, writeConfigDword } from "../../src/qemu/pci-config-io.js";
import type { QtestClient } from "../../src/qemu/qtest.js";
import type { MachineSpec } from "../../src/qemu/spawn.js";
import { QEMU_TEST_TIMEOUT_MS, qemuBinary, runQemuTests } from "./qemu-available.js";

const SLOT_0B = bdf(0, 0x0b);

function virtioBlk(deviceOptions: string): MachineSpec {
  return {
    machine: "pc-i440fx-7.2",
    args: [
      "-blockdev", "driver=null-co,node-name=d0",
      "-device", `virtio-blk-pci,drive=d0,addr=0xb${deviceOptions}`,
    ],
  };
}

/** What a guest (SeaBIOS/Linux) does: write the I/O base; bit 0 is the read-only I/O type bit. */
function programBar0(base: number) {
  return async (qtest: QtestClient): Promise<void> => {
    await writeConfigDword(qtest, SLOT_0B, 0x10, base);
    expect(await readConfigDword(qtest, SLOT_0B, 0x10)).toBe(base | 0x01);
  };
}

describe.runIf(runQemuTests)("seed: virtio-blk BAR0 64 -> 128 bytes across migration (QEMU 7.2, pc-i440fx-7.2)", () => {
  const source = virtioBlk(",discard=off,write-zeroes=off");
  const destination = virtioBlk(""); // discard and write-zeroes on: the 7.2 default

  it("BAR0 at 0xffc0: the destination refuses byte 0x10", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    const result = await rehearseMigration({
      binary: qemuBinary(),
      srcArgs: source,
      dstArgs: destination,
      program: programBar0(0xffc0),
    });
    expect(result.ok).toBe(false);
    expect(result.failedAt).toBe("destination");
    expect(result.exitCode).toBe(1);
    expect(result.firstError).toBe(
      "get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0",
    );
    expect(result.stderr).toContainEqual(
      expect.stringContaining(
        "get_pci_config_device: Bad config data: i=0x10 read: c1 device: 1 cmask: ff wmask: 80 w1cmask:0",
      ),
    );
    expect(result.stderr).toContainEqual(
      expect.stringContaining("error while loading state for instance 0x0 of device '0000:00:0b.0/virtio-blk'"),
    );
  });

  it("BAR0 at 0xd080: bit 6 is clear, the destination loads", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    const result = await rehearseMigration({
      binary: qemuBinary(),
      srcArgs: source,
      dstArgs: destination,
      program: programBar0(0xd080),
    });
    expect(result.firstError).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.destinationStatus).toBe("prelaunch"); // 7.2 with -S after a good load
  });

  it("identical devices and an unprogrammed BAR load", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    const result = await rehearseMigration({ binary: qemuBinary(), srcArgs: destination, dstArgs: destination });
    expect(result.ok).toBe(true);
  });
});
