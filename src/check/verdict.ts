/**
 * The prediction for one device and for the whole migration.
 */
import { type ByteFailure } from '../config-space/load-check.js';
import { type ConfigSpace } from '../config-space/config-space.js';
import { type Remedy } from './remedy.js';

export interface FirstError extends ByteFailure {
  /** QEMU's line, exactly as the destination prints it. */
  message: string;
}

/** A field whose compared bits differ, in words. */
export interface Mismatch {
  offset: number;
  length: number;
  field: string;
  source: string;
  destination: string;
  description: string;
}

export type DeviceVerdict =
  | { kind: 'compatible' }
  | { kind: 'incompatible'; firstError?: FirstError; message: string; mismatches: Mismatch[] }
  | { kind: 'at-risk'; conditions: string[]; mismatches: Mismatch[] }
  | { kind: 'unknown'; reason: string };

export type VerdictKind = DeviceVerdict['kind'];

/** Worst first: what the gate reports for the whole VM. */
const RANK: VerdictKind[] = ['incompatible', 'at-risk', 'unknown', 'compatible'];

export function worst(kinds: VerdictKind[]): VerdictKind {
  return RANK.find((k) => kinds.includes(k)) ?? 'compatible';
}

export interface DeviceReport {
  id: string;
  driver: string;
  /** Migration section id: "0000:00:0b.0/virtio-blk". */
  section?: string;
  verdict: DeviceVerdict;
  /** The destination device paired with it (by section), if any. */
  destinationId?: string;
  notes: string[];
  assumptions: string[];
  /** The bytes compared, for renderers that draw config space (not in the JSON report). */
  compared?: { source: ConfigSpace; sent: Uint8Array; destination: ConfigSpace };
  /** Verified changes that make it load (check/remedy.ts); absent when not asked for. */
  remedies?: Remedy[];
}

export interface MigrationReport {
  source: { file: string; qemu: string; machine: string };
  destination: { file: string; qemu: string; machine: string };
  verdict: VerdictKind;
  /** The first line QEMU prints (see printedBy), when the prediction is a failure. */
  firstError?: string;
  /** The lines QEMU prints after it, down to "load of migration failed". */
  qemuOutput: string[];
  /**
   * Which QEMU prints them: the destination loading the stream, or the
   * source refusing to start the migration (an unmigratable device).
   */
  printedBy?: 'source' | 'destination';
  devices: DeviceReport[];
  /** Destination devices with no source section: they load with their reset state. */
  destinationOnly: string[];
  assumptions: string[];
  /** Remedies for failures of the stream itself (a machine type); absent when not asked for. */
  remedies?: Remedy[];
}
