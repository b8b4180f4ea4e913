/**
 * qemu-xhci. QEMU: usb_xhci_pci_realize (hw/usb/hcd-xhci-pci.c) after
 * qemu_xhci_instance_init (16 interrupters, 64 slots, MSI off, MSI-X
 * auto) and usb_xhci_realize (hw/usb/hcd-xhci.c): the xHCI header bytes,
 * MSI at 0x70, BAR0 = the 16 KiB register block, the PCI Express
 * capability at 0xa0 on an Express bus, MSI-X at 0x90 inside BAR0.
 * Always a 4096-byte config space (xhci_instance_init sets
 * QEMU_PCI_CAP_EXPRESS whatever the bus).
 *
 * nec-usb-xhci (hw/usb/hcd-xhci-nec.c) is the same controller with NEC's
 * IDs (1033:0194 rev 03) and the class defaults msi=auto, msix=auto. Its
 * intrs and slots properties are copied into the xHCI core by
 * nec_xhci_instance_init — before any -device value or -global is set —
 * so the core always has the defaults, 16 interrupters and 64 slots (and
 * MSI, when on, 16 vectors); up to 7.2 the same holds for
 * superspeed-ports-first and force-pcie-endcap (nec->flags).
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
import { type BuildContext, type BuiltDevice, type DeviceModel, propBool, propNumber, propValue } from './model.js';

/** qemu_xhci_class_init: PCI_VENDOR_ID_REDHAT, PCI_DEVICE_ID_REDHAT_XHCI, revision 1; nec_xhci_class_init: PCI_VENDOR_ID_NEC, PCI_DEVICE_ID_NEC_UPD720200, revision 3. PCI_CLASS_SERIAL_USB. */
const IDS: Record<string, { vendorId: number; deviceId: number; revision: number; msiDefault: string }> = {
  'qemu-xhci': { vendorId: 0x1b36, deviceId: 0x000d, revision: 0x01, msiDefault: 'off' },
  'nec-usb-xhci': { vendorId: 0x1033, deviceId: 0x0194, revision: 0x03, msiDefault: 'auto' },
};
const CLASS_SERIAL_USB = 0x0c03;
/** XHCI_MAXINTRS and XHCI_MAXSLOTS, which qemu_xhci_instance_init sets; XHCI_MAXPORTS_2/3. */
const NUM_INTRS = 16;
const NUM_SLOTS = 64;
const MAX_PORTS_PER_KIND = 15;
/** XHCI_LEN_REGS, and where the MSI-X table and PBA sit in it (OFF_MSIX_TABLE/PBA). */
const LEN_REGS = 0x4000;
const MSIX_TABLE = 0x3000;
const MSIX_PBA = 0x3800;
const MSI_CAP = 0x70;
const MSIX_CAP = 0x90;
const EXP_CAP = 0xa0;
/** Serial Bus Release Number register: USB 3.0. */
const SBRN = 0x60;

function buildXhci(driver: string, ctx: BuildContext): BuiltDevice {
  const notes: string[] = [];
  const ids = IDS[driver];
  const cs = createConfigSpace({
    vendorId: ids.vendorId, deviceId: ids.deviceId, revision: ids.revision, classId: CLASS_SERIAL_USB, multifunction: propBool(ctx, 'multifunction'),
  }, PCI.EXPRESS_CONFIG_SPACE_SIZE);
  const c = cs.config;
  c[PCI.CLASS_PROG] = 0x30; // xHCI
  c[PCI.INTERRUPT_PIN] = 1;
  // usb_xhci_pci_realize sets cache line size 0x10, but pci_do_device_reset clears it at machine reset.
  c[SBRN] = 0x30;
  // msi=auto falls back silently only where MSI is broken; x86 has it.
  if ((propValue(ctx, 'msi') ?? ids.msiDefault) !== 'off') msiInit(cs, MSI_CAP, NUM_INTRS, true, false);
  registerBar(cs, 0, PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_TYPE_64, LEN_REGS, 'xHCI registers (and MSI-X table/PBA)');
  if (ctx.bus.express) {
    pcieEndpointCapInit(cs, { onRootBus: ctx.bus.root, ...pcieCapOptionsOf(ctx) }, EXP_CAP);
  }
  if ((propValue(ctx, 'msix') ?? 'auto') !== 'off') msixInit(cs, NUM_INTRS, 0, MSIX_TABLE, 0, MSIX_PBA, MSIX_CAP);
  const rom = addOptionRom(cs, ctx, undefined, 'xhci', notes);
  const ports = Math.min(propNumber(ctx, 'p2', 4), MAX_PORTS_PER_KIND) + Math.min(propNumber(ctx, 'p3', 4), MAX_PORTS_PER_KIND);
  notes.push(`${ports} ports, ${NUM_SLOTS} slots, ${NUM_INTRS} interrupters in the migrated state`);
  return { cs, notes, ramBlocks: rom ? [rom] : [], streamShape: { ports, slots: NUM_SLOTS, interrupters: NUM_INTRS } };
}

export const qemuXhci: DeviceModel = {
  drivers: ['qemu-xhci'],
  families: ['pci-device', 'qemu-xhci'],
  sectionName: 'xhci',
  configField: 'parent_obj',
  typeChain: () => {
    const { pci, vdev } = deviceFamily('qemu-xhci').typeChains;
    return [...pci, ...vdev];
  },
  // qemu_xhci_instance_init runs after the class defaults: MSI off.
  instanceDefaults: () => ({ msi: 'off' }),
  build: buildXhci,
};

export const necUsbXhci: DeviceModel = {
  drivers: ['nec-usb-xhci'],
  families: ['pci-device', 'qemu-xhci', 'nec-usb-xhci'],
  sectionName: 'xhci',
  configField: 'parent_obj',
  typeChain: () => {
    const { pci, vdev } = deviceFamily('nec-usb-xhci').typeChains;
    return [...pci, ...vdev];
  },
  build: buildXhci,
};
