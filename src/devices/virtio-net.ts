/**
 * virtio-net-pci. QEMU: hw/virtio/virtio-net-pci.c (vectors = 2 × netdev
 * queues + 2), hw/net/virtio-net.c virtio_net_device_realize and
 * virtio_net_set_config_size (MAC always; status, mq, mtu, speed/duplex,
 * rss/hash grow the config).
 */
import { type BuildContext, NotModelledError, propBool, propNumber, propValue } from './model.js';
import { virtioPciModel } from './virtio-pci-device.js';
import { compareReleases } from '../profiles/versions.js';
import { RealizeError } from '../virtio-caps/transport.js';

/** VIRTIO_NET_RX/TX_QUEUE_MIN_SIZE, VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE and VIRTQUEUE_MAX_SIZE. */
const QUEUE_MIN = 256;
const TX_DEFAULT = 256;
const QUEUE_MAX = 1024;
/** Backends whose vhost reports a larger tx maximum (virtio_net_max_tx_queue_size). */
const TX_1024_BACKENDS = new Set(['vhost-user', 'vhost-vdpa']);

const isPowerOf2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/**
 * virtio_net_device_realize's queue-size checks. rx: a power of 2 in
 * 256..1024 on every release. tx: up to 8.0 the same range, then silently
 * clamped to what the backend supports (256 but for vhost-user); from 8.2
 * (QEMU bug 2040509, mid-2023: in 8.1 or 8.2, not verified which — both give
 * unknown) realize refuses more than the backend's maximum: "must be a power
 * of 2 between 256 and 256" for tap, user and every non-vhost-user/vdpa peer.
 * Verified: 7.2.22 starts with tx_queue_size=1024, 10.0.13 and 11.1.3 refuse.
 */
function validateQueueSizes(ctx: BuildContext): void {
  const rx = propNumber(ctx, 'rx_queue_size', QUEUE_MIN);
  if (rx < QUEUE_MIN || rx > QUEUE_MAX || !isPowerOf2(rx)) {
    throw new RealizeError(`Invalid rx_queue_size (= ${rx}), must be a power of 2 between ${QUEUE_MIN} and ${QUEUE_MAX}.`);
  }
  const tx = propNumber(ctx, 'tx_queue_size', TX_DEFAULT);
  if (tx >= QUEUE_MIN && tx <= TX_DEFAULT && isPowerOf2(tx)) return;
  const max = txMax(ctx);
  if (max === undefined) {
    throw new NotModelledError(compareReleases(ctx.release, '8.2') < 0
      ? `tx_queue_size=${tx} on QEMU ${ctx.release}: whether realize refuses it (8.1 or 8.2 began to) is not verified`
      : `tx_queue_size=${tx} needs a vhost-user or vhost-vdpa backend on QEMU ${ctx.release} (any other is refused): say the NIC's backend.type`);
  }
  if (tx > max || !isPowerOf2(tx)) throw new RealizeError(`Invalid tx_queue_size (= ${tx}), must be a power of 2 between ${QUEUE_MIN} and ${max}`);
}

/** The upper bound realize checks tx_queue_size against; undefined where it depends on what is not known. */
function txMax(ctx: BuildContext): number | undefined {
  if (compareReleases(ctx.release, '8.1') < 0) return QUEUE_MAX;
  if (compareReleases(ctx.release, '8.2') < 0 || ctx.nicBackend === undefined) return undefined;
  return TX_1024_BACKENDS.has(ctx.nicBackend) ? QUEUE_MAX : TX_DEFAULT;
}

export const virtioNet = virtioPciModel({
  family: 'virtio-net',
  sectionName: 'virtio-net',
  validate: validateQueueSizes,
  features: (ctx) => [
    'VIRTIO_NET_F_MAC',
    ...(propBool(ctx, 'status') ? ['VIRTIO_NET_F_STATUS'] : []),
    ...(propBool(ctx, 'mq') ? ['VIRTIO_NET_F_MQ'] : []),
    ...(propNumber(ctx, 'host_mtu', 0) ? ['VIRTIO_NET_F_MTU'] : []),
    ...(propValue(ctx, 'duplex') || propNumber(ctx, 'speed', -1) >= 0 ? ['VIRTIO_NET_F_SPEED_DUPLEX'] : []),
    ...(propBool(ctx, 'rss') ? ['VIRTIO_NET_F_RSS'] : []),
    ...(propBool(ctx, 'hash') ? ['VIRTIO_NET_F_HASH_REPORT'] : []),
  ],
  defaultVectors: (ctx) => 2 * Math.max(ctx.netdevQueues, 1) + 2,
  romfile: 'efi-virtio.rom',
});
