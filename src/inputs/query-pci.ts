/**
 * QMP query-pci output (`virsh qemu-monitor-command VM '{"execute":"query-pci"}'`):
 * {"return": [{"bus": 0, "devices": [{"bus", "slot", "function", "qdev_id",
 * "regions": [{"bar", "type", "address", "size", …}], "pci_bridge": {"bus":
 * {"secondary", …}, "devices": […]}}]}]} (qapi/pci.json PciDeviceInfo).
 * An unmapped BAR has address -1 (PCI_BAR_UNMAPPED): its register is unknown.
 */
import { InputError } from './errors.js';
import { type PciFunction, type PciListing } from './pci-listing.js';

interface QRegion { bar: number; address: number }
interface QDevice { bus: number; slot: number; function: number; qdev_id?: string; regions?: QRegion[]; pci_bridge?: { bus?: { secondary?: number }; devices?: QDevice[] } }

export function parseQueryPci(json: unknown, file: string): PciListing {
  const top = Array.isArray(json) ? json : (json as { return?: unknown })?.return;
  if (!Array.isArray(top)) throw new InputError(file, '', 'not query-pci output: expected {"return": [ … ]} or the array itself');
  const functions: PciFunction[] = [];
  const walk = (list: unknown, path: string) => {
    if (!Array.isArray(list)) throw new InputError(file, path, 'must be an array');
    list.forEach((raw, n) => {
      const where = `${path}[${n}]`;
      const d = raw as QDevice;
      for (const k of ['bus', 'slot', 'function'] as const) {
        if (!Number.isInteger(d?.[k])) throw new InputError(file, `${where}.${k}`, 'must be an integer');
      }
      const bars = new Map<number, bigint>();
      (d.regions ?? []).forEach((r, i) => {
        if (!Number.isInteger(r.bar) || typeof r.address !== 'number') throw new InputError(file, `${where}.regions[${i}]`, 'needs integer "bar" and "address"');
        if (r.address === -1) return;
        if (r.address < 0 || !Number.isSafeInteger(r.address)) throw new InputError(file, `${where}.regions[${i}].address`, `${r.address} is not an address JSON numbers keep exactly`);
        bars.set(r.bar, BigInt(r.address));
      });
      functions.push({
        bus: d.bus, slot: d.slot, fn: d.function, id: d.qdev_id || undefined, bars, where,
        secondaryBus: d.pci_bridge?.bus?.secondary,
      });
      if (d.pci_bridge?.devices) walk(d.pci_bridge.devices, `${where}.pci_bridge.devices`);
    });
  };
  top.forEach((b, n) => walk((b as { devices?: unknown })?.devices, `return[${n}].devices`));
  return { file, functions };
}
