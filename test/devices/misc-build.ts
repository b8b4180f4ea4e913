// Building one device of the misc families the way the checker does, for unit tests: a full
// machine type name instead of one-device.ts's pc/q35/port shorthand.
import { parseVmJson } from '../../src/inputs/vm.js';
import { type BuiltSide } from '../../src/check/build.js';
import { hex, sideOf } from './one-device.js';

export { hex };

/** The device `driver` at 00:05.0 of a release's i440fx (or `machine`), built by the checker's path. */
export function buildSide(driver: string, properties: Record<string, string> = {}, release = '10.0', machine = `pc-i440fx-${release}`, bus?: 'port'): BuiltSide {
  const devices: object[] = [];
  if (bus) devices.push({ id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } });
  devices.push({ id: 'd', driver, ...(bus ? { bus: 'rp1' } : { addr: '0x5' }), properties });
  return sideOf(parseVmJson({ qemu: release, machine, devices }, `${driver}.json`));
}

export function build(driver: string, properties: Record<string, string> = {}, release = '10.0', machine?: string, bus?: 'port'): Extract<BuiltSide, { kind: 'built' }> {
  const b = buildSide(driver, properties, release, machine, bus);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}
