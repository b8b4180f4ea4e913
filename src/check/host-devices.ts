/**
 * Passed-through host devices (vfio-pci) that block migration on the
 * source: QEMU refuses the QMP migrate command with the blocker's text
 * before anything is sent (migration_is_blocked). Each blocked device's
 * report becomes incompatible, with what operators do instead
 * (devices/vfio-pci.ts). Modelled from QEMU's source, not probed.
 */
import { vfioMigrationBlocker, vfioPci, VFIO_ADVICE } from '../devices/vfio-pci.js';
import { type DeviceDescription } from '../inputs/vm.js';
import { type BuiltSide } from './build.js';
import { type QemuLines } from './messages.js';
import { type DeviceReport } from './verdict.js';

/**
 * Sets the verdict of every blocked vfio-pci of the source; returns the
 * line the source prints, from the first blocker QEMU meets. QEMU keeps its
 * blockers in a list it prepends to (migrate_add_blocker), so the device
 * created last is met first; all vfio-pci blockers of one release read
 * alike except for the host address 8.1+ puts in them.
 */
export function hostDeviceBlockers(srcBuilt: BuiltSide[], devices: DeviceReport[], srcDevs: DeviceDescription[], dstDevs: DeviceDescription[]): QemuLines | undefined {
  let first: string | undefined;
  srcBuilt.forEach((b, n) => {
    if (b.kind === 'unknown' && srcDevs[n].driver === 'vfio-pci') {
      const other = dstDevs.find((d) => d.id === devices[n].destinationId);
      const differ = differentHostDevices(srcDevs[n].guest?.config, other?.guest?.config);
      if (differ) devices[n].verdict = differ;
    }
    if (b.kind !== 'built' || b.model !== vfioPci) return;
    const blocker = vfioMigrationBlocker({ props: b.props });
    if (!blocker) return;
    first = blocker;
    devices[n].verdict = {
      kind: 'incompatible', message: blocker,
      mismatches: [{
        offset: 0, length: 0, field: 'migration blocker', source: b.section, destination: '-',
        description: `the source QEMU refuses to start the migration: ${blocker}; instead: ${VFIO_ADVICE.join('; ')}`,
      }],
    };
  });
  return first === undefined ? undefined : { lines: [first], verified: false };
}

/** Header fields pci_init_cmask compares, which come from the host device for vfio-pci. */
const HOST_ID_FIELDS: [number, number, string][] = [
  [0x00, 2, 'Vendor ID'], [0x02, 2, 'Device ID'], [0x08, 1, 'Revision ID'], [0x09, 3, 'Class Code'], [0x0e, 1, 'Header Type'],
  [0x2c, 2, 'Subsystem Vendor ID'], [0x2e, 2, 'Subsystem ID'],
];

const word = (b: Uint8Array, at: number, n: number) => [...b.subarray(at, at + n)].reverse().map((x) => x.toString(16).padStart(2, '0')).join('');

/**
 * With the host devices' config dumps on both sides (lspci -xxx of the VF on
 * each host, as guest.config), the identity registers QEMU compares on load
 * must match: another VF model, revision or firmware (subsystem) fails.
 * Equal identities leave the verdict unknown: the device state the vendor
 * driver migrates is not modelled.
 */
function differentHostDevices(src: Uint8Array | undefined, dst: Uint8Array | undefined): DeviceReport['verdict'] | undefined {
  if (!src || !dst) return undefined;
  const mismatches = HOST_ID_FIELDS.filter(([at, n]) => word(src, at, n) !== word(dst, at, n)).map(([at, n, field]) => ({
    offset: at, length: n, field, source: word(src, at, n), destination: word(dst, at, n),
    description: `${field}: ${word(src, at, n)} → ${word(dst, at, n)} (another host device: use the same VF model and firmware on both hosts)`,
  }));
  if (!mismatches.length) return undefined;
  return {
    kind: 'incompatible', mismatches,
    message: `the passed-through host devices differ (${mismatches.map((m) => m.field).join(', ')}): the destination's device refuses the source's config space`,
  };
}
