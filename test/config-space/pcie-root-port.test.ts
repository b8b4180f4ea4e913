// The pcie-root-port model, read as the spec: what each register holds and
// which bits a guest may write, clear or a migration compares.
import { describe, expect, it } from 'vitest';
import { getLE, type ConfigSpace } from '../../src/config-space/config-space.js';
import { guestWriteValue } from '../../src/config-space/guest-write.js';
import { checkedBits } from '../../src/config-space/load-check.js';
import { fieldAt } from '../../src/config-space/fields.js';
import { parseVmJson } from '../../src/inputs/vm.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { buildDevice, type BuiltSide } from '../../src/check/build.js';
import { checkMigration } from '../../src/check/migration.js';

const EXP = 0x54; // PCI Express capability
const SLTCAP = EXP + 0x14;
const SLTCTL = EXP + 0x18;
const SLTSTA = EXP + 0x1a;
const LNKCAP = EXP + 0x0c;
const LNKSTA = EXP + 0x12;

interface Port { props?: Record<string, string>; child?: boolean; machine?: string; release?: string; before?: Record<string, string>[] }

function vm({ props = {}, child = false, machine, release = '10.0', before = [] }: Port) {
  return parseVmJson({
    qemu: release,
    machine: `pc-q35-${machine ?? release}`,
    devices: [
      ...before.map((p, n) => ({ id: `pre${n}`, driver: 'pcie-root-port', addr: `0x${(3 + n).toString(16)}`, properties: p })),
      { id: 'rp', driver: 'pcie-root-port', addr: '0x2', properties: { chassis: '1', ...props } },
      ...(child ? [{ id: 'disk', driver: 'virtio-blk-pci', bus: 'rp' }] : []),
    ],
  }, 'port.json');
}

function build(p: Port = {}): BuiltSide {
  const v = vm(p);
  const side = { vm: v, release: v.qemu, machine: resolveMachine(machineProfile(v.qemu)!, v.machine) };
  return buildDevice(side, v.devices.find((d) => d.id === 'rp')!);
}

function port(p: Port = {}): ConfigSpace {
  const b = build(p);
  if (b.kind !== 'built') throw new Error(`${b.kind}: ${b.reason}`);
  return b.cs;
}

const word = (cs: ConfigSpace, at: number) => getLE(cs.config, at, 2);
const dword = (cs: ConfigSpace, at: number) => getLE(cs.config, at, 4);

describe('pcie-root-port: the type-1 header', () => {
  it('is a PCI-to-PCI bridge 1b36:000c with interrupt pin A and no subsystem IDs in the header', () => {
    const cs = port();
    expect(word(cs, 0x00)).toBe(0x1b36);
    expect(word(cs, 0x02)).toBe(0x000c);
    expect(word(cs, 0x0a)).toBe(0x0604);
    expect(cs.config[0x0e]).toBe(0x01);
    expect(cs.config[0x3d]).toBe(1);
    expect(dword(cs, 0x2c)).toBe(0);
  });

  it('advertises a 16-bit I/O window and a 64-bit prefetchable window; the type bits are compared, the address bits writable', () => {
    const cs = port();
    expect(cs.config[0x1c] & 0x0f).toBe(0x0);
    expect(word(cs, 0x24) & 0x000f).toBe(0x1);
    expect(word(cs, 0x26) & 0x000f).toBe(0x1);
    expect(checkedBits(cs, 0x24)).toBe(0x0f);
    expect(cs.wmask[0x1c]).toBe(0xf0);
    expect(getLE(cs.wmask, 0x20, 2)).toBe(0xfff0);
    expect(getLE(cs.wmask, 0x28, 4)).toBe(0xffffffff);
    expect(getLE(cs.wmask, 0x30, 4)).toBe(0); // I/O upper 16 bits: 16-bit decoding only
  });

  it('comes out of reset with every window closed (base above limit)', () => {
    const cs = port();
    expect([cs.config[0x1c], cs.config[0x1d]]).toEqual([0xf0, 0x00]);
    expect([word(cs, 0x20), word(cs, 0x22)]).toEqual([0xfff0, 0x0000]);
    expect([word(cs, 0x24), word(cs, 0x26)]).toEqual([0xfff1, 0x0001]);
  });

  it('Bridge Control: parity, SERR, ISA, VGA, VGA 16-bit and secondary bus reset writable; the conventional-only bits not', () => {
    expect(getLE(port().wmask, 0x3e, 2)).toBe(0x005f);
  });

  it('names type-1 registers by their bridge names', () => {
    const cs = port();
    expect(fieldAt(cs, 0x19).name).toBe('Secondary Bus Number');
    expect(fieldAt(cs, 0x25).name).toBe('Prefetchable Memory Base');
    expect(fieldAt(cs, 0x38).name).toBe('Expansion ROM BAR (not implemented)');
  });

  it('the secondary latency timer is read-only 0 from 8.2; pc-q35-8.1 keeps it writable (x-pci-express-writeable-slt-bug)', () => {
    expect(port().wmask[0x1b]).toBe(0x00);
    expect(port({ machine: '8.1' }).wmask[0x1b]).toBe(0xff);
    expect(port({ release: '7.2' }).wmask[0x1b]).toBe(0xff);
  });
});

describe('pcie-root-port: capabilities', () => {
  it('lists PCI Express (0x54) → MSI-X (0x48) → SSVID (0x40), with a 4 KiB 32-bit MSI-X BAR0 of one vector', () => {
    const cs = port();
    expect(cs.config[0x34]).toBe(0x54);
    expect([cs.config[0x54], cs.config[0x55]]).toEqual([0x10, 0x48]);
    expect([cs.config[0x48], cs.config[0x49]]).toEqual([0x11, 0x40]);
    expect([cs.config[0x40], cs.config[0x41], word(cs, 0x44)]).toEqual([0x0d, 0x00, 0x1b36]);
    expect(word(cs, 0x4a)).toBe(0); // table size 1
    expect(cs.bars).toEqual([expect.objectContaining({ index: 0, size: 4096, type: 0 })]);
  });

  it('is a version-2 Root Port capability with a slot, x32 at 16 GT/s by default with link bandwidth notification and DLL active reporting', () => {
    const cs = port();
    expect(word(cs, EXP + 2)).toBe(0x0142);
    expect(dword(cs, LNKCAP)).toBe(0x00300604 >>> 0);
    expect(dword(cs, EXP + 0x2c)).toBe(0x1e); // Supported Link Speeds 2.5-16 GT/s
    expect(word(cs, EXP + 0x30)).toBe(4); // Target Link Speed
  });

  it('x-speed 2_5 and x-width 1 (what a 3.1 machine type sets): no bandwidth notification, no DLL reporting, no Link Capabilities 2', () => {
    const cs = port({ release: '10.0', machine: '3.1' });
    expect(dword(cs, LNKCAP)).toBe(0x00000411);
    expect(dword(cs, EXP + 0x2c)).toBe(0);
  });

  it('Slot Capabilities carry the physical slot number in bits 19-31, compared on load', () => {
    const cs = port({ props: { slot: '5' } });
    expect(dword(cs, SLTCAP) >>> 19).toBe(5);
    expect(checkedBits(cs, SLTCAP + 2)).toBe(0xff);
  });

  it('a root port with hotplug: Slot Status Presence Detect Changed is write-1-to-clear', () => {
    const cs = port();
    expect(getLE(cs.w1cmask, SLTSTA, 2)).toBe(0x19); // ABP | PDC | CC
    const work = { ...cs, config: cs.config.slice() };
    work.config[SLTSTA] = 0x08; // a hot-plug event latched
    guestWriteValue(work, SLTSTA, 2, 0x08n);
    expect(work.config[SLTSTA]).toBe(0);
  });

  it('hotplug=off removes Hot-Plug Surprise and Capable from Slot Capabilities', () => {
    expect(dword(port(), SLTCAP) & 0x60).toBe(0x60);
    expect(dword(port({ props: { hotplug: 'off' } }), SLTCAP) & 0x60).toBe(0);
  });

  it('an empty slot with a power controller resets powered off; Slot Control indicators, enables and power writable', () => {
    const cs = port();
    expect(word(cs, SLTCTL)).toBe(0x07c0);
    expect(getLE(cs.wmask, SLTCTL, 2)).toBe(0x0ff9); // incl. Electromechanical Interlock Control, which reads 0
  });

  it('Root Control system-error enables and ARI forwarding are writable', () => {
    const cs = port();
    expect(getLE(cs.wmask, EXP + 0x1c, 2)).toBe(0x7);
    expect(getLE(cs.wmask, EXP + 0x28, 2)).toBe(0x8020);
  });

  it('AER at 0x100 with root-port registers, then ACS at 0x148 with every downstream-port control writable', () => {
    const cs = port();
    expect(dword(cs, 0x100)).toBe((0x148 << 20 | 0x2 << 16 | 0x0001) >>> 0);
    expect(getLE(cs.wmask, 0x12c, 4)).toBe(0x7); // Root Error Command
    expect(getLE(cs.w1cmask, 0x130, 4)).toBe(0x7f); // Root Error Status
    expect(checkedBits(cs, 0x133)).toBe(0x07); // the interrupt message number is not compared
    expect(dword(cs, 0x148)).toBe(0x0001000d);
    expect([word(cs, 0x14c), getLE(cs.wmask, 0x14e, 2)]).toEqual([0x5f, 0x5f]);
  });

  it('disable-acs (and a 3.1 machine type) drops ACS: AER is the last extended capability', () => {
    for (const cs of [port({ props: { 'disable-acs': 'on' } }), port({ machine: '3.1' })]) {
      expect(dword(cs, 0x100) >>> 20).toBe(0);
      expect(dword(cs, 0x148)).toBe(0);
    }
  });

  it('a *-reserve property adds QEMU\'s resource-reserve capability at 0x90; io-reserve=0 makes the I/O window read-only', () => {
    const cs = port({ props: { 'bus-reserve': '2' } });
    expect(cs.config[0x34]).toBe(0x90);
    expect([cs.config[0x90], cs.config[0x92], cs.config[0x93], dword(cs, 0x94)]).toEqual([0x09, 32, 1, 2]);
    const noIo = port({ props: { 'io-reserve': '0' } });
    expect([noIo.wmask[0x1c], noIo.wmask[0x1d], noIo.wmask[0x04] & 0x1]).toEqual([0, 0, 0]);
  });
});

describe('pcie-root-port: what is plugged in at start', () => {
  it('with a device behind it on pc-q35-6.0, Presence Detect State and DLL Link Active are set and the slot is powered', () => {
    const cs = port({ child: true, machine: '6.0' });
    expect(word(cs, SLTSTA) & 0x40).toBe(0x40);
    expect(word(cs, LNKSTA)).toBe(0x2011); // DLLLA, x1 at 2.5 GT/s as the device reports
    expect(word(cs, SLTCTL) & 0x400).toBe(0);
  });

  it('on the current q35 machine type ACPI PCI hot-plug owns the slot: Presence Detect State stays clear, the slot is still powered', () => {
    const cs = port({ child: true });
    expect(word(cs, SLTSTA) & 0x40).toBe(0);
    expect(word(cs, SLTCTL)).toBe(0x03c0);
  });

  it('7.2 lit the power indicator of a populated slot; 8.0 leaves it off', () => {
    expect(word(port({ child: true, release: '7.2' }), SLTCTL)).toBe(0x01c0);
    expect(word(port({ child: true, release: '8.0', machine: '8.0' }), SLTCTL)).toBe(0x03c0);
  });

  it('Presence Detect State is compared up to 8.0 and not from 8.1', () => {
    expect(checkedBits(port({ release: '7.2' }), SLTSTA) & 0x40).toBe(0x40);
    expect(checkedBits(port({ release: '8.1' }), SLTSTA) & 0x40).toBe(0);
  });

  it('pc-q35-6.1 hides native hot-plug and asks firmware for 4 KiB of I/O', () => {
    const cs = port({ release: '10.0', machine: '6.1' });
    expect(dword(cs, SLTCAP) & 0x60).toBe(0);
    expect(cs.config[0x34]).toBe(0x90);
    expect(dword(cs, 0x98)).toBe(4096);
  });
});

describe('pcie-root-port: refusals and migrations', () => {
  it('two root ports with the same chassis and slot: QEMU refuses the second', () => {
    const b = build({ props: { chassis: '1', slot: '0' }, before: [{ chassis: '1' }] });
    expect(b).toMatchObject({ kind: 'refused', reason: "Can't add chassis slot, error -16" });
  });

  it('a romfile on a root port aborts QEMU (a type-1 header has no ROM region)', () => {
    expect(build({ props: { romfile: 'efi-virtio.rom' } }).kind).toBe('refused');
  });

  it('a different physical slot fails the load at Slot Capabilities, in QEMU\'s words', () => {
    const r = checkMigration(vm({ props: { slot: '1' } }), vm({ props: { slot: '2' } }));
    expect(r.verdict).toBe('incompatible');
    expect(r.firstError).toBe('get_pci_config_device: Bad config data: i=0x6a read: a device: 12 cmask: ff wmask: 0 w1cmask:0');
    expect(r.qemuOutput[2]).toBe('Failed to load pcie-root-port:parent_obj.parent_obj.parent_obj');
  });

  it('a different chassis number loads: it is not in config space', () => {
    expect(checkMigration(vm({ props: { chassis: '1' } }), vm({ props: { chassis: '2' } })).verdict).toBe('compatible');
  });
});
