/**
 * "Will this VM survive the upgrade?": the destination is the source as the
 * new QEMU would start it — same devices and properties, another release,
 * and optionally another machine type or extra -global options. A versioned
 * machine type stays as it is (the new release still offers it); an alias
 * such as "pc" re-resolves on the destination, as it would in real life.
 */
import { type GlobalProperty } from '../profiles/data.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';

export interface Retarget {
  qemu: string;
  machine?: string;
  globals?: GlobalProperty[];
}

export function retarget(src: VmDescription, to: Retarget): VmDescription {
  return {
    ...src,
    file: `${src.file} on QEMU ${to.qemu}`,
    qemu: to.qemu,
    machine: to.machine ?? src.machine,
    bootedOn: undefined,
    derived: true,
    globals: [...src.globals, ...(to.globals ?? [])],
    // A destination starts fresh: no guest values.
    devices: src.devices.map(fresh),
  };
}

/** A device as a destination starts it: without guest values; one copy per device (shared, never modified). */
const copies = new WeakMap<DeviceDescription, DeviceDescription>();

function fresh(d: DeviceDescription): DeviceDescription {
  let c = copies.get(d);
  if (!c) copies.set(d, (c = { ...d, guest: undefined }));
  return c;
}

/** NIC backends that are a Linux tap on the host, whose offloads follow the host kernel. */
const TAP_BACKENDS = new Set(['tap', 'bridge', 'vhost-net']);

/**
 * The host's Linux release (--src-host-kernel / --dst-host-kernel) given to
 * every NIC of the VM whose backend is a tap and says no kernel of its own.
 */
export function withHostKernel(vm: VmDescription, kernel: string | undefined): VmDescription {
  if (kernel === undefined) return vm;
  return {
    ...vm,
    devices: vm.devices.map((d) => (d.backend && TAP_BACKENDS.has(d.backend.type) && !d.backend.hostKernel
      ? { ...d, backend: { ...d.backend, hostKernel: kernel } }
      : d)),
  };
}
