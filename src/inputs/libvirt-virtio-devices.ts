/**
 * <disk bus='virtio'>, <interface>, <memballoon>, <rng> → their -device
 * properties as libvirt 9 writes them (src/qemu/qemu_command.c
 * qemuBuildDiskDeviceProps, qemuBuildNicDevProps, qemuBuildMemballoonCommandLine,
 * qemuBuildRNGDevProps), checked against the command lines libvirt 9.0 wrote
 * for test/fixtures/libvirt/.
 */
import { type XmlElement, child } from './xml-tree.js';
import { type LibvirtContext, type Mapped, RANK, XmlValueError, aliasOf, numberProp, onOff, virtioOptions, virtioSuffix } from './libvirt-context.js';
import { own } from './own-key.js';

/** vda → 0, vdz → 25, vdaa → 26 (virDiskNameToIndex). */
function diskIndex(dev: string): number {
  const letters = dev.replace(/^(vd|sd|hd|xvd)/, '');
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

/** cache= → write-cache: writeback for none/writeback/unsafe (qemuDomainDiskCachemodeFlags). */
const WRITEBACK: Record<string, string> = { none: 'on', writeback: 'on', unsafe: 'on', writethrough: 'off', directsync: 'off' };
const ERROR_POLICY: Record<string, string> = { stop: 'stop', report: 'report', ignore: 'ignore', enospace: 'enospc' };

export function mapDisk(el: XmlElement, ctx: LibvirtContext): Mapped | undefined {
  const target = child(el, 'target');
  if (target?.attrs.bus !== 'virtio') return undefined; // ide/sata/scsi/usb disks sit on their controller's bus
  const suffix = virtioSuffix(el.attrs.model);
  const base = el.attrs.type === 'vhostuser' ? 'vhost-user-blk-pci' : 'virtio-blk-pci';
  const driver = suffix === undefined ? `libvirt disk model='${el.attrs.model}'` : `${base}${suffix}`;
  const d = child(el, 'driver');
  const a = d?.attrs ?? {};
  const props: Record<string, string> = {};
  virtioOptions(d, props);
  if (a.ioeventfd !== undefined) props.ioeventfd = onOff(a.ioeventfd)!;
  if (a.event_idx !== undefined) props.event_idx = onOff(a.event_idx)!;
  numberProp(props, 'num-queues', a.queues);
  numberProp(props, 'queue-size', a.queue_size);
  if (a.iothread !== undefined) props.iothread = `iothread${a.iothread}`;
  // -blockdev node names are "libvirt-<source index>-format" (qemuBlockStorageSourceSetFormatNodename);
  // the migratable and inactive XML carry no index, so there the drive link is unknown.
  const index = child(el, 'source')?.attrs.index;
  if (index !== undefined && base === 'virtio-blk-pci') props.drive = `libvirt-${index}-format`;
  const order = child(el, 'boot')?.attrs.order ?? bootFromOs(el, ctx);
  if (order !== undefined) props.bootindex = String(Number(order));
  if (own(WRITEBACK, a.cache)) props['write-cache'] = own(WRITEBACK, a.cache)!;
  const serial = child(el, 'serial')?.text;
  if (serial) props.serial = serial;
  const blockio = child(el, 'blockio')?.attrs ?? {};
  numberProp(props, 'logical_block_size', blockio.logical_block_size);
  numberProp(props, 'physical_block_size', blockio.physical_block_size);
  numberProp(props, 'discard_granularity', blockio.discard_granularity);
  const geo = child(el, 'geometry')?.attrs ?? {};
  numberProp(props, 'cyls', geo.cyls);
  numberProp(props, 'heads', geo.heads);
  numberProp(props, 'secs', geo.secs);
  if (own(ERROR_POLICY, a.rerror_policy)) props.rerror = own(ERROR_POLICY, a.rerror_policy)!;
  if (own(ERROR_POLICY, a.error_policy)) {
    props.werror = own(ERROR_POLICY, a.error_policy)!;
    if (!a.rerror_policy && a.error_policy !== 'enospace') props.rerror = own(ERROR_POLICY, a.error_policy)!;
  }
  if (child(el, 'shareable')) props['share-rw'] = 'on';
  // discard='unmap' and detect_zeroes= are -blockdev options in libvirt 9 (qemuBlockStorageSourceGetBlockdevProps):
  // the virtio-blk "discard" feature property is not set by them (see test/fixtures/libvirt/pc.log).
  return { driver, id: aliasOf(el, `virtio-disk${diskIndex(target.attrs.dev ?? 'vda')}`), properties: props, rank: RANK.disk };
}

/** <os><boot dev=…> gives the first disk/cdrom/floppy/interface of its kind the boot position. */
function bootFromOs(el: XmlElement, ctx: LibvirtContext): string | undefined {
  const kind = el.name === 'interface' ? 'network' : (el.attrs.device ?? 'disk') === 'lun' ? 'disk' : el.attrs.device ?? 'disk';
  const k = kind as keyof LibvirtContext['boot'];
  const n = own(ctx.boot, k);
  if (n === undefined) return undefined;
  ctx.boot[k] = undefined; // only the first of its kind
  return String(n);
}

const NIC_HOST: Record<string, string> = { csum: 'csum', gso: 'gso', tso4: 'host_tso4', tso6: 'host_tso6', ecn: 'host_ecn', ufo: 'host_ufo', mrg_rxbuf: 'mrg_rxbuf' };
const NIC_GUEST: Record<string, string> = { csum: 'guest_csum', tso4: 'guest_tso4', tso6: 'guest_tso6', ecn: 'guest_ecn', ufo: 'guest_ufo' };

export function mapInterface(el: XmlElement, ctx: LibvirtContext): Mapped {
  const n = ctx.nth.get(el) ?? 0;
  const model = child(el, 'model')?.attrs.type;
  const props: Record<string, string> = {};
  const id = aliasOf(el, `net${n}`);
  if (el.attrs.type === 'hostdev') return { driver: 'vfio-pci', id: aliasOf(el, `hostdev${n}`), properties: props, rank: RANK.interface };
  const suffix = virtioSuffix(model);
  const virtio = model !== undefined && suffix !== undefined;
  const driver = virtio ? `virtio-net-pci${suffix}` : model ?? 'rtl8139';
  const d = child(el, 'driver');
  const a = d?.attrs ?? {};
  let queues = 1;
  if (virtio) {
    virtioOptions(d, props);
    if (a.txmode) props.tx = a.txmode === 'iothread' ? 'bh' : a.txmode;
    if (a.ioeventfd !== undefined) props.ioeventfd = onOff(a.ioeventfd)!;
    if (a.event_idx !== undefined) props.event_idx = onOff(a.event_idx)!;
    for (const [k, v] of Object.entries(child(d, 'host')?.attrs ?? {})) if (own(NIC_HOST, k)) props[own(NIC_HOST, k)!] = onOff(v)!;
    for (const [k, v] of Object.entries(child(d, 'guest')?.attrs ?? {})) if (own(NIC_GUEST, k)) props[own(NIC_GUEST, k)!] = onOff(v)!;
    if (a.queues !== undefined && !/^[1-9]\d*$/.test(a.queues)) throw new XmlValueError(`queues='${a.queues}' is not a queue count`);
    queues = a.queues === undefined ? 1 : Number(a.queues);
    // Multiqueue: libvirt turns mq on and sizes MSI-X for N rx/tx pairs plus config and control: 2N+2.
    if (queues > 1) {
      props.mq = 'on';
      props.vectors = String(2 * queues + 2);
    }
    numberProp(props, 'rx_queue_size', a.rx_queue_size);
    numberProp(props, 'tx_queue_size', a.tx_queue_size);
    if (a.rss !== undefined) props.rss = onOff(a.rss)!;
    if (a.rss_hash_report !== undefined) props.hash = onOff(a.rss_hash_report)!;
    numberProp(props, 'host_mtu', child(el, 'mtu')?.attrs.size);
  }
  props.netdev = `host${id}`;
  const mac = child(el, 'mac')?.attrs.address;
  if (mac) props.mac = mac;
  const order = child(el, 'boot')?.attrs.order ?? bootFromOs(el, ctx);
  if (order !== undefined) props.bootindex = String(Number(order));
  const rom = child(el, 'rom')?.attrs;
  if (rom?.bar !== undefined) props.rombar = rom.bar === 'off' ? '0' : '1';
  if (rom?.file !== undefined) props.romfile = rom.file;
  if (rom?.enabled === 'no') props.romfile = '';
  const backend = own(INTERFACE_BACKEND, el.attrs.type ?? '');
  return { driver, id, properties: props, netdevQueues: queues, ...(backend ? { backend: { type: backend } } : {}), rank: RANK.interface };
}

/**
 * <interface type> → the -netdev type libvirt starts it with
 * (qemuBuildHostNetProps): network, bridge, direct (macvtap) and ethernet are
 * a tap (opened with a vnet header); user is slirp; vhostuser and vdpa.
 */
const INTERFACE_BACKEND: Record<string, string | undefined> = {
  network: 'tap', bridge: 'tap', direct: 'tap', ethernet: 'tap', user: 'user', vhostuser: 'vhost-user', vdpa: 'vhost-vdpa',
  mcast: 'socket', server: 'socket', client: 'socket', udp: 'socket',
};

export function mapMemballoon(el: XmlElement): Mapped | undefined {
  const suffix = virtioSuffix(el.attrs.model);
  if (el.attrs.model === 'none') return undefined;
  const props: Record<string, string> = {};
  virtioOptions(child(el, 'driver'), props);
  if (el.attrs.autodeflate !== undefined) props['deflate-on-oom'] = onOff(el.attrs.autodeflate)!;
  if (el.attrs.freePageReporting !== undefined) props['free-page-reporting'] = onOff(el.attrs.freePageReporting)!;
  const driver = suffix === undefined ? `libvirt memballoon model='${el.attrs.model}'` : `virtio-balloon-pci${suffix}`;
  return { driver, id: aliasOf(el, 'balloon0'), properties: props, rank: RANK.memballoon };
}

export function mapRng(el: XmlElement, ctx: LibvirtContext): Mapped {
  const suffix = virtioSuffix(el.attrs.model);
  const id = aliasOf(el, `rng${ctx.nth.get(el) ?? 0}`);
  const props: Record<string, string> = {};
  virtioOptions(child(el, 'driver'), props);
  props.rng = `obj${id}`;
  const rate = child(el, 'rate')?.attrs;
  numberProp(props, 'max-bytes', rate?.bytes);
  numberProp(props, 'period', rate?.period ?? (rate?.bytes !== undefined ? '1000' : undefined));
  const driver = suffix === undefined ? `libvirt rng model='${el.attrs.model}'` : `virtio-rng-pci${suffix}`;
  return { driver, id, properties: props, rank: RANK.rng };
}
