// Real QEMU 7.2, i440fx: virtio-blk-pci's config space as QEMU builds it, and
// the guest-writable bits of its legacy I/O BAR0 measured like a guest would.
// These are the ground-truth numbers behind the seed incident.

import { describe, expect, it } from "vitest";
import { bdf } from "../../src/qemu/bdf.js";
import { readConfig } from "../../src/qemu/pci-config-io.js";
import { probeDevice } from "../../src/qemu/probe.js";
import { withSession } from "../../src/qemu/session.js";
import type { MachineSpec } from "../../src/qemu/spawn.js";
import { QEMU_TEST_TIMEOUT_MS, qemuBinary, runQemuTests } from "./qemu-available.js";

const SLOT_0B = bdf(0, 0x0b);

/** i440fx 7.2 with one virtio-blk-pci at 00:0b.0 on a null block backend. */
function virtioBlk(deviceOptions = ""): MachineSpec {
  return {
    machine: "pc-i440fx-7.2",
    args: [
      "-blockdev", "driver=null-co,node-name=d0",
      "-device", `virtio-blk-pci,drive=d0,addr=0xb${deviceOptions}`,
    ],
  };
}

describe.runIf(runQemuTests)("virtio-blk-pci config space on QEMU 7.2 (pc-i440fx-7.2)", () => {
  it("reads vendor 1af4, transitional device 1001, and an I/O BAR0 (byte 0x10 = 0x01)", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession({ binary: qemuBinary(), spec: virtioBlk() }, async ({ qtest }) => {
      const config = await readConfig(qtest, SLOT_0B, 256);
      expect(config.length).toBe(256);
      expect([...config.slice(0, 4)]).toEqual([0xf4, 0x1a, 0x01, 0x10]);
      expect(config[0x10]).toBe(0x01); // I/O space indicator; address 0 until a guest programs it
    });
  });

  it("discard and write-zeroes on (7.2 default): BAR0 is 128 bytes, byte 0x10 has wmask 0x80", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession({ binary: qemuBinary(), spec: virtioBlk() }, async (session) => {
      const probe = await probeDevice(session, SLOT_0B, 256);
      expect(probe.config[0x10]).toBe(0x01);
      expect(probe.wmask[0x10]).toBe(0x80);
      expect(probe.wmask[0x11]).toBe(0xff); // the rest of the 16-bit I/O address
      // Unchanged by probing: the space reads as before.
      expect(await readConfig(session.qtest, SLOT_0B, 256)).toEqual(probe.config);
    });
  });

  it("discard=off,write-zeroes=off: BAR0 is 64 bytes, byte 0x10 has wmask 0xc0", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession(
      { binary: qemuBinary(), spec: virtioBlk(",discard=off,write-zeroes=off") },
      async (session) => {
        const probe = await probeDevice(session, SLOT_0B, 256);
        expect(probe.config[0x10]).toBe(0x01);
        expect(probe.wmask[0x10]).toBe(0xc0);
      },
    );
  });

  it("probes the fixed header the way pci_init_wmask sets it", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession({ binary: qemuBinary(), spec: virtioBlk() }, async (session) => {
      const { wmask } = await probeDevice(session, SLOT_0B, 256);
      // QEMU: pci_init_wmask — vendor/device IDs read-only, cache line size and
      // interrupt line writable, COMMAND = IO|MEMORY|MASTER|SERR (0x0107) + INTX_DISABLE (0x0400).
      expect([...wmask.slice(0, 4)]).toEqual([0, 0, 0, 0]);
      expect(wmask[0x04]).toBe(0x07);
      expect(wmask[0x05]).toBe(0x05);
      expect(wmask[0x0c]).toBe(0xff);
      expect(wmask[0x3c]).toBe(0xff);
      expect(wmask[0x3d]).toBe(0x00);
    });
  });
});
