/**
 * virtio-scsi-pci. QEMU: hw/virtio/virtio-scsi-pci.c — num_queues auto =
 * one per vCPU (after the 2 fixed control/event queues), vectors =
 * num_queues + 2 fixed + 1 config.
 */
import { propNumber, type BuildContext } from './model.js';
import { type PropertyValues } from './properties.js';
import { optimalNumQueues, virtioPciModel } from './virtio-pci-device.js';

const AUTO_NUM_QUEUES = 0xffffffff; // VIRTIO_SCSI_AUTO_NUM_QUEUES (UINT32_MAX)
const VQ_NUM_FIXED = 2;

function scsiNumQueues(ctx: BuildContext): number {
  const n = propNumber(ctx, 'num_queues', 1);
  return n === AUTO_NUM_QUEUES ? optimalNumQueues(ctx, VQ_NUM_FIXED) : n;
}

/**
 * virtio_scsi_common_realize: the control and event queues, then
 * num_queues request queues, all of virtqueue_size entries. QEMU 11.1's
 * virtio_load refuses a source queue beyond the destination's count
 * (check/post-load.ts).
 */
function virtqueueSizes(props: PropertyValues, smp: () => number): number[] {
  const n = Number(props.get('num_queues')?.value ?? 1);
  const count = VQ_NUM_FIXED + (n === AUTO_NUM_QUEUES ? optimalNumQueues({ smp: smp() }, VQ_NUM_FIXED) : n);
  return Array<number>(count).fill(Number(props.get('virtqueue_size')?.value ?? 256));
}

const virtioScsiPci = virtioPciModel({
  family: 'virtio-scsi',
  sectionName: 'virtio-scsi',
  features: () => [],
  defaultVectors: (ctx) => scsiNumQueues(ctx) + VQ_NUM_FIXED + 1,
});

export const virtioScsi = { ...virtioScsiPci, virtqueueSizes };
