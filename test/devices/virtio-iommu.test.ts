// virtio-iommu-pci read as the spec: modern-only, no MSI-X, root bus only.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function build(release: string, machine: string, behindPort = false, properties: Record<string, string> = {}): BuiltSide {
  const devices: object[] = behindPort
    ? [{ id: 'rp', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } }, { id: 'i', driver: 'virtio-iommu-pci', bus: 'rp', properties }]
    : [{ id: 'i', driver: 'virtio-iommu-pci', addr: '0x5', properties }];
  const v = parseVmJson({ qemu: release, machine, devices }, 'iommu.json');
  return buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices.find((d) => d.id === 'i')!);
}

describe('virtio-iommu-pci', () => {
  it('on 10.0 pc-q35: 1af4:1057 rev 1, class 00ff, capability list without MSI-X', () => {
    const b = build('10.0', 'pc-q35-10.0');
    if (b.kind !== 'built') throw new Error(b.reason);
    expect(hex(b.cs.config, 0, 12)).toBe('f4 1a 57 10 00 00 10 00 01 00 ff 00');
    expect(b.cs.capabilities.some((c) => c.id === 0x11)).toBe(false);
  });
  it('the class property replaces the class word: 0x0880 gives 80 08', () => {
    const b = build('10.0', 'pc-q35-10.0', false, { class: '0x0880' });
    if (b.kind !== 'built') throw new Error(b.reason);
    expect(hex(b.cs.config, 0x0a, 2)).toBe('80 08');
  });
  it('from 7.2 it is refused behind a root port', () => {
    expect(build('7.2', 'pc-q35-7.2', true)).toMatchObject({ kind: 'refused', reason: 'virtio-iommu-pci must be plugged on the root bus' });
  });
  it('on 5.2 no x86 machine takes it', () => {
    expect(build('5.2', 'pc-i440fx-5.2')).toMatchObject({ kind: 'refused', reason: 'machine fails to create iommu-map device tree bindings' });
  });
});
