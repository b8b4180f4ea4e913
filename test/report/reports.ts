// Real predictions to render: the seed 002 migration, the same VM without
// guest values (at-risk), and a q35 virtio-blk behind a pcie-root-port
// (4096 bytes of config space) whose MSI-X table grows from 2 to 3 vectors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkMigration } from '../../src/check/migration.js';
import { type DeviceReport, type MigrationReport } from '../../src/check/verdict.js';
import { parseVmJson } from '../../src/inputs/vm.js';

const seedDir = fileURLToPath(new URL('../../examples/seed-hotplug-discard/', import.meta.url));
const json = (name: string) => JSON.parse(readFileSync(seedDir + name, 'utf8')) as { devices: { guest?: unknown }[] };

/** examples/seed-hotplug-discard: src.json → dst.json (virtio-disk1 fails at i=0x10). */
export function seedReport(): MigrationReport {
  return checkMigration(parseVmJson(json('src.json'), 'src.json'), parseVmJson(json('dst.json'), 'dst.json'));
}

/** examples/seed-hotplug-discard: src-cold-boot.json → dst.json, compatible (BAR0 at 0xd080). */
export function seedColdBootReport(): MigrationReport {
  return checkMigration(parseVmJson(json('src-cold-boot.json'), 'src-cold-boot.json'), parseVmJson(json('dst.json'), 'dst.json'));
}

/** The seed's source with no guest values for virtio-disk1: its BAR0 is at risk, not failing. */
export function seedWithoutGuestValues(): MigrationReport {
  const src = json('src.json');
  delete src.devices[2].guest;
  return checkMigration(parseVmJson(src, 'src.json'), parseVmJson(json('dst.json'), 'dst.json'));
}

const q35 = (vectors: string) => parseVmJson({
  qemu: '7.2', machine: 'pc-q35-7.2',
  devices: [
    { id: 'rp1', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1' } },
    { id: 'disk', driver: 'virtio-blk-pci', bus: 'rp1', addr: '0x0', properties: { vectors } },
  ],
}, `q35-vectors-${vectors}.json`);

/** q35, virtio-blk-pci behind a pcie-root-port: vectors 2 → 3 fails at i=0xde. */
export function q35VectorsReport(): MigrationReport {
  return checkMigration(q35('2'), q35('3'));
}

export function device(r: MigrationReport, id: string): DeviceReport {
  const d = r.devices.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id} in the report`);
  return d;
}

/**
 * The q35 disk with an extended capability (AER-like, at 0x100) added to
 * the destination and a compared byte at 0x804 that differs: exercises the
 * rows drawn beyond the first 256 bytes.
 */
export function q35WithExtendedSpace(): MigrationReport {
  const r = q35VectorsReport();
  const d = device(r, 'disk');
  const c = d.compared!;
  const destination = {
    ...c.destination,
    cmask: c.destination.cmask.slice(),
    wmask: c.destination.wmask.slice(),
    capabilities: [...c.destination.capabilities, { id: 1, offset: 0x100, size: 0x48, name: 'Advanced Error Reporting', extended: true, fields: [] }],
  };
  destination.cmask[0x804] = 0xff;
  destination.wmask[0x804] = 0;
  const sent = c.sent.slice();
  sent[0x804] = 0x5a;
  d.compared = { ...c, destination, sent };
  return r;
}
