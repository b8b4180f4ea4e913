/**
 * Where a device sits: the kind of bus (conventional or Express, root or
 * behind a port) and its PCI path, which names its migration section.
 * QEMU: pcibus_get_dev_path — "0000:00" then ":SS.F" for every device from
 * the root down ("0000:00:0b.0", behind a root port "0000:00:02.0:00.0").
 */
import { InputError } from '../inputs/errors.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { type BusPlacement } from '../virtio-caps/transport.js';

/** Drivers whose secondary bus is PCI Express (a "PCIe port"). */
const EXPRESS_PORTS = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream']);
/** Drivers whose secondary bus is conventional PCI. */
const PCI_BRIDGES = new Set(['pci-bridge', 'pcie-pci-bridge']);

export interface Placement {
  bus: BusPlacement;
  /** "0000:00:0b.0" */
  path: string;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

export function rootBusName(family: 'i440fx' | 'q35'): string {
  return family === 'q35' ? 'pcie.0' : 'pci.0';
}

export function placeDevice(vm: VmDescription, dev: DeviceDescription, family: 'i440fx' | 'q35', depth = 0): Placement {
  const root = rootBusName(family);
  const addr = dev.addr;
  if (!dev.bus || dev.bus === root) {
    if (!addr) {
      throw new InputError(vm.file, `${dev.where}.addr`,
        'a device on the root bus needs "addr" (QEMU would pick the first free slot, which depends on the whole command line)');
    }
    return { bus: { express: family === 'q35', root: true }, path: `0000:00:${hex2(addr.slot)}.${addr.fn}` };
  }
  const parent = vm.devices.find((d) => d.id === dev.bus);
  if (!parent || depth > 16) {
    const known = [root, ...vm.devices.filter((d) => EXPRESS_PORTS.has(d.driver) || PCI_BRIDGES.has(d.driver)).map((d) => d.id)];
    throw new InputError(vm.file, `${dev.where}.bus`, `no bus "${dev.bus}" (buses: ${known.join(', ')})`);
  }
  const express = EXPRESS_PORTS.has(parent.driver);
  if (!express && !PCI_BRIDGES.has(parent.driver)) {
    throw new InputError(vm.file, `${dev.where}.bus`, `"${dev.bus}" is a ${parent.driver}, not a PCI bridge or port`);
  }
  const slot = addr ?? { slot: 0, fn: 0 };
  if (express && slot.slot !== 0) {
    throw new InputError(vm.file, `${dev.where}.addr`, `a PCIe port has a single slot 0, not 0x${slot.slot.toString(16)}`);
  }
  const up = placeDevice(vm, parent, family, depth + 1);
  return { bus: { express, root: false }, path: `${up.path}:${hex2(slot.slot)}.${slot.fn}` };
}
