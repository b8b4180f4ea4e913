/**
 * e1000e (Intel 82574L). QEMU: e1000e_pci_realize (hw/net/e1000e.c) —
 * cache line size 0x10 (cleared again by pci_do_device_reset), interrupt
 * pin A, Subsystem IDs from subsys_ven/subsys (default 8086:0000); BAR0
 * 128 KiB registers, BAR1 128 KiB flash, BAR2 32 bytes of I/O, BAR3 the
 * 16 KiB MSI-X region (all 32-bit); then, in this order: MSI-X at 0xa0
 * (5 vectors, table at 0 and PBA at 0x2000 of BAR3), a version-1 PCI
 * Express endpoint capability at 0xe0 (pcie_endpoint_cap_v1_init), MSI at
 * 0xd0 (1 vector, 64-bit, no masking), PCI PM at 0xc8
 * (e1000e_add_pm_capability), AER at 0x100 (pcie_aer_init, no header
 * log), the Device Serial Number at 0x140 (from the MAC address,
 * e1000e_gen_dsn); and pci_add_option_rom with efi-e1000e.rom. The type
 * implements only INTERFACE_PCIE_DEVICE, so it is PCI Express (4096 bytes
 * of config space) even on i440fx's conventional bus, where the capability
 * says Endpoint. Its compat properties init-vet (hw_compat_6_0) and
 * migrate-timadj (hw_compat_7_2) shape only the migrated state:
 * migrate-timadj is a VMSTATE_INT64_TEST field in the main field list (not a
 * subsection), so the two sides must agree on it.
 */
import { createConfigSpace, setLE } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { addPmCapability, PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK, PCI_PM_PMC } from '../config-space/pm.js';
import { msiInit } from '../config-space/msi.js';
import { msixInit } from '../config-space/msix.js';
import { pcieEndpointCapV1Init } from '../config-space/pcie-cap.js';
import { pcieAerInit } from '../config-space/aer.js';
import { pcieDevSerNumInit } from '../config-space/dsn.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { aerUncMaskOf, pcieCapOptionsOf } from './pcie-options.js';
import { addOptionRom } from './option-rom.js';
import { macOf } from './nic-mac.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propNumber } from './model.js';

/** e1000e_class_init: PCI_VENDOR_ID_INTEL, E1000_DEV_ID_82574L, revision 0, PCI_CLASS_NETWORK_ETHERNET. */
const VENDOR = 0x8086;
const DEVICE = 0x10d3;
const REVISION = 0x00;
const CLASS_NETWORK_ETHERNET = 0x0200;
const MMIO_SIZE = 128 * 1024;
const FLASH_SIZE = 128 * 1024;
const IO_SIZE = 32;
const MSIX_SIZE = 16 * 1024;
const MSIX_BAR = 3;
const MSIX_TABLE = 0x0000;
const MSIX_PBA = 0x2000;
/** E1000E_MSIX_VEC_NUM */
const MSIX_VECTORS = 5;
const MSIX_CAP = 0xa0;
const PM_CAP = 0xc8;
const MSI_CAP = 0xd0;
const EXP_CAP = 0xe0;
const AER_CAP = 0x100;
const DSN_CAP = 0x140;
/** PCI_PM_CAP_VER_1_1 | PCI_PM_CAP_DSI */
const PM_PMC = 0x0002 | 0x0020;
const PM_CTRL_PME_ENABLE = 0x0100;
const PM_CTRL_DATA_SEL_MASK = 0x1e00;
const PM_CTRL_PME_STATUS = 0x8000;
/** The vmsd's name ("e1000e"), which names the section and the ROM block. */
const VMSD = 'e1000e';
/** e1000e_gen_dsn */
function dsnOf(mac: number[]): bigint {
  const b = (x: number) => BigInt(x);
  return b(mac[5]) | (b(mac[4]) << 8n) | (b(mac[3]) << 16n) | (0xffn << 24n) | (0xffn << 32n)
    | (b(mac[2]) << 40n) | (b(mac[1]) << 48n) | (b(mac[0]) << 56n);
}

function buildE1000e(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const assumptions: string[] = [];
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_NETWORK_ETHERNET, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.EXPRESS_CONFIG_SPACE_SIZE);
  const c = cs.config;
  c[PCI.INTERRUPT_PIN] = 1;
  setLE(c, PCI.SUBSYSTEM_VENDOR_ID, 2, propNumber(ctx, 'subsys_ven', VENDOR));
  setLE(c, PCI.SUBSYSTEM_ID, 2, propNumber(ctx, 'subsys', 0));
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY, MMIO_SIZE, 'e1000e registers');
  registerBar(cs, 1, PCI_BASE_ADDRESS.SPACE_MEMORY, FLASH_SIZE, 'e1000e flash (dummy)');
  registerBar(cs, 2, PCI_BASE_ADDRESS.SPACE_IO, IO_SIZE, 'e1000e I/O window');
  registerBar(cs, MSIX_BAR, PCI_BASE_ADDRESS.SPACE_MEMORY, MSIX_SIZE, 'e1000e MSI-X table and PBA');
  const mac = macOf(ctx, assumptions, DSN_CAP + 4);
  msixInit(cs, MSIX_VECTORS, MSIX_BAR, MSIX_TABLE, MSIX_BAR, MSIX_PBA, MSIX_CAP);
  pcieEndpointCapV1Init(cs, { onRootBus: ctx.bus.express && ctx.bus.root, ...pcieCapOptionsOf(ctx) }, EXP_CAP);
  msiInit(cs, MSI_CAP, 1, true, false);
  const pm = addPmCapability(cs, PM_CAP);
  setLE(c, pm + PCI_PM_PMC, 2, PM_PMC);
  setLE(cs.wmask, pm + PCI_PM_CTRL, 2, PCI_PM_CTRL_STATE_MASK | PM_CTRL_PME_ENABLE | PM_CTRL_DATA_SEL_MASK);
  setLE(cs.w1cmask, pm + PCI_PM_CTRL, 2, PM_CTRL_PME_STATUS);
  pcieAerInit(cs, AER_CAP, { logMax: 0, uncMask: aerUncMaskOf(ctx), port: false });
  pcieDevSerNumInit(cs, DSN_CAP, dsnOf(mac));
  const rom = addOptionRom(cs, ctx, 'efi-e1000e.rom', VMSD, notes);
  const timadj = propBool(ctx, 'migrate-timadj', false);
  notes.push(`migrate-timadj ${timadj ? 'on' : 'off'}: core.timadj ${timadj ? 'is' : 'is not'} in the migrated state`);
  return { cs, notes, assumptions, ramBlocks: rom ? [rom] : [], streamShape: { 'core.timadj (migrate-timadj)': timadj ? 1 : 0 } };
}

export const e1000e: DeviceModel = {
  drivers: ['e1000e'],
  families: ['pci-device', 'e1000e'],
  sectionName: VMSD,
  configField: 'parent_obj',
  // e1000e_post_load: the subsystem IDs in use must be the destination's properties.
  postLoadEqual: { properties: ['subsys', 'subsys_ven'], text: 'ERROR: Cannot migrate while device properties (subsys/subsys_ven) differ' },
  typeChain: () => deviceFamily('e1000e').typeChains.pci,
  build: (_driver, ctx) => buildE1000e(ctx),
};
