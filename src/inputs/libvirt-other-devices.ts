/**
 * The other device elements that can be PCI functions: video, sound,
 * hostdev, watchdog, virtio input, filesystem, vsock, virtio-iommu, virtio
 * memory, crypto, shmem, pci-serial. None of them is modelled yet; they must
 * still appear, with the driver libvirt would start (qemuBuild*DevProps),
 * so that the checker answers "unknown" instead of leaving them out.
 */
import { type XmlElement, child } from './xml-tree.js';
import { type LibvirtContext, type Mapped, RANK, XmlValueError, aliasOf, numberProp, onOff, virtioOptions, virtioSuffix } from './libvirt-context.js';
import { own } from './own-key.js';
import { type MemoryBackend } from './memory-backends.js';

const SOUND: Record<string, string> = { ich6: 'intel-hda', ich9: 'ich9-intel-hda', ac97: 'AC97', es1370: 'ES1370', ich7: 'ich7-intel-hda' };
const INPUT: Record<string, string> = { tablet: 'virtio-tablet-pci', keyboard: 'virtio-keyboard-pci', mouse: 'virtio-mouse-pci', passthrough: 'virtio-input-host-pci' };

/** Video: the primary device is the VGA-compatible variant (qemuBuildDeviceVideoStr / qemuVideo*). */
function mapVideo(el: XmlElement, ctx: LibvirtContext, n: number): Mapped | undefined {
  const m = child(el, 'model')?.attrs ?? {};
  const primary = m.primary === 'yes' || n === 0;
  const props: Record<string, string> = {};
  const kb = (v: string | undefined) => (v === undefined ? undefined : String(Number(v) / 1024));
  let driver: string;
  switch (m.type) {
    case 'vga': driver = primary ? 'VGA' : 'secondary-vga'; numberProp(props, 'vgamem_mb', kb(m.vram)); break;
    case 'cirrus': driver = 'cirrus-vga'; break;
    case 'vmvga': driver = 'vmware-svga'; numberProp(props, 'vgamem_mb', kb(m.vram)); break;
    case 'bochs': driver = 'bochs-display'; numberProp(props, 'vgamem', m.vram === undefined ? undefined : String(Number(m.vram) * 1024)); break;
    case 'qxl':
      driver = primary ? 'qxl-vga' : 'qxl';
      numberProp(props, 'ram_size', m.ram === undefined ? undefined : String(Number(m.ram) * 1024));
      numberProp(props, 'vram_size', m.vram === undefined ? undefined : String(Number(m.vram) * 1024));
      numberProp(props, 'vram64_size_mb', kb(m.vram64));
      numberProp(props, 'vgamem_mb', kb(m.vgamem));
      numberProp(props, 'max_outputs', m.heads);
      break;
    case 'virtio': {
      const gl = child(child(el, 'model'), 'acceleration')?.attrs.accel3d === 'yes';
      driver = primary ? (gl ? 'virtio-vga-gl' : 'virtio-vga') : gl ? 'virtio-gpu-gl-pci' : 'virtio-gpu-pci';
      virtioOptions(child(el, 'driver'), props);
      numberProp(props, 'max_outputs', m.heads);
      break;
    }
    case 'none': case 'ramfb': case undefined: return undefined;
    default: driver = `libvirt video model='${m.type}'`;
  }
  return { driver, id: aliasOf(el, `video${n}`), properties: props, rank: RANK.video };
}

/**
 * <shmem name role><model type/><size unit/><server path/><msi vectors ioeventfd/>:
 * libvirt starts ivshmem-plain on memory-backend-file "shmmem-ALIAS"
 * (mem-path /dev/shm/NAME, share=yes) and ivshmem-doorbell on chardev
 * "charALIAS" (qemuBuildShmemDevProps, qemuBuildShmemBackendMemProps);
 * role='master'/'peer' is master=on/off, no role leaves QEMU's default (off).
 */
function mapShmem(el: XmlElement, id: string): Mapped {
  const driver = child(el, 'model')?.attrs.type ?? 'ivshmem-plain';
  const props: Record<string, string> = {};
  if (driver === 'ivshmem-doorbell') {
    props.chardev = `char${id}`;
    const msi = child(el, 'msi')?.attrs;
    if (msi?.enabled !== 'no') {
      numberProp(props, 'vectors', msi?.vectors);
      if (msi?.ioeventfd !== undefined) props.ioeventfd = onOff(msi.ioeventfd)!;
    }
  } else {
    props.memdev = `shmmem-${id}`;
  }
  const role = el.attrs.role;
  if (role === 'master' || role === 'peer') props.master = role === 'master' ? 'on' : 'off';
  return { driver, id, properties: props, rank: RANK.shmem };
}

/** libvirt's scaled units (virScaleInteger): b/bytes, KB/MB/GB/TB powers of 1000, k/KiB, M/MiB, G/GiB, T/TiB powers of 1024. */
const UNITS: Record<string, number> = {
  b: 1, bytes: 1, kb: 1e3, k: 1024, kib: 1024, mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2, gb: 1e9, g: 1024 ** 3, gib: 1024 ** 3,
  tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
};

/**
 * The memory backend libvirt creates for an ivshmem-plain <shmem>, by its
 * id: <size> in bytes unless unit= says (libvirt gives 4 MiB when the XML
 * has none: qemuDomainShmemDefPostParse). Undefined for other elements.
 */
export function shmemBackend(el: XmlElement, ctx: LibvirtContext): [string, MemoryBackend] | undefined {
  if (el.name !== 'shmem' || (child(el, 'model')?.attrs.type ?? 'ivshmem-plain') !== 'ivshmem-plain') return undefined;
  const id = `shmmem-${aliasOf(el, `shmem${ctx.nth.get(el) ?? 0}`)}`;
  const sizeEl = child(el, 'size');
  if (!sizeEl) return [id, { type: 'memory-backend-file', size: 4 * 1024 ** 2, share: true }];
  const unit = own(UNITS, (sizeEl.attrs.unit ?? 'b').toLowerCase());
  const value = sizeEl.text.trim();
  if (unit === undefined) throw new XmlValueError(`<size unit='${sizeEl.attrs.unit}'> is not a unit libvirt knows (b, KiB, MiB, GiB, TiB, KB, MB …)`);
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new XmlValueError(`<size>${value}</size> is not a size: a whole number of ${sizeEl.attrs.unit ?? 'bytes'}, at least 1`);
  const size = Number(value) * unit;
  if (!Number.isSafeInteger(size)) throw new XmlValueError(`<size>${value}</size> is too large`);
  return [id, { type: 'memory-backend-file', size, share: true }];
}

export function mapOther(el: XmlElement, ctx: LibvirtContext): Mapped | undefined {
  const n = ctx.nth.get(el) ?? 0;
  const props: Record<string, string> = {};
  const m = el.attrs.model;
  const virtio = (base: string, alias: string, rank: number): Mapped => {
    const suffix = virtioSuffix(m);
    virtioOptions(child(el, 'driver'), props);
    return { driver: suffix === undefined ? `libvirt ${el.name} model='${m}'` : `${base}${suffix}`, id: aliasOf(el, alias), properties: props, rank };
  };
  switch (el.name) {
    case 'video': return mapVideo(el, ctx, n);
    case 'sound':
      const sound = own(SOUND, m);
      if (!sound) return undefined; // pcspk, sb16 (ISA), usb
      return { driver: sound, id: aliasOf(el, `sound${n}`), properties: props, rank: RANK.sound };
    case 'watchdog':
      return m === 'i6300esb' ? { driver: 'i6300esb', id: aliasOf(el, `watchdog${n}`), properties: props, rank: RANK.watchdog } : undefined;
    case 'hostdev': {
      if (el.attrs.type !== 'pci' && el.attrs.type !== 'mdev') return undefined;
      const src = child(child(el, 'source'), 'address')?.attrs;
      if (src && el.attrs.type === 'pci') {
        const h = (v: string | undefined, w: number) => Number(v ?? 0).toString(16).padStart(w, '0');
        props.host = `${h(src.domain, 4)}:${h(src.bus, 2)}:${h(src.slot, 2)}.${Number(src.function ?? 0)}`;
      }
      return { driver: 'vfio-pci', id: aliasOf(el, `hostdev${n}`), properties: props, rank: RANK.hostdev };
    }
    case 'input':
      if (el.attrs.bus !== 'virtio' || !own(INPUT, el.attrs.type)) return undefined;
      return virtio(own(INPUT, el.attrs.type)!, `input${n}`, RANK.input);
    case 'filesystem': {
      const d = child(el, 'driver')?.attrs.type;
      return virtio(d === 'virtiofs' ? 'vhost-user-fs-pci' : 'virtio-9p-pci', `fs${n}`, RANK.filesystem);
    }
    case 'vsock': {
      const r = virtio('vhost-vsock-pci', `vsock${n}`, RANK.vsock);
      numberProp(r.properties, 'guest-cid', child(el, 'cid')?.attrs.address);
      return r;
    }
    case 'iommu': return m === 'virtio' ? { driver: 'virtio-iommu-pci', id: aliasOf(el, 'iommu0'), properties: props, rank: RANK.iommu } : undefined;
    case 'memory':
      if (m === 'virtio-pmem') return { driver: 'virtio-pmem-pci', id: aliasOf(el, `virtiopmem${n}`), properties: props, rank: RANK.memory };
      if (m === 'virtio-mem') return { driver: 'virtio-mem-pci', id: aliasOf(el, `virtiomem${n}`), properties: props, rank: RANK.memory };
      return undefined;
    case 'crypto': return virtio('virtio-crypto-pci', `crypto${n}`, RANK.crypto);
    case 'shmem': return mapShmem(el, aliasOf(el, `shmem${n}`));
    case 'serial':
      return child(el, 'target')?.attrs.type === 'pci-serial'
        ? { driver: 'pci-serial', id: aliasOf(el, `serial${n}`), properties: props, rank: RANK.serial } : undefined;
    default: return undefined;
  }
}
