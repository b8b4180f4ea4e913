/**
 * virtio-9p-pci, a VirtFS export. QEMU: hw/virtio/virtio-9p-pci.c (class
 * 0x0002, vectors 2), hw/9pfs/virtio-9p-device.c virtio_9p_device_realize
 * (the device config is tag_len and the tag: sizeof(struct
 * virtio_9p_config) + strlen(mount_tag)), hw/9pfs/9p.c
 * v9fs_device_realize_common (what it refuses) and v9fs_attach (the
 * migration blocker a guest mount adds).
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { type BuildContext, type AddedBlocker, propValue } from './model.js';
import { type PropertyValues } from './properties.js';
import { virtioPciModel } from './virtio-pci-device.js';

/** hw/9pfs/9p.h MAX_TAG_LEN: the tag and its NUL. */
const MAX_TAG_LEN = 32;
/** struct virtio_9p_config: le16 tag_len, then the tag (no NUL). */
const TAG_LEN_FIELD = 2;

/** The tag's length in bytes, as strlen counts them (UTF-8). */
const tagBytes = (tag: string) => Buffer.byteLength(tag, 'utf8');

/** v9fs_device_realize_common: the fsdev must exist (the description names it), a tag is required and short. */
function validate(ctx: BuildContext): void {
  const fsdev = propValue(ctx, 'fsdev');
  if (fsdev === undefined) throw new RealizeError('9pfs device couldn\'t find fsdev with the id = NULL');
  const tag = propValue(ctx, 'mount_tag');
  if (tag === undefined) throw new RealizeError(`fsdev with id ${fsdev} needs mount_tag arguments`);
  const len = tagBytes(tag);
  if (len > MAX_TAG_LEN - 1) throw new RealizeError(`mount tag '${tag}' (${len} bytes) is longer than maximum (${MAX_TAG_LEN - 1} bytes)`);
}

/**
 * v9fs_attach: the first attach from the guest adds a migration blocker
 * that stays until the device is reset (virtfs_reset), whatever the guest
 * unmounts in between. Its text names the export's host path, which a VM
 * description does not carry (the fsdev's path= on the source host).
 * A guest whose negotiated features are known to be none never ran the
 * driver, so it cannot have attached.
 */
function addedBlocker(props: PropertyValues, guest: { mounted?: boolean; features?: bigint } | undefined): AddedBlocker {
  const tag = props.get('mount_tag')?.value ?? '';
  const fsdev = props.get('fsdev')?.value ?? '';
  return {
    message: `Migration is disabled when VirtFS export path '<path= of -fsdev ${fsdev}>' is mounted in the guest using mount_tag '${tag}'`,
    condition: `fails if the guest has mounted the 9p export (mount_tag '${tag}') since the device was last reset: the source then refuses to migrate ("Migration is disabled when VirtFS export path '…' is mounted in the guest using mount_tag '${tag}'"); say which with guest.mounted`,
    // No negotiated feature (guest_features 0, e.g. a stopped VM that never booted): no driver ran, nothing attached.
    applies: guest?.mounted ?? (guest?.features === 0n ? false : undefined),
  };
}

export const virtio9p = {
  ...virtioPciModel({
    family: 'virtio-9p',
    sectionName: 'virtio-9p',
    features: () => ['VIRTIO_9P_MOUNT_TAG'],
    defaultVectors: () => 2, // a class default (DEFINE_PROP_UINT32 "vectors" 2), never "unspecified"
    validate,
    configSize: (ctx) => TAG_LEN_FIELD + tagBytes(propValue(ctx, 'mount_tag') ?? ''),
    assumptions: (ctx) => [`the -fsdev ${propValue(ctx, 'fsdev') ?? ''} exists on both hosts (realize refuses a missing one)`],
  }),
  addedBlocker,
};
