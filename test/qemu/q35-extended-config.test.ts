// Real QEMU 7.2, q35: a virtio-net-pci behind a PCIe root port is a PCI Express
// endpoint with 4 KiB of config space. Reaching it needs what firmware does:
// give the port bus numbers, and turn on MMCONFIG for the extended space.

import { describe, expect, it } from "vitest";
import { bdf } from "../../src/qemu/bdf.js";
import { readConfig, readConfigDword, setBridgeBusNumbers } from "../../src/qemu/pci-config-io.js";
import { probeDevice } from "../../src/qemu/probe.js";
import { queryPci } from "../../src/qemu/qmp.js";
import { withSession } from "../../src/qemu/session.js";
import type { MachineSpec } from "../../src/qemu/spawn.js";
import { QEMU_TEST_TIMEOUT_MS, qemuBinary, runQemuTests } from "./qemu-available.js";

const ROOT_PORT = bdf(0, 2);
const NIC = bdf(1, 0);

const q35WithNicBehindRootPort: MachineSpec = {
  machine: "pc-q35-7.2",
  args: [
    "-device", "pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x2",
    "-netdev", "hubport,id=n0,hubid=0",
    "-device", "virtio-net-pci,netdev=n0,bus=rp1,addr=0x0",
  ],
};

describe.runIf(runQemuTests)("virtio-net-pci behind a pcie-root-port (QEMU 7.2, pc-q35-7.2)", () => {
  it("is unreachable until the port has bus numbers, then reads as a modern virtio-net", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession({ binary: qemuBinary(), spec: q35WithNicBehindRootPort }, async ({ qtest }) => {
      expect(await readConfigDword(qtest, NIC, 0)).toBe(0xffffffff); // no bus 1 yet
      await setBridgeBusNumbers(qtest, ROOT_PORT, { primary: 0, secondary: 1, subordinate: 1 });
      expect(await readConfigDword(qtest, ROOT_PORT, 0x18)).toBe(0x00010100);
      // disable-legacy=auto resolves to on behind a PCIe port: modern-only ID 0x1041.
      expect(await readConfigDword(qtest, NIC, 0)).toBe(0x10411af4);
    });
  });

  it("reads 4096 bytes through MMCONFIG with the PCI Express capability (ID 0x10) at 0x40", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession({ binary: qemuBinary(), spec: q35WithNicBehindRootPort }, async ({ qtest, qmp }) => {
      await setBridgeBusNumbers(qtest, ROOT_PORT, { primary: 0, secondary: 1, subordinate: 1 });
      const config = await readConfig(qtest, NIC, 4096);
      expect(config.length).toBe(4096);
      expect([...config.slice(0, 4)]).toEqual([0xf4, 0x1a, 0x41, 0x10]);
      expect(config[0x40]).toBe(0x10); // PCI_CAP_ID_EXP
      // Through MMCONFIG the first 256 bytes equal what the port mechanism reads.
      expect(await readConfig(qtest, NIC, 256)).toEqual(config.slice(0, 256));
      // The root port's own extended space: AER (ID 0x0001, version 2) at 0x100.
      const port = await readConfig(qtest, ROOT_PORT, 4096);
      expect(port[0x100] | (port[0x101] << 8)).toBe(0x0001);
      // QMP sees the same topology.
      const pci = await queryPci(qmp);
      const portInfo = pci[0]!.devices.find((d) => d.slot === 2)!;
      expect(portInfo.pci_bridge?.bus.secondary).toBe(1);
      expect(portInfo.pci_bridge?.devices?.[0]?.id).toMatchObject({ vendor: 0x1af4, device: 0x1041 });
    });
  });

  it("probes the extended space byte-wise through MMCONFIG", { timeout: QEMU_TEST_TIMEOUT_MS }, async () => {
    await withSession({ binary: qemuBinary(), spec: q35WithNicBehindRootPort }, async (session) => {
      await setBridgeBusNumbers(session.qtest, ROOT_PORT, { primary: 0, secondary: 1, subordinate: 1 });
      const probe = await probeDevice(session, NIC, 4096);
      expect(probe.config[0x40]).toBe(0x10);
      expect(probe.wmask[0x40]).toBe(0x00); // capability header is read-only
      // QEMU: pcie_cap_init (x-pcie-extcap-init, on since 2.9) makes the first
      // extended header read-only so an empty list reads as a NULL header ...
      expect([...probe.wmask.slice(0x100, 0x104)]).toEqual([0, 0, 0, 0]);
      expect([...probe.config.slice(0x100, 0x104)]).toEqual([0, 0, 0, 0]);
      // ... and pci_init_wmask leaves everything else past 0x40 that no capability
      // claims writable; no extended capability here (aer/ats off), so 0x104.. is 0xff.
      expect(probe.wmask.slice(0x104).every((b) => b === 0xff)).toBe(true);
    });
  });
});
