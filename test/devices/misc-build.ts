// Building one device of the misc families the way the checker does, for unit tests.
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';

export const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** The device `driver` at 00:05.0 of a release's i440fx (or `machine`), built by the checker's path. */
export function buildSide(driver: string, properties: Record<string, string> = {}, release = '10.0', machine = `pc-i440fx-${release}`, bus?: 'port'): BuiltSide {
  const devices: object[] = [];
  if (bus) devices.push({ id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } });
  devices.push({ id: 'd', driver, ...(bus ? { bus: 'rp1' } : { addr: '0x5' }), properties });
  const v = parseVmJson({ qemu: release, machine, devices }, `${driver}.json`);
  return buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices.at(-1)!);
}

export function build(driver: string, properties: Record<string, string> = {}, release = '10.0', machine?: string, bus?: 'port'): Extract<BuiltSide, { kind: 'built' }> {
  const b = buildSide(driver, properties, release, machine, bus);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}
