/**
 * Every modelled -device driver. A driver missing here gets the verdict
 * "unknown", never "compatible".
 */
import { type DeviceModel } from './model.js';
import { virtioBlk } from './virtio-blk.js';
import { virtioNet } from './virtio-net.js';
import { virtioScsi } from './virtio-scsi.js';
import { virtioBalloon } from './virtio-balloon.js';
import { virtioSerial } from './virtio-serial.js';
import { virtioRng } from './virtio-rng.js';
import { pcieRootPort } from './pcie-root-port.js';
import { virtioInput } from './virtio-input.js';
import { virtioGpu } from './virtio-gpu.js';
import { virtioVga } from './virtio-vga.js';
import { qemuXhci, necUsbXhci } from './qemu-xhci.js';
import { vga } from './vga.js';
import { pciBridge } from './pci-bridge.js';
import { pciePciBridge } from './pcie-pci-bridge.js';
import { e1000 } from './e1000.js';
import { rtl8139 } from './rtl8139.js';
import { e1000e } from './e1000e.js';
import { i6300esb } from './i6300esb.js'; import { pvpanicPci } from './pvpanic-pci.js'; import { ac97 } from './ac97.js'; import { uhci } from './uhci.js'; import { ehci } from './ehci.js'; import { intelHda } from './intel-hda.js'; import { vmxnet3 } from './vmxnet3.js'; import { ivshmemPlain, ivshmemDoorbell } from './ivshmem.js';
import { ioh3420 } from './ioh3420.js';
import { x3130Upstream, xio3130Downstream } from './xio3130.js';
import { vfioPci } from './vfio-pci.js';
import { pxb } from './pxb.js';
import { qxl } from './qxl.js';
import { bochsDisplay } from './bochs-display.js';
import { virtioIommu } from './virtio-iommu.js';
import { vhostVsock } from './vhost-vsock.js';
import { virtio9p } from './virtio-9p.js';
import { vhostUserFs } from './vhost-user-fs.js';
import { vhostUserBlk } from './vhost-user-blk.js';
import { vhostScsi } from './vhost-scsi.js';
import { virtioMem } from './virtio-mem.js';
import { ich9Ahci } from './ahci.js'; import { lsi53c895a } from './lsi53c895a.js'; import { megasas, megasasGen2 } from './megasas.js'; import { nvme } from './nvme.js'; import { piix3Ide } from './piix3-ide.js';

const MODELS: DeviceModel[] = [
  virtioBlk, virtioNet, virtioScsi, virtioBalloon, virtioSerial, virtioRng, pcieRootPort,
  virtioInput, virtioGpu, virtioVga, qemuXhci, vga, pciBridge, pciePciBridge, e1000, rtl8139, e1000e,
  ioh3420, x3130Upstream, xio3130Downstream, vfioPci, pxb,
  qxl, bochsDisplay, virtioIommu, vhostVsock, // display, virtio
  i6300esb, pvpanicPci, ac97, uhci, ehci, intelHda, vmxnet3, necUsbXhci, ivshmemPlain, ivshmemDoorbell, // misc
  ich9Ahci, lsi53c895a, megasas, megasasGen2, nvme, piix3Ide, // storage
  virtio9p, vhostUserFs, vhostUserBlk, vhostScsi, virtioMem, // virtio-more
];

let byDriver: Map<string, DeviceModel> | undefined;

export function modelFor(driver: string): DeviceModel | undefined {
  byDriver ??= new Map(MODELS.flatMap((m) => m.drivers.map((d) => [d, m] as const)));
  return byDriver.get(driver);
}
