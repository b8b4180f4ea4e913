// The PCI functions pc and q35 create themselves (check/builtin-devices.ts)
// against real QEMU: in a machine with no -device at all, every config byte
// of I440FX/PIIX3/piix3-ide/PIIX4_PM (pc) and mch/ICH9-LPC/ich9-ahci/ICH9-SMB (q35) equals the
// model; the writable bits too where probing is harmless (not the host
// bridges, whose PAM/SMRAM/PCIEXBAR writes remap memory, nor the LPC bridge,
// whose PMBASE/RCBA writes move I/O and MMIO). The same under -machine
// options that add, remove or change functions (smm, usb, acpi, sata, smbus).
// Then machine-only VMs migrate for real and load, as predicted, and VMs
// whose options differ between source and destination fail or load exactly
// as predicted (the missing section, the ACPI RAM block, in stream order).

import { afterAll, describe, expect, it } from 'vitest';
import { withSession } from '../../src/qemu/session.js';
import { readConfig } from '../../src/qemu/pci-config-io.js';
import { probeDevice } from '../../src/qemu/probe.js';
import { buildI440fx } from '../../src/devices/chipset.js';
import { probeBlindBits } from '../../src/config-space/probe-blind.js';
import { machineFunctions } from '../../src/check/builtin-devices.js';
import { checkMigration } from '../../src/check/migration.js';
import { byteDiffs, CI, expectMigrationAgrees, parseCase, releasesUnderTest, sideOf } from './harness.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { rootBusName } from '../../src/check/placement.js';
import { inRange } from '../../src/profiles/versions.js';

/** The harness starts QEMU with -m 32: the i440FX's RAM size register reads 32 / 8. */
const HARNESS_MIB = 32;
/** ICH9-SMB's HOSTC SSRESET clears itself as soon as it is written: a probe never sees it. */
const SELF_CLEARING: Record<string, Record<number, number>> = { 'ICH9-SMB': { 0x40: 0x08 } };
const PROBE_WMASK = new Set(['PIIX3', 'ICH9-SMB', 'ich9-ahci', 'piix3-ide', 'PIIX4_PM', 'piix3-usb-uhci', 'ich9-usb-ehci1', 'ich9-usb-uhci1', 'ich9-usb-uhci2', 'ich9-usb-uhci3']);

const MACHINES = (release: string) => [
  `pc-i440fx-${release}`, `pc-q35-${release}`, 'pc-q35-5.2', 'pc-q35-2.9', 'pc-i440fx-5.2', 'pc-q35-10.1',
];

/** -machine options probed on each release's own machine types: every function each creates, byte for byte. */
const PROBED_OPTIONS: Record<string, string>[] = [
  { smm: 'off' }, { usb: 'on' }, { acpi: 'off' }, { sata: 'off', smbus: 'off' },
];

type Opts = Record<string, string>;
/** Source and destination options for real migrations on `pc-<family>-<release>`; both sides agreeing, and each side alone. */
const MIGRATED_OPTIONS = (release: string): [family: 'q35' | 'i440fx', src: Opts, dst: Opts][] => [
  ['q35', {}, { sata: 'off' }], ['q35', { sata: 'off' }, {}], ['q35', { sata: 'off', smbus: 'off' }, { sata: 'off', smbus: 'off' }],
  ['q35', {}, { smbus: 'off' }], ['q35', {}, { smm: 'off' }], ['q35', { smm: 'off' }, {}], ['q35', { smm: 'off' }, { smm: 'off' }],
  ['q35', {}, { acpi: 'off' }], ['q35', { acpi: 'off' }, {}], ['q35', { usb: 'on' }, {}], ['q35', {}, { usb: 'on' }], ['q35', { usb: 'on' }, { usb: 'on' }],
  ['q35', {}, { hpet: 'off', vmport: 'off' }], ['q35', {}, { vmport: 'off', sata: 'off' }], ['q35', {}, { pit: 'off', usb: 'on' }],
  ['i440fx', {}, { acpi: 'off' }], ['i440fx', { acpi: 'off' }, {}], ['i440fx', { acpi: 'off' }, { acpi: 'off' }],
  ['i440fx', { usb: 'on' }, {}], ['i440fx', {}, { usb: 'on' }], ['i440fx', { smm: 'off' }, {}], ['i440fx', {}, { smm: 'off' }],
  ['i440fx', { usb: 'on' }, { hpet: 'off' }], ['i440fx', {}, { sata: 'off', smbus: 'off' }],
  ...(inRange(release, '7.2') ? [
    ['i440fx', {}, { i8042: 'off' }], ['q35', {}, { pic: 'off', hpet: 'off' }], ['q35', { kernel_irqchip: 'on' }, { 'mem-merge': 'off', 'dump-guest-core': 'off' }],
  ] as [family: 'q35' | 'i440fx', src: Opts, dst: Opts][] : [
    // Before 7.0/7.1 QEMU has no i8042/pic option and does not start: predicted unknown, refused with "Property '…' not found".
    ['q35', {}, { i8042: 'off' }], ['i440fx', { pic: 'off' }, {}],
  ] as [family: 'q35' | 'i440fx', src: Opts, dst: Opts][]),
];

const qemus = releasesUnderTest();
/** Functions the options can remove: where the model has none, QEMU must not answer either (vendor ID ffff). */
const ABSENT_UNLESS: [path: string, driver: string][] = [
  ['0000:00:01.2', 'piix3-usb-uhci'], ['0000:00:01.3', 'PIIX4_PM'],
  ['0000:00:1f.2', 'ich9-ahci'], ['0000:00:1f.3', 'ICH9-SMB'], ['0000:00:1d.7', 'ich9-usb-ehci1'], ['0000:00:1d.0', 'ich9-usb-uhci1'],
];

const figures = new Map<string, { functions: number; bytes: number; migrations: number; refused: number }>();
const tally = (release: string) => {
  const f = figures.get(release) ?? { functions: 0, bytes: 0, migrations: 0, refused: 0 };
  figures.set(release, f);
  return f;
};

describe.runIf(qemus.length > 0 || CI)('the machine\'s own PCI functions equal real QEMU', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      const cases: [string, Opts][] = [
        ...[...new Set(MACHINES(q.release))].map((m): [string, Opts] => [m, {}]),
        ...PROBED_OPTIONS.flatMap((o) => [`pc-i440fx-${q.release}`, `pc-q35-${q.release}`].map((m): [string, Opts] => [m, o])),
      ];
      for (const [machine, options] of cases) {
        const vm = parseCase({ qemu: q.release, machine, ...(Object.keys(options).length ? { machineOptions: options } : {}), devices: [] }, `${machine}.json`);
        const side = sideOf(vm);
        if (!side) continue; // not offered by this release
        const label = [machine, ...Object.entries(options).map(([k, v]) => `${k}=${v}`)].join(',');
        it(`${label}: config space of every function the machine creates`, async () => {
          const fns = machineFunctions(side).map((f) => (f.driver === 'i440FX' ? { ...f, cs: buildI440fx(HARNESS_MIB).cs } : f));
          const spec = vmMachineSpec(vm, side.machine.name, rootBusName(side.machine.family));
          // Every function the model lists is there, and nothing else answers on bus 0 where the options removed one.
          const bdf = (path: string) => ({ bus: 0, device: parseInt(path.slice(8, 10), 16), fn: Number(path.slice(11)) });
          await withSession({ binary: q.binary, spec }, async (s) => {
            for (const f of fns) {
              const real = await readConfig(s.qtest, bdf(f.path), 256);
              expect(byteDiffs(f.cs.config, real, 256), `${f.path} config`).toEqual([]);
            }
            const absent = ABSENT_UNLESS.filter(([path, driver]) => !fns.some((f) => f.path === path && f.driver === driver) && side.machine.family === (path.startsWith('0000:00:01') ? 'i440fx' : 'q35'));
            for (const [path] of absent) {
              const real = await readConfig(s.qtest, bdf(path), 4);
              expect([...real], `${path} absent`).toEqual([0xff, 0xff, 0xff, 0xff]);
            }
          });
          for (const f of fns.filter((x) => PROBE_WMASK.has(x.driver))) {
            // One fresh VM per probed function: probing writes every byte.
            await withSession({ binary: q.binary, spec }, async (s) => {
              const p = await probeDevice(s, bdf(f.path), 256);
              // Bits a probe cannot see (MSI Multiple Message Enable clamped by msi_write_config …), as the device suites leave out.
              const blind = SELF_CLEARING[f.driver] ?? {};
              const hidden = probeBlindBits(f.cs);
              expect(byteDiffs(f.cs.wmask, p.wmask, 256, (i) => (blind[i] ?? 0) | hidden(i)), `${f.path} wmask`).toEqual([]);
            });
          }
          const t = tally(q.release);
          t.functions += fns.length;
          t.bytes += fns.length * 256;
        });
        it(`${machine}: a machine-only VM migrates and loads, as predicted`, async () => {
          expect(checkMigration(vm, vm).verdict).toBe('compatible');
          await expectMigrationAgrees(q, vm, vm);
          tally(q.release).migrations++;
        });
      }
      for (const [family, srcOptions, dstOptions] of MIGRATED_OPTIONS(q.release)) {
        const machine = `pc-${family}-${q.release}`;
        const label = (o: Opts) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join(',') || 'defaults';
        it(`${machine}: ${label(srcOptions)} → ${label(dstOptions)} loads or fails as predicted`, async () => {
          const desc = (o: Opts, file: string) => parseCase({ qemu: q.release, machine, ...(Object.keys(o).length ? { machineOptions: o } : {}), devices: [] }, file);
          const real = await expectMigrationAgrees(q, desc(srcOptions, 'src.json'), desc(dstOptions, 'dst.json'));
          const t = tally(q.release);
          t.migrations++;
          if (!real.ok) t.refused++;
        });
      }
      const q35 = `pc-q35-${q.release}`;
      it(`${q35}: mch extended-tseg-mbytes 16 → 32 on the destination (0x50 writable, not compared) loads`, async () => {
        const src = parseCase({ qemu: q.release, machine: q35, globals: { 'mch.extended-tseg-mbytes': '16' }, devices: [] }, 'src.json');
        const dst = parseCase({ qemu: q.release, machine: q35, globals: { 'mch.extended-tseg-mbytes': '32' }, devices: [] }, 'dst.json');
        expect(checkMigration(src, dst).verdict).toBe('compatible');
        await expectMigrationAgrees(q, src, dst);
        tally(q.release).migrations++;
      });
    });
  }
  afterAll(() => {
    for (const [release, t] of figures) {
      console.log(`QEMU ${release}: machine functions ${t.functions} compared (${t.bytes} bytes), ${t.migrations} real migrations agree (${t.refused} of them refused, as predicted)`);
    }
  });
});
