/**
 * Devices whose own migration decides the outcome before config space
 * does. QEMU: a device whose vmsd is .unmigratable (nvme up to 10.2)
 * makes qemu_savevm_state_blocked fail, and migrate_prepare refuses the
 * QMP `migrate` command on the SOURCE before a byte is sent: "State
 * blocked by non-migratable device '<section id>'", naming the first such
 * device in registration (creation) order. No destination setting changes
 * that; the device must be unplugged first. A device that migrates with
 * state the model does not know (nvme on 11.x) cannot be called
 * compatible, and one whose migration makes the source fail in a way not
 * modelled exactly (nvme without a namespace on 11.1) is unknown whatever
 * its config space says.
 */
import { type BuiltSide } from './build.js';
import { qemuMessage, type QemuLines } from './messages.js';
import { type DeviceReport } from './verdict.js';

export const UNPLUG_REMEDY = 'unplug the device before migrating (no property or destination setting makes it migratable)';

/**
 * The source's refusal, or undefined when no built source device blocks
 * the migration. Blocking devices get an incompatible verdict, devices
 * with unmodelled state an unknown one where they looked compatible (new
 * objects: verdicts may be shared between VMs).
 */
export function sourceBlocker(srcBuilt: BuiltSide[], devices: DeviceReport[], srcRelease: string): QemuLines | undefined {
  let first: QemuLines | undefined;
  srcBuilt.forEach((b, n) => {
    const m = b.kind === 'built' ? b.model.migrationBlocker?.(srcRelease, b.props) : undefined;
    if (!m || b.kind !== 'built') return;
    if (m.kind === 'source-fails' || (m.kind === 'unmodelled' && devices[n].verdict.kind === 'compatible')) {
      devices[n].verdict = { kind: 'unknown', reason: `${b.model.drivers[0]} on QEMU ${srcRelease}: ${m.why}` };
    }
    if (m.kind !== 'blocked') return;
    const lines = qemuMessage(srcRelease, 'migrationBlocked', { section: b.section });
    first ??= lines;
    devices[n].verdict = {
      kind: 'incompatible', message: lines.lines[0],
      mismatches: [{
        offset: 0, length: 0, field: 'migration blocker', source: b.section, destination: '-',
        description: `the source QEMU refuses to start the migration: ${m.why}; remedy: ${UNPLUG_REMEDY}`,
      }],
    };
  });
  return first;
}
