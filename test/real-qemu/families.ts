// The families test/real-qemu/device-probe.test.ts and device-migration.test.ts verify.
import { type FamilyCases } from './cases.js';
import { VIRTIO_INPUT_CASES } from './virtio-input-cases.js';
import { VIRTIO_GPU_CASES } from './virtio-gpu-cases.js';
import { QEMU_XHCI_CASES, NEC_USB_XHCI_CASES } from './qemu-xhci-cases.js';
import { VGA_CASES } from './vga-cases.js';
import { PCI_BRIDGE_CASES } from './pci-bridge-cases.js';
import { E1000_CASES } from './e1000-cases.js';
import { RTL8139_CASES } from './rtl8139-cases.js';
import { E1000E_CASES } from './e1000e-cases.js';
import { I6300ESB_CASES } from './i6300esb-cases.js'; import { PVPANIC_PCI_CASES } from './pvpanic-pci-cases.js'; import { UHCI_CASES } from './uhci-cases.js'; import { EHCI_CASES } from './ehci-cases.js'; import { INTEL_HDA_CASES } from './intel-hda-cases.js'; import { VMXNET3_CASES } from './vmxnet3-cases.js';
import { IOH3420_CASES } from './ioh3420-cases.js';
import { XIO3130_CASES } from './xio3130-cases.js';
import { PXB_CASES } from './pxb-cases.js';
import { QXL_CASES } from './qxl-cases.js';
import { VIRTIO_SERIAL_CASES } from './virtio-serial-cases.js';
import { VIRTIO_9P_CASES } from './virtio-9p-cases.js';
import { VHOST_USER_FS_CASES } from './vhost-user-fs-cases.js';
import { VHOST_USER_BLK_CASES } from './vhost-user-blk-cases.js';
import { VHOST_SCSI_CASES } from './vhost-scsi-cases.js';
import { VIRTQUEUE_COUNT_CASES } from './virtqueue-count-cases.js';
import { VIRTIO_MEM_CASES } from './virtio-mem-cases.js';
import { BOCHS_DISPLAY_CASES } from './bochs-display-cases.js';
import { VIRTIO_IOMMU_CASES } from './virtio-iommu-cases.js';
import { VHOST_VSOCK_CASES } from './vhost-vsock-cases.js';
import { ICH9_AHCI_CASES } from './ich9-ahci-cases.js'; import { LSI53C895A_CASES } from './lsi53c895a-cases.js'; import { MEGASAS_CASES } from './megasas-cases.js'; import { NVME_CASES } from './nvme-cases.js'; import { PIIX3_IDE_CASES } from './piix3-ide-cases.js';

export const DEVICE_FAMILIES: FamilyCases[] = [VIRTIO_INPUT_CASES, VIRTIO_GPU_CASES, QEMU_XHCI_CASES, VGA_CASES, PCI_BRIDGE_CASES, E1000_CASES, RTL8139_CASES, E1000E_CASES];
DEVICE_FAMILIES.push(QXL_CASES, BOCHS_DISPLAY_CASES, VIRTIO_IOMMU_CASES, VHOST_VSOCK_CASES);
DEVICE_FAMILIES.push(IOH3420_CASES, XIO3130_CASES, PXB_CASES);
DEVICE_FAMILIES.push(I6300ESB_CASES, PVPANIC_PCI_CASES, UHCI_CASES, EHCI_CASES, INTEL_HDA_CASES, VMXNET3_CASES, NEC_USB_XHCI_CASES); // misc
DEVICE_FAMILIES.push(ICH9_AHCI_CASES, LSI53C895A_CASES, MEGASAS_CASES, NVME_CASES, PIIX3_IDE_CASES); // storage
DEVICE_FAMILIES.push(VIRTIO_SERIAL_CASES, VIRTIO_9P_CASES, VHOST_USER_FS_CASES, VHOST_USER_BLK_CASES, VHOST_SCSI_CASES, VIRTQUEUE_COUNT_CASES, VIRTIO_MEM_CASES); // virtio-more
import { IVSHMEM_CASES } from './ivshmem-cases.js'; DEVICE_FAMILIES.push(IVSHMEM_CASES); // ivshmem (memory backends)
