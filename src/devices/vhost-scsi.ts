/**
 * vhost-scsi-pci, a virtio-scsi whose data path is the host kernel's LIO
 * target. QEMU: vhost_scsi_pci_realize (hw/virtio/vhost-scsi-pci.c:
 * num_queues auto = one per vCPU after the 2 fixed queues, vectors =
 * num_queues + 3), vhost_scsi_realize (hw/scsi/vhost-scsi.c: the wwpn
 * check, /dev/vhost-scsi, the migration blocker unless migratable=on) and
 * virtio_scsi_common_realize (config sizeof(VirtIOSCSIConfig) = 36).
 *
 * Modelled from QEMU's source, not probed (the family data says
 * "probed": false): no /dev/vhost-scsi on these machines.
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { type AddedBlocker, type BuildContext, propNumber, propValue } from './model.js';
import { type PropertyValues } from './properties.js';
import { optimalNumQueues, virtioPciModel } from './virtio-pci-device.js';

/** VIRTIO_SCSI_AUTO_NUM_QUEUES (UINT32_MAX), VIRTIO_SCSI_VQ_NUM_FIXED (control, event). */
const AUTO_NUM_QUEUES = 0xffffffff;
const VQ_NUM_FIXED = 2;

const numQueues = (ctx: BuildContext) => {
  const n = propNumber(ctx, 'num_queues', AUTO_NUM_QUEUES);
  return n === AUTO_NUM_QUEUES ? optimalNumQueues(ctx, VQ_NUM_FIXED) : n;
};

/** vhost_scsi_realize: the wwpn is checked first, before the vhost device is opened. */
function validate(ctx: BuildContext): void {
  if (propValue(ctx, 'wwpn') === undefined) throw new RealizeError('vhost-scsi: missing wwpn');
}

/** The text of the blocker vhost_scsi_realize adds unless migratable=on (the same in 5.2 … 10.2.2). */
export const VHOST_SCSI_BLOCKER = 'vhost-scsi does not support migration in all cases. When external environment supports it '
  + '(Orchestrator migrates target SCSI device state or use shared storage over network), set \'migratable\' property to true to enable migration.';

export const vhostScsi = {
  ...virtioPciModel({
    family: 'vhost-scsi',
    sectionName: 'virtio-vhost_scsi',
    features: () => [],
    defaultVectors: (ctx) => numQueues(ctx) + VQ_NUM_FIXED + 1,
    validate,
    assumptions: (ctx) => [`the host has /dev/vhost-scsi${propValue(ctx, 'vhostfd') ? ' (or the vhostfd given is one)' : ''} and LIO target ${propValue(ctx, 'wwpn') ?? ''} on both hosts`],
  }),
  /**
   * migratable=off: the source refuses the migrate command with the
   * blocker's text. migratable=on: the operator vouches for the target's
   * state; the stream is the virtio state and config space, which are modelled.
   */
  addedBlocker: (props: PropertyValues): AddedBlocker => ({
    message: VHOST_SCSI_BLOCKER,
    condition: 'migratable=off: vhost_scsi_realize adds a migration blocker',
    applies: props.get('migratable')?.value !== 'true' && props.get('migratable')?.value !== 'on',
  }),
};
