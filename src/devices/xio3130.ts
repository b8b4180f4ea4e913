/**
 * The TI XIO3130 PCI Express switch QEMU offers: x3130-upstream (the
 * switch's upstream port, plugged into a root port or another downstream
 * port) and xio3130-downstream (its downstream ports, each with one slot,
 * on the upstream port's bus). QEMU: xio3130_upstream_realize and
 * xio3130_upstream_reset (hw/pci-bridge/xio3130_upstream.c),
 * xio3130_downstream_realize and xio3130_downstream_reset
 * (hw/pci-bridge/xio3130_downstream.c).
 *
 * Both: TI 104c:8232 revision 2 / 104c:8233 revision 1, type-1 header, MSI (1
 * vector, 64-bit) at 0x70, SSVID 0000:0000 at 0x80, PCI Express v2 at
 * 0x90 with Function Level Reset, AER at 0x100; no interrupt pin, no
 * BARs, no ACS. The reset leaves the windows at 0 (pci_bridge_reset
 * only, no pci_bridge_disable_base_limit as root ports have).
 */
import { type ConfigSpace, createConfigSpace } from '../config-space/config-space.js';
import { pciBridgeInitfn, pciBridgeReset, pciInitMaskBridge } from '../config-space/bridge.js';
import { pciBridgeSsvidInit } from '../config-space/ssvid.js';
import { msiInit } from '../config-space/msi.js';
import { pcieCapDeverrInit, pcieCapFlrInit, pcieCapInit, PCI_EXP_TYPE } from '../config-space/pcie-cap.js';
import {
  pcieCapArifwdInit, pcieCapFillSlotLnk,
  pciePortInitReg, pcieSyncBridgeLnk,
} from '../config-space/pcie-port.js';
import { PCIE_AER_LOG_MAX_LIMIT, pcieAerInit } from '../config-space/aer.js';
import { PCI } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { hasBehaviour } from '../profiles/behaviour.js';
import { RealizeError } from '../virtio-caps/transport.js';
import { aerUncMaskOf, pcieCapOptionsOf } from './pcie-options.js';
import { refuseBridgeRom } from './bridge-common.js';
import { plugAtStartAndReset, slotInit } from './pcie-root-port.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propBool, propNumber } from './model.js';

const PCI_VENDOR_ID_TI = 0x104c;
const PCI_DEVICE_ID_TI_XIO3130U = 0x8232;
const PCI_DEVICE_ID_TI_XIO3130D = 0x8233;
/** XIO3130_REVISION of each file: 0x2 upstream, 0x1 downstream. */
const UPSTREAM_REVISION = 0x2;
const DOWNSTREAM_REVISION = 0x1;
const MSI_OFFSET = 0x70;
const SSVID_OFFSET = 0x80;
const EXP_OFFSET = 0x90;
const AER_OFFSET = 0x100;

/** The steps both realize functions share, up to the Express capability (returned). */
function switchPortHead(ctx: BuildContext, deviceId: number, revision: number, type: number, driver: string): { cs: ConfigSpace; exp: number } {
  if (!ctx.bus.express) {
    throw new NotModelledError(`${driver} on a conventional PCI bus is not modelled (QEMU puts a switch port behind a PCI Express port)`);
  }
  const cs = createConfigSpace({
    vendorId: PCI_VENDOR_ID_TI, deviceId, revision, classId: 0x0604, bridge: true, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.EXPRESS_CONFIG_SPACE_SIZE);
  pciInitMaskBridge(cs);
  pciBridgeInitfn(cs, { expressSecondary: true, writeableSltBug: propBool(ctx, 'x-pci-express-writeable-slt-bug', true) });
  pciePortInitReg(cs);
  // XIO3130_MSI_SUPPORTED_FLAGS = PCI_MSI_FLAGS_64BIT: 64-bit addresses, no per-vector mask.
  msiInit(cs, MSI_OFFSET, 1, true, false);
  pciBridgeSsvidInit(cs, SSVID_OFFSET, 0, 0);
  const exp = pcieCapInit(cs, EXP_OFFSET, type, propNumber(ctx, 'port', 0), pcieCapOptionsOf(ctx));
  return { cs, exp };
}

/** aer_log_max: refused above the limit; another size is compared in the stream (VMSTATE_UINT16_EQUAL), not modelled. */
function aerLogMax(ctx: BuildContext): number {
  const logMax = propNumber(ctx, 'aer_log_max', 8);
  if (logMax > PCIE_AER_LOG_MAX_LIMIT) {
    throw new RealizeError(`Invalid aer_log_max ${logMax}. The max number of aer log is ${PCIE_AER_LOG_MAX_LIMIT}`);
  }
  if (logMax !== 8) {
    throw new NotModelledError(`aer_log_max=${logMax}: the AER log size is compared in the migration stream, which is not modelled`);
  }
  return logMax;
}

/** xio3130_upstream_realize, then xio3130_upstream_reset (pci_bridge_reset, pcie_cap_deverr_reset). */
export function buildX3130Upstream(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const { cs, exp } = switchPortHead(ctx, PCI_DEVICE_ID_TI_XIO3130U, UPSTREAM_REVISION, PCI_EXP_TYPE.UPSTREAM, 'x3130-upstream');
  // Not a slot: pcie_cap_fill_slot_lnk leaves the x1 / 2.5 GT/s link of pcie_cap_v1_fill.
  pcieCapFlrInit(cs, exp);
  pcieCapDeverrInit(cs, exp);
  pcieAerInit(cs, AER_OFFSET, { logMax: aerLogMax(ctx), uncMask: aerUncMaskOf(ctx), port: true });
  refuseBridgeRom(ctx);
  pciBridgeReset(cs);
  const ports = ctx.children?.length ?? 0;
  notes.push(`${ports} device${ports === 1 ? '' : 's'} on the switch's internal bus at start`);
  return { cs, notes };
}

/**
 * xio3130_downstream_realize, the cold plugs (pcie_cap_slot_plug_cb, unless
 * the machine's ACPI hot-plug took the bus over), then
 * xio3130_downstream_reset.
 */
export function buildXio3130Downstream(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const release = ctx.release;
  const oldDllla = hasBehaviour(release, 'pcie-lnksta-dllla-at-init');
  const { cs, exp } = switchPortHead(ctx, PCI_DEVICE_ID_TI_XIO3130D, DOWNSTREAM_REVISION, PCI_EXP_TYPE.DOWNSTREAM, 'xio3130-downstream');
  // A PCIESlot without x-speed/x-width and without rp_instance_post_init: width and speed stay 0,
  // so pcie_cap_fill_lnk writes 0 into Max Link Width and Speed.
  pcieCapFillSlotLnk(cs, exp, { speed: 0, width: 0, dllaAtInit: oldDllla });
  pcieCapFlrInit(cs, exp);
  pcieCapDeverrInit(cs, exp);
  const { powerController } = slotInit(ctx, cs, exp, notes);
  pcieCapArifwdInit(cs, exp);
  if (ctx.slotTaken) throw new RealizeError("Can't add chassis slot, error -16");
  pcieAerInit(cs, AER_OFFSET, { logMax: aerLogMax(ctx), uncMask: aerUncMaskOf(ctx), port: true });
  refuseBridgeRom(ctx);

  // xio3130_downstream_reset: deverr, slot, ARI forwarding, then pci_bridge_reset.
  const children = plugAtStartAndReset(ctx, cs, exp, powerController, notes);
  pciBridgeReset(cs);
  const fn0 = children.find((c) => c.slot === 0 && c.fn === 0);
  pcieSyncBridgeLnk(cs, exp, fn0?.linkStatus, hasBehaviour(release, 'pcie-sync-lnk-floor-always'));
  notes.push(children.length ? 'slot occupied at start: Presence Detect State set' : 'slot empty at start');
  return { cs, notes };
}

export const x3130Upstream: DeviceModel = {
  drivers: ['x3130-upstream'],
  families: ['pci-device', 'base-pci-bridge', 'pcie-port', 'x3130-upstream'],
  sectionName: 'xio3130-express-upstream-port',
  // VMSTATE_PCI_DEVICE(parent_obj.parent_obj, PCIEPort)
  configField: 'parent_obj.parent_obj',
  typeChain: () => deviceFamily('x3130-upstream').typeChains.pci,
  build: (_driver, ctx) => buildX3130Upstream(ctx),
};

export const xio3130Downstream: DeviceModel = {
  drivers: ['xio3130-downstream'],
  families: ['pci-device', 'base-pci-bridge', 'pcie-port', 'pcie-slot', 'xio3130-downstream'],
  sectionName: 'xio3130-express-downstream-port',
  configField: 'parent_obj.parent_obj.parent_obj',
  typeChain: () => deviceFamily('xio3130-downstream').typeChains.pci,
  build: (_driver, ctx) => buildXio3130Downstream(ctx),
};
