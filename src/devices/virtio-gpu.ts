/**
 * virtio-gpu-pci. QEMU: hw/display/virtio-gpu-pci.c (virtio_gpu_pci_base_realize:
 * modern-only, 3 vectors by default), virtio-gpu-base.c and virtio-gpu.c
 * (virtio_gpu_base_device_realize, virtio_gpu_device_realize). The parts
 * virtio-vga shares are exported. hostmem (8.2+) gives virtio-gpu-pci a
 * shared-memory BAR4 and capability; virtio-vga's realize ignores it.
 */
import { type DeviceRealize, RealizeError } from '../virtio-caps/transport.js';
import { defaultRegions, type ModernOptions } from '../virtio-caps/modern-caps.js';
import { type ConfigSpace, setLE } from '../config-space/config-space.js';
import { addCapability } from '../config-space/capability.js';
import { registerBar } from '../config-space/bar.js';
import { PCI_BASE_ADDRESS, PCI_CAP_ID } from '../config-space/regs.js';
import { inRange } from '../profiles/versions.js';
import { type BuildContext, type EqualField, NotModelledError, propBool, propNumber } from './model.js';
import { virtioPciModel, type VirtioDeviceSpec } from './virtio-pci-device.js';

/** VIRTIO_GPU_MAX_SCANOUTS */
const MAX_SCANOUTS = 16;

/** virtio_gpu_base_device_realize and what the build cannot model. */
function validate(ctx: BuildContext): void {
  const outputs = propNumber(ctx, 'max_outputs', 1);
  if (outputs > MAX_SCANOUTS) throw new RealizeError(`invalid max_outputs > ${MAX_SCANOUTS}`);
  const scanoutVersion = ctx.props.get('x-scanout-vmstate-version');
  if (scanoutVersion && (scanoutVersion.source === 'explicit' || scanoutVersion.source === 'global')) {
    throw new NotModelledError(`x-scanout-vmstate-version=${scanoutVersion.value}: the scanout state format in the stream is not modelled`);
  }
}

function assumptions(ctx: BuildContext): string[] {
  const out: string[] = [];
  if (propBool(ctx, 'blob')) out.push('the host has /dev/udmabuf (blob=on: without it QEMU refuses to start the device)');
  if (inRange(ctx.release, undefined, '6.0') && propBool(ctx, 'virgl')) {
    out.push('no OpenGL display: virgl stays off (with one, QEMU enables it and blocks migration: "virgl is not yet migratable")');
  }
  return out;
}

/** struct virtio_pci_cap64: a virtio_pci_cap (16 bytes) plus offset_hi and length_hi. */
const VIRTIO_PCI_CAP64_LEN = 24;
/** VIRTIO_PCI_CAP_SHARED_MEMORY_CFG, VIRTIO_GPU_SHM_ID_HOST_VISIBLE. */
const SHARED_MEMORY_CFG = 8;
const SHM_ID_HOST_VISIBLE = 1;
const HOSTMEM_BAR = 4;

/**
 * QEMU: virtio_pci_add_shm_cap → virtio_pci_add_mem_cap — a vendor
 * capability naming a shared-memory region: BAR, id, 64-bit offset and
 * length. Read-only like the other virtio capabilities.
 */
function addShmCap(cs: ConfigSpace, bar: number, length: number, id: number): number {
  const name = 'virtio shared memory';
  const pos = addCapability(cs, PCI_CAP_ID.VNDR, 0, VIRTIO_PCI_CAP64_LEN, name, [
    { at: 2, length: 1, name: `${name} capability length` },
    { at: 3, length: 1, name: `${name} capability cfg_type` },
    { at: 4, length: 1, name: `${name} capability BAR` },
    { at: 5, length: 1, name: `${name} capability id` },
    { at: 8, length: 4, name: `${name} capability offset` },
    { at: 12, length: 4, name: `${name} capability length field` },
    { at: 16, length: 4, name: `${name} offset_hi` },
    { at: 20, length: 4, name: `${name} length_hi` },
  ]);
  cs.config[pos + 2] = VIRTIO_PCI_CAP64_LEN;
  cs.config[pos + 3] = SHARED_MEMORY_CFG;
  cs.config[pos + 4] = bar;
  cs.config[pos + 5] = id;
  setLE(cs.config, pos + 12, 4, length % 2 ** 32);
  setLE(cs.config, pos + 20, 4, Math.floor(length / 2 ** 32));
  return pos;
}

/**
 * The hostmem part of virtio_gpu_pci_base_realize and virtio_vga_base_realize
 * (8.2+): a 64-bit prefetchable BAR4 of hostmem bytes and its shared-memory
 * capability, added before the transport's own. Returns whether it did.
 */
export function addHostmem(ctx: BuildContext, cs: ConfigSpace): boolean {
  const hostmem = propNumber(ctx, 'hostmem', 0);
  if (hostmem === 0) return false;
  // pci_register_bar asserts a power-of-two size: QEMU aborts.
  if (!Number.isInteger(Math.log2(hostmem))) throw new NotModelledError(`hostmem=${hostmem}: not a power of two (QEMU aborts)`);
  registerBar(cs, HOSTMEM_BAR, PCI_BASE_ADDRESS.SPACE_MEMORY | PCI_BASE_ADDRESS.MEM_PREFETCH | PCI_BASE_ADDRESS.MEM_TYPE_64,
    hostmem, 'virtio-gpu host-visible shared memory');
  addShmCap(cs, HOSTMEM_BAR, hostmem, SHM_ID_HOST_VISIBLE);
  return true;
}

/** virtio_gpu_pci_base_realize: with hostmem the modern BAR moves to 2 (MSI-X stays on 1). */
function realizeGpuPci(ctx: BuildContext, cs: ConfigSpace, modern: ModernOptions): DeviceRealize | void {
  // The PIO notify BAR (2) would collide with the moved modern BAR.
  if (propNumber(ctx, 'hostmem', 0) !== 0 && modern.modernPioNotify) throw new NotModelledError('hostmem with modern-pio-notify=on: both want BAR2');
  if (!addHostmem(ctx, cs)) return undefined;
  return { layout: { memBar: 2, ioBar: 2, msixBar: 1, regions: defaultRegions(modern) } };
}

/**
 * virtio_gpu_load (the "virtio-gpu" field of the virtio-gpu vmsd, after the
 * virtio state) loads virtio-gpu-scanouts, whose
 * VMSTATE_UINT32_EQUAL(parent_obj.conf.max_outputs) must match the
 * destination's max_outputs before the scanout array it sizes.
 */
const SCANOUTS_EQUAL: EqualField[] = [{
  property: 'max_outputs', absent: '1',
  vmsd: 'virtio-gpu-scanouts', field: 'parent_obj.conf.max_outputs',
  via: { vmsd: 'virtio-gpu', field: 'virtio-gpu', info: 'virtio-gpu' },
}];

/** What virtio-gpu-pci and virtio-vga have in common. */
export const GPU_SPEC: Omit<VirtioDeviceSpec, 'family'> = {
  sectionName: 'virtio-gpu',
  modernOnly: true,
  features: () => [],
  defaultVectors: () => 3, // a property default (DEFINE_VIRTIO_GPU_PCI_PROPERTIES), never "unspecified"
  validate,
  assumptions,
  equalFields: SCANOUTS_EQUAL,
};

export const virtioGpu = virtioPciModel({ ...GPU_SPEC, family: 'virtio-gpu', realize: realizeGpuPci });
