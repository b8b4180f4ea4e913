/**
 * Reading QEMU options from split words: -machine/-M, -name, -smp, -global,
 * -set device.ID.PROP=V, -netdev (the NIC's queue count) and -device in
 * QemuOpts or JSON syntax. Used for whole command lines (qemu-cmdline.ts)
 * and for libvirt's <qemu:commandline> extras (libvirt-qemu-ns.ts).
 * -blockdev/-drive/-chardev/-object are backends: they do not change a
 * device's config space and are not read (except -drive if=virtio and -nic,
 * which create a device at an address QEMU picks).
 */
import { InputError } from './errors.js';
import { type Word } from './shell-words.js';
import { parseQemuOpts, QemuOptsError } from './qemu-opts.js';
import { parseDevfn } from './devfn.js';
import { isPciDriver, ROOT_BUS_NAMES, BUS_CARRIERS } from './pci-kinds.js';
import { parseSmp } from './qemu-smp.js';
import { machineOptionValue } from './machine-options.js';
import { type AttachedDevice, type DeviceDescription, type NicBackend } from './vm.js';
import { type GlobalProperty } from '../profiles/data.js';
import { type MemoryBackend, memoryBackendOfObject } from './memory-backends.js';

/** QEMU options that take no argument (qemu-options.hx entries without HAS_ARG). */
const FLAGS = new Set([
  'S', 's', 'no-user-config', 'nodefaults', 'nodefconfig', 'no-hpet', 'no-shutdown', 'no-reboot', 'daemonize',
  'enable-kvm', 'no-kvm', 'nographic', 'snapshot', 'full-screen', 'no-acpi', 'enable-fips', 'only-migratable',
  'no-fd-bootchk', 'alt-grab', 'ctrl-grab', 'no-quit', 'portrait', 'win2k-hack', 'no-frame', 'usb', 'preconfig',
  'semihosting', 'xen-attach', 'mem-prealloc', 'singlestep', 'one-insn-per-tb', 'localtime', 'rtc-td-hack',
  'no-kvm-irqchip', 'no-kvm-pit', 'no-kvm-pit-reinjection', 'version', 'help', 'h', 'curses', 'sdl',
]);
/** Flags that set a machine option. */
const FLAG_MACHINE_OPTIONS: Record<string, Record<string, string>> = { usb: { usb: 'on' }, 'no-acpi': { acpi: 'off' }, 'no-hpet': { hpet: 'off' } };
/** Options read here: their argument is taken even when it starts with "-". */
const READ = new Set(['machine', 'M', 'name', 'smp', 'global', 'set', 'device', 'netdev', 'drive', 'nic', 'readconfig', 'append']);

/** Options as key/value pairs, the implied key first. */
export type Opts = [key: string, value: string][];

/** QemuOpts or JSON syntax (qemu-opts.ts) as pairs; a syntax error names its place. */
export function optsOf(text: string, implied: string, file: string, at: string): Opts {
  try {
    const p = parseQemuOpts(text, implied);
    return [...(p.implied !== undefined ? [[implied, p.implied] as [string, string]] : []), ...Object.entries(p.props)];
  } catch (e) {
    if (e instanceof QemuOptsError) throw new InputError(file, at, e.message);
    throw e;
  }
}

export interface RawDevice { opts: Opts; json: boolean; word: Word; n: number }

export interface Scan {
  machine?: string;
  /** -machine options besides the type, checked and normalized (machine-options.ts); -usb, -no-acpi, -no-hpet among them. */
  machineOptions: Record<string, string>;
  name?: string;
  smp?: number;
  globals: GlobalProperty[];
  raws: RawDevice[];
  /** -netdev id → its queue count and, when its type is one we know, the backend a NIC on it has. */
  netdevs: Map<string, { queues: number; backend?: NicBackend }>;
  /** -object memory-backend-* by id (ivshmem-plain's memdev: BAR2 and its RAM block are the backend's size). */
  memoryBackends: Map<string, MemoryBackend>;
}

export function scanOptions(words: Word[], file: string): Scan {
  const scan: Scan = { machineOptions: {}, globals: [], raws: [], netdevs: new Map(), memoryBackends: new Map() };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.text.startsWith('-')) {
      throw new InputError(file, w.place, `"${w.text}" is not an option (a stray word, or a disk image given without -drive)`);
    }
    const name = w.text.replace(/^--?/, '');
    if (FLAGS.has(name)) {
      // The old spellings of three machine options (softmmu/vl.c: -usb is usb=on, -no-acpi acpi=off, -no-hpet hpet=off).
      if (Object.hasOwn(FLAG_MACHINE_OPTIONS, name)) Object.assign(scan.machineOptions, FLAG_MACHINE_OPTIONS[name]);
      continue;
    }
    const a = words[i + 1];
    // An option we do not know, followed by another option, is a flag.
    if (!a || (!READ.has(name) && /^-[a-zA-Z]/.test(a.text))) {
      if (READ.has(name)) throw new InputError(file, w.place, `${w.text} needs an argument`);
      continue;
    }
    i++;
    readOption(scan, name, a, `${a.place} (${w.text} ${a.text.length > 60 ? `${a.text.slice(0, 57)}...` : a.text})`, file);
  }
  return scan;
}

function readOption(scan: Scan, name: string, a: Word, at: string, file: string): void {
  const objectOpts = (implied: string) => optsOf(a.text, implied, file, at);
  const get = (o: Opts, k: string) => o.filter(([key]) => key === k).pop()?.[1];
  switch (name) {
    case 'machine': case 'M': {
      const o = objectOpts('type');
      scan.machine = get(o, 'type') ?? scan.machine;
      for (const [k, v] of o) {
        if (k === 'type') continue;
        const value = machineOptionValue(k, v);
        if (typeof value !== 'string') throw new InputError(file, at, value.error);
        scan.machineOptions[k] = value;
      }
      break;
    }
    case 'name': scan.name = get(objectOpts('guest'), 'guest') ?? scan.name; break;
    case 'smp': {
      const r = parseSmp(objectOpts('cpus'));
      if (typeof r === 'string') throw new InputError(file, at, r);
      scan.smp = r;
      break;
    }
    case 'global': scan.globals.push(parseGlobal(a.text, file, at)); break;
    case 'device': {
      const json = a.text.trimStart().startsWith('{');
      scan.raws.push({ opts: objectOpts('driver'), json, word: a, n: scan.raws.length + 1 });
      break;
    }
    case 'set': applySet(a.text, scan.raws, file, at); break;
    case 'netdev': {
      const o = objectOpts('type');
      const id = get(o, 'id');
      if (!id) throw new InputError(file, at, '-netdev without id=');
      // tap: queues=N, or one fd per queue in fds=a:b:c (libvirt passes them so: qemuBuildHostNetProps).
      const fds = get(o, 'fds') ?? get(o, 'vhostfds');
      const queues = Number(get(o, 'queues') ?? (fds ? fds.split(':').length : 1));
      if (!Number.isInteger(queues) || queues < 1) throw new InputError(file, at, `queues=${get(o, 'queues')} is not a queue count`);
      scan.netdevs.set(id, { queues, backend: netdevBackendOf(get(o, 'type'), get(o, 'vnet_hdr')) });
      break;
    }
    case 'object': {
      const backend = memoryBackendOfObject(objectOpts('qom-type'), file, at);
      if (backend) scan.memoryBackends.set(...backend);
      break;
    }
    case 'drive':
      if (/(^|,)if=virtio(,|$)/.test(a.text)) {
        throw new InputError(file, at, 'if=virtio creates a virtio-blk-pci at an address QEMU picks: describe it as -drive if=none,id=… plus -device virtio-blk-pci,drive=…,addr=…');
      }
      break;
    case 'nic':
      if (!/^none\b/.test(a.text)) throw new InputError(file, at, '-nic creates a NIC at an address QEMU picks: describe it as -netdev plus -device …,addr=…');
      break;
    case 'readconfig':
      throw new InputError(file, at, 'devices in a -readconfig file are not read: give them on the command line');
    default:
      break; // backends, display, monitors …: no PCI config space of their own
  }
}

/** The -netdev types a description's backend names (net/net.c netdev types; tap's vnet_hdr, default on). */
const NETDEV_TYPES = new Set(['tap', 'bridge', 'user', 'hubport', 'socket', 'stream', 'dgram', 'vhost-user', 'vhost-vdpa']);

function netdevBackendOf(type: string | undefined, vnetHdr: string | undefined): NicBackend | undefined {
  if (type === undefined || !NETDEV_TYPES.has(type)) return undefined;
  const off = vnetHdr === 'off' || vnetHdr === 'false' || vnetHdr === 'no';
  return type === 'tap' && off ? { type, vnetHdr: false } : { type };
}

/** -global DRIVER.PROP=VALUE, or driver=,property=,value= (softmmu/vl.c qemu_global_option). */
export function parseGlobal(text: string, file: string, at: string): GlobalProperty {
  const m = /^([^.=,]+)\.([^=]+)=(.*)$/s.exec(text);
  if (m) return [m[1], m[2], m[3]];
  const o = new Map(optsOf(text, '', file, at));
  const [d, p, v] = [o.get('driver'), o.get('property'), o.get('value')];
  if (d && p && v !== undefined) return [d, p, v];
  throw new InputError(file, at, 'not DRIVER.PROPERTY=VALUE');
}

/**
 * -set device.ID.PROP=VALUE edits a QemuOpts -device given before it; a JSON
 * -device is not a QemuOpts group, so QEMU refuses (softmmu/vl.c qemu_set_option).
 */
function applySet(text: string, raws: RawDevice[], file: string, at: string): void {
  const m = /^([^.]+)\.([^.]+)\.([^=]+)=(.*)$/s.exec(text);
  if (!m) throw new InputError(file, at, 'not GROUP.ID.ARG=VALUE');
  const [, group, id, prop, value] = m;
  if (group !== 'device') return;
  const dev = raws.find((r) => !r.json && r.opts.some(([k, v]) => k === 'id' && v === id));
  if (!dev) {
    throw new InputError(file, at, `there is no device "${id}" defined (QEMU's words: -set reaches only a QemuOpts -device given before it, not a JSON one)`);
  }
  dev.opts = [...dev.opts.filter(([k]) => k !== prop), [prop, value]];
}

/**
 * The PCI functions among the -device lines, as DeviceDescriptions.
 * `buses` maps ids defined elsewhere (libvirt's own devices) to their drivers.
 */
export function pciDevices(scan: Scan, file: string, buses = new Map<string, string>()): DeviceDescription[] {
  return splitDevices(scan, file, buses).devices;
}

/**
 * Every -device line: the PCI functions as DeviceDescriptions, the others
 * (usb-tablet, scsi-hd, hda-duplex, virtserialport, isa-serial …) as
 * AttachedDevices that remember how many PCI functions QEMU created before
 * them (their place in the migration stream).
 */
export function splitDevices(scan: Scan, file: string, buses = new Map<string, string>(), pciBefore = 0): { devices: DeviceDescription[]; attached: AttachedDevice[] } {
  const idDriver = new Map(buses);
  for (const r of scan.raws) {
    const id = r.opts.find(([k]) => k === 'id')?.[1];
    const driver = r.opts.find(([k]) => k === 'driver')?.[1];
    if (id && driver) idDriver.set(id, driver);
  }
  const out: DeviceDescription[] = [];
  const attached: AttachedDevice[] = [];
  for (const r of scan.raws) {
    const props: Record<string, string> = {};
    let driver: string | undefined, id: string | undefined, bus: string | undefined, addrText: string | undefined;
    for (const [k, v] of r.opts) {
      if (k === 'driver') driver = v;
      else if (k === 'id') id = v;
      else if (k === 'bus') bus = v;
      else if (k === 'addr') addrText = v;
      else props[k] = v;
    }
    const where = `${r.word.place} (-device ${id ? `id=${id}` : driver ?? ''})`;
    if (!driver) throw new InputError(file, where, '-device without a driver');
    if (!isPci(driver, bus, addrText, idDriver)) {
      const properties = addrText === undefined ? props : { ...props, addr: addrText };
      attached.push({ id: id ?? `-device#${r.n}`, driver, bus, properties, position: pciBefore + out.length, where });
      continue;
    }
    let addr;
    if (addrText !== undefined) {
      const a = parseDevfn(r.json && /^\d+$/.test(addrText) ? Number(addrText) : addrText);
      if (typeof a === 'string') throw new InputError(file, `${where}.addr`, a);
      addr = a;
    }
    let netdevQueues = 1;
    const netdev = props.netdev === undefined ? undefined : scan.netdevs.get(props.netdev);
    const backend = netdev?.backend;
    if (props.netdev !== undefined) {
      const q = netdev?.queues;
      if (q === undefined && !buses.size) throw new InputError(file, `${where}.netdev`, `no -netdev with id "${props.netdev}"`);
      netdevQueues = q ?? 1;
    }
    out.push({
      id: id ?? `-device#${r.n}`,
      driver,
      bus: bus !== undefined && ROOT_BUS_NAMES.has(bus) && !idDriver.has(bus) ? undefined : bus,
      addr,
      properties: props,
      netdevQueues,
      ...(backend ? { backend: { ...backend } } : {}),
      where,
    });
  }
  return { devices: out, attached };
}

/** A -device is a PCI function when it sits on a PCI bus, or names no bus but is a PCI driver. */
function isPci(driver: string, bus: string | undefined, addr: string | undefined, idDriver: Map<string, string>): boolean {
  if (bus === undefined) return addr !== undefined || isPciDriver(driver);
  if (idDriver.has(bus)) return BUS_CARRIERS.has(idDriver.get(bus)!);
  // The root bus, or a bridge the line does not define (the checker then names the missing bus).
  return ROOT_BUS_NAMES.has(bus) || /^pcie?\.\d+$/.test(bus);
}
