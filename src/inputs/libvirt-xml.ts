/**
 * libvirt domain XML (`virsh dumpxml`, `--migratable`, `--inactive` once
 * addresses are assigned) → VmDescription: the machine from
 * <os><type machine>, the vCPUs at start from <vcpu current=…>, every device
 * element that libvirt starts as a PCI function, in the order libvirt puts
 * them on the command line (and, as `attached`, the devices it starts on
 * other buses: codecs, USB and SCSI devices, virtio-serial ports, the ISA
 * serial — libvirt-attached.ts), then <qemu:commandline> extras and
 * <qemu:override> rewrites. Ids are the aliases libvirt gives (qemu_alias.c),
 * so a dumpxml and the command line libvirt generated from it describe the
 * same devices.
 */
import { InputError } from './errors.js';
import { type XmlElement, child, childrenNamed, parseXml } from './xml-tree.js';
import { type LibvirtContext, type Mapped, RANK, XmlValueError } from './libvirt-context.js';
import { placeOf } from './libvirt-address.js';
import { mapController, pciBuses } from './libvirt-controllers.js';
import { mapDisk, mapInterface, mapMemballoon, mapRng } from './libvirt-virtio-devices.js';
import { mapOther, shmemBackend } from './libvirt-other-devices.js';
import { type MemoryBackend } from './memory-backends.js';
import { applyOverrides, commandlineWords, qemuPrefix } from './libvirt-qemu-ns.js';
import { splitDevices, scanOptions } from './qemu-options-scan.js';
import { mapAttached, type MappedAttached } from './libvirt-attached.js';
import { checkAttachedIds, checkUnique, type AttachedDevice, type DeviceDescription, type VmDescription } from './vm.js';
import { type VersionOption } from './qemu-cmdline.js';
import { checkDeviceCount } from './limits.js';
import { own } from './own-key.js';

export function parseDomainXml(text: string, file: string, options: VersionOption = {}): VmDescription {
  const root = parseXml(text, file);
  if (root.name !== 'domain') throw new InputError(file, `line ${root.line}`, `not a libvirt domain: the root element is <${root.name}>, not <domain>`);
  if (!options.qemu) throw new InputError(file, '', 'a domain XML does not say which QEMU release runs it: pass --qemu VERSION');
  const os = child(root, 'os');
  const type = child(os, 'type');
  const machine = type?.attrs.machine;
  if (!machine) throw new InputError(file, `line ${(type ?? os ?? root).line}`, "no <os><type machine='…'>: the machine type is needed");
  if (type.attrs.arch && !/^(x86_64|i686)$/.test(type.attrs.arch)) {
    throw new InputError(file, `line ${type.line} <type>`, `arch='${type.attrs.arch}': only x86 machine types (pc, q35) are modelled`);
  }
  const vcpu = child(root, 'vcpu');
  const smpText = vcpu?.attrs.current ?? (vcpu?.text || '1');
  const smp = Number(smpText);
  if (!Number.isInteger(smp) || smp < 1) throw new InputError(file, `line ${vcpu?.line ?? root.line} <vcpu>`, `"${smpText}" is not a vCPU count`);

  const devicesEl = child(root, 'devices');
  const ctx: LibvirtContext = { file, q35: /q35/.test(machine), nth: new Map(), boot: bootOrder(os) };
  const seen = new Map<string, number>();
  for (const el of devicesEl?.children ?? []) {
    ctx.nth.set(el, seen.get(el.name) ?? 0);
    seen.set(el.name, (seen.get(el.name) ?? 0) + 1);
  }
  const buses = pciBuses(devicesEl ?? root, file);
  const mapped: (DeviceDescription & { rank: number; n: number })[] = [];
  const others: (MappedAttached & { n: number; where: string })[] = [];
  // <shmem> ivshmem-plain: the memory-backend-file libvirt creates for it (libvirt-other-devices.ts shmemBackend).
  const memoryBackends = new Map<string, MemoryBackend>();
  (devicesEl?.children ?? []).forEach((el, n) => {
    let m;
    try {
      // Devices on other buses (a codec, a usb-tablet, a scsi-hd, a virtserialport …): kept, not placed on PCI.
      others.push(...mapAttached(el, ctx, devicesEl).map((a) => ({ ...a, n, where: `line ${el.line} <${el.name}> ${a.id}` })));
      m = mapElement(el, ctx);
      const backend = shmemBackend(el, ctx);
      if (backend) memoryBackends.set(...backend);
    } catch (e) {
      if (e instanceof XmlValueError) throw new InputError(file, `line ${el.line} <${el.name}>`, e.message);
      throw e;
    }
    const place = placeOf(el, buses, file);
    const where = `line ${el.line} <${el.name}>`;
    if (m === null) return; // an element we know, which is no PCI function here (a sata disk, the chipset's own controller …)
    if (!m) {
      // An element we do not know that libvirt put on a PCI slot still takes part in the migration.
      if (place.kind !== 'pci') return;
      const model = el.attrs.model ?? child(el, 'model')?.attrs.type ?? el.attrs.type;
      const d = { driver: `libvirt <${el.name}>${model ? ` ${model}` : ''}`, id: child(el, 'alias')?.attrs.name ?? `${el.name}@line${el.line}`, properties: {}, rank: 1000 };
      mapped.push({ ...toDevice(d, place), where, n });
      return;
    }
    if (place.kind === 'other') return; // virtio on ccw/mmio, not PCI
    if (place.kind === 'none') {
      throw new InputError(file, where, `no <address type='pci'> for ${m.driver}: use \`virsh dumpxml\` of a defined domain (libvirt assigns addresses when it defines one)`);
    }
    mapped.push({ ...toDevice(m, place), where: `${where} ${m.id}`, n });
  });
  // No <controller type='usb'> at all (the migratable XML drops the default one): libvirt adds
  // piix3-uhci at 00:01.2 on i440fx again (qemuDomainDefAddDefaultDevices, qemuDomainValidateDevicePCISlotsPIIX3).
  if (!ctx.q35 && !childrenNamed(devicesEl, 'controller').some((c) => c.attrs.type === 'usb')) {
    const usb = { driver: 'piix3-usb-uhci', id: 'usb', properties: {}, rank: RANK.controller + 0.01 };
    mapped.push({ ...toDevice(usb, { kind: 'pci', addr: { slot: 1, fn: 2 }, multifunction: false }), where: `line ${devicesEl?.line ?? root.line} <devices> (libvirt's default USB controller)`, n: -1 });
  }
  mapped.sort((a, b) => a.rank - b.rank || a.n - b.n);
  const devices: DeviceDescription[] = mapped.map(({ rank: _r, n: _n, ...d }) => d);
  // Each keeps its place among the PCI functions: QEMU registers migration sections in creation order.
  const attached: AttachedDevice[] = others.sort((a, b) => a.rank - b.rank || a.n - b.n).map(({ rank, n, ...a }) => ({
    id: a.id, driver: a.driver, bus: a.bus, properties: a.properties, where: a.where,
    position: mapped.filter((d) => d.rank < rank || (d.rank === rank && d.n <= n)).length,
  }));

  const prefix = qemuPrefix(root);
  const globals: VmDescription['globals'] = libvirtGlobals(root, ctx.q35);
  const machineOptions = libvirtMachineOptions(root, file);
  if (prefix) {
    applyOverrides(root, prefix, devices, file);
    // <qemu:commandline> arguments come last on the line; -set cannot reach libvirt's JSON -device lines.
    const scan = scanOptions(commandlineWords(root, prefix), file);
    globals.push(...scan.globals);
    Object.assign(machineOptions, scan.machineOptions);
    for (const [id, b] of scan.memoryBackends) memoryBackends.set(id, b);
    const buses = new Map(devices.map((d) => [d.id, d.driver]));
    const extra = splitDevices(scan, file, buses, devices.length);
    devices.push(...extra.devices);
    attached.push(...extra.attached);
  }
  checkDeviceCount(devices.length, file);
  checkUnique(devices, file);
  checkAttachedIds(devices, attached, file);
  return { file, name: child(root, 'name')?.text, qemu: options.qemu, machine, ...(Object.keys(machineOptions).length ? { machineOptions } : {}),
    smp, globals, devices, ...(attached.length ? { attached } : {}),
    ...(memoryBackends.size ? { memoryBackends } : {}) };
}

function toDevice(m: Mapped, place: Extract<ReturnType<typeof placeOf>, { kind: 'pci' }>): Omit<DeviceDescription, 'where'> & { rank: number } {
  const properties = { ...m.properties };
  if (place.multifunction) properties.multifunction = 'on';
  return { id: m.id, driver: m.driver, bus: place.bus, addr: place.addr, properties, netdevQueues: m.netdevQueues ?? 1, ...(m.backend ? { backend: { ...m.backend } } : {}), rank: m.rank };
}

const OTHER = new Set(['video', 'sound', 'watchdog', 'hostdev', 'input', 'filesystem', 'vsock', 'iommu', 'memory', 'crypto', 'shmem', 'serial',
  'emulator', 'graphics', 'audio', 'channel', 'console', 'parallel', 'smartcard', 'redirdev', 'redirfilter', 'hub', 'tpm', 'nvram', 'panic', 'lease']);

/** The -device libvirt starts for the element; null when it starts none on a PCI slot; undefined for elements we do not know. */
function mapElement(el: XmlElement, ctx: LibvirtContext): Mapped | null | undefined {
  switch (el.name) {
    case 'controller': return mapController(el, ctx) ?? null;
    case 'disk': return mapDisk(el, ctx) ?? null;
    case 'interface': return mapInterface(el, ctx);
    case 'memballoon': return mapMemballoon(el) ?? null;
    case 'rng': return mapRng(el, ctx);
    default: return OTHER.has(el.name) ? mapOther(el, ctx) ?? null : undefined;
  }
}

/**
 * The -global options libvirt writes itself (qemuBuildClockCommandLine,
 * qemuBuildPMCommandLine): the PIT's lost-tick policy and the ACPI S3/S4
 * switches of the machine's PM device. None reaches a modelled device; they
 * are kept so that the XML and its command line give the same description.
 */
function libvirtGlobals(root: XmlElement, q35: boolean): VmDescription['globals'] {
  const out: VmDescription['globals'] = [];
  const pit = childrenNamed(child(root, 'clock'), 'timer').find((t) => t.attrs.name === 'pit')?.attrs.tickpolicy;
  if (pit === 'delay' || pit === 'discard') out.push(['kvm-pit', 'lost_tick_policy', pit]);
  const pm = child(root, 'pm');
  const pmDevice = q35 ? 'ICH9-LPC' : 'PIIX4_PM';
  for (const [el, prop] of [['suspend-to-mem', 'disable_s3'], ['suspend-to-disk', 'disable_s4']] as const) {
    const enabled = child(pm, el)?.attrs.enabled;
    if (enabled !== undefined) out.push([pmDevice, prop, enabled === 'no' ? '1' : '0']);
  }
  return out;
}

/**
 * The -machine options (and their old flags) libvirt derives from <features>
 * and <clock> (qemuBuildMachineCommandLine, qemuBuildPMCommandLine,
 * qemuBuildClockCommandLine): no <acpi/> on x86 is acpi=off (-no-acpi),
 * <smm state=…/> smm=, <vmport state=…/> vmport=, <ps2 state=…/> i8042=,
 * <timer name='hpet' present=…/> hpet= (-no-hpet). usb=off, which libvirt
 * always passes, is QEMU's default; dump-guest-core, mem-merge and accel
 * leave no trace in the migration stream.
 */
function libvirtMachineOptions(root: XmlElement, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const features = child(root, 'features');
  if (!child(features, 'acpi')) out.acpi = 'off';
  const switches: [element: string, option: string][] = [['smm', 'smm'], ['vmport', 'vmport'], ['ps2', 'i8042']];
  for (const [el, option] of switches) {
    const e = child(features, el);
    if (!e) continue;
    const state = e.attrs.state ?? 'on';
    if (state !== 'on' && state !== 'off') throw new InputError(file, `line ${e.line} <${el}>`, `state='${state}': libvirt takes on or off`);
    out[option] = state;
  }
  const hpet = childrenNamed(child(root, 'clock'), 'timer').find((t) => t.attrs.name === 'hpet');
  const present = hpet?.attrs.present;
  if (present !== undefined) {
    if (present !== 'yes' && present !== 'no') throw new InputError(file, `line ${hpet!.line} <timer name='hpet'>`, `present='${present}': libvirt takes yes or no`);
    out.hpet = present === 'yes' ? 'on' : 'off';
  }
  return out;
}

/** <os><boot dev='hd'/><boot dev='network'/> → bootindex 1, 2 … per kind. */
function bootOrder(os: XmlElement | undefined): LibvirtContext['boot'] {
  const boot: LibvirtContext['boot'] = {};
  const kinds: Record<string, keyof LibvirtContext['boot']> = { hd: 'disk', cdrom: 'cdrom', fd: 'floppy', network: 'network' };
  childrenNamed(os, 'boot').forEach((b, i) => {
    const k = own(kinds, b.attrs.dev);
    if (k && boot[k] === undefined) boot[k] = i + 1;
  });
  return boot;
}
