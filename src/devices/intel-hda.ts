/**
 * Intel HD Audio controllers: intel-hda (ICH6) and ich9-intel-hda. QEMU:
 * intel_hda_realize (hw/audio/intel-hda.c) — interrupt pin A, HDCTL
 * (0x40) := 01 (HD Audio signalling, not AC'97), MSI at 0x60 (0x50 with
 * old_msi_addr) with one 64-bit vector and no masking unless msi=off, then
 * BAR0 = the 16 KiB container (registers and their alias). Both types are
 * conventional PCI (INTERFACE_CONVENTIONAL_PCI_DEVICE): ich9-intel-hda has
 * no PCI Express capability in QEMU, on q35 as anywhere. Codecs
 * (hda-duplex, hda-micro, hda-output) sit on the controller's HDA bus:
 * they change neither config space nor the controller's section.
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { msiInit } from '../config-space/msi.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { pciTypeChain } from '../profiles/data.js';
import { addOptionRom } from './option-rom.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propValue } from './model.js';

const VENDOR_INTEL = 0x8086;
/** PCI_CLASS_MULTIMEDIA_HD_AUDIO */
const CLASS_HD_AUDIO = 0x0403;
/** intel_hda_class_init_ich6 / _ich9 */
const TYPES: Record<string, { deviceId: number; revision: number }> = {
  'intel-hda': { deviceId: 0x2668, revision: 1 },
  'ich9-intel-hda': { deviceId: 0x293e, revision: 3 },
};
/** HDCTL: bit 0 selects HD Audio signalling (ICH9 datasheet 18.1.19). */
const HDCTL = 0x40;
const MSI_CAP = 0x60;
const MSI_CAP_OLD = 0x50;
const CONTAINER_SIZE = 0x4000;
const VMSD = 'intel-hda';

function buildIntelHda(driver: string, ctx: BuildContext): BuiltDevice {
  const t = TYPES[driver];
  const notes: string[] = [];
  const cs = createConfigSpace({
    vendorId: VENDOR_INTEL, deviceId: t.deviceId, revision: t.revision, classId: CLASS_HD_AUDIO, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.CONFIG_SPACE_SIZE);
  cs.config[PCI.INTERRUPT_PIN] = 1;
  cs.config[HDCTL] = 0x01;
  // msi=auto falls back silently only where the board's MSI is broken; x86 has it.
  if ((propValue(ctx, 'msi') ?? 'auto') !== 'off') {
    const at = propBool(ctx, 'old_msi_addr') ? MSI_CAP_OLD : MSI_CAP;
    msiInit(cs, at, 1, true, false);
    notes.push(`MSI capability at 0x${at.toString(16)}`);
  }
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY, CONTAINER_SIZE, 'HDA registers and alias');
  const rom = addOptionRom(cs, ctx, undefined, VMSD, notes);
  return { cs, notes, ramBlocks: rom ? [rom] : [] };
}

export const intelHda: DeviceModel = {
  drivers: Object.keys(TYPES),
  families: ['pci-device', 'intel-hda'],
  sectionName: VMSD,
  configField: 'pci',
  typeChain: (driver) => pciTypeChain('intel-hda', driver),
  build: buildIntelHda,
};
