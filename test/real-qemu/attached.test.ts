// Devices on other buses against real QEMU: each pair migrates for real on every installed
// release, and the destination's outcome, first line and (where captured) every line equal
// the prediction.
import { describe, expect, it } from 'vitest';
import { CI, expectMigrationAgrees, parseCase, releasesUnderTest } from './harness.js';
import { ATTACHED_CASES, attachedDescriptions } from './attached-cases.js';
import { checkMigration } from '../../src/check/migration.js';
import { rehearseMigration } from '../../src/qemu/migrate.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { attachedTable } from '../../src/check/attached-place.js';
import { execFileSync } from 'node:child_process';

const qemus = releasesUnderTest();

describe.runIf(qemus.length > 0 || CI)('devices on other buses: real migrations agree', () => {
  for (const q of qemus) {
    describe(q.version, () => {
      for (const c of ATTACHED_CASES) {
        it(c.name, async () => {
          const { src, dst } = attachedDescriptions(q.release, c);
          const s = parseCase(src, 'src');
          const d = parseCase(dst, 'dst');
          // Nothing here may be left unknown: each device is in the table.
          expect(checkMigration(s, d).devices.filter((x) => x.verdict.kind === 'unknown')).toEqual([]);
          await expectMigrationAgrees(q, s, d);
        });
      }
    });
  }
});

/** Pairs of devices on other buses across releases: the source release decides what is sent (5.2's 'audio'). */
const CROSS = ATTACHED_CASES.filter((c) => [
  'hda-duplex on both', 'hda-duplex only on the source: hda-audio 0', 'usb-tablet on uhci on both',
  'scsi-hd on virtio-scsi on both', 'virtserialport on both', 'isa-serial only on the source',
].includes(c.name));

describe.runIf(qemus.length > 1)('devices on other buses: real migrations between releases agree', () => {
  for (const a of qemus) {
    for (const b of qemus) {
      if (a === b) continue;
      for (const c of CROSS) {
        it(`${a.release} → ${b.release}: ${c.name}`, async () => {
          // The source starts (and so sizes its virtqueues) on its own build: 10.0.13's 1024-entry rings are then known.
          const build = /version (\d+\.\d+\.\d+)/.exec(a.version)![1];
          const s = parseCase({ ...attachedDescriptions(a.release, c).src, qemu: build, bootedOn: build }, 'src');
          const d = parseCase(attachedDescriptions(b.release, c).dst, 'dst');
          const predicted = checkMigration(s, d);
          expect(predicted.verdict, JSON.stringify(predicted.devices.map((x) => [x.id, x.verdict]))).not.toMatch(/unknown|at-risk/);
          const real = await rehearseMigration({
            binary: a.binary, dstBinary: b.binary,
            srcArgs: vmMachineSpec(s, 'pc-i440fx-5.2', 'pci.0'), dstArgs: vmMachineSpec(d, 'pc-i440fx-5.2', 'pci.0'),
          });
          expect({ ok: real.ok, firstError: real.ok ? undefined : real.firstError })
            .toEqual({ ok: predicted.verdict === 'compatible', firstError: predicted.firstError });
        });
      }
    }
  }
});

describe.runIf(qemus.length > 0 || CI)('every driver and USB controller of the table exists in every installed release', () => {
  for (const q of qemus) {
    it(q.version, () => {
      const help = execFileSync(q.binary, ['-device', 'help'], { encoding: 'utf8', timeout: 20_000 });
      const names = new Set([...help.matchAll(/name "([^"]+)"/g)].map((m) => m[1]));
      const t = attachedTable();
      expect([...Object.keys(t.drivers), ...Object.keys(t.usbControllers)].filter((d) => !d.startsWith('$') && !names.has(d))).toEqual([]);
    });
  }
});
