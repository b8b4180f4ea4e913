/**
 * <address type='pci' domain bus slot function multifunction> → our bus and
 * addr. libvirt's bus="N" is the PCI controller with index="N": the
 * pci-root/pcie-root controller is the machine's root bus, any other one
 * (pcie-root-port, pci-bridge …) is a device whose id is its alias,
 * "pci.N" (qemuBuildDeviceAddressProps, qemuAssignDeviceControllerAlias).
 */
import { InputError } from './errors.js';
import { type XmlElement, child } from './xml-tree.js';
import { type PciAddress } from './vm.js';

export type Placed = { kind: 'pci'; bus?: string; addr: PciAddress; multifunction: boolean } | { kind: 'other' } | { kind: 'none' };

/** index → controller id, or undefined for the root bus. */
export type PciBuses = Map<number, { id?: string; line: number }>;

const num = (v: string | undefined, def = 0) => (v === undefined ? def : Number(v));

export function placeOf(el: XmlElement, buses: PciBuses, file: string): Placed {
  const a = child(el, 'address');
  if (!a) return { kind: 'none' };
  if (a.attrs.type !== 'pci') return { kind: 'other' };
  const where = `line ${a.line} <address>`;
  const [domain, bus, slot, fn] = [num(a.attrs.domain), num(a.attrs.bus), num(a.attrs.slot), num(a.attrs.function)];
  if ([domain, bus, slot, fn].some((n) => !Number.isInteger(n))) throw new InputError(file, where, 'domain, bus, slot and function must be numbers');
  if (domain !== 0) throw new InputError(file, where, `PCI domain ${domain}: only domain 0 is modelled`);
  if (slot > 0x1f || fn > 7) throw new InputError(file, where, `impossible PCI address: slot 0x${slot.toString(16)} function ${fn}`);
  const ctl = buses.get(bus);
  if (!ctl) throw new InputError(file, where, `bus='${a.attrs.bus}': no <controller type='pci' index='${bus}'>`);
  return { kind: 'pci', bus: ctl.id, addr: { slot, fn }, multifunction: a.attrs.multifunction === 'on' };
}
