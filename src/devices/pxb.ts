/**
 * pxb and pxb-pcie, the PCI expander bridges. QEMU: pxb_dev_realize and
 * pxb_pcie_dev_realize, then pxb_dev_realize_common
 * (hw/pci-bridge/pci_expander_bridge.c). The function on pci.0 / pcie.0 is
 * a plain type-0 header — Red Hat 1b36:0009 / 1b36:000b, class host bridge,
 * 66 MHz and fast back-to-back in the status register, no interrupt pin,
 * no BARs, no capabilities — that opens a new root bus numbered bus_nr.
 *
 * Migration: the expander's class sets no vmsd, so the function's config
 * space is never sent nor compared (`configNotSent`). What the expander
 * does send (check/builtin-devices.ts buildMigrated):
 * - its pxb-host, a PCI host bridge, has pci_host_bridge's vmsd "PCIHost"
 *   (just the 0xcf8 address latch), numbered after the machine's own host
 *   bridge (instance 0), and sent unless x-config-reg-migration-enabled is
 *   off (machine types 5.0 and older): a destination with fewer expanders
 *   lacks the instance ("Unknown … section or instance 'PCIHost' 1");
 * - pxb (not pxb-pcie) puts a pci-bridge at 00.0 of its bus, created with
 *   chassis_nr = bus_nr and shpc off, whose own section
 *   ("0000:<bus_nr>:<pxb slot>:00.0/pci_bridge", MIG_PRI_PCI_BUS: ahead of
 *   the PCIHost one) the stream carries in the expander's place
 *   (`innerDevice`, built by the pci-bridge model).
 * And bus_nr names every section behind the expander (check/placement.ts).
 */
import { createConfigSpace, orLE } from '../config-space/config-space.js';
import { PCI, PCI_STATUS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { addOptionRom } from './option-rom.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propBool, propNumber } from './model.js';
import { type PropertyValues } from './properties.js';

/** PCI_VENDOR_ID_REDHAT; PCI_DEVICE_ID_REDHAT_PXB, PCI_DEVICE_ID_REDHAT_PXB_PCIE. */
const VENDOR = 0x1b36;
const DEVICE_ID: Record<string, number> = { pxb: 0x0009, 'pxb-pcie': 0x000b };
/** PCI_CLASS_BRIDGE_HOST, set by the class and again by pxb_dev_realize_common. */
const CLASS_BRIDGE_HOST = 0x0600;
/** NUMA_NODE_UNASSIGNED = MAX_NODES (include/system/numa.h), the numa_node default. */
const NUMA_NODE_UNASSIGNED = 128;

/** The expander function's realize checks, in QEMU's order, then its header. */
function buildExpander(driver: string, ctx: BuildContext): BuiltDevice {
  // pxb_dev_realize / pxb_pcie_dev_realize: the kind of bus it sits on, first.
  if (driver === 'pxb' && ctx.bus.express) throw new RealizeError('pxb devices cannot reside on a PCIe bus');
  if (driver === 'pxb-pcie' && !ctx.bus.express) throw new RealizeError('pxb-pcie devices cannot reside on a PCI bus');
  // pxb_dev_realize_common: a node other than "unassigned" must exist (pc and q35 always have numa_state).
  const numa = propNumber(ctx, 'numa_node', NUMA_NODE_UNASSIGNED);
  if (numa > NUMA_NODE_UNASSIGNED) throw new RealizeError(`Illegal numa node ${numa}`);
  if (numa !== NUMA_NODE_UNASSIGNED) {
    throw new NotModelledError(`numa_node=${numa}: QEMU refuses it ("Illegal numa node ${numa}") unless the VM has more than ${numa} NUMA ` +
      'nodes (-numa), which the description does not give');
  }
  // pxb_register_bus: only on the root bus, and with a bus number no bus already on it has.
  if (!ctx.bus.root) throw new RealizeError('PXB devices can be attached only to root bus');
  const busNr = propNumber(ctx, 'bus_nr', 0);
  if (ctx.busNrTaken) throw new RealizeError(`Bus ${busNr} is already in use`);
  // The internal bridge is realized with error_fatal: its chassis_nr is bus_nr, and 0 is refused (pci_bridge_dev_realize).
  if (driver === 'pxb' && busNr === 0) {
    throw new RealizeError('Bridge chassis not specified. Each bridge is required to be assigned a unique chassis id > 0.');
  }
  const hex = busNr.toString(16).padStart(2, '0');
  const notes = [`bus_nr 0x${hex}: the root bus it opens names every section behind it ("0000:${hex}:…")`];
  // INTERFACE_CONVENTIONAL_PCI_DEVICE: 256 bytes, even on pcie.0.
  const cs = createConfigSpace({ vendorId: VENDOR, deviceId: DEVICE_ID[driver], revision: 0, classId: CLASS_BRIDGE_HOST, multifunction: propBool(ctx, 'multifunction') },
    PCI.CONFIG_SPACE_SIZE);
  orLE(cs.config, PCI.STATUS, 2, PCI_STATUS.MHZ_66 | PCI_STATUS.FAST_BACK);
  // No class ROM; a romfile given on the line is a RAM block named after the type (no vmsd): "pxb.rom".
  const rom = addOptionRom(cs, ctx, undefined, driver, notes);
  return { cs, notes, ramBlocks: rom ? [rom] : [] };
}

/** The pci-bridge pxb_dev_realize_common creates at 00.0 of a pxb's bus: chassis_nr = bus_nr, no SHPC. */
function innerDevice(driver: string, props: PropertyValues): { driver: string; properties: Record<string, string> } | undefined {
  if (driver !== 'pxb') return undefined;
  return { driver: 'pci-bridge', properties: { chassis_nr: props.get('bus_nr')?.value ?? '0', shpc: 'off' } };
}

/** What each side's bus_nr implies for the report: the expander function itself sends nothing. */
function configNotSentNotes(src: PropertyValues, dst: PropertyValues | undefined): string[] {
  const hex = (p: PropertyValues) => `0x${Number(p.get('bus_nr')?.value ?? '0').toString(16).padStart(2, '0')}`;
  const none = 'the expander function\'s config space is never sent (its type has no vmsd): none of it is compared';
  if (!dst) return [none, `absent on the destination: the devices behind it (bus ${hex(src)}) have no sections there`];
  if (hex(src) !== hex(dst)) {
    return [none, `bus_nr ${hex(src)} → ${hex(dst)}: every section behind it is renamed ("0000:${hex(src).slice(2)}:…" → "0000:${hex(dst).slice(2)}:…"), so no device behind it finds its section on the destination`];
  }
  return [none];
}

export const pxb: DeviceModel = {
  drivers: ['pxb', 'pxb-pcie'],
  families: ['pci-device', 'pxb'],
  sectionName: 'pxb',
  configNotSent: configNotSentNotes,
  hostBridge: true,
  innerDevice,
  // TYPE_PXB_PCIE_DEV's parent is TYPE_PXB_DEV: -global pxb.X reaches a pxb-pcie too.
  typeChain: (driver) => (driver === 'pxb-pcie' ? ['pxb-pcie', ...deviceFamily('pxb').typeChains.pci] : deviceFamily('pxb').typeChains.pci),
  build: buildExpander,
};
