/**
 * vhost-vsock-pci. QEMU: vhost_vsock_pci_realize (hw/virtio/vhost-vsock-pci.c)
 * — modern-only (virtio_pci_force_virtio_1) unless the machine disables the
 * legacy check (x-disable-legacy-check, hw_compat_5_0: machine types ≤ 5.0
 * keep a transitional device, which is not modelled), 3 vectors (a property
 * default), class "communication/other"; vhost_vsock_device_realize
 * (hw/virtio/vhost-vsock.c) checks guest-cid and opens /dev/vhost-vsock.
 * Three queues of 128 (VHOST_VSOCK_QUEUE_SIZE).
 *
 * Modelled from QEMU's source, not probed: these machines have no
 * /dev/vhost-vsock (the family data says "probed": false).
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { type BuildContext, NotModelledError, propBool, propNumber, propValue } from './model.js';
import { virtioPciModel } from './virtio-pci-device.js';

/** VMADDR_CID_HOST: CIDs 0..2 are reserved. */
const CID_MIN = 3;

function validate(ctx: BuildContext): void {
  if (propBool(ctx, 'x-disable-legacy-check')) {
    throw new NotModelledError('x-disable-legacy-check=on (machine types ≤ 5.0): vhost-vsock-pci stays transitional, which is not modelled');
  }
  // vhost_vsock_device_realize: the CID is checked before the vhost device is opened.
  const cid = propNumber(ctx, 'guest-cid', 0);
  if (cid <= 2) throw new RealizeError(`guest-cid property must be greater than ${CID_MIN - 1}`);
  if (cid > 2 ** 32 - 1) throw new RealizeError('guest-cid property must be a 32-bit number');
}

export const vhostVsock = virtioPciModel({
  family: 'vhost-vsock',
  sectionName: 'virtio-vhost_vsock',
  modernOnly: true,
  features: () => [],
  defaultVectors: () => 3, // a property default, never "unspecified"
  validate,
  assumptions: (ctx) => [
    `the host has /dev/vhost-vsock${propValue(ctx, 'vhostfd') ? ' (or the vhostfd given is one)' : ''} and guest CID ${propNumber(ctx, 'guest-cid', 0)} is free on the destination host`,
  ],
});
