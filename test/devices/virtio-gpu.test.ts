// virtio-gpu-pci and virtio-vga with hostmem (8.2+): the shared-memory BAR
// and capability, read as the virtio spec lays them out.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';

const hex = (a: Uint8Array, off: number, n: number) => [...a.slice(off, off + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function build(driver: string, properties: Record<string, string> = {}, release = '10.0'): BuiltSide {
  const v = parseVmJson({ qemu: release, machine: `pc-i440fx-${release}`, devices: [{ id: 'g', driver, addr: '0x5', properties }] }, 'gpu.json');
  return buildDevice({ vm: v, release, machine: resolveMachine(machineProfile(release)!, v.machine) }, v.devices[0]);
}

function built(driver: string, properties: Record<string, string> = {}) {
  const b = build(driver, properties);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b;
}

describe('virtio-gpu-pci hostmem on 10.0', () => {
  const cs = built('virtio-gpu-pci', { hostmem: '64M' }).cs;
  it('BAR4 is the 64 MiB shared memory, 64-bit prefetchable: config 0c, wmask 00 00 00 fc ff ff ff ff', () => {
    expect(hex(cs.config, 0x20, 4)).toBe('0c 00 00 00');
    expect(hex(cs.wmask, 0x20, 8)).toBe('00 00 00 fc ff ff ff ff');
  });
  it('the modern BAR moves to BAR2 (16 KiB, 64-bit prefetchable) and MSI-X stays on BAR1', () => {
    expect(hex(cs.config, 0x18, 4)).toBe('0c 00 00 00');
    expect(hex(cs.wmask, 0x18, 4)).toBe('00 c0 ff ff');
    expect(hex(cs.wmask, 0x14, 4)).toBe('00 f0 ff ff');
  });
  it('the first capability at 0x40 is the 24-byte shared-memory one: vndr 09, len 18, cfg_type 08, BAR 4, id 1, length 0x4000000', () => {
    const pos = cs.capabilities.find((c) => c.name === 'virtio shared memory')!.offset;
    expect(pos).toBe(0x40);
    expect(hex(cs.config, pos + 2, 22)).toBe('18 08 04 01 00 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 00');
    expect(cs.config[pos]).toBe(0x09);
  });
  it('a hostmem that is not a power of two is unknown (QEMU aborts in pci_register_bar)', () => {
    expect(build('virtio-gpu-pci', { hostmem: '48M' }).kind).toBe('unknown');
  });
});

describe('virtio-vga hostmem on 10.0', () => {
  it('takes BAR4 for the shared memory and moves MSI-X from BAR4 to BAR1', () => {
    const cs = built('virtio-vga', { hostmem: '64M' }).cs;
    expect(hex(cs.wmask, 0x20, 4)).toBe('00 00 00 fc');
    expect(hex(cs.wmask, 0x14, 4)).toBe('00 f0 ff ff');
    expect(hex(built('virtio-vga').cs.wmask, 0x14, 4)).toBe('00 00 00 00');
  });
});
