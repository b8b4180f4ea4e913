// Every adapter, fed random edits of the real inputs (test/fixtures, examples):
// it returns a description (which the checker then handles without crashing)
// or refuses with one InputError line — never another exception, never a hang.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { parseDescription } from '../../src/inputs/load.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { parseQueryPci } from '../../src/inputs/query-pci.js';
import { parseInfoPci } from '../../src/inputs/info-pci.js';
import { parseLspci } from '../../src/inputs/lspci-dump.js';
import { mergePciListings, type PciListing } from '../../src/inputs/pci-listing.js';
import { parseJsonInput } from '../../src/inputs/read.js';
import { InputError } from '../../src/inputs/errors.js';
import { checkMigration } from '../../src/check/migration.js';
import { fixture, fixtureNames, mutated, onlyInputError, params } from './fuzz.js';

const texts = (dir: string, re: RegExp) => fixtureNames(dir, re).map((f) => fixture(f));
const XML = texts('test/fixtures/libvirt', /\.xml$/);
const LOGS = [...texts('test/fixtures/libvirt', /\.log$/), ...texts('test/fixtures/seed-002', /\.(log|cmdline)$/)];
const JSONS = texts('examples/seed-hotplug-discard', /\.json$/);
const QUERY = texts('test/fixtures/libvirt', /query-pci\.json$/);
const INFO = [...texts('test/fixtures/libvirt', /info-pci\.txt$/), fixture('test/fixtures/seed-002/src-info-pci.txt')];
const LSPCI = texts('test/fixtures/lspci', /\.txt$/);

/** Parse, then check the VM against itself: both steps may only refuse with InputError. */
const parseAndCheck = (text: string) => onlyInputError(() => {
  const vm = parseDescription(text, 'fuzz', { qemu: '7.2' });
  checkMigration(vm, vm);
  return vm;
});

describe('fuzz: VM descriptions', () => {
  it('libvirt domain XML', () => fc.assert(fc.property(mutated(XML), (t) => { parseAndCheck(t); }), params(1)));
  it('QEMU command lines and libvirt logs', () => fc.assert(fc.property(mutated(LOGS), (t) => { parseAndCheck(t); }), params(2)));
  it('JSON description text', () => fc.assert(fc.property(mutated(JSONS), (t) => { parseAndCheck(t); }), params(3)));
  it('JSON descriptions with random values where the schema has fields', () => {
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constantFrom('0x', '0x1f.7', '0xffffffffffffffffff', 'constructor', '__proto__', '', 'rom', '9'),
      fc.constant(null), fc.dictionary(fc.constantFrom('0', '6', 'rom', '0x10', '__proto__', 'toString'), fc.string({ maxLength: 6 })));
    const device = fc.record({
      id: value, driver: fc.oneof(value, fc.constantFrom('virtio-blk-pci', 'virtio-net-pci', 'pcie-root-port', 'virtio-scsi-pci', 'toString')),
      addr: value, bus: value, properties: fc.dictionary(fc.constantFrom('vectors', 'num-queues', 'disable-legacy', 'romfile', 'chassis', '__proto__', 'constructor'), value),
      guest: fc.record({ bars: value, command: value, registers: value, config: value }, { requiredKeys: [] }),
    }, { requiredKeys: ['id', 'driver'] });
    const vm = fc.record({
      qemu: fc.constantFrom('7.2', '10.0', '5.2', '11.1', '6.0', '1.0', 'x'), machine: fc.constantFrom('pc', 'q35', 'pc-i440fx-7.2', 'pc-q35-7.2', 'constructor'),
      smp: fc.oneof(fc.integer({ min: -1, max: 5000 }), value), devices: fc.array(device, { maxLength: 5 }),
      globals: fc.dictionary(fc.constantFrom('virtio-blk-device.discard', 'virtio-pci.disable-legacy', 'x.y', 'constructor.toString'), value),
    }, { requiredKeys: ['qemu', 'machine', 'devices'] });
    fc.assert(fc.property(vm, vm, (a, b) => {
      onlyInputError(() => checkMigration(parseVmJson(a, 'a.json'), parseVmJson(b, 'b.json')));
    }), params(4));
  });
});

describe('fuzz: PCI listings (--src-pci), parsed and merged on their VM', () => {
  const q35 = parseDescription(fixture('test/fixtures/libvirt/q35-hotplug.xml'), 'q35-hotplug.xml', { qemu: '7.2' });
  const merge = (parse: () => PciListing) => onlyInputError(() => {
    const vm = mergePciListings(q35, [parse()]);
    checkMigration(vm, q35);
  });
  it('query-pci JSON', () => fc.assert(fc.property(mutated(QUERY), (t) => { merge(() => parseQueryPci(parseJsonInput(t, 'q.json'), 'q.json')); }), params(5)));
  it('query-pci with random JSON values', () => fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (j) => {
    merge(() => parseQueryPci({ return: [{ bus: 0, devices: [j] }] }, 'q.json'));
    merge(() => parseQueryPci(j, 'q.json'));
  }), params(6)));
  it('HMP info pci', () => fc.assert(fc.property(mutated(INFO), (t) => { merge(() => parseInfoPci(t, 'info.txt')); }), params(7)));
  it('guest lspci -xxx', () => fc.assert(fc.property(mutated(LSPCI), (t) => { merge(() => parseLspci(t, 'lspci.txt')); }), params(8)));
});

describe('fuzz: the unmutated fixtures all parse', () => {
  it('no fixture is refused (the mutations start from valid inputs)', () => {
    // pc.defined.xml is the inactive XML before libvirt assigned addresses: refused on purpose.
    for (const t of [...texts('test/fixtures/libvirt', /^(?!.*defined).*\.xml$/), ...LOGS, ...JSONS]) {
      const r = parseAndCheck(t);
      if (r instanceof InputError) throw r;
    }
  });
});
