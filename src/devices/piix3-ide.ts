/**
 * piix3-ide (the IDE function of Intel's PIIX3, 82371SB). QEMU:
 * pci_piix_ide_realize (hw/ide/piix.c) — prog-if 0x80 (bus master
 * capable, both channels in legacy/compatibility mode), BAR4 the 16-byte
 * Bus Master IDE I/O block (BMIBA, bmdma_setup_bar); the channels sit at
 * the legacy ports 0x1f0/0x170, so BAR0-3 stay empty. No interrupt pin
 * (legacy IRQs 14/15), no capabilities. piix_ide_reset then writes
 * Command 0000h, Status 0280h (DEVSEL medium, fast back-to-back) and
 * BMIBA 00000001h. A conventional PCI device: 256 bytes on every bus.
 */
import { setLE } from '../config-space/config-space.js';
import { PCI, PCI_BASE_ADDRESS, PCI_STATUS } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** piix3_ide_class_init: PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_82371SB_1, revision 0, PCI_CLASS_STORAGE_IDE. */
const VENDOR = 0x8086;
const DEVICE = 0x7010;
const CLASS_STORAGE_IDE = 0x0101;
/** Legacy ATA mode with bus mastering. */
const PROG_LEGACY_BM = 0x80;
/** BMIBA: BAR4, two 8-byte bus master register sets. */
const BMDMA_BAR = 4;
const BMDMA_SIZE = 16;
/** PCI_STATUS_DEVSEL_MEDIUM */
const STATUS_DEVSEL_MEDIUM = 0x0200;
/** The vmsd's name ("ide", vmstate_ide_pci), which names the section. */
const VMSD = 'ide';

function buildPiix3Ide(ctx: BuildContext): BuiltDevice {
  return buildPlainPci(ctx, { vendorId: VENDOR, deviceId: DEVICE, revision: 0, classId: CLASS_STORAGE_IDE, progIf: PROG_LEGACY_BM }, [
    { index: BMDMA_BAR, type: PCI_BASE_ADDRESS.SPACE_IO, size: BMDMA_SIZE, name: 'Bus Master IDE (BMIBA)' },
  ], { file: '', vmsd: VMSD }, (cs) => {
    // buildPlainPci sets pin A; the PIIX IDE function has none (it uses ISA IRQs 14 and 15).
    cs.config[PCI.INTERRUPT_PIN] = 0;
    setLE(cs.config, PCI.STATUS, 2, STATUS_DEVSEL_MEDIUM | PCI_STATUS.FAST_BACK);
  });
}

export const piix3Ide: DeviceModel = {
  drivers: ['piix3-ide'],
  families: ['pci-device', 'piix3-ide'],
  sectionName: VMSD,
  configField: 'parent_obj',
  typeChain: () => deviceFamily('piix3-ide').typeChains.pci,
  build: (_driver, ctx) => buildPiix3Ide(ctx),
};
