/**
 * virtio-net-pci. QEMU: hw/virtio/virtio-net-pci.c (vectors = 2 × netdev
 * queues + 2), hw/net/virtio-net.c virtio_net_device_realize and
 * virtio_net_set_config_size (MAC always; status, mq, mtu, speed/duplex,
 * rss/hash grow the config).
 */
import { propBool, propNumber, propValue } from './model.js';
import { virtioPciModel } from './virtio-pci-device.js';

export const virtioNet = virtioPciModel({
  family: 'virtio-net',
  sectionName: 'virtio-net',
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
