/**
 * pcie-root-port, the generic PCI Express root port that libvirt and
 * virt-install put on q35. QEMU: gen_rp_realize and gen_rp_interrupts_init
 * (hw/pci-bridge/gen_pcie_root_port.c) around rp_realize and rp_reset_hold
 * (hw/pci-bridge/pcie_root_port.c), then pcie_cap_slot_plug_cb for each
 * device present at start and pcie_sync_bridge_lnk when the guest reads
 * Link Status.
 *
 * Layout: type-1 header, BAR0 = the MSI-X table (1 vector); capabilities
 * SSVID (0x40), MSI-X (0x48), PCI Express (0x54), optionally QEMU's
 * resource-reserve hint (0x90); extended AER (0x100) and ACS (0x148).
 */
import { type ConfigSpace, clearLE, createConfigSpace, setLE } from '../config-space/config-space.js';
import { msiInit } from '../config-space/msi.js';
import { pciBridgeDisableBaseLimit, pciBridgeInitfn, pciBridgeReset, pciInitMaskBridge, PCI_BRIDGE } from '../config-space/bridge.js';
import { pciBridgeSsvidInit } from '../config-space/ssvid.js';
import { msixInitExclusiveBar } from '../config-space/msix.js';
import { pcieCapDeverrInit, pcieCapInit, PCI_EXP_TYPE } from '../config-space/pcie-cap.js';
import {
  LINK_SPEED, LINK_WIDTHS, pcieCapArifwdInit, pcieCapFillSlotLnk, pcieCapPortReset, pcieCapRootInit, pcieCapSlotColdPlug,
  pcieCapSlotInit, pcieCapSlotReset, pciePortInitReg, pcieSyncBridgeLnk,
} from '../config-space/pcie-port.js';
import { PCI_ERR, PCI_ERR_SIZEOF, PCIE_AER_LOG_MAX_LIMIT, pcieAerInit, pcieAerRootInit, pcieAerRootSetVector } from '../config-space/aer.js';
import { pcieAcsInit } from '../config-space/acs.js';
import { PCI, PCI_COMMAND } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { hasBehaviour } from '../profiles/behaviour.js';
import { inRange } from '../profiles/versions.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { aerUncMaskOf, pcieCapOptionsOf } from './pcie-options.js';
import { addReserveCap, refuseBridgeRom, reservesOf } from './bridge-common.js';
import { type BuildContext, type BuiltDevice, type ChildDevice, type DeviceModel, NotModelledError, propBool, propNumber, propValue } from './model.js';

const PCI_VENDOR_ID_REDHAT = 0x1b36;
const PCI_DEVICE_ID_REDHAT_PCIE_RP = 0x000c;
const AER_OFFSET = 0x100;
const ACS_OFFSET = AER_OFFSET + PCI_ERR_SIZEOF;
const MSIX_VECTORS = 1;
/** GEN_PCIE_ROOT_DEFAULT_IO_RANGE: the I/O hint a slot with hidden native hot-plug asks for. */
const DEFAULT_IO_RANGE = 4096n;

/**
 * Whether the slot shows native hot-plug (Slot Capabilities HPS/HPC) for a
 * device present at start: hotplug=on, unless the machine hid it. The
 * property that hides it was renamed twice: native-hotplug (6.1),
 * x-native-hotplug (6.2-7.2), x-do-not-expose-native-hotplug-cap (8.0+);
 * pc_q35_init sets it on pc-q35-6.1 (see profiles/q35-hotplug.ts).
 */
/**
 * What a PCIe slot (root or downstream port) does between realize and the
 * guest: devices present at start are plugged before the machine reset —
 * through the port's own handler (pcie_cap_slot_plug_cb) unless the
 * machine's ACPI hot-plug took over the secondary bus
 * (acpi_pcihp_device_plug_cb, q35 6.1+) — then the port's reset clears the
 * capability's status (pcie_cap_deverr_reset, pcie_cap_slot_reset). Returns
 * the devices on the secondary bus.
 */
export function plugAtStartAndReset(ctx: BuildContext, cs: ConfigSpace, exp: number, powerController: boolean, notes: string[]): ChildDevice[] {
  const children = ctx.children ?? [];
  if (children.length && ctx.acpiBridgeHotplug) {
    notes.push('ACPI PCI hot-plug handles this slot: Presence Detect State stays clear although a device is present');
  }
  const oldDllla = hasBehaviour(ctx.release, 'pcie-lnksta-dllla-at-init');
  for (const child of ctx.acpiBridgeHotplug ? [] : children) {
    pcieCapSlotColdPlug(cs, exp, child, { dllaFromLnkcap: !oldDllla });
  }
  const populated = children.some((c) => c.slot === 0 && c.fn === 0);
  pcieCapPortReset(cs, exp);
  pcieCapSlotReset(cs, exp, populated, powerController, { pwrIndOffFirst: hasBehaviour(ctx.release, 'pcie-slot-reset-pwr-ind-off') });
  return children;
}

/**
 * The slot capability of a PCIe slot (pcie_cap_slot_init): hot-plug
 * capable unless hotplug=off or the machine's ACPI hot-plug hides it, with
 * a power controller unless power_controller_present=off.
 */
export function slotInit(ctx: BuildContext, cs: ConfigSpace, exp: number, notes: string[]): { hotplug: boolean; hidden: boolean; powerController: boolean } {
  const hotplug = propBool(ctx, 'hotplug', true);
  const hidden = hidesNativeHotplug(ctx);
  const powerController = propBool(ctx, 'power_controller_present', true);
  pcieCapSlotInit(cs, exp, {
    slot: propNumber(ctx, 'slot', 0), nativeHotplug: hotplug && !hidden, powerController,
    pdsUnchecked: hasBehaviour(ctx.release, 'pcie-sltsta-pds-unchecked'),
  });
  if (hotplug && hidden) notes.push('native hot-plug hidden from the guest (ACPI PCI hot-plug on this machine type)');
  return { hotplug, hidden, powerController };
}

export function hidesNativeHotplug(ctx: BuildContext): boolean {
  if (propValue(ctx, 'x-do-not-expose-native-hotplug-cap') !== undefined) return propBool(ctx, 'x-do-not-expose-native-hotplug-cap');
  if (propValue(ctx, 'x-native-hotplug') !== undefined) return !propBool(ctx, 'x-native-hotplug');
  if (propValue(ctx, 'native-hotplug') !== undefined) return !propBool(ctx, 'native-hotplug');
  return false;
}

/** x-speed and x-width: QAPI enums PCIELinkSpeed (32 and 64 GT/s since 9.0) and PCIELinkWidth. */
function linkOf(ctx: BuildContext): { speed: number; width: number } {
  const sv = propValue(ctx, 'x-speed') ?? '2_5';
  const speed = LINK_SPEED[sv];
  // QAPI's refusal of an enum value; worded "Invalid parameter" before 6.2.
  const refuse = (name: string, v: string) => new RealizeError(inRange(ctx.release, '6.2')
    ? `Parameter '${name}' does not accept value '${v}'` : `Invalid parameter '${v}'`);
  if (!speed || (speed > LINK_SPEED['16'] && !inRange(ctx.release, '9.0'))) throw refuse('x-speed', sv);
  const wv = propValue(ctx, 'x-width') ?? '1';
  const width = Number(wv);
  if (!/^\d+$/.test(wv) || !LINK_WIDTHS.includes(width)) throw refuse('x-width', wv);
  return { speed, width };
}

/**
 * What a root port class sets for rp_realize (PCIERootPortClass and
 * PCIDeviceClass): IDs, where the SSVID, interrupt, Express, AER and ACS
 * structures go, how it signals interrupts, and whether it is QEMU's
 * generic port (gen_rp_realize: link speed/width properties, the
 * resource-reserve hint). ioh3420 is the other class (ioh3420.ts).
 */
export interface RootPortClass {
  vendorId: number;
  deviceId: number;
  revision: number;
  /** rpc->ssvid_offset (0: first free space) and rpc->ssid; the SVID is the class's vendor ID. */
  ssvidOffset: number;
  ssid: number;
  /** rpc->interrupts_init: gen_rp_interrupts_init (MSI-X, exclusive BAR0) or msi_init at an offset. */
  interrupts: { kind: 'msix-bar'; vectors: number } | { kind: 'msi'; offset: number; vectors: number; is64: boolean; maskbit: boolean };
  expOffset: number;
  aerOffset: number;
  /** rpc->acs_offset; 0 = no ACS (rp_realize). */
  acsOffset: number;
  /** gen_rp_realize's extras and the x-speed/x-width properties; others keep rp_instance_post_init's x1 at 2.5 GT/s. */
  generic: boolean;
}

const GENERIC: RootPortClass = {
  vendorId: PCI_VENDOR_ID_REDHAT, deviceId: PCI_DEVICE_ID_REDHAT_PCIE_RP, revision: 0, ssvidOffset: 0, ssid: 0,
  interrupts: { kind: 'msix-bar', vectors: MSIX_VECTORS }, expOffset: 0, aerOffset: AER_OFFSET, acsOffset: ACS_OFFSET, generic: true,
};

export function buildPcieRootPort(ctx: BuildContext): BuiltDevice {
  return buildRootPort(ctx, GENERIC, 'pcie-root-port');
}

/** rp_realize (and gen_rp_realize for the generic class), then the cold plugs and rp_reset_hold. */
export function buildRootPort(ctx: BuildContext, cls: RootPortClass, driver: string): BuiltDevice {
  const notes: string[] = [];
  if (!ctx.bus.express || !ctx.bus.root) {
    throw new NotModelledError(`a ${driver} that is not on the q35 root complex (pcie.0) is not modelled`);
  }
  const release = ctx.release;
  const oldDllla = hasBehaviour(release, 'pcie-lnksta-dllla-at-init');
  const cs = createConfigSpace({
    vendorId: cls.vendorId, deviceId: cls.deviceId, revision: cls.revision, classId: 0x0604,
    bridge: true, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.EXPRESS_CONFIG_SPACE_SIZE);
  // do_pci_register_device: a bridge's masks.
  pciInitMaskBridge(cs);

  // rp_realize
  cs.config[PCI.INTERRUPT_PIN] = 1;
  pciBridgeInitfn(cs, {
    expressSecondary: true,
    // Before 8.2 there was no property and the latency timer stayed writable.
    writeableSltBug: propBool(ctx, 'x-pci-express-writeable-slt-bug', true),
  });
  pciePortInitReg(cs);
  pciBridgeSsvidInit(cs, cls.ssvidOffset, cls.vendorId, cls.ssid);
  const irq = cls.interrupts;
  if (irq.kind === 'msix-bar') msixInitExclusiveBar(cs, irq.vectors, 0);
  else msiInit(cs, irq.offset, irq.vectors, irq.is64, irq.maskbit);
  const exp = pcieCapInit(cs, cls.expOffset, PCI_EXP_TYPE.ROOT_PORT, propNumber(ctx, 'port', 0), pcieCapOptionsOf(ctx));
  // rp_instance_post_init: a class without x-speed/x-width keeps x1 at 2.5 GT/s.
  const link = cls.generic ? linkOf(ctx) : { speed: LINK_SPEED['2_5'], width: 1 };
  pcieCapFillSlotLnk(cs, exp, { ...link, dllaAtInit: oldDllla });
  pcieCapArifwdInit(cs, exp);
  pcieCapDeverrInit(cs, exp);
  const { hotplug, hidden, powerController } = slotInit(ctx, cs, exp, notes);
  pcieCapRootInit(cs, exp);

  if (ctx.slotTaken) throw new RealizeError("Can't add chassis slot, error -16"); // chassis/slot already taken

  // Stream fields outside config space that a -device setting can make differ
  // between the sides (the machine type, and so its compat values, is the same on both).
  const msix = ctx.props.get('x-migrate-msix');
  if (msix && (msix.source === 'explicit' || msix.source === 'global')) {
    throw new NotModelledError(`x-migrate-msix=${msix.value}: whether the MSI-X state is in the stream is not modelled`);
  }
  const logMax = propNumber(ctx, 'aer_log_max', 8);
  if (logMax > PCIE_AER_LOG_MAX_LIMIT) {
    throw new RealizeError(`Invalid aer_log_max ${logMax}. The max number of aer log is ${PCIE_AER_LOG_MAX_LIMIT}`);
  }
  if (logMax !== 8) {
    // VMSTATE_UINT16_EQUAL(log_max): a difference fails the load outside config space.
    throw new NotModelledError(`aer_log_max=${logMax}: the AER log size is compared in the migration stream, which is not modelled`);
  }
  const aer = pcieAerInit(cs, cls.aerOffset, { logMax, uncMask: aerUncMaskOf(ctx), port: true });
  pcieAerRootInit(cs, aer);
  // rpc->aer_vector: gen_rp_aer_vector is 0; ioh3420_aer_vector follows the MSI vectors the
  // guest enabled, 1 at reset (msi_nr_vectors_allocated) → 0. Not compared (pcie_aer_root_init).
  pcieAerRootSetVector(cs, aer, 0);
  if (cls.acsOffset && !propBool(ctx, 'disable-acs')) pcieAcsInit(cs, cls.acsOffset, true);
  if (cls.generic) genRpRealize(ctx, cs, hotplug, hidden, notes);

  refuseBridgeRom(ctx);

  // rp_reset_hold, after the devices present at start are plugged.
  const children = plugAtStartAndReset(ctx, cs, exp, powerController, notes);
  setLE(cs.config, aer + PCI_ERR.ROOT_COMMAND, 4, 0); // pcie_aer_root_reset
  pciBridgeReset(cs);
  pciBridgeDisableBaseLimit(cs);
  // What the guest reads in Link Status (never compared).
  const fn0 = children.find((c) => c.slot === 0 && c.fn === 0);
  pcieSyncBridgeLnk(cs, exp, fn0?.linkStatus);

  notes.push(children.length
    ? `slot occupied at start (${children.length} function${children.length > 1 ? 's' : ''}): Presence Detect State set`
    : 'slot empty at start');
  return { cs, notes };
}

/** gen_rp_realize after rp_realize: the resource-reserve hint, and no I/O window when io-reserve=0. */
function genRpRealize(ctx: BuildContext, cs: ConfigSpace, hotplug: boolean, hidden: boolean, notes: string[]): void {
  const res = reservesOf(ctx);
  if (hidden && res.io === -1n && hotplug) {
    res.io = DEFAULT_IO_RANGE;
    notes.push('io-reserve defaults to 4 KiB because native hot-plug is hidden (kept for the pc-q35-6.1 ABI)');
  }
  addReserveCap(cs, res, notes);
  if (res.io === 0n) {
    clearLE(cs.wmask, PCI.COMMAND, 2, PCI_COMMAND.IO);
    cs.wmask[PCI_BRIDGE.IO_BASE] = 0;
    cs.wmask[PCI_BRIDGE.IO_LIMIT] = 0;
  }
}

export const pcieRootPort: DeviceModel = {
  drivers: ['pcie-root-port'],
  families: ['pci-device', 'base-pci-bridge', 'pcie-port', 'pcie-slot', 'pcie-root-port-base', 'pcie-root-port'],
  sectionName: 'pcie-root-port',
  configField: 'parent_obj.parent_obj.parent_obj',
  typeChain: () => deviceFamily('pcie-root-port').typeChains.pci,
  build: (_driver, ctx) => buildPcieRootPort(ctx),
};
