// Fixture paths and a comparable form of a description.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type VmDescription } from '../../src/inputs/vm.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const LIBVIRT = (f: string) => join(FIXTURES, 'libvirt', f);
export const SEED002 = (f: string) => join(FIXTURES, 'seed-002', f);

/** Everything but where it came from. */
export function comparable(vm: VmDescription) {
  return {
    name: vm.name, qemu: vm.qemu, machine: vm.machine, smp: vm.smp, globals: vm.globals,
    devices: vm.devices.map((d) => ({
      id: d.id, driver: d.driver, bus: d.bus, addr: d.addr, properties: d.properties, netdevQueues: d.netdevQueues,
      bars: d.guest ? Object.fromEntries([...d.guest.bars].map(([k, v]) => [k, `0x${v.toString(16)}`])) : undefined,
    })),
  };
}

export const byId = (vm: VmDescription, id: string) => {
  const d = vm.devices.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id} in ${vm.file}`);
  return d;
};
