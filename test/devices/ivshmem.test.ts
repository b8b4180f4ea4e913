// ivshmem-plain and ivshmem-doorbell: the layout over a described memory
// backend, what QEMU prints when the backend or master differs (captured from
// 5.2.0, 7.2.22, 10.0.13 and 11.1.3 by test/real-qemu/ivshmem-cases.ts), and
// how the command line and libvirt XML describe the backend.
import { afterAll, describe, expect, it } from 'vitest';
import { hex } from './misc-build.js';
import { buildIvshmem, IVSHMEM_PEER_BLOCKER } from '../../src/devices/ivshmem.js';
import { type BuildContext } from '../../src/devices/model.js';
import { type ResolvedProperty } from '../../src/devices/properties.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { sideOf } from './one-device.js';
import { checkMigration } from '../../src/check/migration.js';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { parseDomainXml } from '../../src/inputs/libvirt-xml.js';
import { parseQemuSize } from '../../src/inputs/memory-backends.js';
import { InputError } from '../../src/inputs/errors.js';
import { readFileSync } from 'node:fs';
import { LIBVIRT } from '../inputs/fixtures.js';
import { buildOf, expectMigrationAgrees, expectOutcomeAgrees, refusalOf, releasesUnderTest, sideOf as sideOfVm } from '../real-qemu/harness.js';
import { rehearseMigration } from '../../src/qemu/migrate.js';
import { vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { compareReleases } from '../../src/profiles/versions.js';

const MiB = 1024 * 1024;

function ctxOf(props: Record<string, string>, release = '10.0'): BuildContext {
  const m = new Map<string, ResolvedProperty>(Object.entries(props).map(([k, v]) => [k, { value: v, source: 'explicit' }]));
  return { release, smp: 1, bus: { express: false, root: true }, props: m, netdevQueues: 1 };
}

/** A VM with one ivshmem-plain at 00:05.0 over backend m0 of `size` (omitted: not described). */
function vmJson(release: string, props: Record<string, string>, size?: number | string, driver = 'ivshmem-plain') {
  return {
    qemu: release, machine: `pc-i440fx-${release}`,
    devices: [{ id: 'shm0', driver, addr: '0x5', properties: props }],
    ...(size !== undefined ? { memoryBackends: { m0: { type: 'memory-backend-ram', size, share: true } } } : {}),
  };
}
const vm = (release: string, props: Record<string, string>, size?: number | string, driver?: string) =>
  parseVmJson(vmJson(release, props, size, driver), 'vm.json');
const on = { memdev: 'm0', master: 'on' };

describe('ivshmem-plain layout (ivshmem_common_realize)', () => {
  const b = buildIvshmem('ivshmem-plain', ctxOf(on), MiB);
  it('is 1af4:1110 revision 01, class 0500, no interrupt pin, no capabilities', () => {
    expect(hex(b.cs.config, 0, 12)).toBe('f4 1a 10 11 00 00 00 00 01 00 00 05');
    expect([b.cs.config[0x3d], b.cs.config[0x34]]).toEqual([0, 0]);
  });
  it('BAR0 is 256 bytes (wmask 00 ff ff ff); BAR2 the 1 MiB region, 64-bit prefetchable: config 0c, wmask 00 00 f0 ff ff ff ff ff', () => {
    expect(hex(b.cs.wmask, 0x10, 4)).toBe('00 ff ff ff');
    expect(hex(b.cs.config, 0x18, 8)).toBe('0c 00 00 00 00 00 00 00');
    expect(hex(b.cs.wmask, 0x18, 8)).toBe('00 00 f0 ff ff ff ff ff');
  });
});

describe('ivshmem-plain through the checker, with memoryBackends', () => {
  it('on 10.0 over a 1 GiB backend: BAR2 wmask 00 00 00 c0 ff ff ff ff, RAM block 0000:00:05.0/m0 of 0x40000000 bytes', () => {
    const b = sideOf(vm('10.0', on, '1G'));
    if (b.kind !== 'built') throw new Error(b.reason);
    expect(hex(b.cs.wmask, 0x18, 8)).toBe('00 00 00 c0 ff ff ff ff');
    expect(b.ramBlocks).toEqual([{ block: '0000:00:05.0/m0', size: 0x40000000 }]);
  });
  it('a memdev the description does not describe stays unknown, saying what to add', () => {
    const b = sideOf(vm('10.0', on));
    expect(b).toMatchObject({ kind: 'unknown', section: '0000:00:05.0/ivshmem-plain' });
    expect(b.kind === 'unknown' && b.reason).toBe(
      'ivshmem-plain: BAR2 and its RAM block are as large as memory backend "m0", which the description does not describe: add it to memoryBackends (or give its -object line)');
  });
  it('no memdev, or a backend that is no power of two: QEMU refuses to start', () => {
    expect(sideOf(vm('7.2', { master: 'on' }, '1M'))).toMatchObject({ kind: 'refused', reason: "You must specify a 'memdev'" });
    expect(sideOf(vm('7.2', on, '3M'))).toMatchObject({ kind: 'refused', reason: "pci_register_bar: Assertion `is_power_of_2(size)' failed" });
  });
  it('two devices on one backend: QEMU refuses the second at start (host_memory_backend_is_mapped)', () => {
    const two = parseVmJson({ ...vmJson('10.0', on, '1M'), devices: [
      { id: 'a', driver: 'ivshmem-plain', addr: '0x5', properties: on }, { id: 'b', driver: 'ivshmem-plain', addr: '0x6', properties: on },
    ] }, 'vm.json');
    expect(sideOf(two)).toMatchObject({ kind: 'refused', reason: "can't use already busy memdev: m0" });
  });
  it('ivshmem-doorbell stays unknown: its memory is the ivshmem server\'s (modelled from the source, not probed)', () => {
    const b = sideOf(vm('10.0', { chardev: 'c0', master: 'on' }, undefined, 'ivshmem-doorbell'));
    expect(b).toMatchObject({ kind: 'unknown', section: '0000:00:05.0/ivshmem-doorbell' });
    expect(b.kind === 'unknown' && b.reason).toContain('the ivshmem server on chardev "c0" hands over (ivshmem-server -l)');
  });
  it('doorbell vectors=4: MSI-X at 0x40 with 4 entries in an exclusive 4 KiB BAR1 (table at 0, PBA at 0x800)', () => {
    const b = buildIvshmem('ivshmem-doorbell', ctxOf({ vectors: '4', master: 'on' }), MiB);
    expect(hex(b.cs.config, 0x40, 12)).toBe('11 00 03 00 01 00 00 00 01 08 00 00');
    expect(hex(b.cs.wmask, 0x14, 4)).toBe('00 f0 ff ff');
  });
});

describe('migrations (the lines real QEMU printed)', () => {
  it('backend 1 MiB → 4 MiB on 7.2: the RAM section refuses the block before any device', () => {
    const r = checkMigration(vm('7.2', on, '1M'), vm('7.2', on, '4M'));
    expect(r.qemuOutput).toEqual([
      'Size mismatch: 0000:00:05.0/m0: 0x100000 != 0x400000: Invalid argument',
      "error while loading state for instance 0x0 of device 'ram'",
      'load of migration failed: Invalid argument',
    ]);
  });
  it('master on → off on 11.1: the destination\'s ivshmem_pre_load refuses the section', () => {
    const r = checkMigration(vm('11.1', on, '1M'), vm('11.1', { memdev: 'm0', master: 'off' }, '1M'));
    expect(r.qemuOutput).toEqual([
      "'peer' devices are not migratable",
      "load of migration failed: Invalid argument: error while loading state for instance 0x0 of device '0000:00:05.0/ivshmem-plain': pre load hook failed for: 'ivshmem-plain', version_id: 0, minimum version_id: 0, ret: -22",
    ]);
  });
  it('master off (the default) on the source: the source refuses with the peer-mode blocker', () => {
    const r = checkMigration(vm('5.2', { memdev: 'm0' }, '1M'), vm('5.2', on, '1M'));
    expect([r.verdict, r.printedBy, r.firstError]).toEqual(['incompatible', 'source', IVSHMEM_PEER_BLOCKER]);
  });
  it('master=auto is master for plain (its vm_id is 0): the same VM migrates', () => {
    const auto = { memdev: 'm0', master: 'auto' };
    const r = checkMigration(vm('10.0', auto, '4M'), vm('10.0', auto, 4 * MiB));
    expect(r.verdict).toBe('compatible');
    // Vendor 1af4 but no virtio device (0x1110): no word about virtio feature bits.
    expect(r.assumptions.filter((a) => /virtio/.test(a))).toEqual([]);
  });
});

describe('memory backends in the inputs', () => {
  it('QEMU size syntax: 4M, 1G, 0x400000, 1.5G; a fraction needs a suffix', () => {
    expect([parseQemuSize('4M'), parseQemuSize('1G'), parseQemuSize('0x400000'), parseQemuSize('1.5g'), parseQemuSize('4096')])
      .toEqual([4 * MiB, 1024 * MiB, 4 * MiB, 1536 * MiB, 4096]);
    expect(parseQemuSize('1.5')).toMatch(/a fraction needs a suffix/);
  });
  it('a command line: -object memory-backend-file (QemuOpts) and memory-backend-memfd (JSON)', () => {
    const v = parseCommandLineText(
      "qemu-system-x86_64 -object memory-backend-file,id=shm0,mem-path=/dev/shm/x,size=4M,share=on "
      + `-object '{"qom-type":"memory-backend-memfd","id":"shm1","size":1048576,"share":true}' -object iothread,id=io0 `
      + '-device ivshmem-plain,id=d0,memdev=shm0,master=on,addr=5', 'vm.args', { qemu: '7.2' });
    expect([...v.memoryBackends!]).toEqual([
      ['shm0', { type: 'memory-backend-file', size: 4 * MiB, share: true }],
      ['shm1', { type: 'memory-backend-memfd', size: MiB, share: true }],
    ]);
  });
  it('libvirt <shmem>: ivshmem-plain on memory-backend-file "shmmem-ALIAS", role master → master=on', () => {
    const v = parseDomainXml(`<domain type='kvm'><name>v</name><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os><devices>
      <shmem name='my_shmem0' role='master'><model type='ivshmem-plain'/><size unit='M'>64</size><alias name='shmem0'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/></shmem></devices></domain>`, 'vm.xml', { qemu: '7.2' });
    expect(v.devices.find((d) => d.id === 'shmem0')).toMatchObject({ id: 'shmem0', driver: 'ivshmem-plain', properties: { memdev: 'shmmem-shmem0', master: 'on' } });
    expect([...v.memoryBackends!]).toEqual([['shmmem-shmem0', { type: 'memory-backend-file', size: 64 * MiB, share: true }]]);
  });
  it('real libvirt 9.0 (test/fixtures/libvirt/shmem.*): the domain XML and the command line libvirt started give the same devices and backends', () => {
    const xml = parseDomainXml(readFileSync(LIBVIRT('shmem.migratable.xml'), 'utf8'), 'shmem.migratable.xml', { qemu: '7.2.22' });
    const log = parseCommandLineText(readFileSync(LIBVIRT('shmem.log'), 'utf8'), 'shmem.log');
    const shm = (v: typeof xml) => v.devices.filter((d) => d.driver === 'ivshmem-plain').map((d) => [d.id, d.addr, d.properties]);
    expect(shm(xml)).toEqual([
      ['shmem0', { slot: 3, fn: 0 }, { memdev: 'shmmem-shmem0', master: 'on' }],
      ['shmem1', { slot: 4, fn: 0 }, { memdev: 'shmmem-shmem1' }],
      ['shmem2', { slot: 5, fn: 0 }, { memdev: 'shmmem-shmem2', master: 'off' }],
    ]);
    expect(shm(log)).toEqual(shm(xml));
    // The log also has the machine's own RAM backend (-object memory-backend-ram id=pc.ram), which no memdev names.
    expect([...log.memoryBackends!].filter(([id]) => id !== 'pc.ram')).toEqual([...xml.memoryBackends!]);
    expect([...xml.memoryBackends!].map(([id, b]) => [id, b.size])).toEqual([['shmmem-shmem0', 4 * MiB], ['shmmem-shmem1', 4 * MiB], ['shmmem-shmem2', 2 * MiB]]);
  });
  const refusal = (f: () => unknown) => { try { f(); } catch (e) { return (e as InputError).message; } return 'accepted'; };
  it('a wrong type or an impossible size is one line naming the file and the field', () => {
    const bad = (b: object) => refusal(() => parseVmJson({ ...vmJson('7.2', on), memoryBackends: { m0: b } }, 'vm.json'));
    expect(bad({ type: 'memory-backend-epc', size: 1 })).toBe('vm.json: memoryBackends.m0.type: must be equal to one of the allowed values');
    expect(bad({ type: 'memory-backend-ram', size: '4Q' })).toBe('vm.json: memoryBackends.m0.size: "4Q" is not a size (bytes, or a number with a K, M, G or T suffix: "4M")');
    expect(refusal(() => parseCommandLineText('qemu-system-x86_64 -object memory-backend-ram,id=m0,size=0', 'vm.args', { qemu: '7.2' })))
      .toBe('vm.args: line 1 (-object memory-backend-ram,id=m0,size=0).size: 0 is not a size of memory: a whole number of bytes, at least 1');
  });
});

// The libvirt fixture VM as real QEMU runs it: shmem1 (no role: master off) and shmem2 (peer) block the source;
// with only the master device (shmem0) it migrates. Machine type pc-i440fx-7.2: 7.2 and later.
const figures: string[] = [];
describe.runIf(releasesUnderTest().length > 0)('the libvirt <shmem> VM migrated for real', () => {
  const xml = readFileSync(LIBVIRT('shmem.migratable.xml'), 'utf8');
  for (const q of releasesUnderTest()) {
    const all = parseDomainXml(xml, 'shmem.migratable.xml', { qemu: q.release });
    if (!sideOfVm(all)) continue;
    const masterOnly = { ...all, devices: all.devices.filter((d) => d.id !== 'shmem1' && d.id !== 'shmem2') };
    it(`${q.version}: a second device on shmmem-shmem0 is refused at start, in the predicted words`, async () => {
      const two = { ...masterOnly, devices: [...masterOnly.devices, { ...masterOnly.devices.find((d) => d.id === 'shmem0')!, id: 'shmem9', addr: { slot: 9, fn: 0 } }] };
      const side = sideOfVm(two)!;
      const built = buildOf(side, 'shmem9');
      expect(built).toMatchObject({ kind: 'refused', reason: "can't use already busy memdev: shmmem-shmem0" });
      expect(await refusalOf(q, side)).toContain(built.kind === 'refused' ? built.reason : '?');
    });
    it(`${q.version}: the source refuses (peer mode); with only the master device it loads`, async () => {
      const blocked = await expectMigrationAgrees(q, all, all);
      expect([blocked.failedAt, blocked.firstError]).toEqual(['source', IVSHMEM_PEER_BLOCKER]);
      const ok = await expectMigrationAgrees(q, masterOnly, masterOnly);
      expect(ok.ok).toBe(true);
      figures.push(`QEMU ${q.release}: libvirt <shmem> VM, 2 real migrations as predicted`);
    });
  }
  afterAll(() => { for (const l of figures) console.log(l); });
});

// Across releases: a 4 MiB ivshmem-plain (master) on the older release's i440fx machine type, every ordered pair of
// installed builds: it moves; a destination with an 8 MiB backend refuses the RAM block in its own words.
const crossFigures: string[] = [];
describe.runIf(releasesUnderTest().length > 1)('ivshmem-plain between releases, for real', () => {
  const qs = releasesUnderTest();
  for (const a of qs) {
    for (const b of qs) {
      if (a === b) continue;
      const older = compareReleases(a.release, b.release) < 0 ? a.release : b.release;
      const at = (release: string, size: string) => parseVmJson({ ...vmJson(release, on, size), machine: `pc-i440fx-${older}` }, `${release}.json`);
      const [src, dst, dst8] = [at(a.release, '4M'), at(b.release, '4M'), at(b.release, '8M')];
      if (!sideOfVm(src) || !sideOfVm(dst)) continue;
      it(`${a.release} → ${b.release} on pc-i440fx-${older}: same backend loads, 4 → 8 MiB is refused`, async () => {
        for (const d of [dst, dst8]) {
          const real = await rehearseMigration({
            binary: a.binary, dstBinary: b.binary,
            srcArgs: vmMachineSpec(src, src.machine, 'pci.0'), dstArgs: vmMachineSpec(d, d.machine, 'pci.0'),
          });
          expectOutcomeAgrees(checkMigration(src, d), real);
          expect(real.ok).toBe(d === dst);
        }
        crossFigures.push(`${a.release} → ${b.release}`);
      });
    }
  }
  afterAll(() => { console.log(`ivshmem-plain across releases: ${crossFigures.length} pairs, ${2 * crossFigures.length} real migrations as predicted (${crossFigures.join(', ')})`); });
});
