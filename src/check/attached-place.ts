/**
 * Where QEMU puts a device that is no PCI function, and what its migration
 * sections are called (device-profiles/non-pci-devices.json). QEMU:
 * device_set_realized registers dc->vmsd under "<dev path>/<vmsd name>"
 * (vmstate_register_with_alias_id, qdev_get_dev_path), the dev path being
 * the bus's get_dev_path — usb_get_dev_path: the controller's path and the
 * port ("0000:00:05.0/1"); scsibus_get_dev_path: the HBA's path and
 * channel:id:lun ("0000:00:07.0/0:0:0"); none on HDA and ISA buses — and
 * the instance counts earlier sections of the same id (calculate_new_instance_id).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROFILES_DIR } from '../profiles/data.js';
import { compareReleases } from '../profiles/versions.js';
import { type AttachedDevice, type VmDescription } from '../inputs/vm.js';
import { placeDevice } from './placement.js';

interface DriverEntry { bus: 'hda' | 'usb' | 'scsi' | 'virtio-serial' | 'isa' | 'ide'; sections: string[]; shape?: string; console?: boolean }
export interface AttachedTable {
  usbControllers: Record<string, { ports: number; portProperties?: string[] }>;
  drivers: Record<string, DriverEntry>;
  hdaShapeMismatch: Record<string, string>;
  virtioSerialPorts: { eras: { since: string; until?: string; verified: boolean; lines: string[] }[] };
  audioBackendSection: { sentUntil: string; skippedSince: string };
}

let table: AttachedTable | undefined;
export function attachedTable(): AttachedTable {
  table ??= JSON.parse(readFileSync(join(PROFILES_DIR, 'non-pci-devices.json'), 'utf8')) as AttachedTable;
  return table;
}

export interface Section {
  id: string;
  instance: number;
  /** Set when it is not known whether the source sends this section: why. */
  maybe?: string;
  /** Whose state it is when not the device's own: "usb-hub" (a hub QEMU plugged for it), "audio backend". */
  owner?: string;
}

export type Placed =
  | { kind: 'placed'; dev: AttachedDevice; entry: DriverEntry; sections: Section[]; port?: { serial: string; nr: number } }
  | { kind: 'unknown'; dev: AttachedDevice; reason: string };

/** Controllers a device can name with bus=, by the family of its bus. */
const CONTROLLERS: Record<string, (driver: string) => boolean> = {
  hda: (d) => d === 'intel-hda' || d === 'ich9-intel-hda',
  usb: (d) => !d.startsWith('$') && Object.hasOwn(attachedTable().usbControllers, d),
  // The HBA's dev path is its PCI path: virtio-scsi's through virtio_bus_get_dev_path, the others directly.
  scsi: (d) => /^virtio-scsi-pci(-(non-)?transitional)?$/.test(d) || d === 'lsi53c895a' || d === 'lsi' || d === 'megasas' || d === 'megasas-gen2',
  'virtio-serial': (d) => /^virtio-serial-pci(-(non-)?transitional)?$/.test(d),
};
/** USB hubs have 8 ports, numbered after the hub's own port ("2.1" … "2.8"): usb_hub_realize. */
const HUB_PORTS = 8;

interface SideState {
  usbFree: Map<string, string[]>;
  scsiUsed: Map<string, Set<string>>;
  /** virtio-serial device id → port numbers in use (0, reserved for a console, is in ports_map from the start). */
  serialPorts: Map<string, Set<number>>;
  /** virtio-serial devices where a port holds number 0. */
  port0: Set<string>;
  count: Map<string, number>;
  /** Audio backends met so far (audiodev= values; "" the default one). */
  audio: Set<string>;
  /** Whether this side's audio backends have a section here: "sent" by a source, "registered" on a destination. */
  audioSection: 'sent' | 'registered' | 'not sent' | 'not known';
}

/**
 * Every attached device of one side, in creation order, with its sections
 * and instances. `role`: a source's sections are those it sends; a
 * destination's, those it registers (and so can load).
 */
export function placeAttached(vm: VmDescription, family: 'i440fx' | 'q35', release: string, role: 'source' | 'destination'): Placed[] {
  const a = attachedTable().audioBackendSection;
  const audioSection = role === 'destination' ? 'registered' : compareReleases(release, a.sentUntil) <= 0 ? 'sent'
    : compareReleases(release, a.skippedSince) >= 0 ? 'not sent' : 'not known';
  const st: SideState = { usbFree: new Map(), scsiUsed: new Map(), serialPorts: new Map(), port0: new Set(), count: new Map(), audio: new Set(), audioSection };
  return (vm.attached ?? []).map((dev) => placeOne(vm, family, dev, st));
}

/** The port numbers a virtio-serial device has in use (0 not included: it is in ports_map whether or not a console holds it). */
export function serialPortsOf(placed: Placed[], serial: string): Set<number> {
  const out = new Set<number>();
  for (const p of placed) if (p.kind === 'placed' && p.port?.serial === serial) out.add(p.port.nr);
  return out;
}

function placeOne(vm: VmDescription, family: 'i440fx' | 'q35', dev: AttachedDevice, st: SideState): Placed {
  const tbl = attachedTable();
  const entry = !dev.driver.startsWith('$') && Object.hasOwn(tbl.drivers, dev.driver) ? tbl.drivers[dev.driver] : undefined;
  if (!entry) return { kind: 'unknown', dev, reason: `device "${dev.driver}" is not modelled: compat-check does not know whether it has a migration section` };
  const unknown = (reason: string): Placed => ({ kind: 'unknown', dev, reason });
  const named = (ids: string[], owners: Record<string, string> = {}): Placed => ({
    kind: 'placed', dev, entry, sections: ids.map((id) => ({ ...instanceOf(st, id), ...(owners[id] ? { owner: owners[id] } : {}) })),
  });
  if (entry.bus === 'isa' || entry.bus === 'ide') return named(entry.sections);
  const ctrl = controllerOf(vm, dev, entry.bus);
  if (typeof ctrl === 'string') return unknown(ctrl);
  if (entry.bus === 'hda') {
    // The codec's audio backend is set up as the codec is created; a new one brings its own section first.
    const backend = dev.properties.audiodev ?? '';
    const fresh = !st.audio.has(backend);
    st.audio.add(backend);
    const placed = named([...(fresh && st.audioSection !== 'not sent' ? ['audio'] : []), ...entry.sections], { audio: 'audio backend' });
    if (fresh && st.audioSection === 'not known' && placed.kind === 'placed') {
      placed.sections[0].maybe = 'whether this QEMU release sends the audio backend\'s section "audio" (5.2 does, 7.2 does not) is not known';
    }
    return placed;
  }
  if (entry.bus === 'virtio-serial') return placeSerialPort(dev, entry, ctrl.id, st);
  let path: string;
  try {
    path = placeDevice(vm, ctrl, family).path;
  } catch {
    return unknown(`its controller "${ctrl.id}" has no PCI address: its section name cannot be told`);
  }
  if (entry.bus === 'usb') {
    const port = claimUsbPort(dev, ctrl, st);
    if (typeof port === 'string') return unknown(port);
    const hub = port.hub ? `${path}/${port.hub}/usb-hub` : undefined;
    return named([...(hub ? [hub] : []), ...entry.sections.map((s) => `${path}/${port.path}/${s}`)], hub ? { [hub]: 'usb-hub' } : {});
  }
  const lun = scsiAddress(dev, ctrl.id, st);
  if ('error' in lun) return unknown(lun.error);
  return named(entry.sections.map((s) => `${path}/${lun.at}/${s}`));
}

function instanceOf(st: SideState, id: string): Section {
  const instance = st.count.get(id) ?? 0;
  st.count.set(id, instance + 1);
  return { id, instance };
}

/** bus="usb.0" names the controller with id "usb"; without bus= QEMU takes the first free bus of the type, which depends on creation order: only one controller is modelled. */
function controllerOf(vm: VmDescription, dev: AttachedDevice, bus: string): VmDescription['devices'][number] | string {
  const fits = CONTROLLERS[bus];
  if (dev.bus !== undefined) {
    const id = dev.bus.replace(/\.\d+$/, '');
    const c = vm.devices.find((d) => d.id === id);
    if (!c) return `no controller "${id}" for bus "${dev.bus}" among the PCI devices`;
    if (!fits(c.driver)) return `its ${bus} controller ${c.driver} ("${c.id}") is not modelled`;
    return c;
  }
  const all = vm.devices.filter((d) => fits(d.driver));
  if (all.length !== 1) return `no bus= and ${all.length} modelled ${bus} controllers: which one QEMU picks is not modelled`;
  return all[0];
}

/** usb_claim_port: the named port, or the first free one — and when only one is left, QEMU first plugs a usb-hub there. */
function claimUsbPort(dev: AttachedDevice, ctrl: VmDescription['devices'][number], st: SideState): { path: string; hub?: string } | string {
  let free = st.usbFree.get(ctrl.id);
  if (!free) {
    const c = attachedTable().usbControllers[ctrl.driver];
    // qemu-xhci: MAX(p2, p3) ports, each 4 unless given.
    const n = Math.max(c.ports, ...(c.portProperties ?? []).map((p) => Number(ctrl.properties[p] ?? c.ports)));
    free = Array.from({ length: n }, (_, i) => String(i + 1));
    st.usbFree.set(ctrl.id, free);
  }
  const addHub = (at: string) => free!.push(...Array.from({ length: HUB_PORTS }, (_, i) => `${at}.${i + 1}`));
  const want = dev.properties.port;
  let hub: string | undefined;
  let path: string;
  if (want !== undefined) {
    const i = free.indexOf(want);
    if (i < 0) return `USB port ${want} of "${ctrl.id}" is not free (QEMU refuses: "usb port ${want} (bus ${ctrl.id}.0) not found (in use?)")`;
    path = free.splice(i, 1)[0];
  } else {
    if (free.length === 1 && dev.driver !== 'usb-hub') {
      hub = free.shift()!;
      addHub(hub);
    }
    if (!free.length) return `no free USB port on "${ctrl.id}" (QEMU refuses the device)`;
    path = free.shift()!;
  }
  if (dev.driver === 'usb-hub') addHub(path);
  return { path, hub };
}

/** scsi_qdev_realize: channel 0 by default; a missing scsi-id is the first free one at the lun, a missing lun the first free one at the id. */
function scsiAddress(dev: AttachedDevice, ctrl: string, st: SideState): { at: string } | { error: string } {
  const used = st.scsiUsed.get(ctrl) ?? new Set<string>();
  st.scsiUsed.set(ctrl, used);
  const num = (k: string) => (dev.properties[k] === undefined || dev.properties[k] === '-1' ? undefined : Number(dev.properties[k]));
  const ch = num('channel') ?? 0;
  let id = num('scsi-id');
  let lun = num('lun');
  if (id === undefined) {
    lun ??= 0;
    id = 0;
    while (used.has(`${ch}:${id}:${lun}`)) id++;
  } else if (lun === undefined) {
    lun = 0;
    while (used.has(`${ch}:${id}:${lun}`)) lun++;
  }
  const at = `${ch}:${id}:${lun}`;
  if (used.has(at)) return { error: `SCSI address ${at} on "${ctrl}" is taken twice (QEMU refuses the device)` };
  used.add(at);
  return { at };
}

/**
 * virtser_port_device_realize: nr=, else 0 for the first console, else the
 * lowest free number (find_free_port_id); 0 only for a console.
 */
function placeSerialPort(dev: AttachedDevice, entry: DriverEntry, serial: string, st: SideState): Placed {
  const used = st.serialPorts.get(serial) ?? new Set<number>([0]);
  st.serialPorts.set(serial, used);
  let nr = dev.properties.nr === undefined ? undefined : Number(dev.properties.nr);
  if (nr === undefined && entry.console && !st.port0.has(serial)) nr = 0;
  if (nr === undefined) {
    nr = 1;
    while (used.has(nr)) nr++;
  }
  if (nr === 0 && !entry.console) return { kind: 'unknown', dev, reason: 'port 0 is reserved for a virtconsole (QEMU refuses the device)' };
  if (nr === 0 ? st.port0.has(serial) : used.has(nr)) return { kind: 'unknown', dev, reason: `port ${nr} of "${serial}" is taken twice (QEMU refuses the device)` };
  if (nr === 0) st.port0.add(serial);
  used.add(nr);
  return { kind: 'placed', dev, entry, sections: [], port: { serial, nr } };
}
