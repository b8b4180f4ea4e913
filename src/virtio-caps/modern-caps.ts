/**
 * The modern (virtio 1.0) vendor-specific capabilities and memory BAR.
 * QEMU: virtio_pci_realize (region layout), virtio_pci_modern_region_map,
 * virtio_pci_add_mem_cap and the modern branch of virtio_pci_device_plugged
 * (hw/virtio/virtio-pci.c).
 */
import { type ConfigSpace, setLE } from '../config-space/config-space.js';
import { addCapability, type CapField } from '../config-space/capability.js';
import { registerBar } from '../config-space/bar.js';
import { PCI_BASE_ADDRESS, PCI_CAP_ID } from '../config-space/regs.js';

/** virtio spec cfg_type values. */
export const VIRTIO_PCI_CAP = { COMMON_CFG: 1, NOTIFY_CFG: 2, ISR_CFG: 3, DEVICE_CFG: 4, PCI_CFG: 5 } as const;

const CAP_NAMES: Record<number, string> = {
  1: 'virtio common-cfg', 2: 'virtio notify', 3: 'virtio ISR', 4: 'virtio device-cfg', 5: 'virtio pci-cfg',
};

/** struct virtio_pci_cap is 16 bytes; notify and pci-cfg caps add a dword (20). */
const VIRTIO_PCI_CAP_LEN = 16;
const VIRTIO_PCI_CAP_EXT_LEN = 20;
export const VIRTIO_QUEUE_MAX = 1024;
/** QEMU_VIRTIO_PCI_QUEUE_MEM_MULT: the notify stride with page-per-vq. */
const QUEUE_MEM_MULT_PAGE = 0x1000;

export const LEGACY_IO_BAR = 0;
export const MSIX_BAR = 1;
export const MODERN_IO_BAR = 2;
export const MODERN_MEM_BAR = 4;

interface Region { type: number; offset: number; size: number }

function capFields(kind: string, extra?: string): CapField[] {
  const f: CapField[] = [
    { at: 2, length: 1, name: `${kind} capability length` },
    { at: 3, length: 1, name: `${kind} capability cfg_type` },
    { at: 4, length: 1, name: `${kind} capability BAR` },
    { at: 5, length: 3, name: `${kind} capability id/padding` },
    { at: 8, length: 4, name: `${kind} capability offset` },
    { at: 12, length: 4, name: `${kind} capability length field` },
  ];
  if (extra) f.push({ at: 16, length: 4, name: `${kind} ${extra}` });
  return f;
}

/** QEMU: virtio_pci_add_mem_cap — one vendor capability describing a region. */
function addMemCap(cs: ConfigSpace, capLen: number, r: Region, bar: number, extra?: { name: string; value: number }): number {
  const kind = CAP_NAMES[r.type];
  const pos = addCapability(cs, PCI_CAP_ID.VNDR, 0, capLen, kind, capFields(kind, extra?.name));
  cs.config[pos + 2] = capLen;
  cs.config[pos + 3] = r.type;
  cs.config[pos + 4] = bar;
  setLE(cs.config, pos + 8, 4, r.offset);
  setLE(cs.config, pos + 12, 4, r.size);
  if (extra) setLE(cs.config, pos + 16, 4, extra.value);
  return pos;
}

export interface ModernOptions {
  pagePerVq: boolean;
  modernPioNotify: boolean;
}

/** Where a region lies in the modern memory BAR. */
export interface Span { offset: number; size: number }

/** The four regions of the modern memory BAR (VirtIOPCIProxy common/isr/device/notify). */
export interface ModernRegions { common: Span; isr: Span; device: Span; notify: Span }

/**
 * The BARs and regions a device's realize may rearrange (virtio-vga moves
 * the modern BAR to 2 and the MSI-X BAR to 4, and its regions to the end of
 * the BAR). QEMU: virtio_pci_realize sets the defaults.
 */
export interface ModernLayout { memBar: number; ioBar: number; regions: ModernRegions }

/** Notify stride: 4 bytes per queue, or a page per queue with page-per-vq. */
export function queueMemMult(o: ModernOptions): number {
  return o.pagePerVq ? QUEUE_MEM_MULT_PAGE : 4;
}

/** virtio_pci_realize: common, ISR and device regions of 4 KiB, then the notify area. */
export function defaultRegions(o: ModernOptions): ModernRegions {
  return {
    common: { offset: 0x0, size: 0x1000 },
    isr: { offset: 0x1000, size: 0x1000 },
    device: { offset: 0x2000, size: 0x1000 },
    notify: { offset: 0x3000, size: queueMemMult(o) * VIRTIO_QUEUE_MAX },
  };
}

/** The modern memory BAR: pow2ceil of the default regions' end (fixed before any device realize). */
export function modernBarSize(o: ModernOptions): number {
  const { notify } = defaultRegions(o);
  return 2 ** Math.ceil(Math.log2(notify.offset + notify.size));
}

export function defaultLayout(o: ModernOptions): ModernLayout {
  return { memBar: MODERN_MEM_BAR, ioBar: MODERN_IO_BAR, regions: defaultRegions(o) };
}

/**
 * Adds common, ISR, device and notify caps (and the PIO notify cap and its
 * 4-byte I/O BAR with modern-pio-notify), registers the 64-bit
 * prefetchable modern BAR, then the pci-cfg access cap whose BAR, offset,
 * length and data fields the guest may write.
 */
export function addModernCaps(cs: ConfigSpace, o: ModernOptions, layout: ModernLayout = defaultLayout(o)): void {
  const mult = queueMemMult(o);
  const { memBar, ioBar, regions: r } = layout;
  addMemCap(cs, VIRTIO_PCI_CAP_LEN, { type: VIRTIO_PCI_CAP.COMMON_CFG, ...r.common }, memBar);
  addMemCap(cs, VIRTIO_PCI_CAP_LEN, { type: VIRTIO_PCI_CAP.ISR_CFG, ...r.isr }, memBar);
  addMemCap(cs, VIRTIO_PCI_CAP_LEN, { type: VIRTIO_PCI_CAP.DEVICE_CFG, ...r.device }, memBar);
  addMemCap(cs, VIRTIO_PCI_CAP_EXT_LEN, { type: VIRTIO_PCI_CAP.NOTIFY_CFG, ...r.notify },
    memBar, { name: 'notify_off_multiplier', value: mult });
  if (o.modernPioNotify) {
    registerBar(cs, ioBar, PCI_BASE_ADDRESS.SPACE_IO, 4, 'virtio modern PIO notify');
    addMemCap(cs, VIRTIO_PCI_CAP_EXT_LEN, { type: VIRTIO_PCI_CAP.NOTIFY_CFG, offset: 0, size: 4 },
      ioBar, { name: 'notify_off_multiplier', value: 0 });
  }
  registerBar(cs, memBar,
    PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_PREFETCH | PCI_BASE_ADDRESS.MEM_TYPE_64,
    modernBarSize(o), 'virtio modern memory (common/ISR/device/notify)');
  const cfg = addMemCap(cs, VIRTIO_PCI_CAP_EXT_LEN, { type: VIRTIO_PCI_CAP.PCI_CFG, offset: 0, size: 0 }, 0,
    { name: 'pci_cfg_data', value: 0 });
  // The access window: bar, offset, length and data are the guest's to set.
  cs.wmask[cfg + 4] = 0xff;
  cs.wmask.fill(0xff, cfg + 8, cfg + 20);
}
