/**
 * vhost-user-fs-pci, virtio-fs served by a vhost-user back-end (virtiofsd).
 * QEMU: vhost_user_fs_pci_realize (hw/virtio/vhost-user-fs-pci.c) — only a
 * non-transitional type exists, so modern-only; vectors default to
 * num-request-queues + 2; class "storage/other". vuf_device_realize
 * (hw/virtio/vhost-user-fs.c) checks chardev, tag and queues before it
 * connects to the back-end. The tag lives in the virtio config, in the
 * modern BAR, not in PCI config space.
 *
 * Modelled from QEMU's source, not probed (the family data says
 * "probed": false): the harness has no virtiofsd and no shared guest RAM.
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { inRange } from '../profiles/versions.js';
import { type BuildContext, propNumber, propValue } from './model.js';
import { type PropertyValues } from './properties.js';
import { virtioPciModel } from './virtio-pci-device.js';

/** sizeof_field(struct virtio_fs_config, tag). */
const TAG_MAX = 36;
/** VIRTQUEUE_MAX_SIZE. */
const QUEUE_MAX = 1024;

function validate(ctx: BuildContext): void {
  if (propValue(ctx, 'chardev') === undefined) throw new RealizeError('missing chardev');
  const tag = propValue(ctx, 'tag');
  if (tag === undefined) throw new RealizeError('missing tag property');
  const len = Buffer.byteLength(tag, 'utf8');
  if (len === 0) throw new RealizeError('tag property cannot be empty');
  if (len > TAG_MAX) throw new RealizeError(`tag property must be ${TAG_MAX} bytes or less`);
  if (propNumber(ctx, 'num-request-queues', 1) === 0) throw new RealizeError('num-request-queues property must be larger than 0');
  const size = propNumber(ctx, 'queue-size', 128);
  if (!Number.isInteger(Math.log2(size))) throw new RealizeError('queue-size property must be a power of 2');
  if (size > QUEUE_MAX) throw new RealizeError(`queue-size property must be ${QUEUE_MAX} or smaller`);
}

/**
 * Up to 7.2 the vmsd is .unmigratable. From the 10.0.13 source on, the
 * back-end's own state travels in the vhost-user-fs-backend subsection,
 * which works only with a virtiofsd that supports it
 * (vuf_check_migration_support): not a property of the VM description.
 */
function migrationBlocker(srcRelease: string, _props: PropertyValues) {
  if (inRange(srcRelease, undefined, '7.2')) return { kind: 'blocked' as const, why: 'the vhost-user-fs vmsd is .unmigratable' };
  if (inRange(srcRelease, '10.0')) {
    return { kind: 'unmodelled' as const, why: 'the back-end\'s state migrates through QEMU only with a virtiofsd that supports it (else the source fails: "Back-end of vhost-user-fs device … does not support migration through qemu")' };
  }
  return { kind: 'source-fails' as const, why: 'vhost-user-fs migration between 7.2 (unmigratable) and 10.0 (back-end state) was not read from source' };
}

export const vhostUserFs = {
  ...virtioPciModel({
    family: 'vhost-user-fs',
    sectionName: 'vhost-user-fs',
    modernOnly: true,
    features: () => [],
    defaultVectors: (ctx) => propNumber(ctx, 'num-request-queues', 1) + 2,
    validate,
    assumptions: (ctx) => [`a virtiofsd serves chardev ${propValue(ctx, 'chardev') ?? ''} on both hosts, with guest RAM shared (memory-backend with share=on)`],
  }),
  migrationBlocker,
};
