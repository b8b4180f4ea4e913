// The device sets the real-guest harness boots: one virtio device each, described the
// way compat-check reads a VM (schemas/vm.schema.json), so the same description gives
// QEMU's command line (src/rehearse/vm-args.ts) and the prediction (checkMigration).

import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { rootBusName } from '../../src/check/placement.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';

export interface DeviceSet {
  /** x-query-virtio's name for the device: "virtio-blk" … */
  readonly name: string;
  readonly devices: readonly { id: string; driver: string; addr: string; properties?: Record<string, string> }[];
}

/** The six virtio devices of issue 8, each alone in slot 4 of the root bus. */
export const DEVICE_SETS: readonly DeviceSet[] = [
  { name: 'virtio-blk', devices: [{ id: 'blk0', driver: 'virtio-blk-pci', addr: '0x4', properties: { drive: 'disk0' } }] },
  { name: 'virtio-net', devices: [{ id: 'net0', driver: 'virtio-net-pci', addr: '0x4', properties: { netdev: 'hub0' } }] },
  { name: 'virtio-balloon', devices: [{ id: 'balloon0', driver: 'virtio-balloon-pci', addr: '0x4' }] },
  { name: 'virtio-serial', devices: [{ id: 'serial0', driver: 'virtio-serial-pci', addr: '0x4' }] },
  { name: 'virtio-rng', devices: [{ id: 'rng0', driver: 'virtio-rng-pci', addr: '0x4' }] },
  { name: 'virtio-scsi', devices: [{ id: 'scsi0', driver: 'virtio-scsi-pci', addr: '0x4' }] },
];

/** All six in one VM, slots 4–9 (the QMP samples come from one boot per release). */
export const ALL_SIX: DeviceSet = {
  name: 'all',
  devices: DEVICE_SETS.map((s, i) => ({ ...s.devices[0], addr: `0x${(4 + i).toString(16)}` })),
};

export interface Described {
  /** "10.0.13": the build's version, as a description's "qemu" gives it. */
  readonly qemu: string;
  readonly machine: string;
  readonly bootedOn?: string;
  /** Device properties added on this side (e.g. queue-size=1024 on the destination). */
  readonly extra?: Record<string, Record<string, string>>;
}

/** The VM description of a device set on one side. */
export function describe(set: DeviceSet, side: Described): VmDescription {
  const json = {
    name: `${set.name} on QEMU ${side.qemu}`,
    qemu: side.qemu,
    machine: side.machine,
    smp: 1,
    ...(side.bootedOn ? { bootedOn: side.bootedOn } : {}),
    devices: set.devices.map((d) => ({
      id: d.id, driver: d.driver, addr: d.addr,
      properties: { ...(d.properties ?? {}), ...(side.extra?.[d.id] ?? {}) },
    })),
  };
  return parseVmJson(json, `guest:${set.name}@${side.qemu}`);
}

/** QEMU's backends and -device arguments for a description (null-co disk, hub-port NIC). */
export function qemuArgs(vm: VmDescription, family: 'i440fx' | 'q35' = 'i440fx'): string[] {
  return [...(vmMachineSpec(vm, vm.machine, rootBusName(family)).args ?? [])];
}

/** "QEMU emulator version 10.0.13 (Debian …)" → "10.0.13". */
export function buildVersion(versionLine: string): string {
  const m = /version (\d+\.\d+\.\d+)/.exec(versionLine);
  if (!m) throw new Error(`no x.y.z in "${versionLine}"`);
  return m[1];
}
