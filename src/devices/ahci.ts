/**
 * ich9-ahci (Intel ICH9 SATA controller in AHCI mode). QEMU:
 * pci_ich9_ahci_realize (hw/ide/ich.c) — prog-if 01 (AHCI 1.0), cache
 * line size 0x08 (cleared again by pci_do_device_reset), interrupt pin A,
 * 0x90 (Address Map Register) = 0x40 "AHCI mode" (a guest-writable byte);
 * BAR4 the 32-byte I/O Index/Data Pair ("ahci-idp"), BAR5 the 4 KiB ABAR
 * ("ahci", AHCI_MEM_BAR_SIZE); then the SATA capability at 0xa8
 * (ICH9_SATA_CAP_OFFSET, 8 bytes: revision 1.0, index/data pair at 0x10 of BAR4) and
 * MSI at 0x80 (ICH9_MSI_CAP_OFFSET, 1 vector, 64-bit, no masking), which
 * the list reaches first. A conventional PCI device: 256 bytes on every bus.
 * q35 creates one itself at 00:1f.2; this models the -device one, which is
 * built the same way.
 */
import { createConfigSpace, setLE } from '../config-space/config-space.js';
import { registerBar } from '../config-space/bar.js';
import { addCapability } from '../config-space/capability.js';
import { msiInit } from '../config-space/msi.js';
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { addOptionRom } from './option-rom.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool } from './model.js';

/** ich_ahci_class_init: PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_82801IR, revision 2, PCI_CLASS_STORAGE_SATA. */
const VENDOR = 0x8086;
const DEVICE = 0x2922;
const REVISION = 0x02;
const CLASS_STORAGE_SATA = 0x0106;
/** AHCI_PROGMODE_MAJOR_REV_1 */
const PROG_AHCI_1 = 0x01;
/** ICH9_IDP_BAR / ICH9_MEM_BAR and their sizes (ahci_realize: "ahci-idp" 32 bytes, "ahci" AHCI_MEM_BAR_SIZE). */
const IDP_BAR = 4;
const MEM_BAR = 5;
const IDP_SIZE = 32;
const MEM_SIZE = 0x1000;
/** The Address Map Register; realize puts it in AHCI mode (MAP.SMS = 01b). */
const ADDRESS_MAP = 0x90;
const ADDRESS_MAP_AHCI = 0x40;
/** PCI_CAP_ID_SATA, ICH9_SATA_CAP_OFFSET, SATA_CAP_SIZE and its fields. */
const CAP_ID_SATA = 0x12;
const SATA_CAP = 0xa8;
const SATA_CAP_SIZE = 8;
const SATA_CAP_REV = 2;
const SATA_CAP_BAR = 4;
/** ICH9_IDP_INDEX_LOG2: the index register sits at offset 0x10 (1 << 4) of the IDP BAR (ICH9_IDP_INDEX). */
const IDP_INDEX_LOG2 = 4;
const MSI_CAP = 0x80;
/** The vmsd's name ("ich9_ahci"), which names the section. */
const VMSD = 'ich9_ahci';

function buildIch9Ahci(ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const cs = createConfigSpace({
    vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_STORAGE_SATA, progIf: PROG_AHCI_1,
    multifunction: propBool(ctx, 'multifunction'),
  }, PCI.CONFIG_SPACE_SIZE);
  const c = cs.config;
  c[PCI.INTERRUPT_PIN] = 1;
  c[ADDRESS_MAP] = ADDRESS_MAP_AHCI;
  registerBar(cs, IDP_BAR, PCI_BASE_ADDRESS.SPACE_IO, IDP_SIZE, 'AHCI index/data pair (I/O)');
  registerBar(cs, MEM_BAR, PCI_BASE_ADDRESS.SPACE_MEMORY, MEM_SIZE, 'AHCI registers (ABAR)');
  const sata = addCapability(cs, CAP_ID_SATA, SATA_CAP, SATA_CAP_SIZE, 'Serial ATA', [
    { at: SATA_CAP_REV, length: 2, name: 'SATA Capability Revision' },
    { at: SATA_CAP_BAR, length: 4, name: 'SATA BAR offset/location' },
  ]);
  setLE(c, sata + SATA_CAP_REV, 2, 0x10);
  // BAR Location 4 + 4 = BAR4 (0x20 >> 2); BAR Offset 4 dwords = the index register at 0x10.
  setLE(c, sata + SATA_CAP_BAR, 4, (IDP_BAR + 4) | (IDP_INDEX_LOG2 << 4));
  // msi_init can only fail where the board's MSI is broken (-ENOTSUP); x86 has it.
  msiInit(cs, MSI_CAP, 1, true, false);
  const rom = addOptionRom(cs, ctx, undefined, VMSD, notes);
  return { cs, notes, ramBlocks: rom ? [rom] : [] };
}

export const ich9Ahci: DeviceModel = {
  // "ahci" is QEMU's alias for ich9-ahci (qdev_alias_table).
  drivers: ['ich9-ahci', 'ahci'],
  families: ['pci-device', 'ich9-ahci'],
  sectionName: VMSD,
  configField: 'parent_obj',
  typeChain: () => deviceFamily('ich9-ahci').typeChains.pci,
  build: (_driver, ctx) => buildIch9Ahci(ctx),
};
