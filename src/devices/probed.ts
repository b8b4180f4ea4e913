/**
 * Which device models rest on reading QEMU's source alone. A family whose
 * data says `"probed": false` (a device these machines cannot start: it
 * needs a host kernel module or a vhost-user backend) was never compared
 * with a real binary's config space; every report on such a device says
 * so, beside the verdict it qualifies.
 */
import { deviceFamily } from '../profiles/data.js';
import { type DeviceModel } from './model.js';

interface ProbedFlag { probed?: boolean; unprobedReason?: string }

const reasonsByModel = new WeakMap<DeviceModel, string[]>();

function unprobedReasons(model: DeviceModel): string[] {
  let reasons = reasonsByModel.get(model);
  if (!reasons) {
    reasons = model.families
      .map((f) => deviceFamily(f) as ProbedFlag)
      .filter((f) => f.probed === false)
      .map((f) => f.unprobedReason ?? '');
    reasonsByModel.set(model, reasons);
  }
  return reasons;
}

/**
 * A build's assumptions plus, for a family never probed, the statement that
 * its verdict rests on source reading; the same array when there is none.
 */
export function withUnprobed(assumptions: string[], model: DeviceModel, driver: string): string[] {
  const reasons = unprobedReasons(model);
  if (!reasons.length) return assumptions;
  return [...assumptions, ...reasons.map((why) => `${driver}: modelled from QEMU's source, not probed against a real QEMU${why ? ` (${why})` : ''}`)];
}
