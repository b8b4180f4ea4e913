/**
 * The normalized VM description every input adapter produces, and the
 * loader for its JSON form (schemas/vm.schema.json).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { type Ajv, type ValidateFunction } from 'ajv';
import { type GlobalProperty } from '../profiles/data.js';
import { InputError, pointerToPath } from './errors.js';
import { parseJsonInput, readInput } from './read.js';
import { checkDeviceCount } from './limits.js';
import { normalizeMachineOptions } from './machine-options.js';
import { type MemoryBackend, type MemoryBackendType, normalizeMemoryBackends } from './memory-backends.js';

export interface PciAddress {
  slot: number;
  fn: number;
}

export interface GuestValues {
  /** BAR index (6 = ROM) → address the guest programmed. */
  bars: Map<number, bigint>;
  command?: number;
  /** Writes in order: offset, width in bytes, value. */
  registers: { offset: number; width: number; value: bigint }[];
  /** The whole config space as the source sends it. */
  config?: Uint8Array;
  /** The virtio features the guest negotiated (guest_features, up to 128 bits), from the running source. */
  features?: bigint;
  /** Live virtqueue ring sizes (vring.num) by queue index, from the running source. */
  virtqueues?: Map<number, number>;
  /** virtio-9p: whether the guest has mounted the export (a mount blocks migration on the source). */
  mounted?: boolean;
}

/**
 * What a NIC's -netdev backend can carry: virtio_net_get_features drops
 * offloads a peer without a vnet header (user, hubport, socket …) or a host
 * kernel without UFO/USO/UDP-tunnel support in tap cannot take.
 */
export interface NicBackend {
  /** "tap", "bridge", "vhost-net", "vhost-user", "vhost-vdpa", "user", "hubport", "socket", "stream", "dgram", "none". */
  type: string;
  /** tap's vnet_hdr (default on). */
  vnetHdr?: boolean;
  /** The host's Linux release, "6.1": tap's UFO (4.15+), USO (6.2+) and UDP tunnel GSO (6.17+) offloads. */
  hostKernel?: string;
}

export interface DeviceDescription {
  id: string;
  driver: string;
  /** Bus id, or undefined for the machine's root bus. */
  bus?: string;
  addr?: PciAddress;
  properties: Record<string, string>;
  netdevQueues: number;
  guest?: GuestValues;
  /** The NIC's backend, when the description says (virtio-net feature bits). */
  backend?: NicBackend;
  /** Where it came from, for messages: "devices[2]". */
  where: string;
}

/**
 * A -device that is no PCI function: a codec on an HDA bus, a USB or SCSI
 * device, a virtio-serial port, an ISA or IDE device. It has no config
 * space, but many have a migration section of their own (check/attached.ts).
 */
export interface AttachedDevice {
  id: string;
  driver: string;
  /** QEMU's bus name ("usb.0", "scsi0.0", "sound0.0", "virtio-serial0.0"), or undefined: QEMU picks. */
  bus?: string;
  properties: Record<string, string>;
  /** How many entries of `devices` QEMU created before it: its place in the stream (default: after all). */
  position: number;
  where: string;
}

export interface VmDescription {
  file: string;
  name?: string;
  qemu: string;
  machine: string;
  /** -machine options besides the type ("smm" → "off"), booleans as on/off (inputs/machine-options.ts). */
  machineOptions?: Record<string, string>;
  smp: number;
  /** The QEMU build the guest last booted or was reset on (its virtqueues were sized there). */
  bootedOn?: string;
  globals: GlobalProperty[];
  devices: DeviceDescription[];
  /** Devices on other buses (USB, SCSI, HDA, virtio-serial, ISA, IDE), in creation order. */
  attached?: AttachedDevice[];
  /** -object memory-backend-* by id, sizes in bytes (ivshmem-plain's memdev: BAR2 and its RAM block). */
  memoryBackends?: Map<string, MemoryBackend>;
  /** Set when the description was derived from another (an upgrade question), not written by the user. */
  derived?: boolean;
}

/** The description's validators: the whole VM, and one entry of its `devices` (the fleet reads a VM by parts). */
interface Validators { vm: ValidateFunction; device: ValidateFunction }

let validators: Validators | undefined;

const SCHEMA_ID = 'https://compat-check.invalid/schemas/vm.schema.json';

/**
 * The description validators: the ones `npm run build` compiled ahead of
 * time (scripts/bundle.mjs writes them beside the bundle, ajv standalone
 * code), or compiled now from schemas/vm.schema.json when running from sources.
 */
function vmValidators(): Validators {
  const require = createRequire(import.meta.url);
  try {
    return require('./vm-validate.cjs') as Validators;
  } catch {
    const { Ajv: AjvClass } = require('ajv') as { Ajv: new (o: object) => Ajv };
    const ajv = new AjvClass({ allErrors: false, strict: false, validateSchema: false });
    ajv.addSchema(JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/vm.schema.json', import.meta.url)), 'utf8')));
    return { vm: ajv.getSchema(SCHEMA_ID)!, device: ajv.getSchema(`${SCHEMA_ID}#/definitions/device`)! };
  }
}

export function loadVmFile(file: string): VmDescription {
  return parseVmJson(parseJsonInput(readInput(file), file), file);
}

export function parseVmJson(json: unknown, file: string): VmDescription {
  validators ??= vmValidators();
  const validate = validators.vm;
  if (!validate(json)) {
    const e = validate.errors![0];
    const where = pointerToPath(e.instancePath) || '(top level)';
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
    throw new InputError(file, where, `${e.message}${extra}`);
  }
  return describeValidated(json as RawVm, file);
}

/** Whether one entry of `devices` is valid on its own (the schema checks each entry independently of the rest). */
export function validDevice(json: unknown): boolean {
  validators ??= vmValidators();
  return validators.device(json);
}

/** Whether a description is valid apart from its devices (given as []); parseVmJson says why not. */
export function validSkeleton(json: unknown): boolean {
  validators ??= vmValidators();
  return validators.vm(json);
}

/**
 * The normalized description of a validated one. `device` normalizes each
 * entry of `devices` (the fleet passes one that reuses entries it has seen).
 */
export function describeValidated(
  j: RawVm, file: string, device: (d: RawDevice, n: number, file: string) => DeviceDescription = (d, n, f) => normalizeDevice(d, `devices[${n}]`, f),
): VmDescription {
  checkDeviceCount(j.devices.length, file);
  const globals: GlobalProperty[] = Object.entries(j.globals ?? {}).map(([k, v]) => {
    const dot = k.indexOf('.');
    return [k.slice(0, dot), k.slice(dot + 1), v];
  });
  const devices = j.devices.map((d, n) => device(d, n, file));
  checkUnique(devices, file);
  const attached = (j.attached ?? []).map((a, n): AttachedDevice => ({
    id: a.id, driver: a.driver, bus: a.bus, properties: { ...(a.properties ?? {}) }, position: a.position ?? devices.length, where: `attached[${n}]`,
  }));
  checkAttachedIds(devices, attached, file);
  return {
    file, name: j.name, qemu: j.qemu, machine: j.machine, smp: j.smp ?? 1, bootedOn: j.bootedOn, globals, devices,
    ...(j.machineOptions ? { machineOptions: normalizeMachineOptions(j.machineOptions, file, 'machineOptions') } : {}),
    ...(attached.length ? { attached } : {}), ...(j.memoryBackends ? { memoryBackends: normalizeMemoryBackends(j.memoryBackends, file) } : {}),
  };
}

interface RawGuest { bars?: Record<string, string>; command?: string; registers?: Record<string, string>; config?: string; features?: string; virtqueues?: Record<string, number>; mounted?: boolean }
export interface RawDevice { id: string; driver: string; bus?: string; addr?: string; properties?: Record<string, string>; netdevQueues?: number; guest?: RawGuest; backend?: NicBackend }
interface RawAttached { id: string; driver: string; bus?: string; properties?: Record<string, string>; position?: number }
export interface RawVm { name?: string; qemu: string; machine: string; machineOptions?: Record<string, string>; smp?: number; bootedOn?: string; globals?: Record<string, string>; devices: RawDevice[]; attached?: RawAttached[]; memoryBackends?: Record<string, { type: MemoryBackendType; size: number | string; share?: boolean }> }

/** QEMU's addr= syntax: hex slot, optional .function. */
export function parseAddr(text: string, file: string, where: string): PciAddress {
  const [s, f] = text.replace(/^0x/i, '').split('.');
  const slot = parseInt(s, 16);
  const fn = f === undefined ? 0 : parseInt(f, 16); // QEMU reads both parts as hex (set_pci_devfn)
  if (slot > 0x1f) throw new InputError(file, where, `impossible PCI address "${text}": slot 0x${slot.toString(16)} is above 0x1f`);
  return { slot, fn };
}

export function normalizeDevice(d: RawDevice, where: string, file: string): DeviceDescription {
  return {
    id: d.id,
    driver: d.driver,
    bus: d.bus,
    addr: d.addr === undefined ? undefined : parseAddr(d.addr, file, `${where}.addr`),
    properties: { ...(d.properties ?? {}) },
    netdevQueues: d.netdevQueues ?? 1,
    guest: d.guest ? normalizeGuest(d.guest, `${where}.guest`, file) : undefined,
    backend: d.backend ? { ...d.backend } : undefined,
    where,
  };
}

function hexBig(s: string): bigint {
  return BigInt(s.startsWith('0x') || s.startsWith('0X') ? s : `0x${s}`);
}

function normalizeGuest(g: RawGuest, where: string, file: string): GuestValues {
  const bars = new Map<number, bigint>();
  for (const [k, v] of Object.entries(g.bars ?? {})) {
    const value = hexBig(v);
    if (value >= 1n << 64n) throw new InputError(file, `${where}.bars.${k}`, `address ${v} is wider than 64 bits`);
    bars.set(k === 'rom' ? 6 : Number(k), value);
  }
  const registers = Object.entries(g.registers ?? {}).map(([k, v]) => {
    const offset = Number(hexBig(k));
    const digits = v.replace(/^0x/i, '').length;
    const width = digits <= 2 ? 1 : digits <= 4 ? 2 : digits <= 8 ? 4 : 0;
    if (!width) throw new InputError(file, `${where}.registers.${k}`, `value ${v} is wider than a dword`);
    if (offset + width > 0x1000) throw new InputError(file, `${where}.registers.${k}`, `offset ${k} is outside config space`);
    return { offset, width, value: hexBig(v) };
  });
  let command: number | undefined;
  if (g.command !== undefined) {
    command = Number(hexBig(g.command));
    if (command > 0xffff) throw new InputError(file, `${where}.command`, `${g.command} is wider than 16 bits`);
  }
  const features = g.features === undefined ? undefined : hexBig(g.features);
  if (features !== undefined && features >= 1n << 128n) throw new InputError(file, `${where}.features`, `${g.features} is wider than 128 bits`);
  const virtqueues = g.virtqueues === undefined ? undefined : new Map(Object.entries(g.virtqueues).map(([k, v]) => [Number(k), v]));
  return {
    bars, command, registers, config: g.config === undefined ? undefined : parseHexDump(g.config, file, `${where}.config`),
    ...(features !== undefined ? { features } : {}), ...(virtqueues ? { virtqueues } : {}),
    ...(g.mounted !== undefined ? { mounted: g.mounted } : {}),
  };
}

/** Plain hex bytes, or `lspci -xxx`/`-xxxx` lines ("00: 86 80 ..."). */
export function parseHexDump(text: string, file: string, where: string): Uint8Array {
  const body = text.split('\n').map((l) => l.replace(/^\s*[0-9a-fA-F]+:\s/, '')).join(' ');
  const compact = body.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(compact)) throw new InputError(file, where, 'not a hex dump of whole bytes');
  const bytes = Uint8Array.from(compact.match(/../g) ?? [], (h) => parseInt(h, 16));
  if (bytes.length !== 256 && bytes.length !== 4096) {
    throw new InputError(file, where, `${bytes.length} bytes; a config dump has 256 or 4096`);
  }
  return bytes;
}

export function checkUnique(devices: DeviceDescription[], file: string): void {
  const ids = new Set<string>();
  const addrs = new Map<string, string>();
  for (const d of devices) {
    if (ids.has(d.id)) throw new InputError(file, `${d.where}.id`, `duplicate device id "${d.id}"`);
    ids.add(d.id);
    if (d.addr) {
      const key = `${d.bus ?? ''}/${d.addr.slot}.${d.addr.fn}`;
      const other = addrs.get(key);
      if (other) throw new InputError(file, `${d.where}.addr`, `address already taken by device "${other}"`);
      addrs.set(key, d.id);
    }
  }
}

/** QEMU refuses a second device with the same id, whatever its bus (qdev_set_id: "Duplicate device ID"). */
export function checkAttachedIds(devices: DeviceDescription[], attached: AttachedDevice[], file: string): void {
  const ids = new Set(devices.map((d) => d.id));
  for (const a of attached) {
    if (ids.has(a.id)) throw new InputError(file, `${a.where}.id`, `duplicate device id "${a.id}"`);
    ids.add(a.id);
  }
}
