/**
 * virtio-scsi-pci. QEMU: hw/virtio/virtio-scsi-pci.c — num_queues auto =
 * one per vCPU (after the 2 fixed control/event queues), vectors =
 * num_queues + 2 fixed + 1 config.
 */
import { propNumber, type BuildContext } from './model.js';
import { optimalNumQueues, virtioPciModel } from './virtio-pci-device.js';

const AUTO_NUM_QUEUES = 0xffffffff; // VIRTIO_SCSI_AUTO_NUM_QUEUES (UINT32_MAX)
const VQ_NUM_FIXED = 2;

function scsiNumQueues(ctx: BuildContext): number {
  const n = propNumber(ctx, 'num_queues', 1);
  return n === AUTO_NUM_QUEUES ? optimalNumQueues(ctx, VQ_NUM_FIXED) : n;
}

export const virtioScsi = virtioPciModel({
  family: 'virtio-scsi',
  sectionName: 'virtio-scsi',
  features: () => [],
  defaultVectors: (ctx) => scsiNumQueues(ctx) + VQ_NUM_FIXED + 1,
});
