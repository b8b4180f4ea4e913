// -machine options that add or remove the machine's own functions and
// sections, read as the spec; every case here also runs against real QEMU
// 5.2.0, 7.2.22, 10.0.13 and 11.1.3 in test/real-qemu/machine-devices.test.ts.
import { describe, expect, it } from 'vitest';
import { parseVmJson } from '../../src/inputs/vm.js';
import { parseCommandLineText } from '../../src/inputs/qemu-cmdline.js';
import { parseDomainXml } from '../../src/inputs/libvirt-xml.js';
import { InputError } from '../../src/inputs/errors.js';
import { machineProfile } from '../../src/profiles/data.js';
import { resolveMachine } from '../../src/profiles/machine.js';
import { machineFunctions, machineOptionsOf } from '../../src/check/builtin-devices.js';
import { checkMigration } from '../../src/check/migration.js';
import { resolveMachineOptions } from '../../src/devices/chipset-layout.js';
import { readFileSync } from 'node:fs';
import { LIBVIRT } from '../inputs/fixtures.js';

const vm = (qemu: string, machine: string, machineOptions?: Record<string, string>, file = 'vm.json') =>
  parseVmJson({ qemu, machine, ...(machineOptions ? { machineOptions } : {}), devices: [] }, file);
const sideOf = (qemu: string, machine: string, o?: Record<string, string>) =>
  ({ vm: vm(qemu, machine, o), release: qemu, machine: resolveMachine(machineProfile(qemu)!, machine) });
const paths = (qemu: string, machine: string, o?: Record<string, string>) => machineFunctions(sideOf(qemu, machine, o)).map((f) => `${f.path}/${f.vmsd}`);
const hex = (a: Uint8Array, at: number, n: number) => [...a.subarray(at, at + n)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const migrate = (qemu: string, machine: string, src: Record<string, string>, dst: Record<string, string>) =>
  checkMigration(vm(qemu, machine, src, 'src.json'), vm(qemu, machine, dst, 'dst.json'));

describe('which functions the machine creates under its options', () => {
  it('q35 by default: mch, ICH9-LPC, ich9-ahci at 1f.2, ICH9-SMB at 1f.3', () => {
    expect(paths('7.2', 'pc-q35-7.2')).toEqual(['0000:00:00.0/mch', '0000:00:1f.0/ICH9LPC', '0000:00:1f.2/ich9_ahci', '0000:00:1f.3/ich9_smb']);
  });
  it('q35 sata=off,smbus=off: only mch and ICH9-LPC', () => {
    expect(paths('7.2', 'pc-q35-7.2', { sata: 'off', smbus: 'off' })).toEqual(['0000:00:00.0/mch', '0000:00:1f.0/ICH9LPC']);
  });
  it('q35 usb=on: ich9-usb-ehci1 at 1d.7 and its companions ich9-usb-uhci1-3 at 1d.0-2, between SATA and SMBus', () => {
    expect(paths('10.0', 'pc-q35-10.0', { usb: 'on' })).toEqual([
      '0000:00:00.0/mch', '0000:00:1f.0/ICH9LPC', '0000:00:1f.2/ich9_ahci',
      '0000:00:1d.7/ehci', '0000:00:1d.0/uhci', '0000:00:1d.1/uhci', '0000:00:1d.2/uhci', '0000:00:1f.3/ich9_smb',
    ]);
  });
  it('pc up to 8.1: i440FX, PIIX3, piix3-ide, then uhci at 01.2 (usb=on) and PIIX4_PM at 01.3 (acpi on)', () => {
    expect(paths('7.2', 'pc-i440fx-7.2', { usb: 'on' })).toEqual([
      '0000:00:00.0/I440FX', '0000:00:01.0/PIIX3', '0000:00:01.1/ide', '0000:00:01.2/uhci', '0000:00:01.3/piix4_pm',
    ]);
    expect(paths('7.2', 'pc-i440fx-7.2', { acpi: 'off' })).toEqual(['0000:00:00.0/I440FX', '0000:00:01.0/PIIX3', '0000:00:01.1/ide']);
  });
  it('pc from 8.2: the PIIX3 realizes its IDE, USB and PM children first, so their sections precede its own', () => {
    expect(paths('10.0', 'pc-i440fx-10.0', { usb: 'on' })).toEqual([
      '0000:00:00.0/I440FX', '0000:00:01.1/ide', '0000:00:01.2/uhci', '0000:00:01.3/piix4_pm', '0000:00:01.0/PIIX3',
    ]);
  });
  it('pc: sata and smbus are read but pc_init1 ignores them', () => {
    expect(paths('7.2', 'pc-i440fx-7.2', { sata: 'off', smbus: 'off' })).toEqual(paths('7.2', 'pc-i440fx-7.2'));
    expect(machineOptionsOf(sideOf('7.2', 'pc-i440fx-7.2', { sata: 'off', smbus: 'off' })).noEffect).toEqual(['sata=off', 'smbus=off']);
  });
});

describe('config bytes the options change', () => {
  const pm = (o?: Record<string, string>) => machineFunctions(sideOf('7.2', 'pc-i440fx-7.2', o)).find((f) => f.driver === 'PIIX4_PM')!;
  const mch = (qemu: string, o?: Record<string, string>) => machineFunctions(sideOf(qemu, `pc-q35-${qemu}`, o)).find((f) => f.driver === 'mch')!;
  it('pc smm=off: PIIX4_PM 0x5b = 02 (piix4_pm_reset: SMM already initialized), not compared', () => {
    expect(pm().cs.config[0x5b]).toBe(0);
    expect(pm({ smm: 'off' }).cs.config[0x5b]).toBe(0x02);
    expect(pm({ smm: 'off' }).cs.cmask[0x5b]).toBe(0);
  });
  it('q35 smm=off from 9.1: the MCH has no SMRAM registers (0x9c-0x9e and 0x50 read 0, plain writable bytes as past any header); before 9.1 it keeps them', () => {
    expect(hex(mch('10.0', { smm: 'off' }).cs.config, 0x9c, 3)).toBe('00 00 00');
    expect(hex(mch('10.0', { smm: 'off' }).cs.wmask, 0x9c, 3)).toBe('ff ff ff');
    expect(hex(mch('10.0', { smm: 'off' }).cs.config, 0x50, 2)).toBe('00 00');
    expect(hex(mch('7.2', { smm: 'off' }).cs.config, 0x9c, 3)).toBe('00 02 38');
    expect(hex(mch('10.0').cs.wmask, 0x9c, 3)).toBe('ff 78 87');
  });
});

describe('migrating between machines whose options differ', () => {
  it('q35 sata=off on the destination: "Unknown savevm section or instance \'0000:00:1f.2/ich9_ahci\' 0"', () => {
    const r = migrate('7.2', 'pc-q35-7.2', {}, { sata: 'off' });
    expect(r.verdict).toBe('incompatible');
    expect(r.firstError).toBe("Unknown savevm section or instance '0000:00:1f.2/ich9_ahci' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices");
  });
  it('q35 sata=off on the source only: the destination\'s extra function is never asked for', () => {
    expect(migrate('7.2', 'pc-q35-7.2', { sata: 'off' }, {}).verdict).toBe('compatible');
  });
  it('q35 smbus=off on the destination: the SMBus\'s i2c bus section comes first ("i2c_bus")', () => {
    expect(migrate('10.0', 'pc-q35-10.0', {}, { smbus: 'off' }).firstError).toMatch(/^Unknown savevm section or instance 'i2c_bus' 0\./);
  });
  it('11.1 words it its own way', () => {
    expect(migrate('11.1', 'pc-q35-11.1', {}, { sata: 'off' }).firstError)
      .toBe("load of migration failed: Invalid argument: Unknown section or instance '0000:00:1f.2/ich9_ahci' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices");
  });
  it('acpi=off on the destination: the ACPI tables\' RAM block is unknown there, before any device', () => {
    const r = migrate('7.2', 'pc-i440fx-7.2', {}, { acpi: 'off' });
    expect(r.qemuOutput).toEqual(['Unknown ramblock "/rom@etc/acpi/tables", cannot accept migration', "error while loading state for instance 0x0 of device 'ram'", 'load of migration failed: Invalid argument']);
    expect(migrate('7.2', 'pc-q35-7.2', {}, { acpi: 'off' }).firstError).toBe('Unknown ramblock "/rom@etc/acpi/tables", cannot accept migration');
    expect(migrate('7.2', 'pc-i440fx-7.2', { acpi: 'off' }, {}).verdict).toBe('compatible');
  });
  it('usb=on on the source only: pc misses 01.2/uhci, q35 1d.7/ehci', () => {
    expect(migrate('5.2', 'pc-i440fx-5.2', { usb: 'on' }, {}).firstError).toMatch(/'0000:00:01\.2\/uhci' 0/);
    expect(migrate('5.2', 'pc-q35-5.2', { usb: 'on' }, {}).firstError).toMatch(/'0000:00:1d\.7\/ehci' 0/);
  });
  it('smm=off on one side loads: the bytes it changes are not compared', () => {
    expect(migrate('10.0', 'pc-q35-10.0', {}, { smm: 'off' }).verdict).toBe('compatible');
    expect(migrate('10.0', 'pc-i440fx-10.0', { smm: 'off' }, {}).verdict).toBe('compatible');
  });
  it('ISA sections: hpet=off, pit=off, i8042=off, vmport=off, pic=off on the destination, first in creation order', () => {
    expect(migrate('7.2', 'pc-q35-7.2', {}, { hpet: 'off', vmport: 'off' }).firstError).toMatch(/'hpet' 0/);
    expect(migrate('7.2', 'pc-q35-7.2', {}, { vmport: 'off', pit: 'off' }).firstError).toMatch(/'i8254' 0/);
    expect(migrate('7.2', 'pc-q35-7.2', {}, { vmport: 'off', sata: 'off' }).firstError).toMatch(/'vmmouse' 0/);
    expect(migrate('7.2', 'pc-i440fx-7.2', {}, { i8042: 'off' }).firstError).toMatch(/'ps2kbd' 0/);
    expect(migrate('7.2', 'pc-i440fx-7.2', {}, { pic: 'off', hpet: 'off' }).firstError).toMatch(/'i8259' 0/);
    // From 8.2 pc's USB function is realized inside the PIIX3, before the ISA devices.
    expect(migrate('10.0', 'pc-i440fx-10.0', { usb: 'on' }, { hpet: 'off' }).firstError).toMatch(/'0000:00:01\.2\/uhci' 0/);
    expect(migrate('7.2', 'pc-i440fx-7.2', { usb: 'on' }, { hpet: 'off' }).firstError).toMatch(/'hpet' 0/);
  });
  it('options that leave the stream alone are read and change nothing', () => {
    const r = migrate('7.2', 'pc-q35-7.2', {}, { kernel_irqchip: 'on', 'dump-guest-core': 'off', 'mem-merge': 'off', 'memory-backend': 'pc.ram' });
    expect(r.verdict).toBe('compatible');
  });
  it('an option nobody modelled makes the machine unknown, never compatible', () => {
    const r = migrate('7.2', 'pc-q35-7.2', { nvdimm: 'on' }, { nvdimm: 'on' });
    expect(r.verdict).toBe('unknown');
    expect(r.devices.map((d) => d.verdict)).toContainEqual({ kind: 'unknown', reason: "-machine nvdimm=on is not modelled: the machine's own devices and sections are not known" });
  });
  it('an option the release does not have is unknown (QEMU 5.2 has no i8042)', () => {
    expect(machineOptionsOf(sideOf('5.2', 'pc-q35-5.2', { i8042: 'off' })).unknown).toEqual(['QEMU 5.2 has no -machine i8042 (it would not start)']);
  });
});

describe('reading machine options', () => {
  const refused = (f: () => unknown) => {
    try { f(); } catch (e) { if (e instanceof InputError) return e.message; throw e; }
    return 'accepted';
  };
  it('a description: booleans as on/off, a bad value names file and field', () => {
    expect(vm('7.2', 'pc-q35-7.2', { sata: 'no', smm: 'auto' }).machineOptions).toEqual({ sata: 'off', smm: 'auto' });
    expect(refused(() => vm('7.2', 'pc-q35-7.2', { smm: 'maybe' }))).toBe('vm.json: machineOptions.smm: smm=maybe: QEMU takes on, off or auto');
    expect(refused(() => parseVmJson({ qemu: '7.2', machine: 'q35', machineOptions: { sata: false }, devices: [] }, 'vm.json'))).toMatch(/^vm\.json: machineOptions\.sata: must be string/);
  });
  it('a command line: -machine type=q35,smm=off,sata=off, Proxmox\'s kernel_irqchip=on, and the old flags -usb, -no-acpi, -no-hpet', () => {
    const c = parseCommandLineText('qemu-system-x86_64 -machine type=q35,smm=off,sata=off,kernel_irqchip=on -usb -no-acpi -no-hpet', 'cmd.txt', { qemu: '7.2' });
    expect(c.machine).toBe('q35');
    expect(c.machineOptions).toEqual({ smm: 'off', sata: 'off', kernel_irqchip: 'on', usb: 'on', acpi: 'off', hpet: 'off' });
    expect(refused(() => parseCommandLineText('qemu-system-x86_64 -machine pc,usb=maybe', 'cmd.txt', { qemu: '7.2' }))).toMatch(/^cmd\.txt: .*usb=maybe: QEMU takes on or off$/);
  });
  it('libvirt XML: no <acpi/> is acpi=off, <smm state=\'off\'/> smm=off, <vmport>, <ps2>, and the hpet timer', () => {
    const x = (features: string, clock = '') => parseDomainXml(`<domain type='kvm'><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><features>${features}</features>${clock}<devices/></domain>`, 'vm.xml', { qemu: '7.2' }).machineOptions;
    expect(x('<acpi/><apic/>')).toBeUndefined();
    expect(x('<apic/><smm state=\'off\'/>')).toEqual({ acpi: 'off', smm: 'off' });
    expect(x('<acpi/><vmport state=\'off\'/><ps2 state=\'off\'/>', "<clock offset='utc'><timer name='hpet' present='no'/></clock>")).toEqual({ vmport: 'off', i8042: 'off', hpet: 'off' });
  });
});

describe('libvirt\'s real VMs (virt-install on libvirt 9.0): the XML and the command line it generated agree', () => {
  for (const [xml, log, family] of [['q35.xml', 'q35.log', 'q35'], ['pc.xml', 'pc.log', 'i440fx']] as const) {
    it(`${xml}: <timer name='hpet' present='no'/> is the log's -no-hpet; usb=off, dump-guest-core=off, memory-backend=pc.ram change nothing`, () => {
      const x = parseDomainXml(readFileSync(LIBVIRT(xml), 'utf8'), xml, { qemu: '7.2.22' });
      const l = parseCommandLineText(readFileSync(LIBVIRT(log), 'utf8'), log);
      expect(x.machineOptions).toEqual({ hpet: 'off' });
      expect(l.machineOptions).toMatchObject({ hpet: 'off', usb: 'off', 'dump-guest-core': 'off' });
      const rx = resolveMachineOptions(family, '7.2', x.machineOptions);
      const rl = resolveMachineOptions(family, '7.2', l.machineOptions);
      expect(rl.switches).toEqual(rx.switches);
      expect(rl.unknown).toEqual([]);
      expect(rl.switches.hpet).toBe(false);
    });
  }
});
