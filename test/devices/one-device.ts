// One device in a minimal VM, built by the checker's own path (parseVmJson → buildDevice), for the
// device unit tests: "given this device on this QEMU, byte 0x10 is c1, wmask 80".
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';

export const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** One VM: the device at 00:05.0 (or behind a root port at 00:02.0) of the release's i440fx or q35. */
export function vm(driver: string, properties: Record<string, string>, release: string, machine: 'pc' | 'q35' | 'port'): VmDescription {
  const devices: object[] = [];
  if (machine === 'port') devices.push({ id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } });
  devices.push({ id: 'd', driver, ...(machine === 'port' ? { bus: 'rp1' } : { addr: '0x5' }), properties });
  return parseVmJson({ qemu: release, machine: `${machine === 'pc' ? 'pc-i440fx' : 'pc-q35'}-${release}`, devices }, `${driver}.json`);
}

export function side(driver: string, properties: Record<string, string> = {}, release = '10.0', machine: 'pc' | 'q35' | 'port' = 'pc'): BuiltSide {
  return sideOf(vm(driver, properties, release, machine));
}

export function build(driver: string, properties: Record<string, string> = {}, release = '10.0', machine: 'pc' | 'q35' | 'port' = 'pc') {
  const b = side(driver, properties, release, machine);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}

/** The last device of a VM as built on its own release and machine type. */
export function sideOf(v: VmDescription): BuiltSide {
  return buildDevice({ vm: v, release: v.qemu, machine: resolveMachine(machineProfile(v.qemu)!, v.machine) }, v.devices.at(-1)!);
}
