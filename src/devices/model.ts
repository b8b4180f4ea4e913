/**
 * What every device model provides: from resolved properties and the
 * device's placement to the config space QEMU builds, plus the name of its
 * migration section.
 */
import { type ConfigSpace } from '../config-space/config-space.js';
import { type BusPlacement } from '../virtio-caps/transport.js';
import { type PropertyValues } from './properties.js';

export interface BuildContext {
  release: string;
  /** smp.cpus: vCPUs present at start (virtio_pci_optimal_num_queues). */
  smp: number;
  bus: BusPlacement;
  props: PropertyValues;
  /** The -netdev backend's queue count, for NICs (nic_conf.peers.queues). */
  netdevQueues: number;
  /** The NIC's -netdev backend type when the description says ("tap", "vhost-user" …). */
  nicBackend?: string;
  /** The memory backend the device's memdev names, when the description has it: its bytes (ivshmem-plain: BAR2 and its RAM block), and whether an earlier device maps it. */
  memdev?: { size: number; busy?: boolean };
  /** For bridges and ports: the devices on its secondary bus, present at start. */
  children?: ChildDevice[];
  /**
   * The machine's ACPI PCI hot-plug takes over the secondary bus of bridges
   * present at start (q35 6.1+, ICH9-LPC acpi-pci-hotplug-with-bridge-support).
   */
  acpiBridgeHotplug?: boolean;
  /** A PCIe slot created before this one has the same (chassis, slot): pcie_chassis_add_slot refuses it. */
  slotTaken?: boolean;
  /** An expander: a bus already on the root bus has its bus_nr (pxb_register_bus: "Bus N is already in use"). */
  busNrTaken?: boolean;
}

/** What a port needs to know of a device plugged into it. */
export interface ChildDevice {
  slot: number;
  fn: number;
  /** The child's x-pcie-lnksta-dllla (QEMU_PCIE_LNKSTA_DLLLA in its cap_present), resolved like any property. */
  lnkstaDllla: boolean;
  /** The child's Link Status when it is modelled and PCI Express; undefined otherwise. */
  linkStatus?: number;
}

/**
 * A RAM block the device owns, migrated in the RAM section before any device
 * section: the option ROM ("vga.rom", pci_add_option_rom), a VGA's video RAM
 * ("vga.vram", vga_common_init). QEMU names it "<device path>/<name>"
 * (vmstate_register_ram with the device), or "<name>" alone when the device
 * registers it globally (VGA global-vmstate=on).
 */
export interface RamBlock {
  name: string;
  /** Bytes (max_length: a ROM's is its BAR size). */
  size: number;
  global?: boolean;
}

export interface BuiltDevice {
  cs: ConfigSpace;
  /** RAM blocks the device adds, in the order it creates them. */
  ramBlocks?: RamBlock[];
  /**
   * Counts that size arrays of the device's migrated state after config
   * space (xhci: ports, slots, interrupters). The destination reads its own
   * counts: different ones desynchronise the section ("Missing section footer").
   */
  streamShape?: Record<string, number>;
  /** Facts worth telling: derived values and what they came from. */
  notes: string[];
  /** What the build took for granted where the description cannot say (the backend, the host). */
  assumptions?: string[];
}

/**
 * A field of the device's migrated state, after config space, that holds a
 * property's value and that the destination compares with its own
 * (VMSTATE_UINT32_EQUAL / VMSTATE_INT32_EQUAL: get_uint32_equal and
 * get_int32_equal print "<destination> != <source>" in hex and fail the load).
 * virtio-gpu: max_outputs; qxl: surfaces.
 */
export interface EqualField {
  property: string;
  /** The property's value when resolution gives none (its qdev default). */
  absent: string;
  /** The vmsd holding the field and the field's name, as QEMU reports them ("Failed to load qxl:ssd.num_surfaces"). */
  vmsd: string;
  field: string;
  /**
   * When that vmsd is not the section's own but loaded by a field of it with
   * its own get function (virtio_gpu_load): that field and its VMStateInfo name.
   */
  via?: { vmsd: string; field: string; info: string };
}

/**
 * How a load fails when the two sides' device state has different shapes:
 * the device's load function refuses it ("device-load": QEMU prints only the
 * vmsd's "Failed to load …:virtio"), or the rest of the section is misread
 * ("section-footer").
 */
export interface LoadMismatch { what: string; fails: 'device-load' | 'section-footer' }

/** A blocker a device adds on the source: QEMU's text and when it applies, in words. */
export interface AddedBlocker {
  /** The source's error for the migrate command (migration_is_blocked → the blocker's text). */
  message: string;
  /** When the source refuses, in words ("the guest has mounted …"). */
  condition: string;
  applies: boolean | undefined;
}

/** A property value or configuration we cannot model: the verdict becomes unknown. */
export class NotModelledError extends Error {}

export interface DeviceModel {
  /** The -device driver names this model builds. */
  drivers: string[];
  /** Device family data in device-profiles/devices/. */
  families: string[];
  /** QOM type chain of each driver (for compat/-global matching). */
  typeChain(driver: string): string[];
  /** Defaults a type's instance_init sets before compat properties and globals apply. */
  instanceDefaults?(driver: string): Record<string, string>;
  /** The vmsd name in the section id ("virtio-blk" in 0000:00:0b.0/virtio-blk). */
  sectionName: string;
  /**
   * The vmsd field that holds the PCIDevice when it is a direct field of the
   * device's own section (VMSTATE_PCI_DEVICE, e.g. "parent_obj.parent_obj.parent_obj"
   * for a root port); absent for virtio proxies, which nest it in "virtio".
   */
  configField?: string;
  /**
   * Properties the device's post_load hook requires equal on both sides,
   * with the text it prints when they are not (e1000e_post_load: subsys).
   */
  postLoadEqual?: { properties: string[]; text: string };
  /**
   * The vmsd's pre_load hook, when it refuses a stream whatever it holds for
   * some of the destination's properties (ivshmem_pre_load: not master):
   * QEMU's line for it, and the vmsd's version ids (printed from 10.2 on).
   */
  preLoad?: { versionId: number; minimumVersionId: number; refuses(props: PropertyValues): string | undefined };
  /** Migrated fields the destination compares with its own property values (VMSTATE_*_EQUAL); check/post-load.ts. */
  /** Properties a post-load check compares in a way not modelled: a difference makes the verdict unknown (virtio-mem block-size, node, memaddr). */
  unmodelledIfDiffer?: string[];
  equalFields?: EqualField[];
  /**
   * State the device's own load function reads in amounts the destination
   * takes from its own properties (virtio_serial_load_device: a ports_map
   * word per 32 ports), when the two sides' properties make it fail; check/post-load.ts.
   */
  loadMismatch?(src: PropertyValues, dst: PropertyValues): LoadMismatch | undefined;
  /**
   * The ring size of each virtqueue the device adds at realize, in order,
   * where the count depends on properties (virtio-serial: two per port).
   * QEMU 11.1's virtio_load refuses a source queue the destination lacks.
   */
  virtqueueSizes?(props: PropertyValues, smp: () => number): number[];
  /**
   * A migration blocker the device adds on the source with its own text
   * (migrate_add_blocker): at realize (vhost-scsi without migratable) or
   * when the running guest uses it (v9fs_attach: a mounted 9p export).
   * `applies` is false, true, or undefined where it depends on what the
   * guest did and the description does not say; check/guest-blockers.ts
   * turns it into the source's refusal or an at-risk condition.
   */
  addedBlocker?(props: PropertyValues, guest: { mounted?: boolean; features?: bigint } | undefined): AddedBlocker | undefined;
  /**
   * How the device's own state migrates from a source of this release, when
   * that is not simply its config space and vmsd: "blocked" where the vmsd
   * is .unmigratable (nvme up to 10.2: the source refuses the migrate
   * command, qemu_savevm_state_blocked), "unmodelled" where it migrates
   * with state this model does not know, "source-fails" where the source
   * itself fails in a way not modelled exactly. check/blockers.ts applies it.
   */
  migrationBlocker?(srcRelease: string, props: PropertyValues): { kind: 'blocked' | 'unmodelled' | 'source-fails'; why: string } | undefined;
  /**
   * The PCI function's type has no vmsd (pxb, pxb-pcie): its config space
   * is never sent, so nothing of it is compared. What the device does send
   * is named by check/builtin-devices.ts buildMigrated (its inner device's
   * section, its host bridge's "PCIHost" instance, or nothing: then it is
   * paired with the destination's device of the same id). Returns what the
   * pair implies for the report (a pxb's bus_nr names every section behind
   * it); dst is undefined when the destination lacks the device.
   */
  configNotSent?(src: PropertyValues, dst: PropertyValues | undefined): string[];
  /**
   * The device creates a PCI host bridge (a sysbus device: a pxb's
   * pxb-host), whose vmsd "PCIHost" is numbered after the machine's own
   * host bridge (instance 0) in creation order.
   */
  hostBridge?: boolean;
  /**
   * A device QEMU creates inside this one, with properties it sets itself,
   * whose section the stream carries in this device's place (pxb: a
   * pci-bridge at 00.0 of its bus); check/builtin-devices.ts builds it.
   */
  innerDevice?(driver: string, props: PropertyValues): { driver: string; properties: Record<string, string> } | undefined;
  build(driver: string, ctx: BuildContext): BuiltDevice;
}

/** Typed readers over resolved properties. */
export function propValue(ctx: Pick<BuildContext, 'props'>, name: string): string | undefined {
  return ctx.props.get(name)?.value;
}

export function propBool(ctx: BuildContext, name: string, absent = false): boolean {
  const v = propValue(ctx, name);
  return v === undefined ? absent : v === 'on';
}

export function propNumber(ctx: BuildContext, name: string, absent: number): number {
  const v = propValue(ctx, name);
  return v === undefined ? absent : Number(v);
}
