/**
 * megasas (LSI MegaRAID SAS 1078) and megasas-gen2 (SAS 2108). QEMU:
 * megasas_scsi_realize (hw/scsi/megasas.c) — latency timer 0, interrupt
 * pin A; MSI at 0x50 (1 vector, 64-bit, no masking) unless msi=off;
 * MSI-X at 0x68 with 15 vectors in the register BAR (table 0x2000, PBA
 * 0x3800) unless msix=off; the PCI Express endpoint capability at 0xa0
 * when the device is PCI Express; then the BARs: the 256-byte I/O port
 * BAR, the 16 KiB register BAR and the 256 KiB queue BAR 3 (both 64-bit
 * memory). gen1 is conventional (I/O BAR2, registers BAR0); gen2 is
 * INTERFACE_PCIE_DEVICE only (I/O BAR0, registers BAR1), so PCI Express —
 * 4096 bytes of config space — on every bus, an Endpoint where the bus is
 * not pcie.0. msi=auto/on and msix=auto/on give the same device on x86
 * (MSI is never broken there; msix_init cannot fail with these numbers).
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { msiInit } from '../config-space/msi.js';
import { msixInit } from '../config-space/msix.js';
import { pcieEndpointCapInit } from '../config-space/pcie-cap.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { pcieCapOptionsOf } from './pcie-options.js';
import { addOptionRom } from './option-rom.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propValue } from './model.js';

/** megasas_class_init with megasas_devices[]: PCI_VENDOR_ID_LSI_LOGIC, subsystem vendor LSI, PCI_CLASS_STORAGE_RAID. */
const VENDOR = 0x1000;
const CLASS_STORAGE_RAID = 0x0104;

interface Generation {
  deviceId: number;
  subsystemId: number;
  ioportBar: number;
  mmioBar: number;
  express: boolean;
  /** The vmsd's name, which names the section. */
  vmsd: string;
}

const GENERATIONS: Record<string, Generation> = {
  // PCI_DEVICE_ID_LSI_SAS1078, vmstate_megasas_gen1
  megasas: { deviceId: 0x0060, subsystemId: 0x1013, ioportBar: 2, mmioBar: 0, express: false, vmsd: 'megasas' },
  // PCI_DEVICE_ID_LSI_SAS0079, vmstate_megasas_gen2
  'megasas-gen2': { deviceId: 0x0079, subsystemId: 0x9261, ioportBar: 0, mmioBar: 1, express: true, vmsd: 'megasas-gen2' },
};

const MSI_CAP = 0x50;
const MSIX_CAP = 0x68;
const EXP_CAP = 0xa0;
const MSIX_VECTORS = 15;
const MSIX_TABLE = 0x2000;
const MSIX_PBA = 0x3800;
const PORT_SIZE = 0x100;
const MMIO_SIZE = 0x4000;
const QUEUE_SIZE = 0x40000;
const QUEUE_BAR = 3;

function buildMegasas(driver: string, ctx: BuildContext): BuiltDevice {
  const g = GENERATIONS[driver];
  const notes: string[] = [];
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: g.deviceId, revision: 0, classId: CLASS_STORAGE_RAID,
    subsystemVendorId: VENDOR, subsystemId: g.subsystemId, multifunction: propBool(ctx, 'multifunction'),
  }, g.express ? PCI.EXPRESS_CONFIG_SPACE_SIZE : PCI.CONFIG_SPACE_SIZE);
  cs.config[PCI.INTERRUPT_PIN] = 1;
  const msi = (propValue(ctx, 'msi') ?? 'auto') !== 'off';
  const msix = (propValue(ctx, 'msix') ?? 'auto') !== 'off';
  if (msi) msiInit(cs, MSI_CAP, 1, true, false);
  if (msix) msixInit(cs, MSIX_VECTORS, g.mmioBar, MSIX_TABLE, g.mmioBar, MSIX_PBA, MSIX_CAP);
  if (g.express) pcieEndpointCapInit(cs, { onRootBus: ctx.bus.express && ctx.bus.root, ...pcieCapOptionsOf(ctx) }, EXP_CAP);
  const mem64 = PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_TYPE_64;
  registerBar(cs, g.ioportBar, PCI_BASE_ADDRESS.SPACE_IO, PORT_SIZE, 'MegaRAID registers (I/O)');
  registerBar(cs, g.mmioBar, mem64, MMIO_SIZE, `MegaRAID registers${msix ? ' and MSI-X table/PBA' : ''}`);
  registerBar(cs, QUEUE_BAR, mem64, QUEUE_SIZE, 'MegaRAID queue');
  notes.push(`MSI ${msi ? 'at 0x50' : 'off'}, MSI-X ${msix ? `at 0x68 (${MSIX_VECTORS} vectors)` : 'off'}`);
  const rom = addOptionRom(cs, ctx, undefined, g.vmsd, notes);
  return { cs, notes, ramBlocks: rom ? [rom] : [] };
}

function model(driver: string): DeviceModel {
  return {
    drivers: [driver],
    families: ['pci-device', driver],
    sectionName: GENERATIONS[driver].vmsd,
    configField: 'parent_obj',
    typeChain: () => deviceFamily(driver).typeChains.pci,
    build: buildMegasas,
  };
}

export const megasas = model('megasas');
export const megasasGen2 = model('megasas-gen2');
