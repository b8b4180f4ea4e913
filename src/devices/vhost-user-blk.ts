/**
 * vhost-user-blk-pci, a virtio-blk served by a vhost-user back-end
 * (qemu-storage-daemon, SPDK …). QEMU: vhost_user_blk_pci_realize
 * (hw/virtio/vhost-user-blk-pci.c: num-queues auto = one per vCPU, vectors
 * = num-queues + 1, class storage/SCSI unless the class property says
 * otherwise) and vhost_user_blk_device_realize (hw/block/vhost-user-blk.c:
 * what it refuses before connecting, the config size). The device config's
 * contents are the back-end's (VHOST_USER_GET_CONFIG); only its size shapes
 * PCI config space (the legacy I/O BAR).
 *
 * Modelled from QEMU's source, not probed (the family data says
 * "probed": false).
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { inRange } from '../profiles/versions.js';
import { type BuildContext, NotModelledError, propBool, propNumber, propValue } from './model.js';
import { optimalNumQueues, virtioPciModel } from './virtio-pci-device.js';

/** VHOST_USER_BLK_AUTO_NUM_QUEUES (UINT16_MAX). */
const AUTO_NUM_QUEUES = 65535;
/** VIRTIO_QUEUE_MAX and VIRTQUEUE_MAX_SIZE. */
const QUEUE_MAX = 1024;

const numQueues = (ctx: BuildContext) => {
  const n = propNumber(ctx, 'num-queues', AUTO_NUM_QUEUES);
  return n === AUTO_NUM_QUEUES ? optimalNumQueues(ctx, 0) : n;
};

/** vhost_user_blk_device_realize, up to vhost_user_init: 5.2 prefixed its messages with "vhost-user-blk: ". */
function validate(ctx: BuildContext): void {
  const prefix = inRange(ctx.release, undefined, '5.2') ? 'vhost-user-blk: ' : '';
  if (propValue(ctx, 'chardev') === undefined) throw new RealizeError(`${prefix}chardev is mandatory`);
  const n = numQueues(ctx);
  if (n === 0 || n > QUEUE_MAX) throw new RealizeError(`${prefix}invalid number of IO queues`);
  const size = propNumber(ctx, 'queue-size', 128);
  if (size === 0) throw new RealizeError(`${prefix}queue size must be non-zero`);
  if (size > QUEUE_MAX && !inRange(ctx.release, undefined, '5.2')) throw new RealizeError(`queue size must not exceed ${QUEUE_MAX}`);
  if (propBool(ctx, 'inflight-migration')) throw new NotModelledError('inflight-migration=on: the in-flight request state in the stream is not modelled');
}

export const vhostUserBlk = {
  ...virtioPciModel({
    family: 'vhost-user-blk',
    sectionName: 'vhost-user-blk',
    features: (ctx) => [
      ...(propBool(ctx, 'discard') ? ['VIRTIO_BLK_F_DISCARD'] : []),
      ...(propBool(ctx, 'write-zeroes') ? ['VIRTIO_BLK_F_WRITE_ZEROES'] : []),
    ],
    defaultVectors: (ctx) => numQueues(ctx) + 1,
    validate,
    // virtio_pci_device_plugged: a non-zero class_code replaces the class word, unchecked.
    classId: (ctx, def) => Number(propValue(ctx, 'class') ?? 0) || def,
    assumptions: (ctx) => [`a vhost-user back-end serves chardev ${propValue(ctx, 'chardev') ?? ''} on both hosts, with guest RAM shared`],
  }),
  /**
   * The vmsd migrates only the virtio state, but the back-end decides:
   * without VHOST_F_LOG_ALL vhost_dev_init adds a migration blocker on the
   * source, and the disk behind it must be reachable from both hosts.
   */
  migrationBlocker: () => ({
    kind: 'unmodelled' as const,
    why: 'whether the vhost-user back-end supports migration (dirty logging, VHOST_F_LOG_ALL; else "Migration disabled: vhost lacks VHOST_F_LOG_ALL feature.") and shares the disk is not in the description',
  }),
};
