/**
 * virtio-gpu-pci. QEMU: hw/display/virtio-gpu-pci.c (virtio_gpu_pci_base_realize:
 * modern-only, 3 vectors by default), virtio-gpu-base.c and virtio-gpu.c
 * (virtio_gpu_base_device_realize, virtio_gpu_device_realize). The parts
 * virtio-vga shares are exported.
 */
import { RealizeError } from '../virtio-caps/transport.js';
import { inRange } from '../profiles/versions.js';
import { type BuildContext, NotModelledError, propBool, propNumber } from './model.js';
import { virtioPciModel, type VirtioDeviceSpec } from './virtio-pci-device.js';

/** VIRTIO_GPU_MAX_SCANOUTS */
const MAX_SCANOUTS = 16;

/** virtio_gpu_base_device_realize and what the build cannot model. */
function validate(ctx: BuildContext): void {
  const outputs = propNumber(ctx, 'max_outputs', 1);
  if (outputs > MAX_SCANOUTS) throw new RealizeError(`invalid max_outputs > ${MAX_SCANOUTS}`);
  if (outputs !== 1) {
    // VMSTATE_UINT32_EQUAL(parent_obj.conf.max_outputs) in virtio-gpu-scanouts: compared after config space.
    throw new NotModelledError(`max_outputs=${outputs}: the scanout count is compared in the migration stream, which is not modelled`);
  }
  if (propNumber(ctx, 'hostmem', 0) !== 0) {
    throw new NotModelledError('hostmem (the shared-memory BAR4 and capability) is not modelled yet');
  }
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

/** What virtio-gpu-pci and virtio-vga have in common. */
export const GPU_SPEC: Omit<VirtioDeviceSpec, 'family'> = {
  sectionName: 'virtio-gpu',
  modernOnly: true,
  features: () => [],
  defaultVectors: () => 3, // a property default (DEFINE_VIRTIO_GPU_PCI_PROPERTIES), never "unspecified"
  validate,
  assumptions,
};

export const virtioGpu = virtioPciModel({ ...GPU_SPEC, family: 'virtio-gpu' });
