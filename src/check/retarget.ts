/**
 * "Will this VM survive the upgrade?": the destination is the source as the
 * new QEMU would start it — same devices and properties, another release,
 * and optionally another machine type or extra -global options. A versioned
 * machine type stays as it is (the new release still offers it); an alias
 * such as "pc" re-resolves on the destination, as it would in real life.
 */
import { type GlobalProperty } from '../profiles/data.js';
import { type VmDescription } from '../inputs/vm.js';

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
    devices: src.devices.map((d) => ({ ...d, guest: undefined })),
  };
}
