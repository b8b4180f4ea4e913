// Guest-programmed values from the running VM: QMP query-pci, HMP info pci (line per field
// and the seed's joined form), a guest's lspci -xxx — merged by PCI address.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDescription } from '../../src/inputs/load.js';
import { parseInfoPci } from '../../src/inputs/info-pci.js';
import { parseLspci } from '../../src/inputs/lspci-dump.js';
import { parseQueryPci } from '../../src/inputs/query-pci.js';
import { mergePciListings } from '../../src/inputs/pci-listing.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { InputError } from '../../src/inputs/errors.js';
import { FIXTURES, LIBVIRT, SEED002, byId, comparable } from './fixtures.js';

const bars = (vm: ReturnType<typeof loadDescription>, id: string) => comparable(vm).devices.find((d) => d.id === id)?.bars;

describe('query-pci and info pci of the same running VM give the same BARs', () => {
  for (const name of ['q35-hotplug', 'pc']) {
    it(name, () => {
      const viaQmp = loadDescription(LIBVIRT(`${name}.xml`), { qemu: '7.2', pci: [LIBVIRT(`${name}.query-pci.json`)] });
      const viaHmp = loadDescription(LIBVIRT(`${name}.xml`), { qemu: '7.2', pci: [LIBVIRT(`${name}.info-pci.txt`)] });
      expect(comparable(viaQmp)).toEqual(comparable(viaHmp));
      expect(viaQmp.devices.filter((d) => d.guest?.bars.size).length).toBeGreaterThan(8);
    });
  }
  it('behind a root port: bus 1 is pci.1\'s secondary bus, where net0 sits', () => {
    const vm = loadDescription(LIBVIRT('q35-hotplug.xml'), { qemu: '7.2', pci: [LIBVIRT('q35-hotplug.query-pci.json')] });
    expect(bars(vm, 'net0')).toEqual({ 1: '0xfe840000', 4: '0xfca00000' });
    expect(bars(vm, 'pci.1')).toEqual({ 0: '0xfea11000' });
  });
  it('the hotplugged disk (no guest OS to assign it) has no BARs mapped: none are claimed', () => {
    const vm = loadDescription(LIBVIRT('q35-hotplug.xml'), { qemu: '7.2', pci: [LIBVIRT('q35-hotplug.info-pci.txt')] });
    expect(bars(vm, 'virtio-disk1')).toEqual({});
  });
  it('I/O and 64-bit BARs on i440fx', () => {
    const vm = loadDescription(LIBVIRT('pc.xml'), { qemu: '7.2', pci: [LIBVIRT('pc.query-pci.json')] });
    expect(bars(vm, 'virtio-disk0')).toEqual({ 0: '0xc000', 1: '0xfebd9000', 4: '0xfe010000' });
  });
});

describe('info pci text', () => {
  it('the joined form of seed 002 reads like the line-per-field form', () => {
    const l = parseInfoPci(readFileSync(SEED002('src-info-pci.txt'), 'utf8'), 'seed');
    expect(l.functions.map((f) => [f.slot, f.id, Object.fromEntries([...f.bars].map(([k, v]) => [k, v.toString(16)]))])).toEqual([
      [9, 'virtio-disk0', { 0: 'd080', 1: 'fea59000', 4: 'fe208000' }],
      [10, 'balloon0', { 0: 'd100', 4: 'fe20c000' }],
      [11, 'virtio-disk1', { 0: 'ffc0', 1: 'febff000', 4: '4287fffc000' }],
    ]);
  });
  it('a real listing with its lines joined gives the same functions', () => {
    const text = readFileSync(LIBVIRT('pc.info-pci.txt'), 'utf8');
    const strip = (t: string) => parseInfoPci(t, 'x').functions.map(({ where: _w, ...f }) => f);
    expect(strip(text.replace(/\n\s*/g, ''))).toEqual(strip(text));
  });
});

describe('a guest\'s lspci -xxx', () => {
  const text = readFileSync(join(FIXTURES, 'lspci/guest-all.lspci-xxx.txt'), 'utf8');
  it('every function with its 256 bytes', () => {
    const l = parseLspci(text, 'lspci');
    expect(l.functions.map((f) => `${f.slot}.${f.fn}:${f.config?.length}`)).toEqual(['0.0:256', '1.0:256', '2.0:256', '3.0:256', '4.0:256', '5.0:256']);
    expect([...l.functions[2].config!.slice(0, 4)]).toEqual([0xf4, 0x1a, 0x42, 0x10]);
  });
  it('merged by address as the device\'s raw config (guest.config)', () => {
    const vm = parseVmJson({ qemu: '7.2', machine: 'pc', devices: [{ id: 'blk', driver: 'virtio-blk-pci-non-transitional', addr: '0x2' }] }, 'vm.json');
    const merged = mergePciListings(vm, [parseLspci(text, 'lspci')]);
    expect(byId(merged, 'blk').guest?.config?.[0x10]).toBe(0x04);
  });
  it('-xxxx: 4096 bytes', () => {
    const block = text.split('\n\n')[2];
    const ext = Array.from({ length: 240 }, (_, n) => `${(0x100 + n * 16).toString(16)}: ${Array(16).fill('00').join(' ')}`).join('\n');
    expect(parseLspci(`${block}\n${ext}\n`, 'x').functions[0].config?.length).toBe(4096);
  });
});

describe('what the merge refuses', () => {
  const refused = (f: () => unknown) => { try { f(); } catch (e) { return (e as InputError).message; } return 'accepted'; };
  it('a device the listing names that the description lacks (a hotplug the boot command line cannot show)', () => {
    expect(refused(() => loadDescription(LIBVIRT('q35.log'), { pci: [LIBVIRT('q35-hotplug.query-pci.json')] })))
      .toMatch(/q35-hotplug\.query-pci\.json: return\[0\]\.devices\[\d+\]\.pci_bridge\.devices\[0\]: device "virtio-disk1" at 07:00\.0 is not in .*q35\.log/);
  });
  it('another device at the same address', () => {
    const vm = parseVmJson({ qemu: '7.2', machine: 'pc', devices: [
      { id: 'virtio-disk0', driver: 'virtio-blk-pci', addr: '0x9' }, { id: 'balloon0', driver: 'virtio-balloon-pci', addr: '0xa' },
      { id: 'x', driver: 'virtio-blk-pci', addr: '0xb' }] }, 'vm.json');
    const l = parseInfoPci(readFileSync(SEED002('src-info-pci.txt'), 'utf8'), 'info.txt');
    expect(refused(() => mergePciListings(vm, [l]))).toMatch(/^info\.txt: line 2 \(Bus 0, device 11, function 0\): 00:0b\.0 is "virtio-disk1" here but "x" in vm\.json$/);
  });
  it('query-pci without a slot', () => {
    expect(refused(() => parseQueryPci({ return: [{ bus: 0, devices: [{ bus: 0, function: 0 }] }] }, 'q.json'))).toBe('q.json: return[0].devices[0].slot: must be an integer');
  });
  it('an lspci dump of 64 bytes (lspci -x, or not root)', () => {
    expect(refused(() => parseLspci('00:02.0 SCSI storage controller: x\n00: f4 1a 01 10 07 05 10 00 00 00 00 01 00 00 00 00\n', 'l.txt')))
      .toBe('l.txt: line 1 (00:02.0): 16 bytes; a config dump has 256 or 4096');
  });
});

describe('query-pci of VMs with expander bridges (QEMU 7.2.22, buses numbered by SeaBIOS)', () => {
  const listing = (f: string) => parseQueryPci(JSON.parse(readFileSync(join(FIXTURES, 'pxb', f), 'utf8')), f);
  it('pxb: root bus 64 holds its internal pci-bridge (named "pb2" like the pxb); rng2 is on bus 65 behind it', () => {
    const vm = parseVmJson({
      qemu: '7.2', machine: 'pc-i440fx-7.2', devices: [
        { id: 'pb2', driver: 'pxb', addr: '0x6', properties: { bus_nr: '64' } },
        { id: 'rng2', driver: 'virtio-rng-pci', bus: 'pb2', addr: '0x3' },
      ],
    }, 'pxb.json');
    const merged = mergePciListings(vm, [listing('pc-pxb.query-pci.json')]);
    expect(merged.devices.find((d) => d.id === 'rng2')?.guest?.bars).toEqual(new Map([[0, 0xc000n], [1, 0xfe800000n], [4, 0xfea00000n]]));
    // The internal bridge is no description device, and the pxb function itself maps nothing.
    expect(merged.devices.find((d) => d.id === 'pb2')?.guest?.bars).toEqual(new Map());
  });
  it('pxb-pcie: root bus 32 holds rp1 directly; rng1 is on rp1\'s secondary bus 33', () => {
    const vm = parseVmJson({
      qemu: '7.2', machine: 'pc-q35-7.2', devices: [
        { id: 'px1', driver: 'pxb-pcie', addr: '0x5', properties: { bus_nr: '32' } },
        { id: 'rp1', driver: 'pcie-root-port', bus: 'px1', addr: '0x0', properties: { chassis: '10' } },
        { id: 'rng1', driver: 'virtio-rng-pci', bus: 'rp1' },
      ],
    }, 'pxb-pcie.json');
    const merged = mergePciListings(vm, [listing('q35-pxb-pcie.query-pci.json')]);
    expect(merged.devices.find((d) => d.id === 'rng1')?.guest?.bars).toEqual(new Map([[1, 0xfe600000n], [4, 0xfea00000n]]));
    expect(merged.devices.find((d) => d.id === 'rp1')?.guest?.bars).toEqual(new Map([[0, 0xfe801000n]]));
  });
});
