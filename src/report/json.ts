/**
 * The JSON report (schemas/report.schema.json). Field order and spelling
 * are part of the contract: dashboards ingest it.
 */
import { type MigrationReport } from '../check/verdict.js';
import { type Remedy } from '../check/remedy.js';

/** A remedy in the report (schema definition "remedy"). */
function remedyJson(m: Remedy): object {
  return {
    kind: m.kind,
    change: m.change,
    globals: m.globals.map(([d, p, v]) => `${d}.${p}=${v}`),
    properties: m.properties,
    machine: m.machine ?? null,
    libvirt: m.libvirt ?? null,
    verified: m.verified,
    effect: m.effect,
  };
}

export const REPORT_SCHEMA_VERSION = 1;

export function toJsonReport(r: MigrationReport): object {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    verdict: r.verdict,
    source: r.source,
    destination: r.destination,
    firstError: r.firstError ?? null,
    qemuOutput: r.qemuOutput,
    printedBy: r.printedBy ?? null,
    devices: r.devices.map((d) => {
      const v = d.verdict;
      return {
        id: d.id,
        driver: d.driver,
        section: d.section ?? null,
        destinationId: d.destinationId ?? null,
        verdict: v.kind,
        firstError: v.kind === 'incompatible' && v.firstError
          ? {
            i: v.firstError.i, read: v.firstError.read, device: v.firstError.device, cmask: v.firstError.cmask,
            wmask: v.firstError.wmask, w1cmask: v.firstError.w1cmask, message: v.firstError.message,
          }
          : null,
        message: v.kind === 'incompatible' ? v.message : null,
        conditions: v.kind === 'at-risk' ? v.conditions : [],
        reason: v.kind === 'unknown' ? v.reason : null,
        mismatches: v.kind === 'incompatible' || v.kind === 'at-risk' ? v.mismatches : [],
        notes: d.notes,
        assumptions: d.assumptions,
        ...(d.remedies ? { remedies: d.remedies.map(remedyJson) } : {}),
      };
    }),
    destinationOnly: r.destinationOnly,
    assumptions: r.assumptions,
    ...(r.remedies ? { remedies: r.remedies.map(remedyJson) } : {}),
  };
}
