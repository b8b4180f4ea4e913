/**
 * Properties a q35 machine sets on devices at machine init, beyond its
 * compat arrays. QEMU: pc_q35_init (hw/i386/pc_q35.c) registers a "sugar"
 * global on every PCIe slot when the ICH9-LPC ACPI PCI hot-plug is on and
 * x-keep-pci-slot-hpc is off, hiding native hot-plug from the guest
 * (object_register_sugar_prop, optional: ignored by types without it).
 * Registered after -global, so it wins over a -global of the same name.
 */
import { normalizeValue } from '../devices/properties.js';
import { type GlobalProperty } from './data.js';
import { type Machine } from './machine.js';
import { inRange } from './versions.js';

export interface SugarProperty {
  property: GlobalProperty;
  /** Why: for reports. */
  via: string;
}

/** An ICH9-LPC boolean after its default, the machine's compat properties and -global. */
function lpcBool(machine: Machine, globals: GlobalProperty[], name: string, absent: boolean): boolean {
  let v = absent;
  const take = (value: string) => {
    try {
      v = normalizeValue('bool', value) === 'on';
    } catch {
      // QEMU refuses the value at start; keep the default here.
    }
  };
  for (const { property: [driver, prop, value] } of machine.compat) if (driver === 'ICH9-LPC' && prop === name) take(value);
  for (const [driver, prop, value] of globals) if (driver === 'ICH9-LPC' && prop === name) take(value);
  return v;
}

/**
 * ACPI PCI hot-plug of q35 (6.1+): ICH9-LPC acpi-pci-hotplug-with-bridge-support
 * (default on; pc_compat_6_0 off). When on, the ICH9-LPC is the hot-plug
 * handler of pcie.0, and acpi_pcihp_device_plug_cb makes itself the handler
 * of every cold-plugged bridge's secondary bus too: devices present at start
 * behind a root port then never reach pcie_cap_slot_plug_cb, so the port's
 * Slot Status Presence Detect State and Link Status DLLLA stay clear.
 */
export function q35AcpiBridgeHotplug(release: string, machine: Machine, globals: GlobalProperty[]): boolean {
  if (machine.family !== 'q35' || !inRange(release, '6.1')) return false;
  return lpcBool(machine, globals, 'acpi-pci-hotplug-with-bridge-support', true);
}

export function q35SugarProperties(release: string, machine: Machine, globals: GlobalProperty[]): SugarProperty[] {
  // ICH9 PM defaults: use_acpi_hotplug_bridge = true, keep_pci_slot_hpc = true (6.2+; 6.1 has no such property).
  const acpiPcihp = q35AcpiBridgeHotplug(release, machine, globals);
  const keep = inRange(release, '6.2') ? lpcBool(machine, globals, 'x-keep-pci-slot-hpc', true) : false;
  if (!acpiPcihp || keep) return [];
  const via = `pc_q35_init: ICH9-LPC acpi-pci-hotplug-with-bridge-support=on${inRange(release, '6.2') ? ', x-keep-pci-slot-hpc=off' : ''}`;
  if (inRange(release, '8.0')) return [{ property: ['pcie-slot', 'x-do-not-expose-native-hotplug-cap', 'true'], via }];
  if (inRange(release, '6.2')) return [{ property: ['pcie-slot', 'x-native-hotplug', 'false'], via }];
  return [{ property: ['pcie-slot', 'native-hotplug', 'false'], via }];
}
