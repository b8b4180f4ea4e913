/**
 * QMP query-pci output (`virsh qemu-monitor-command VM '{"execute":"query-pci"}'`):
 * {"return": [{"bus": 0, "devices": [{"bus", "slot", "function", "qdev_id",
 * "regions": [{"bar", "type", "address", "size", …}], "pci_bridge": {"bus":
 * {"secondary", …}, "devices": […]}}]}]} (qapi/pci.json PciDeviceInfo).
 * An unmapped BAR has address -1 (PCI_BAR_UNMAPPED): its register is unknown.
 * Types and bounds are checked here (a region list that is not an array,
 * a null region, bridges nested without end: crashes found by test/fuzz).
 */
import { InputError } from './errors.js';
import { type PciFunction, type PciListing } from './pci-listing.js';
import { MAX_BRIDGE_DEPTH } from './limits.js';

interface QRegion { bar: number; address: number }
interface QDevice { bus: number; slot: number; function: number; qdev_id?: string; regions?: QRegion[]; pci_bridge?: { bus?: { secondary?: number }; devices?: QDevice[] } }

export function parseQueryPci(json: unknown, file: string): PciListing {
  const top = Array.isArray(json) ? json : (json as { return?: unknown })?.return;
  if (!Array.isArray(top)) throw new InputError(file, '', 'not query-pci output: expected {"return": [ … ]} or the array itself');
  const functions: PciFunction[] = [];
  const walk = (list: unknown, path: string, depth: number) => {
    if (!Array.isArray(list)) throw new InputError(file, path, 'must be an array');
    if (depth > MAX_BRIDGE_DEPTH) throw new InputError(file, path, `bridges nested more than ${MAX_BRIDGE_DEPTH} deep`);
    list.forEach((raw, n) => {
      const where = `${path}[${n}]`;
      const d = raw as QDevice;
      for (const k of ['bus', 'slot', 'function'] as const) {
        if (!Number.isInteger(d?.[k])) throw new InputError(file, `${where}.${k}`, 'must be an integer');
      }
      // PciDeviceInfo's bounds (hw/pci: 8-bit bus, 5-bit slot, 3-bit function; regions 0-5 and the ROM, 6).
      if (d.bus < 0 || d.bus > 255 || d.slot < 0 || d.slot > 31 || d.function < 0 || d.function > 7) {
        throw new InputError(file, where, `impossible PCI address ${d.bus}:${d.slot}.${d.function}`);
      }
      if (d.regions !== undefined && !Array.isArray(d.regions)) throw new InputError(file, `${where}.regions`, 'must be an array');
      const bars = new Map<number, bigint>();
      (d.regions ?? []).forEach((r, i) => {
        if (!Number.isInteger(r?.bar) || typeof r.address !== 'number') throw new InputError(file, `${where}.regions[${i}]`, 'needs integer "bar" and "address"');
        if (r.bar < 0 || r.bar > 6) throw new InputError(file, `${where}.regions[${i}].bar`, `${r.bar} is not a BAR (0-5, or 6 for the ROM)`);
        if (r.address === -1) return;
        if (r.address < 0 || !Number.isSafeInteger(r.address)) throw new InputError(file, `${where}.regions[${i}].address`, `${r.address} is not an address JSON numbers keep exactly`);
        bars.set(r.bar, BigInt(r.address));
      });
      const secondary = d.pci_bridge?.bus?.secondary;
      if (secondary !== undefined && !(Number.isInteger(secondary) && secondary >= 0 && secondary <= 255)) {
        throw new InputError(file, `${where}.pci_bridge.bus.secondary`, 'must be a bus number 0-255');
      }
      if (d.qdev_id !== undefined && typeof d.qdev_id !== 'string') throw new InputError(file, `${where}.qdev_id`, 'must be a string');
      functions.push({ bus: d.bus, slot: d.slot, fn: d.function, id: d.qdev_id || undefined, bars, where, secondaryBus: secondary });
      if (d.pci_bridge?.devices) walk(d.pci_bridge.devices, `${where}.pci_bridge.devices`, depth + 1);
    });
  };
  top.forEach((b, n) => walk((b as { devices?: unknown })?.devices, `return[${n}].devices`, 0));
  return { file, functions };
}
