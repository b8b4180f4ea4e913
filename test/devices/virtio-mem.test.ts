// virtio-mem-pci read as the virtio spec lays it out: a modern-only
// function (1af4:1058, class 00 ff) whose memory lives in device memory, not
// behind a BAR; MSI-X only from 10.0. Agreement with real QEMU:
// test/real-qemu/virtio-mem-cases.ts.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function vm(properties: Record<string, string>, release = '10.0', machine = `pc-i440fx-${release}`) {
  return parseVmJson({ qemu: release, machine, devices: [{ id: 'vm', driver: 'virtio-mem-pci', addr: '0x5', properties: { memdev: 'vmem0', ...properties } }] }, 'mem.json');
}
function built(properties: Record<string, string>, release = '10.0', machine?: string) {
  const v = vm(properties, release, machine);
  const b = buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}
const msix = (b: ReturnType<typeof built>) => b.cs.capabilities.find((c) => c.id === 0x11);

describe('virtio-mem-pci', () => {
  it('1af4:1058 revision 01, class ff 00 (00 ff: others), no I/O BAR', () => {
    const b = built({});
    expect(hex(b.cs.config, 0, 4)).toBe('f4 1a 58 10');
    expect(hex(b.cs.config, 0x08, 4)).toBe('01 00 ff 00');
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 00 00 00');
  });
  it('10.0: vectors unspecified → 2 (MSI-X Message Control 0x0001); pc-i440fx-9.2 pins 0: no MSI-X', () => {
    expect(hex(built({}).cs.config, msix(built({}))!.offset + 2, 2)).toBe('01 00');
    expect(msix(built({}, '10.0', 'pc-i440fx-9.2'))).toBeUndefined();
  });
  it('7.2 has no vectors property: no MSI-X', () => {
    expect(msix(built({}, '7.2'))).toBeUndefined();
  });
  it('block-size, node, memaddr or memdev changed: the sanity check is not modelled, unknown', () => {
    const r = checkMigration(vm({ 'block-size': '2M' }), vm({ 'block-size': '4M' }));
    expect(r.verdict).toBe('unknown');
  });
});
