/**
 * What a running VM's PCI functions look like from outside — QMP
 * query-pci, HMP `info pci`, a guest's `lspci -xxx` — and merging that onto
 * a description to supply the guest-programmed values (guest.bars,
 * guest.config). Functions are matched by address: bus 0 is the root bus;
 * a bridge's secondary bus number (which the guest's firmware assigned)
 * leads to the devices behind it.
 */
import { InputError } from './errors.js';
import { EXPANDERS, ROOT_BUS_NAMES } from './pci-kinds.js';
import { type DeviceDescription, type VmDescription } from './vm.js';

export interface PciFunction {
  bus: number;
  slot: number;
  fn: number;
  /** The qdev id when the listing names it. */
  id?: string;
  /** A bridge's secondary bus number. */
  secondaryBus?: number;
  /** Mapped BARs only: index (6 = ROM) → address. */
  bars: Map<number, bigint>;
  config?: Uint8Array;
  /** The place in the listing: "line 12", "return[0].devices[3]". */
  where: string;
}

export interface PciListing {
  file: string;
  functions: PciFunction[];
}

const bdf = (f: PciFunction) => `${f.bus.toString(16).padStart(2, '0')}:${f.slot.toString(16).padStart(2, '0')}.${f.fn}`;

export function mergePciListings(vm: VmDescription, listings: PciListing[]): VmDescription {
  const devices = vm.devices.map((d) => ({ ...d, guest: d.guest ? { ...d.guest, bars: new Map(d.guest.bars) } : undefined }));
  const onBus = (busKey: string | undefined, slot: number, fn: number): DeviceDescription | undefined =>
    devices.find((d) => busKeyOf(d, devices) === busKey && (d.addr ?? (busKey === undefined ? undefined : { slot: 0, fn: 0 }))?.slot === slot
      && (d.addr?.fn ?? 0) === fn);
  // An expander opens a root bus numbered bus_nr, which query-pci lists on its own (pxb_dev_realize_common):
  // pxb-pcie's holds the devices named bus=<its id>; pxb's holds at 00.0 its internal pci-bridge, which the
  // listing names with the pxb's own id, and those devices sit behind it.
  const expanders = devices.filter((d) => EXPANDERS.has(d.driver)).map((d) => ({ d, nr: Number(d.properties.bus_nr ?? 0) }));
  const innerBridge = (f: PciFunction) => f.slot === 0 && f.fn === 0 && expanders.some((x) => x.d.driver === 'pxb' && x.nr === f.bus);
  for (const listing of listings) {
    // Guest bus number → the description's bus (undefined = root), following bridges outwards-in.
    const buses = new Map<number, string | undefined>([[0, undefined]]);
    for (const { d, nr } of expanders) if (d.driver === 'pxb-pcie' && nr > 0) buses.set(nr, d.id);
    for (let changed = true; changed;) {
      changed = false;
      for (const f of listing.functions) {
        if (f.secondaryBus === undefined || buses.has(f.secondaryBus)) continue;
        if (innerBridge(f)) {
          buses.set(f.secondaryBus, expanders.find((x) => x.nr === f.bus)!.d.id);
          changed = true;
          continue;
        }
        if (!buses.has(f.bus)) continue;
        const bridge = onBus(buses.get(f.bus), f.slot, f.fn);
        if (bridge) {
          buses.set(f.secondaryBus, bridge.id);
          changed = true;
        }
      }
    }
    for (const f of listing.functions) {
      if (innerBridge(f)) continue; // created by the pxb, not by a -device line
      const dev = buses.has(f.bus) ? onBus(buses.get(f.bus), f.slot, f.fn) : undefined;
      if (!dev) {
        if (f.id) {
          throw new InputError(listing.file, f.where, `device "${f.id}" at ${bdf(f)} is not in ${vm.file}`
            + ' (hotplugged after that was written? `virsh dumpxml` of the running domain includes it)');
        }
        continue; // a function built into the machine (host bridge, ISA bridge, chipset IDE/SATA …)
      }
      if (f.id && f.id !== dev.id) {
        throw new InputError(listing.file, f.where, `${bdf(f)} is "${f.id}" here but "${dev.id}" in ${vm.file}`);
      }
      const guest = dev.guest ?? { bars: new Map<number, bigint>(), registers: [] };
      for (const [i, a] of f.bars) guest.bars.set(i, a);
      if (f.config) guest.config = f.config;
      dev.guest = guest;
    }
  }
  return { ...vm, devices };
}

/** The bus a description's device sits on, with the root bus as undefined whatever it is called. */
function busKeyOf(d: DeviceDescription, all: DeviceDescription[]): string | undefined {
  if (d.bus === undefined) return undefined;
  if (ROOT_BUS_NAMES.has(d.bus) && !all.some((x) => x.id === d.bus)) return undefined;
  return d.bus;
}
