/**
 * AC97 (Intel 82801AA AC'97 audio). QEMU: ac97_realize (hw/audio/ac97.c)
 * — it writes Status = fast back-to-back | DEVSEL medium (80 02, neither
 * bit compared on load), interrupt pin A, then BAR0 1 KiB of I/O (Native
 * Audio Mixer) and BAR1 256 bytes of I/O (Native Audio Bus Master). No
 * capabilities, no class ROM. The audio backend (audiodev) is host-side:
 * it shapes neither config space nor the migrated state.
 */
import { PCI, PCI_BASE_ADDRESS } from '../config-space/regs.js';
import { setLE } from '../config-space/config-space.js';
import { deviceFamily } from '../profiles/data.js';
import { buildPlainPci } from './plain-pci.js';
import { type BuildContext, type BuiltDevice, type DeviceModel } from './model.js';

/** ac97_class_init: PCI_VENDOR_ID_INTEL, PCI_DEVICE_ID_INTEL_82801AA_5, revision 1, PCI_CLASS_MULTIMEDIA_AUDIO. */
const VENDOR = 0x8086;
const DEVICE = 0x2415;
const REVISION = 0x01;
const CLASS_MULTIMEDIA_AUDIO = 0x0401;
/** PCI_STATUS_FAST_BACK | PCI_STATUS_DEVSEL_MEDIUM */
const STATUS = 0x0280;
const NAM_SIZE = 1024;
const NABM_SIZE = 256;
const VMSD = 'ac97';

function buildAc97(ctx: BuildContext): BuiltDevice {
  return buildPlainPci(ctx, { vendorId: VENDOR, deviceId: DEVICE, revision: REVISION, classId: CLASS_MULTIMEDIA_AUDIO }, [
    { index: 0, type: PCI_BASE_ADDRESS.SPACE_IO, size: NAM_SIZE, name: 'AC97 native audio mixer (I/O)' },
    { index: 1, type: PCI_BASE_ADDRESS.SPACE_IO, size: NABM_SIZE, name: 'AC97 native audio bus master (I/O)' },
  ], { file: '', vmsd: VMSD }, (cs) => { setLE(cs.config, PCI.STATUS, 2, STATUS); });
}

export const ac97: DeviceModel = {
  drivers: ['AC97'],
  families: ['pci-device', 'ac97'],
  sectionName: VMSD,
  configField: 'dev',
  typeChain: () => deviceFamily('ac97').typeChains.pci,
  build: (_driver, ctx) => buildAc97(ctx),
};
