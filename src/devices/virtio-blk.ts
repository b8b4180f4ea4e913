/**
 * virtio-blk-pci. QEMU: hw/virtio/virtio-blk-pci.c (vectors = num-queues
 * + 1, num-queues auto = one per vCPU), hw/block/virtio-blk.c (config
 * length grows with discard, write-zeroes, secure-erase).
 */
import { propBool, propNumber, propValue, type BuildContext } from './model.js';
import { type PropertyValues } from './properties.js';
import { optimalNumQueues, virtioPciModel } from './virtio-pci-device.js';
import { compareReleases } from '../profiles/versions.js';

/** VIRTIO_BLK_AUTO_NUM_QUEUES (UINT16_MAX): "one per vCPU". */
const AUTO_NUM_QUEUES = 65535;

export function blkNumQueues(ctx: BuildContext): number {
  const n = propNumber(ctx, 'num-queues', 1);
  return n === AUTO_NUM_QUEUES ? optimalNumQueues(ctx, 0) : n;
}

/**
 * virtio_blk_device_realize: num-queues queues of queue-size entries.
 * QEMU 11.1's virtio_load refuses a source queue beyond the destination's
 * count (check/post-load.ts).
 */
function virtqueueSizes(props: PropertyValues, smp: () => number): number[] {
  const n = Number(props.get('num-queues')?.value ?? 1);
  const count = n === AUTO_NUM_QUEUES ? optimalNumQueues({ smp: smp() }, 0) : n;
  return Array<number>(count).fill(Number(props.get('queue-size')?.value ?? 256));
}

const virtioBlkPci = virtioPciModel({
  family: 'virtio-blk',
  sectionName: 'virtio-blk',
  features: (ctx) => [
    ...(propBool(ctx, 'discard') ? ['VIRTIO_BLK_F_DISCARD'] : []),
    ...(propBool(ctx, 'write-zeroes') ? ['VIRTIO_BLK_F_WRITE_ZEROES'] : []),
    ...(propBool(ctx, 'secure-erase') ? ['VIRTIO_BLK_F_SECURE_ERASE'] : []),
  ],
  defaultVectors: (ctx) => blkNumQueues(ctx) + 1,
  // 8.1+: a zoned backend adds VIRTIO_BLK_F_ZONED and grows the config to 96 bytes (virtio_blk_device_realize).
  assumptions: (ctx) => (compareReleases(ctx.release, '8.1') >= 0 ? ['the drive is not a zoned block device'] : []),
  // virtio_pci_device_plugged: a non-zero class_code replaces the class word.
  classId: (ctx, def) => Number(propValue(ctx, 'class') ?? 0) || def,
});

export const virtioBlk = { ...virtioBlkPci, virtqueueSizes };
