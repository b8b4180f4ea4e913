// Hostile input: entities, huge and deep inputs, shell metacharacters.
// The limits are in src/inputs/limits.ts and the README.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDescription } from '../../src/inputs/load.js';
import { parseQueryPci } from '../../src/inputs/query-pci.js';
import { readInput, parseJsonInput } from '../../src/inputs/read.js';
import { MAX_DEVICES, MAX_INPUT_BYTES, MAX_JSON_DEPTH, MAX_XML_DEPTH } from '../../src/inputs/limits.js';
import { InputError } from '../../src/inputs/errors.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { deviceArgs, vmMachineSpec } from '../../src/rehearse/vm-args.js';
import { spawnQemu } from '../../src/qemu/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'compat-check-hostile-'));
const refused = (f: () => unknown, re: RegExp) => {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(re);
};
const domain = (body: string, pre = '') => `${pre}<domain type='kvm'><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os><devices>${body}</devices></domain>`;
const xml = (t: string) => parseDescription(t, 'vm.xml', { qemu: '7.2' });

describe('XML entities', () => {
  it('billion laughs is refused before any expansion', () => refused(() => xml(domain('<x>&lol9;</x>',
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`).join('')}]>`)), /<!DOCTYPE> is refused/));
  it('an external entity is refused', () => refused(() => xml(domain('<x>&xxe;</x>', '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')), /<!DOCTYPE> is refused/));
  it('an undefined entity is bad input', () => refused(() => xml(domain("<x a='&xxe;'/>")), /undefined entity "&xxe;"/));
  it('a character reference outside Unicode is bad input (was a RangeError)', () => refused(() => xml(domain("<x a='&#x110000;'/>")), /character reference "&#x110000;"/));
  it('an element or attribute named like an Object.prototype member is bad input (was a plain Error)', () => {
    refused(() => xml(domain("<interface type='network'><driver><host constructor='on'/></driver></interface>")), /XML refused/);
    refused(() => xml(domain('<__proto__/>')), /XML refused/);
  });
  it(`elements nested deeper than ${MAX_XML_DEPTH} are refused`, () => refused(() => xml(domain(`${'<a>'.repeat(MAX_XML_DEPTH + 1)}${'</a>'.repeat(MAX_XML_DEPTH + 1)}`)), /nested more than 64/));
});

describe('size and depth', () => {
  it(`a file above ${MAX_INPUT_BYTES} bytes is refused without reading it all`, () => {
    const f = join(dir, 'huge.json');
    writeFileSync(f, ' '.repeat(MAX_INPUT_BYTES + 1));
    refused(() => readInput(f), /huge\.json: larger than 16 MiB/);
    writeFileSync(f, ' '.repeat(MAX_INPUT_BYTES));
    expect(readInput(f)).toHaveLength(MAX_INPUT_BYTES);
  });
  it('an endless device (/dev/zero) is refused at the limit', () => {
    if (existsSync('/dev/zero')) refused(() => readInput('/dev/zero'), /larger than 16 MiB/);
  });
  it(`JSON nested deeper than ${MAX_JSON_DEPTH} is refused`, () => {
    refused(() => parseJsonInput('['.repeat(100_000) + ']'.repeat(100_000), 'deep.json'), /nested more than 256 levels/);
  });
  it('query-pci bridges nested without end are refused (was a stack overflow)', () => {
    let d: object = { bus: 0, slot: 1, function: 0 };
    for (let i = 0; i < 20_000; i++) d = { bus: 0, slot: 1, function: 0, pci_bridge: { bus: { secondary: 1 }, devices: [d] } };
    refused(() => parseQueryPci([{ bus: 0, devices: [d] }], 'q.json'), /bridges nested more than 255 deep/);
  });
  it(`more than ${MAX_DEVICES} devices are refused`, () => {
    const devices = Array.from({ length: MAX_DEVICES + 1 }, (_, n) => ({ id: `d${n}`, driver: 'virtio-rng-pci' }));
    refused(() => parseVmJson({ qemu: '7.2', machine: 'pc', devices }, 'many.json'), /4097 PCI devices/);
  });
  it('a log line of 4 MiB of header markers is read in linear time (was quadratic: a hang)', () => {
    const t = performance.now();
    refused(() => parseDescription('starting up libvirt version: 1'.repeat(1 << 17), 'vm.log', { qemu: '7.2' }), /not a QEMU command line/);
    expect(performance.now() - t).toBeLessThan(5_000);
  });
});

describe('no input value reaches a shell', () => {
  const sentinel = mkdtempSync(join(tmpdir(), 'compat-check-sentinel-'));
  const evil = `$(touch ${sentinel}/1)\`touch ${sentinel}/2\`;touch ${sentinel}/3 'x" |&>`;
  const vm = parseVmJson({ qemu: '7.2', machine: 'pc-i440fx-7.2', globals: { 'virtio-pci.x-evil': evil },
    devices: [{ id: 'd$(id)', driver: 'virtio-blk-pci', addr: '0x5', properties: { serial: evil, drive: evil } }] }, 'evil.json');
  it('the rendered -device keeps the value literally (QemuOpts commas doubled, nothing else touched)', () => {
    const { device, backends } = deviceArgs(vm.devices[0], 'pci.0');
    expect(device).toContain(`serial=${evil}`);
    expect(device).toContain('id=d$(id)');
    expect(backends.join(' ')).not.toMatch(/[$`;|&'"]/); // backend node names are sanitized
    expect(device.startsWith('virtio-blk-pci,id=d$(id),')).toBe(true);
  });
  it('QEMU is spawned from an argv: a stand-in binary receives the value as one literal argument', async () => {
    const work = mkdtempSync(join(tmpdir(), 'compat-check-argv-'));
    const fake = join(work, 'qemu-system-x86_64');
    writeFileSync(fake, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${work}/argv'\nexit 1\n`);
    chmodSync(fake, 0o755);
    const spec = vmMachineSpec(vm, 'pc-i440fx-7.2', 'pci.0');
    await expect(spawnQemu({ binary: fake, spec, startTimeoutMs: 5_000, timeoutMs: 5_000 })).rejects.toThrow();
    const argv = readFileSync(join(work, 'argv'), 'utf8').split('\n');
    expect(argv).toContain(`virtio-pci.x-evil=${evil}`);
    expect(argv.some((a) => a.includes(`serial=${evil}`))).toBe(true);
    for (const f of ['1', '2', '3']) expect(existsSync(join(sentinel, f))).toBe(false);
  });
});
