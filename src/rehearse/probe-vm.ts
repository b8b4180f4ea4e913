/**
 * Reading a real QEMU's devices: start the binary stopped with the
 * described devices, number the bridges, then read every device's config
 * space and probe its guest-writable bits (write ff, read, write 00, read,
 * restore). 4096 bytes for PCI Express functions on q35 (MMCONFIG).
 */
import { type VmDescription } from '../inputs/vm.js';
import { withSession } from '../qemu/session.js';
import { probeDevice } from '../qemu/probe.js';
import { readConfig } from '../qemu/pci-config-io.js';
import { type MachineSpec } from '../qemu/spawn.js';
import { vmMachineSpec } from './vm-args.js';
import { programGuest, topology } from './program.js';

export interface ProbedDevice {
  id: string;
  driver: string;
  /** "00:05.0" or "01:00.0" once bridges are numbered. */
  bdf: string;
  size: 256 | 4096;
  config: Uint8Array;
  wmask: Uint8Array;
}

/** Whether the capability list (from 0x34) holds a PCI Express capability (ID 0x10). */
function hasExpressCap(config: Uint8Array): boolean {
  let at = config[0x34] & 0xfc;
  for (let hops = 0; at && hops < 48; hops++) {
    if (config[at] === 0x10) return true;
    at = config[at + 1] & 0xfc;
  }
  return false;
}

export async function probeVm(
  binary: string, vm: VmDescription, machine: { name: string; family: 'i440fx' | 'q35' }, rootBus: string, extraArgs: string[] = [],
): Promise<ProbedDevice[]> {
  const base = vmMachineSpec(vm, machine.name, rootBus);
  const spec: MachineSpec = { ...base, args: [...extraArgs, ...(base.args ?? [])] };
  const topo = topology(vm, rootBus);
  return withSession({ binary, spec }, async (s) => {
    await programGuest(s.qtest, vm, topo);
    const out: ProbedDevice[] = [];
    for (const d of vm.devices) {
      const at = topo.bdf.get(d.id);
      if (!at) continue;
      const head = await readConfig(s.qtest, at, 256);
      const size = machine.family === 'q35' && hasExpressCap(head) ? 4096 : 256;
      const p = await probeDevice(s, at, size);
      const bdf = `${at.bus.toString(16).padStart(2, '0')}:${at.device.toString(16).padStart(2, '0')}.${at.fn}`;
      out.push({ id: d.id, driver: d.driver, bdf, size, config: p.config, wmask: p.wmask });
    }
    return out;
  });
}
