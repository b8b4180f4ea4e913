// Bad input: one line naming the file and the place, exit 2, nothing on stdout, no stack trace.
import { describe, expect, it } from 'vitest';
import { run, SEED, tempFile } from './run.js';
import { join } from 'node:path';

const good = join(SEED, 'dst.json');
const vm = (over: object) => ({ qemu: '7.2', machine: 'pc-i440fx-7.2', devices: [], ...over });

function expectBadInput(r: ReturnType<typeof run>, line: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
}

describe('bad input is refused in one line with exit 2', () => {
  it('malformed JSON', () => {
    const f = tempFile('broken.json', '{"qemu": "7.2",');
    expectBadInput(run(f, good), /^compat-check: .*broken\.json: not valid JSON: /);
  });
  it('a missing file', () => {
    expectBadInput(run('/nonexistent/src.json', good), /^compat-check: \/nonexistent\/src\.json: cannot read: ENOENT$/);
  });
  it('a wrong type, named by its path', () => {
    const f = tempFile('src.json', vm({ smp: 'two' }));
    expectBadInput(run(f, good), /src\.json: smp: must be integer$/);
  });
  it('a property value that is not a string', () => {
    const f = tempFile('src.json', vm({ devices: [{ id: 'd', driver: 'virtio-blk-pci', addr: '0x5', properties: { 'num-queues': 4 } }] }));
    expectBadInput(run(f, good), /src\.json: devices\[0\]\.properties\.num-queues: must be string$/);
  });
  it('an impossible PCI address', () => {
    const f = tempFile('src.json', vm({ devices: [{ id: 'd', driver: 'virtio-blk-pci', addr: '0x20' }] }));
    expectBadInput(run(f, good), /src\.json: devices\[0\]\.addr: impossible PCI address "0x20": slot 0x20 is above 0x1f$/);
  });
  it('a QEMU version that does not exist', () => {
    const f = tempFile('src.json', vm({ qemu: '7.9' }));
    expectBadInput(run(f, good), /src\.json: qemu: QEMU 7\.9 does not exist/);
  });
  it('a machine type the release does not offer', () => {
    const f = tempFile('src.json', vm({ machine: 'pc-q35-9.0' }));
    expectBadInput(run(f, good), /src\.json: machine: machine type "pc-q35-9\.0" does not exist in QEMU 7\.2$/);
  });
  it('a bus that is not there', () => {
    const f = tempFile('src.json', vm({ devices: [{ id: 'd', driver: 'virtio-blk-pci', bus: 'rp9' }] }));
    expectBadInput(run(f, good), /src\.json: devices\[0\]\.bus: no bus "rp9" \(buses: pci\.0\)$/);
  });
  it('a boolean property with a value QEMU would refuse', () => {
    const f = tempFile('src.json', vm({ devices: [{ id: 'd', driver: 'virtio-blk-pci', addr: '0x5', properties: { discard: 'maybe' } }] }));
    expectBadInput(run(f, good), /src\.json: devices\[0\]\.properties\.discard: "maybe" is not on\/off$/);
  });
  it('a -global with a value QEMU would refuse', () => {
    const f = tempFile('src.json', vm({ globals: { 'virtio-blk-device.num-queues': 'many' }, devices: [{ id: 'd', driver: 'virtio-blk-pci', addr: '0x5' }] }));
    expectBadInput(run(f, good), /src\.json: globals\.virtio-blk-device\.num-queues: "many" is not a number$/);
  });
  it('two devices with one id', () => {
    const d = { id: 'd', driver: 'virtio-blk-pci', addr: '0x5' };
    const f = tempFile('src.json', vm({ devices: [d, { ...d, addr: '0x6' }] }));
    expectBadInput(run(f, good), /src\.json: devices\[1\]\.id: duplicate device id "d"$/);
  });
  it('an unknown option', () => {
    expectBadInput(run(good, good, '--frobnicate'), /^compat-check: command line: Unknown argument: frobnicate$/);
  });
});
