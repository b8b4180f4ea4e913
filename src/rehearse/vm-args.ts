/**
 * A VM description as a QEMU machine spec with placeholder backends, so a
 * real binary can build the same devices: null-co block nodes for drives,
 * hub ports for NICs. No value reaches a shell: every option is one argv
 * element, and QemuOpts commas inside values are doubled.
 */
import { type AttachedDevice, type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { type MemoryBackend } from '../inputs/memory-backends.js';
import { type MachineSpec } from '../qemu/spawn.js';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** QemuOpts escaping: a literal comma is written twice. */
export function qemuOptValue(v: string): string {
  return v.replace(/,/g, ',,');
}

/** The directory every placeholder 9p export shares, created on first use; no guest mounts it. */
function fsdevDir(): string {
  const dir = join(tmpdir(), 'compat-check-fsdev');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Properties naming host backends, with the backend each needs. */
const BACKEND_PROPS: Record<string, (name: string, driver: string) => string[]> = {
  drive: (name) => ['-blockdev', `driver=null-co,node-name=${name},size=1048576`],
  netdev: (name) => ['-netdev', `hubport,id=${name},hubid=0`],
  chardev: (name) => ['-chardev', `null,id=${name}`],
  iothread: (name) => ['-object', `iothread,id=${name}`],
  audiodev: (name) => ['-audiodev', `none,id=${name}`],
  // virtio-9p-pci: a local export of an empty directory; its config space holds only the mount tag.
  fsdev: (name) => ['-fsdev', `local,id=${name},path=${qemuOptValue(fsdevDir())},security_model=none`],
  // ivshmem-plain over a backend the description does not give: a shared RAM backend of 1 MiB (described ones are created as described).
  // virtio-mem-pci: 128 MiB, a multiple of its block size (the host's THP size, 2 MiB here), plugged into device memory (MEMORY_DEVICE_ARGS).
  memdev: (name, driver) => ['-object', `memory-backend-ram,id=${name},size=${driver === 'virtio-mem-pci' ? '128M' : '1M'},share=on`],
};

/** Drivers that need a backend property even when the description gives none. */
const REQUIRED_BACKEND: Record<string, string> = {
  'virtio-blk-pci': 'drive',
  'virtio-blk-pci-transitional': 'drive',
  'virtio-blk-pci-non-transitional': 'drive',
  'virtio-net-pci': 'netdev',
  'virtio-net-pci-transitional': 'netdev',
  'virtio-net-pci-non-transitional': 'netdev',
  'virtio-9p-pci': 'fsdev',
  'virtio-9p-pci-transitional': 'fsdev',
  'virtio-9p-pci-non-transitional': 'fsdev',
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
      backends.push(...backend(name, d.driver));
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

/** Devices on other buses that need a backend even when the description gives none. */
const ATTACHED_BACKEND: Record<string, string> = {
  'hda-duplex': 'audiodev', 'hda-micro': 'audiodev', 'hda-output': 'audiodev',
  'scsi-hd': 'drive', 'usb-storage': 'drive', 'ide-hd': 'drive',
  virtserialport: 'chardev', virtconsole: 'chardev', 'isa-serial': 'chardev', 'isa-debugcon': 'chardev', 'usb-redir': 'chardev',
};

/** A codec, USB/SCSI device, virtio-serial port … with placeholder backends; QEMU picks the bus when none is given. */
export function attachedArgs(a: AttachedDevice): { backends: string[]; device: string } {
  const needed = Object.hasOwn(ATTACHED_BACKEND, a.driver) ? ATTACHED_BACKEND[a.driver] : undefined;
  const given = { ...a.properties };
  if (needed && given[needed] === undefined) given[needed] = `be-${a.id}`;
  const { backends, device } = deviceArgs({ id: a.id, driver: a.driver, properties: given, netdevQueues: 1, where: a.where }, '');
  const parts = device.split(',').filter((p) => !p.startsWith('bus='));
  return { backends, device: [...parts.slice(0, 2), ...(a.bus ? [`bus=${qemuOptValue(a.bus)}`] : []), ...parts.slice(2)].join(',') };
}

/** The machine spec for spawnQemu; `machine` must already be the resolved type name. */
export function vmMachineSpec(vm: VmDescription, machine: string, rootBus: string): MachineSpec {
  const args: string[] = [];
  for (const [driver, prop, value] of vm.globals) args.push('-global', `${driver}.${prop}=${value}`);
  // Attached devices keep their place among the PCI ones (creation order is section order).
  const attached = [...(vm.attached ?? [])].sort((x, y) => x.position - y.position);
  const seen = new Set<string>();
  // Described memory backends a memdev names, as described (type, size, share); such a memdev gets no placeholder.
  const memdevs = new Set(vm.devices.map((d) => d.properties.memdev));
  const described = new Set([...vm.memoryBackends?.keys() ?? []].filter((id) => memdevs.has(id)));
  for (const id of described) args.push('-object', memoryBackendArg(id, vm.memoryBackends!.get(id)!));
  const push = ({ backends, device }: { backends: string[]; device: string }) => {
    for (let i = 0; i < backends.length; i += 2) {
      if (!seen.has(backends[i + 1]) && !described.has(/(?:^|,)id=([^,]+)/.exec(backends[i + 1])?.[1] ?? '')) args.push(backends[i], backends[i + 1]);
      seen.add(backends[i + 1]);
    }
    args.push('-device', device);
  };
  vm.devices.forEach((d, n) => {
    while (attached.length && attached[0].position <= n) push(attachedArgs(attached.shift()!));
    push(deviceArgs(d, rootBus));
  });
  for (const a of attached) push(attachedArgs(a));
  // A memory device needs device memory: maxmem above the RAM size (merged into spawnQemu's own -m, whose size stays).
  if (vm.devices.some((d) => MEMORY_DEVICES.has(d.driver))) args.push(...MEMORY_DEVICE_ARGS);
  // -machine options ride on the type, as QEMU takes them (pc-q35-7.2,smm=off); not the accelerator or
  // the RAM backend, which name the host's resources (spawnQemu picks TCG and its own -m).
  const options = Object.entries(vm.machineOptions ?? {}).filter(([k]) => !HOST_MACHINE_OPTIONS.has(k))
    .map(([k, v]) => `,${k}=${qemuOptValue(v)}`).join('');
  return { machine: `${machine}${options}`, smp: vm.smp, args };
}

/** A described memory backend as its -object; a file backend's mem-path is /dev/shm, where QEMU creates (and unlinks) a file of its own. */
function memoryBackendArg(id: string, b: MemoryBackend): string {
  const path = b.type === 'memory-backend-file' ? ',mem-path=/dev/shm' : '';
  return `${b.type},id=${qemuOptValue(id)},size=${b.size}${path}${b.share === undefined ? '' : `,share=${b.share ? 'on' : 'off'}`}`;
}

const MEMORY_DEVICES = new Set(['virtio-mem-pci']);
const HOST_MACHINE_OPTIONS = new Set(['accel', 'memory-backend']);
const MEMORY_DEVICE_ARGS = ['-m', 'maxmem=1G'];
