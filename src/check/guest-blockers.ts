/**
 * Migration blockers a device adds on the source with its own text
 * (migrate_add_blocker): at realize (vhost-scsi without migratable=on) or
 * when the running guest uses it (a 9p export it mounts: v9fs_attach). The
 * source then refuses the migrate command with the blocker's text
 * (migration_is_blocked), before anything is sent. Where it depends on
 * what the guest did and the description does not say, the device is at
 * risk, with the condition in words.
 */
import { type DeviceDescription } from '../inputs/vm.js';
import { type BuiltSide } from './build.js';
import { type QemuLines } from './messages.js';
import { type DeviceReport } from './verdict.js';

/** Updates the reports of devices with such a blocker; returns the source's line when one applies. */
export function guestBlockers(srcBuilt: BuiltSide[], devices: DeviceReport[], srcDevs: DeviceDescription[]): QemuLines | undefined {
  let first: string | undefined;
  srcBuilt.forEach((b, n) => {
    if (b.kind !== 'built') return;
    const blocker = b.model.addedBlocker?.(b.props, srcDevs[n].guest);
    if (!blocker || blocker.applies === false) return;
    const report = devices[n];
    if (blocker.applies) {
      // QEMU prepends blockers (migrate_add_blocker): the last one added is met first.
      first = blocker.message;
      report.verdict = {
        kind: 'incompatible', message: blocker.message,
        mismatches: [{ offset: 0, length: 0, field: 'migration blocker', source: b.section, destination: '-', description: `the source QEMU refuses to start the migration: ${blocker.condition}` }],
      };
      return;
    }
    // New verdict objects: the ones from compareDevice may be shared with other VMs.
    if (report.verdict.kind === 'compatible') report.verdict = { kind: 'at-risk', conditions: [blocker.condition], mismatches: [] };
    else if (report.verdict.kind === 'at-risk') report.verdict = { ...report.verdict, conditions: [...report.verdict.conditions, blocker.condition] };
  });
  return first === undefined ? undefined : { lines: [first], verified: false };
}
