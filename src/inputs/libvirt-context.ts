/**
 * What the libvirt device mappers share: the element a device came from,
 * the order libvirt writes devices on the command line, and the virtio
 * options every virtio device element takes.
 */
import { type XmlElement, child } from './xml-tree.js';
import { type NicBackend } from './vm.js';

/**
 * libvirt builds the command line in this order (src/qemu/qemu_command.c
 * qemuBuildCommandLine: controllers, memory devices, disks, filesystems,
 * nets, …, video, sound, watchdog, hostdevs, memballoon, rng, …); QEMU
 * creates devices, and registers their migration sections, in that order.
 */
export const RANK: Record<string, number> = {
  iommu: 5, controller: 10, memory: 15, disk: 20, filesystem: 25, interface: 30, smartcard: 35, serial: 40,
  parallel: 41, channel: 42, console: 43, tpm: 44, input: 50, video: 60, sound: 70, watchdog: 80, redirdev: 85,
  hostdev: 90, memballoon: 100, rng: 110, panic: 120, shmem: 130, vsock: 140, crypto: 150,
};

/** A device as libvirt would put it on a -device line, before placement. */
export interface Mapped {
  driver: string;
  id: string;
  properties: Record<string, string>;
  netdevQueues?: number;
  /** A NIC's backend, as libvirt starts it (-netdev type). */
  backend?: NicBackend;
  /** Sort key within the command line (RANK, then a sub-order). */
  rank: number;
}

export interface LibvirtContext {
  file: string;
  q35: boolean;
  /** Index of the element among its siblings of the same name (for default aliases). */
  nth: Map<XmlElement, number>;
  /** os/boot dev=… as bootindex per kind (qemuBuildDisksCommandLine / qemuBuildNetCommandLine). */
  boot: { disk?: number; cdrom?: number; floppy?: number; network?: number };
}

export const onOff = (v: string | undefined) => (v === undefined ? undefined : v === 'on' || v === 'yes' ? 'on' : 'off');

/** The alias libvirt gave the device, or the one it would give (src/qemu/qemu_alias.c). */
export function aliasOf(el: XmlElement, fallback: string): string {
  return child(el, 'alias')?.attrs.name ?? fallback;
}

/** virtio model → QEMU type suffix: "virtio-transitional" → "-transitional" (qemuBuildVirtioDevGetConfig). */
export function virtioSuffix(model: string | undefined): string | undefined {
  if (model === undefined || model === 'virtio') return '';
  if (model === 'virtio-transitional') return '-transitional';
  if (model === 'virtio-non-transitional') return '-non-transitional';
  return undefined;
}

/** <driver iommu= ats= packed= page_per_vq=> → the virtio-pci properties (qemuBuildVirtioOptionsProps). */
export function virtioOptions(driver: XmlElement | undefined, props: Record<string, string>): void {
  const a = driver?.attrs ?? {};
  const set = (xml: string, qemu: string) => { if (a[xml] !== undefined) props[qemu] = onOff(a[xml])!; };
  set('iommu', 'iommu_platform');
  set('ats', 'ats');
  set('packed', 'packed');
  set('page_per_vq', 'page-per-vq');
}

/** A value in the XML that libvirt itself would refuse; the mapper's caller names the element. */
export class XmlValueError extends Error {}

/** Copies an attribute as a decimal property when present (libvirt accepts decimal or 0x hex). */
export function numberProp(props: Record<string, string>, name: string, value: string | undefined): void {
  if (value === undefined) return;
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(value.trim())) throw new XmlValueError(`"${value}" is not a number (for ${name})`);
  props[name] = BigInt(value.trim()).toString();
}
