/**
 * What a device learns of the memory backend its memdev names
 * (VmDescription.memoryBackends): the backend's size, which an
 * ivshmem-plain's BAR2 and RAM block take, and whether a device created
 * before it maps the backend already (host_memory_backend_is_mapped:
 * ivshmem_plain_realize refuses "can't use already busy memdev").
 */
import { type BuildContext } from '../devices/model.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';

/** Undefined when the device names no backend, or one the description does not describe. */
export function memdevOf(vm: VmDescription, dev: DeviceDescription, id: string | undefined): BuildContext['memdev'] {
  if (id === undefined) return undefined;
  const backend = vm.memoryBackends?.get(id);
  if (!backend) return undefined;
  const busy = vm.devices.slice(0, vm.devices.indexOf(dev)).some((d) => d.properties.memdev === id);
  return busy ? { size: backend.size, busy } : { size: backend.size };
}
