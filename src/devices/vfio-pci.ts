/**
 * vfio-pci: a host PCI device (often an SR-IOV VF) passed through. Its
 * config space is the host device's, read through VFIO at start, so
 * compat-check cannot build it; what it can say is whether QEMU lets such
 * a VM migrate at all. QEMU: vfio_realize (hw/vfio/pci.c) calls the
 * migration setup only when the device has no failover_pair_id;
 * vfio_migration_probe (hw/vfio/migration.c, 5.2 and 7.2) adds the
 * migration blocker "VFIO device doesn't support migration" unless
 * x-enable-migration=on (default off) and the host driver offers the
 * experimental v1 migration region; vfio_migration_realize (8.1+: 10.0.13,
 * 10.2.2) tries migration by default (enable-migration=auto) and blocks it
 * with "<host>: Migration is disabled for VFIO device" when
 * enable-migration=off. The source refuses the QMP migrate command with the
 * first blocker's text (migration_is_blocked).
 *
 * Modelled from QEMU's source, not probed: there is no VFIO device here.
 */
import { createConfigSpace } from '../config-space/config-space.js';
import { PCI } from '../config-space/regs.js';
import { deviceFamily } from '../profiles/data.js';
import { type BuildContext, type BuiltDevice, type DeviceModel, NotModelledError, propValue } from './model.js';

/** What operators do instead, for every vfio-pci verdict that is not a plain yes. */
export const VFIO_ADVICE = [
  'to live-migrate with a VF: give it failover_pair_id=<a virtio-net-pci with failover=on> so the guest bonds both and QEMU unplugs the VF before migrating, then plugs the destination\'s VF',
  'or unplug the device before migrating and plug the destination host\'s device afterwards',
  'migrating the VF itself needs QEMU 8.1+ and a vendor VFIO variant driver with migration support (e.g. mlx5_vfio_pci), the same VF model and firmware on both hosts',
];

const on = (v: string | undefined) => v !== undefined && ['on', 'true', 'yes', 'y'].includes(v.toLowerCase());

/** vbasedev->name: the basename of the sysfs path, i.e. the host address with its PCI domain. */
function hostName(ctx: Pick<BuildContext, 'props'>): string {
  const sysfs = propValue(ctx, 'sysfsdev');
  if (sysfs) return sysfs.replace(/\/+$/, '').split('/').pop() ?? sysfs;
  const host = propValue(ctx, 'host') ?? '';
  return /^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(host) ? `0000:${host.toLowerCase()}` : host.toLowerCase();
}

/**
 * The migration blocker this vfio-pci adds on the source, in QEMU's words,
 * or undefined when QEMU tries to migrate it (or unplugs it for failover).
 */
export function vfioMigrationBlocker(ctx: Pick<BuildContext, 'props'>): string | undefined {
  if (propValue(ctx, 'failover_pair_id')) return undefined;
  if (propValue(ctx, 'enable-migration') !== undefined) {
    // 8.1+: OnOffAuto, default auto (vfio_migration_realize).
    return propValue(ctx, 'enable-migration') === 'off' ? `${hostName(ctx)}: Migration is disabled for VFIO device` : undefined;
  }
  // 5.2-8.0: x-enable-migration, default off (vfio_migration_probe's add_blocker).
  return on(propValue(ctx, 'x-enable-migration')) ? undefined : "VFIO device doesn't support migration";
}

function buildVfioPci(ctx: BuildContext): BuiltDevice {
  if (!propValue(ctx, 'host') && !propValue(ctx, 'sysfsdev')) {
    throw new NotModelledError('vfio-pci without host= or sysfsdev= (a file descriptor or iommufd): not modelled');
  }
  const blocker = vfioMigrationBlocker(ctx);
  if (!blocker) {
    const why = propValue(ctx, 'failover_pair_id')
      ? `failover_pair_id=${propValue(ctx, 'failover_pair_id')}: QEMU unplugs the device before migrating (the guest must acknowledge it) and it is not in the stream; whether the guest does is not modelled`
      : propValue(ctx, 'enable-migration') !== undefined
        ? 'QEMU migrates it only if the host\'s VFIO driver supports migration (a vendor variant driver) and dirty tracking; its config space and device state come from the host device, which compat-check cannot see'
        : 'x-enable-migration=on: the experimental VFIO v1 migration region of the host kernel (removed from Linux 6.2) is not modelled';
    throw new NotModelledError(`vfio-pci ${hostName(ctx)}: ${why}. ${VFIO_ADVICE.join('; ')}`);
  }
  // A blocked device: nothing of it is sent. Its config space is the host's; an empty header stands in.
  const cs = createConfigSpace({ vendorId: 0xffff, deviceId: 0xffff, revision: 0, classId: 0 }, PCI.CONFIG_SPACE_SIZE);
  return {
    cs,
    notes: [`the source QEMU blocks migration: "${blocker}"`, ...VFIO_ADVICE],
    assumptions: ['config space of a passed-through device comes from the host: not modelled (modelled from QEMU\'s source, not probed)'],
  };
}

export const vfioPci: DeviceModel = {
  drivers: ['vfio-pci'],
  families: ['pci-device', 'vfio-pci'],
  sectionName: 'vfio-pci',
  typeChain: () => deviceFamily('vfio-pci').typeChains.pci,
  build: (_driver, ctx) => buildVfioPci(ctx),
};
