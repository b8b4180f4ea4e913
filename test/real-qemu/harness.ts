// Shared steps of the real-QEMU suites: build a case with our model and
// with a real binary, and the version gating (CI=true demands at least 7.2).

import { installedQemus, type InstalledQemu } from '../../src/qemu/installed.js';
import { parseVmJson, type VmDescription } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine, type Machine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide, type SideContext } from '../../src/check/build.js';
import { QemuStartError } from '../../src/qemu/errors.js';
import { rootBusName } from '../../src/check/placement.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { programGuest, topology } from '../../src/rehearse/program.js';
import { withSession } from '../../src/qemu/session.js';
import { probeDevice, type ProbeResult } from '../../src/qemu/probe.js';
import { rehearseMigration, type MigrationRehearsal } from '../../src/qemu/migrate.js';
import { type ConfigSpace } from '../../src/config-space/config-space.js';
import { probeBlindBits } from '../../src/config-space/probe-blind.js';
import { guestWriteValue } from '../../src/config-space/guest-write.js';
import { checkMigration } from '../../src/check/migration.js';
import { type MigrationReport } from '../../src/check/verdict.js';
import { firmwareBars } from '../../src/rehearse/firmware.js';
import { expect } from 'vitest';
import { execFileSync } from 'node:child_process';

export const QEMUS: InstalledQemu[] = installedQemus();
export const CI = process.env.CI === 'true';

/** The releases to test: every installed one; under CI, 7.2 must be among them. */
export function releasesUnderTest(): InstalledQemu[] {
  if (CI && !QEMUS.some((q) => q.release === '7.2')) {
    throw new Error('CI=true but QEMU 7.2 is not installed (scripts/install-qemu.sh)');
  }
  return QEMUS;
}

export function sideOf(vm: VmDescription): SideContext | undefined {
  const profile = machineProfile(vm.qemu);
  if (!profile) return undefined;
  let machine: Machine;
  try {
    machine = resolveMachine(profile, vm.machine);
  } catch {
    return undefined; // this release does not offer that machine type
  }
  return { vm, release: vm.qemu, machine };
}

export function modelOf(side: SideContext, id: string): ConfigSpace {
  const b = buildOf(side, id);
  if (b.kind !== 'built') throw new Error(`model did not build ${id}: ${b.kind}: ${b.reason}`);
  return b.cs;
}

export function buildOf(side: SideContext, id: string): BuiltSide {
  return buildDevice(side, side.vm.devices.find((d) => d.id === id)!);
}

/** Starts the case in real QEMU expecting a refusal; returns QEMU's error line. */
export async function refusalOf(q: InstalledQemu, side: SideContext): Promise<string> {
  const root = rootBusName(side.machine.family);
  try {
    await withSession({ binary: q.binary, spec: vmMachineSpec(side.vm, side.machine.name, root) }, async () => undefined);
  } catch (e) {
    if (e instanceof QemuStartError) return e.message;
    throw e;
  }
  return 'QEMU started';
}

export async function probeReal(q: InstalledQemu, side: SideContext, id: string, size: 256 | 4096): Promise<ProbeResult> {
  const root = rootBusName(side.machine.family);
  const spec = vmMachineSpec(side.vm, side.machine.name, root);
  const topo = topology(side.vm, root);
  return withSession({ binary: q.binary, spec }, async (s) => {
    await programGuest(s.qtest, side.vm, topo);
    return probeDevice(s, topo.bdf.get(id)!, size);
  });
}

export function parseCase(json: object, name: string): VmDescription {
  return parseVmJson(json, name);
}

/** "0x10: model 01 qemu c1" lines for every byte that differs. */
export function byteDiffs(model: Uint8Array, real: Uint8Array, size: number, ignore: (i: number) => number = () => 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const mask = ~ignore(i) & 0xff;
    if ((model[i] & mask) !== (real[i] & mask)) {
      out.push(`0x${i.toString(16)}: model ${model[i].toString(16).padStart(2, '0')} qemu ${real[i].toString(16).padStart(2, '0')}`);
    }
  }
  return out;
}

/** Migrates src → dst for real on one binary: source programmed like the guest, stream to a file, destination loads it. */
export async function rehearseReal(q: InstalledQemu, src: VmDescription, dst: VmDescription): Promise<MigrationRehearsal> {
  const s = sideOf(src)!;
  const d = sideOf(dst)!;
  const topo = topology(src, rootBusName(s.machine.family));
  return rehearseMigration({
    binary: q.binary,
    srcArgs: vmMachineSpec(src, s.machine.name, rootBusName(s.machine.family)),
    dstArgs: vmMachineSpec(dst, d.machine.name, rootBusName(d.machine.family)),
    program: (qtest) => programGuest(qtest, src, topo),
  });
}

/**
 * The device under test's model against real QEMU: a build QEMU refuses
 * must be refused in the same words; an unknown build is only allowed for a
 * property this release lacks (QEMU must refuse it); otherwise config space
 * and writable bits must equal the probe byte for byte (bits a probe cannot
 * see left out). The harness numbers bridges like a firmware before
 * probing, so the model gets the same bus numbers. On i440fx there is no
 * MMCONFIG: only the first 256 bytes can be read.
 * Returns the number of bytes compared (0 when QEMU refused as predicted).
 */
export async function expectProbeAgrees(q: InstalledQemu, side: SideContext, id: string): Promise<number> {
  const built = buildOf(side, id);
  if (built.kind === 'refused') {
    expect(await refusalOf(q, side)).toContain(built.reason);
    return 0;
  }
  if (built.kind === 'unknown') {
    const prop = /: ([\w-]+)=.* \(on the -device line\)$/.exec(built.reason)?.[1];
    expect(prop, built.reason).toBeDefined();
    expect(await refusalOf(q, side)).toMatch(new RegExp(`Property '[\\w-]+\\.${prop}' not found`));
    return 0;
  }
  const model: ConfigSpace = { ...built.cs, config: built.cs.config.slice() };
  const me = topology(side.vm, rootBusName(side.machine.family)).bridges.find((b) => b.id === id);
  if (me) guestWriteValue(model, 0x18, 4, BigInt(me.bdf.bus | (me.secondary << 8) | (me.subordinate << 16)));
  const size = side.machine.family === 'q35' ? model.size : Math.min(model.size, 256);
  const real = await probeReal(q, side, id, size as 256 | 4096);
  expect(byteDiffs(model.config, real.config, size)).toEqual([]);
  expect(byteDiffs(model.wmask, real.wmask, size, probeBlindBits(model))).toEqual([]);
  return size;
}

/** Every device of the source gets firmware-like BAR addresses unless the description places them. */
export function withFirmwareBars(srcJson: { devices: Record<string, unknown>[] }, name: string): void {
  const side = sideOf(parseCase(srcJson, name));
  if (!side) return;
  for (const d of srcJson.devices) {
    const built = buildOf(side, d.id as string);
    const guest = (d.guest ?? {}) as { bars?: Record<string, string> };
    // No guest runs under -S: nothing negotiated virtio features.
    d.guest = { features: '0x0', ...guest, bars: { ...(built.kind === 'built' ? firmwareBars(built.cs) : {}), ...(guest.bars ?? {}) } };
  }
}

/**
 * A real migration on one binary against checkMigration: the destination
 * loads or fails as predicted, with the predicted first line. A prediction
 * of unknown is only allowed where QEMU refuses a property at start.
 */
export async function expectMigrationAgrees(q: InstalledQemu, src: VmDescription, dst: VmDescription): Promise<MigrationRehearsal> {
  const predicted = checkMigration(src, dst);
  const real = await rehearseReal(q, src, dst);
  const verdicts = JSON.stringify(predicted.devices.map((d) => d.verdict));
  if (predicted.verdict === 'unknown') {
    expect(real.ok, verdicts).toBe(false);
    expect(real.firstError).toMatch(/Property '.*' not found/);
    return real;
  }
  expectOutcomeAgrees(predicted, real);
  return real;
}

/**
 * A real migration against a prediction that is neither unknown nor at-risk:
 * the same outcome and first line, and every line QEMU printed about the
 * failure where the release's lines were captured.
 */
export function expectOutcomeAgrees(predicted: MigrationReport, real: MigrationRehearsal): void {
  const verdicts = JSON.stringify(predicted.devices.map((d) => d.verdict));
  expect(predicted.verdict, verdicts).not.toBe('unknown');
  expect(predicted.verdict, verdicts).not.toBe('at-risk');
  expect({ ok: real.ok, firstError: real.ok ? undefined : real.firstError })
    .toEqual({ ok: predicted.verdict === 'compatible', firstError: predicted.firstError });
  if (!real.ok && real.failedAt === 'destination' && predicted.qemuOutput.length > 1) {
    const lines = real.stderr.map((l) => l.replace(/^qemu-system-x86_64: /, '')).filter((l) => !/warning: /.test(l));
    expect(lines).toEqual(predicted.qemuOutput);
  }
}

/**
 * The settable properties `-device DRIVER,help` lists (child<…> entries,
 * QEMU's own sub-objects, left out).
 */
export function helpProperties(binary: string, driver: string): string[] {
  const out = execFileSync(binary, ['-device', `${driver},help`], { encoding: 'utf8', timeout: 20_000 });
  return out.split('\n').slice(1)
    .map((l) => /^\s+([\w.-]+)=<([^>]*)>/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && !m[2].startsWith('child<'))
    .map((m) => m[1]).sort();
}
