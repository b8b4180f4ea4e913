/**
 * A VM description as a QEMU machine spec with placeholder backends, so a
 * real binary can build the same devices: null-co block nodes for drives,
 * hub ports for NICs. No value reaches a shell: every option is one argv
 * element, and QemuOpts commas inside values are doubled.
 */
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { type MachineSpec } from '../qemu/spawn.js';

/** QemuOpts escaping: a literal comma is written twice. */
export function qemuOptValue(v: string): string {
  return v.replace(/,/g, ',,');
}

/** Properties naming host backends, with the backend each needs. */
const BACKEND_PROPS: Record<string, (name: string) => string[]> = {
  drive: (name) => ['-blockdev', `driver=null-co,node-name=${name},size=1048576`],
  netdev: (name) => ['-netdev', `hubport,id=${name},hubid=0`],
  chardev: (name) => ['-chardev', `null,id=${name}`],
  iothread: (name) => ['-object', `iothread,id=${name}`],
};

/** Drivers that need a backend property even when the description gives none. */
const REQUIRED_BACKEND: Record<string, string> = {
  'virtio-blk-pci': 'drive',
  'virtio-blk-pci-transitional': 'drive',
  'virtio-blk-pci-non-transitional': 'drive',
  'virtio-net-pci': 'netdev',
  'virtio-net-pci-transitional': 'netdev',
  'virtio-net-pci-non-transitional': 'netdev',
};

function nodeName(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `n${cleaned}`;
}

export function deviceArgs(d: DeviceDescription, rootBus: string): { backends: string[]; device: string } {
  const props: [string, string][] = [];
  const backends: string[] = [];
  const needed = Object.hasOwn(REQUIRED_BACKEND, d.driver) ? REQUIRED_BACKEND[d.driver] : undefined;
  const given = { ...d.properties };
  if (needed && given[needed] === undefined) given[needed] = `be-${d.id}`;
  for (const [k, v] of Object.entries(given)) {
    const backend = Object.hasOwn(BACKEND_PROPS, k) ? BACKEND_PROPS[k] : undefined;
    if (backend) {
      const name = nodeName(v);
      backends.push(...backend(name));
      props.push([k, name]);
    } else {
      props.push([k, v]);
    }
  }
  const parts = [d.driver, `id=${qemuOptValue(d.id)}`, `bus=${qemuOptValue(d.bus ?? rootBus)}`];
  if (d.addr) parts.push(`addr=0x${d.addr.slot.toString(16)}.${d.addr.fn}`);
  for (const [k, v] of props) parts.push(`${k}=${qemuOptValue(v)}`);
  return { backends, device: parts.join(',') };
}

/** The machine spec for spawnQemu; `machine` must already be the resolved type name. */
export function vmMachineSpec(vm: VmDescription, machine: string, rootBus: string): MachineSpec {
  const args: string[] = [];
  for (const [driver, prop, value] of vm.globals) args.push('-global', `${driver}.${prop}=${value}`);
  for (const d of vm.devices) {
    const { backends, device } = deviceArgs(d, rootBus);
    args.push(...backends, '-device', device);
  }
  return { machine, smp: vm.smp, args };
}
