/**
 * Where a device sits: the kind of bus (conventional or Express, root or
 * behind a port) and its PCI path, which names its migration section.
 * QEMU: pcibus_get_dev_path — "0000:00" then ":SS.F" for every device from
 * the root down ("0000:00:0b.0", behind a root port "0000:00:02.0:00.0").
 */
import { InputError } from '../inputs/errors.js';
import { EXPANDERS } from '../inputs/pci-kinds.js';
import { type DeviceDescription, type VmDescription } from '../inputs/vm.js';
import { type BusPlacement } from '../virtio-caps/transport.js';

/** Drivers whose secondary bus is PCI Express (a "PCIe port"). */
const EXPRESS_PORTS = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream', 'x3130-upstream']);
/** Of those, the ones whose bus has 32 slots: a switch's upstream port, whose bus holds its downstream ports. */
const MULTI_SLOT_EXPRESS = new Set(['x3130-upstream']);
/** Drivers whose secondary bus is conventional PCI. */
const PCI_BRIDGES = new Set(['pci-bridge', 'pcie-pci-bridge']);
/*
 * PCI expander bridges (inputs/pci-kinds.ts EXPANDERS) make a new root bus
 * numbered bus_nr, named by the pxb's id (pxb_dev_realize_common).
 * pxb-pcie's bus is PCI Express and takes devices directly; pxb's holds an
 * internal pci-bridge at slot 0 with the pxb's id, and devices named
 * bus=<id> sit behind that bridge.
 */

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
    const known = [root, ...vm.devices.filter((d) => EXPRESS_PORTS.has(d.driver) || PCI_BRIDGES.has(d.driver) || EXPANDERS.has(d.driver)).map((d) => d.id)];
    throw new InputError(vm.file, `${dev.where}.bus`, `no bus "${dev.bus}" (buses: ${known.join(', ')})`);
  }
  if (EXPANDERS.has(parent.driver)) return placeOnExpander(vm, dev, parent, family, depth);
  const express = EXPRESS_PORTS.has(parent.driver);
  if (!express && !PCI_BRIDGES.has(parent.driver)) {
    throw new InputError(vm.file, `${dev.where}.bus`, `"${dev.bus}" is a ${parent.driver}, not a PCI bridge or port`);
  }
  const slot = addr ?? { slot: 0, fn: 0 };
  if (express && !MULTI_SLOT_EXPRESS.has(parent.driver) && slot.slot !== 0) {
    throw new InputError(vm.file, `${dev.where}.addr`, `a PCIe port has a single slot 0, not 0x${slot.slot.toString(16)}`);
  }
  const up = placeDevice(vm, parent, family, depth + 1);
  return { bus: { express, root: false }, path: `${up.path}:${hex2(slot.slot)}.${slot.fn}` };
}

/** bus_nr as QEMU parses a uint8 property (decimal or 0x hex); 0, the default, is not a legal expander bus number. */
function busNrOf(vm: VmDescription, pxb: DeviceDescription): number {
  const raw = pxb.properties.bus_nr ?? '0';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new InputError(vm.file, `${pxb.where}.properties.bus_nr`, `bus_nr "${raw}" is not a bus number (0-255)`);
  }
  return n;
}

/**
 * A device on an expander's bus. QEMU: pcibus_get_dev_path takes the root
 * bus path from the pxb host (pxb_host_root_bus_path: "0000:" and bus_nr),
 * then walks parent_dev up to pci.0 — which passes through the pxb device
 * itself, so its slot is in the path too: a root port at 00.0 of a
 * pxb-pcie at 00:05.0 with bus_nr=0x20 is "0000:20:05.0:00.0".
 */
function placeOnExpander(vm: VmDescription, dev: DeviceDescription, pxb: DeviceDescription, family: 'i440fx' | 'q35', depth: number): Placement {
  const up = placeDevice(vm, pxb, family, depth + 1);
  const base = `0000:${hex2(busNrOf(vm, pxb))}${up.path.slice('0000:00'.length)}`;
  // The pxb's own pci-bridge at 00.0 of its bus (pxb_dev_realize_common; check/builtin-devices.ts).
  if (dev.id === innerDeviceId(pxb.id)) return { bus: { express: false, root: true }, path: `${base}:00.0` };
  const slot = dev.addr ?? { slot: 0, fn: 0 };
  if (pxb.driver === 'pxb-pcie') return { bus: { express: true, root: true }, path: `${base}:${hex2(slot.slot)}.${slot.fn}` };
  // pxb: behind the internal pci-bridge the pxb puts at 00.0 of its bus.
  return { bus: { express: false, root: false }, path: `${base}:00.0:${hex2(slot.slot)}.${slot.fn}` };
}

/**
 * The id compat-check gives a device QEMU creates inside another (a pxb's
 * pci-bridge, which QEMU names with the pxb's own id): "(" cannot start a
 * QEMU id, so it is never a described device's.
 */
export const innerDeviceId = (outerId: string) => `(${outerId}) inner`;

const onRoot = (d: DeviceDescription, family: 'i440fx' | 'q35') => !d.bus || d.bus === rootBusName(family);

/**
 * Whether an expander's bus number is taken when QEMU registers its bus
 * (pxb_register_bus: "Bus N is already in use"): a bus already on the root
 * bus has it — an expander created before it with the same bus_nr, or, for
 * bus_nr 0, the secondary bus of a bridge or port created before it on the
 * root bus (numbered 0 until firmware numbers it). Undefined for other devices.
 */
export function expanderBusTaken(vm: VmDescription, dev: DeviceDescription, family: 'i440fx' | 'q35'): boolean | undefined {
  if (!EXPANDERS.has(dev.driver)) return undefined;
  const n = busNrOf(vm, dev);
  for (const d of vm.devices) {
    if (d === dev) return false;
    if (!onRoot(d, family)) continue;
    if (EXPANDERS.has(d.driver) ? busNrOf(vm, d) === n : n === 0 && (EXPRESS_PORTS.has(d.driver) || PCI_BRIDGES.has(d.driver))) return true;
  }
  return false;
}
