/**
 * vmxnet3 (VMware paravirtual NIC). QEMU: vmxnet3_realize sets
 * QEMU_PCI_CAP_EXPRESS unless x-disable-pcie, so by default it is a PCI
 * Express function (4096 bytes of config space) on any bus; then
 * vmxnet3_pci_realize (hw/net/vmxnet3.c): BAR0 4 KiB (PT registers), BAR1
 * 4 KiB (VD registers), BAR2 the 8 KiB MSI-X region, all 32-bit memory;
 * interrupt pin A; MSI with one 64-bit vector at 0x84 (0x50 with
 * x-old-msi-offsets); MSI-X with 25 vectors in BAR2 (table 0, PBA 0x1000)
 * at 0x9c (x-old-msi-offsets: the first free space and PBA 0x800); on a
 * PCI Express bus a version-2 PCI Express capability at 0x48
 * (pcie_endpoint_cap_init); and whenever it is PCI Express the Device
 * Serial Number at 0x100 made from the MAC (vmxnet3_device_serial_num).
 * Subsystem 15ad:07b0; option ROM efi-vmxnet3.rom. hw_compat_2_5 sets
 * both x- properties, pc_compat_2_6 an empty romfile.
 */
import { type ConfigSpace, createConfigSpace } from '../config-space/config-space.js';
import { CapabilityError } from '../config-space/capability.js';
import { registerBar } from '../config-space/bar.js';
import { msiInit } from '../config-space/msi.js';
import { msixInit } from '../config-space/msix.js';
import { pcieEndpointCapInit } from '../config-space/pcie-cap.js';
import { pcieDevSerNumInit } from '../config-space/dsn.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { pcieCapOptionsOf } from './pcie-options.js';
import { addOptionRom } from './option-rom.js';
import { macOf } from './nic-mac.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool } from './model.js';

/** vmxnet3_class_init: PCI_VENDOR_ID_VMWARE, PCI_DEVICE_ID_VMWARE_VMXNET3 (also the subsystem), revision 1. */
const VENDOR = 0x15ad;
const DEVICE = 0x07b0;
const REVISION = 0x01;
const CLASS_NETWORK_ETHERNET = 0x0200;
/** VMXNET3_PT_REG_SIZE, VMXNET3_VD_REG_SIZE, VMXNET3_MSIX_BAR_SIZE */
const PT_REG_SIZE = 4096;
const VD_REG_SIZE = 4096;
const MSIX_BAR_SIZE = 0x2000;
const MSIX_BAR = 2;
/** VMXNET3_MAX_INTRS */
const MSIX_VECTORS = 25;
const EXP_CAP = 0x48;
const DSN_CAP = 0x100;
const VMSD = 'vmxnet3';
/** vmxnet3_device_serial_num: bytes fe, mac[3..5], mac[0..2], ff, as a little-endian 64-bit value. */
function dsnOf(mac: number[]): bigint {
  const bytes = [0xfe, mac[3], mac[4], mac[5], mac[0], mac[1], mac[2], 0xff];
  return bytes.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);
}

/**
 * The PCI Express capability at 0x48. With x-old-msi-offsets, MSI-X took
 * the first free space (0x40-0x4b), so pci_add_capability finds 0x48 taken:
 * pcie_endpoint_cap_common_init prints "Attempt to add PCI capability 10
 * at offset 48 overlaps existing capability 11 at offset 40" and
 * vmxnet3_pci_realize, which ignores the result, goes on without it.
 */
function addExpressCap(cs: ConfigSpace, ctx: BuildContext, notes: string[]): void {
  try {
    pcieEndpointCapInit(cs, { onRootBus: ctx.bus.root, ...pcieCapOptionsOf(ctx) }, EXP_CAP);
  } catch (e) {
    if (!(e instanceof CapabilityError)) throw e;
    notes.push('no PCI Express capability: at 0x48 it would overlap MSI-X at 0x40 (QEMU reports the overlap and goes on)');
  }
}

function buildVmxnet3(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const assumptions: string[] = [];
  const express = !propBool(ctx, 'x-disable-pcie');
  const oldOffsets = propBool(ctx, 'x-old-msi-offsets');
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_NETWORK_ETHERNET,
    subsystemVendorId: VENDOR, subsystemId: DEVICE, multifunction: propBool(ctx, 'multifunction'),
  }, express ? PCI.EXPRESS_CONFIG_SPACE_SIZE : PCI.CONFIG_SPACE_SIZE);
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY, PT_REG_SIZE, 'vmxnet3 PT registers');
  registerBar(cs, 1, PCI_BASE_ADDRESS.SPACE_MEMORY, VD_REG_SIZE, 'vmxnet3 VD registers');
  registerBar(cs, MSIX_BAR, PCI_BASE_ADDRESS.SPACE_MEMORY, MSIX_BAR_SIZE, 'vmxnet3 MSI-X table and PBA');
  cs.config[PCI.INTERRUPT_PIN] = 1;
  msiInit(cs, oldOffsets ? 0x50 : 0x84, 1, true, false);
  msixInit(cs, MSIX_VECTORS, MSIX_BAR, 0, MSIX_BAR, oldOffsets ? 0x800 : 0x1000, oldOffsets ? 0 : 0x9c);
  if (express) {
    if (ctx.bus.express) addExpressCap(cs, ctx, notes);
    pcieDevSerNumInit(cs, DSN_CAP, dsnOf(macOf(ctx, assumptions, DSN_CAP + 4)));
    notes.push(`PCI Express function (${ctx.bus.express ? 'with' : 'without'} the PCI Express capability): 4096 bytes of config space migrated`);
  }
  const rom = addOptionRom(cs, ctx, 'efi-vmxnet3.rom', VMSD, notes);
  return { cs, notes, assumptions, ramBlocks: rom ? [rom] : [] };
}

export const vmxnet3: DeviceModel = {
  drivers: ['vmxnet3'],
  families: ['pci-device', 'vmxnet3'],
  sectionName: VMSD,
  configField: 'parent_obj',
  typeChain: () => deviceFamily('vmxnet3').typeChains.pci,
  build: (_driver, ctx) => buildVmxnet3(ctx),
};
