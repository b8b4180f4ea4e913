/**
 * The device elements libvirt starts as devices on a bus other than PCI:
 * HDA codecs of a <sound>, USB inputs, disks, redirectors and hubs, SCSI
 * and SATA/IDE disks, virtio-serial <channel>s and <console>s, the ISA
 * <serial>, <panic model='isa'> and <tpm>. Their -device lines are those of
 * libvirt 9's qemuBuild*DevProps (ids from qemu_alias.c); only what places
 * them is kept (bus, port, channel/scsi-id/lun, nr, cad, index), because
 * that is what names their migration sections (check/attached.ts).
 */
import { type XmlElement, child, childrenNamed } from './xml-tree.js';
import { type LibvirtContext, RANK, aliasOf } from './libvirt-context.js';
import { own } from './own-key.js';

export interface MappedAttached {
  id: string;
  driver: string;
  bus?: string;
  properties: Record<string, string>;
  /** Sort key within the command line, as Mapped.rank (then the element's order; a codec follows its controller). */
  rank: number;
}

const CODEC: Record<string, string> = { duplex: 'hda-duplex', micro: 'hda-micro', output: 'hda-output' };
const USB_INPUT: Record<string, string> = { tablet: 'usb-tablet', mouse: 'usb-mouse', keyboard: 'usb-kbd' };
const HDA_MODELS = new Set(['ich6', 'ich7', 'ich9']);

/** The alias of the controller of a type and index: libvirt names the bus it carries "<alias>.0". */
function controllerAlias(devices: XmlElement | undefined, type: string, index: string, fallback: string): string {
  const c = childrenNamed(devices, 'controller').find((x) => x.attrs.type === type && (x.attrs.index ?? '0') === index);
  return c ? aliasOf(c, fallback) : fallback;
}

function usbPlace(el: XmlElement, devices: XmlElement | undefined, props: Record<string, string>): string | undefined {
  const a = child(el, 'address')?.attrs;
  if (a?.type !== 'usb') return undefined;
  const index = a.bus ?? '0';
  if (a.port !== undefined) props.port = a.port;
  return `${controllerAlias(devices, 'usb', index, index === '0' ? 'usb' : `usb${index}`)}.0`;
}

/** <disk bus='scsi'|'sata'|'ide'|'usb'> (qemuBuildDiskDeviceProps). */
function mapDisk(el: XmlElement, devices: XmlElement | undefined, n: number): MappedAttached[] {
  const bus = child(el, 'target')?.attrs.bus;
  const device = el.attrs.device ?? 'disk';
  const a = child(el, 'address')?.attrs ?? {};
  const [ctl, b, t, u] = [a.controller ?? '0', a.bus ?? '0', a.target ?? '0', a.unit ?? '0'];
  const rank = RANK.disk;
  switch (bus) {
    case 'scsi': {
      if (device === 'lun') return [{ id: aliasOf(el, `scsi${ctl}-${b}-${t}-${u}`), driver: 'scsi-block', properties: {}, rank }];
      const driver = device === 'cdrom' ? 'scsi-cd' : 'scsi-hd';
      const alias = controllerAlias(devices, 'scsi', ctl, `scsi${ctl}`);
      const lsi = childrenNamed(devices, 'controller').some((c) => c.attrs.type === 'scsi' && (c.attrs.index ?? '0') === ctl && c.attrs.model === 'lsilogic');
      // lsilogic: the unit is the SCSI id, on bus "<alias>.<bus>"; the others address channel:target:lun.
      if (lsi) return [{ id: aliasOf(el, `scsi${ctl}-${b}-${u}`), driver, bus: `${alias}.${b}`, properties: { 'scsi-id': u }, rank }];
      return [{ id: aliasOf(el, `scsi${ctl}-${b}-${t}-${u}`), driver, bus: `${alias}.0`, properties: { channel: b, 'scsi-id': t, lun: u }, rank }];
    }
    case 'sata': {
      const driver = device === 'cdrom' ? 'ide-cd' : 'ide-hd';
      // q35's built-in AHCI is "ide"; libvirt puts unit N on its bus "ide.N".
      return [{ id: aliasOf(el, `sata${ctl}-${b}-${u}`), driver, bus: `${controllerAlias(devices, 'sata', ctl, 'ide')}.${u}`, properties: {}, rank }];
    }
    case 'ide': {
      const driver = device === 'cdrom' ? 'ide-cd' : 'ide-hd';
      return [{ id: aliasOf(el, `ide${ctl}-${b}-${u}`), driver, bus: `ide.${b}`, properties: { unit: u }, rank }];
    }
    case 'usb': {
      const props: Record<string, string> = {};
      const usb = usbPlace(el, devices, props);
      return [{ id: aliasOf(el, `usb-disk${n}`), driver: 'usb-storage', bus: usb, properties: props, rank }];
    }
    default: return [];
  }
}

/** virtio-serial ports: <channel> and <console> with a virtio target (qemuBuildVirtioSerialPortDevProps). */
function virtioPort(el: XmlElement, devices: XmlElement | undefined, driver: string, id: string, rank: number): MappedAttached {
  const a = child(el, 'address')?.attrs;
  const props: Record<string, string> = {};
  let bus: string | undefined;
  if (a?.type === 'virtio-serial') {
    const ctl = a.controller ?? '0';
    bus = `${controllerAlias(devices, 'virtio-serial', ctl, `virtio-serial${ctl}`)}.${a.bus ?? '0'}`;
    if (a.port !== undefined) props.nr = a.port;
  }
  return { id, driver, bus, properties: props, rank };
}

/** The non-PCI devices libvirt starts for one element ([] for none; undefined: an element this does not know). */
export function mapAttached(el: XmlElement, ctx: LibvirtContext, devices: XmlElement | undefined): MappedAttached[] {
  const n = ctx.nth.get(el) ?? 0;
  switch (el.name) {
    case 'disk': return mapDisk(el, devices, n);
    case 'sound': {
      if (!HDA_MODELS.has(el.attrs.model ?? '')) return [];
      const id = aliasOf(el, `sound${n}`);
      const codecs = childrenNamed(el, 'codec');
      // No <codec>: libvirt adds one duplex codec (qemuBuildSoundCommandLine).
      const types = codecs.length ? codecs.map((c) => c.attrs.type ?? 'duplex') : ['duplex'];
      return types.map((t, i) => ({
        id: `${id}-codec${i}`, driver: own(CODEC, t) ?? `libvirt codec type='${t}'`, bus: `${id}.0`, properties: { cad: String(i) },
        rank: RANK.sound,
      }));
    }
    case 'input': {
      if (el.attrs.bus !== 'usb') return [];
      const props: Record<string, string> = {};
      const bus = usbPlace(el, devices, props);
      return [{ id: aliasOf(el, `input${n}`), driver: own(USB_INPUT, el.attrs.type) ?? `libvirt input type='${el.attrs.type}'`, bus, properties: props, rank: RANK.input }];
    }
    case 'redirdev': {
      if (el.attrs.bus !== 'usb') return [];
      const props: Record<string, string> = {};
      const bus = usbPlace(el, devices, props);
      return [{ id: aliasOf(el, `redir${n}`), driver: 'usb-redir', bus, properties: props, rank: RANK.redirdev }];
    }
    case 'hub': {
      if (el.attrs.type !== 'usb') return [];
      const props: Record<string, string> = {};
      const bus = usbPlace(el, devices, props);
      return [{ id: aliasOf(el, `hub${n}`), driver: 'usb-hub', bus, properties: props, rank: RANK.controller + 0.5 }];
    }
    case 'channel': {
      const t = child(el, 'target')?.attrs.type;
      return t === 'virtio' ? [virtioPort(el, devices, 'virtserialport', aliasOf(el, `channel${n}`), RANK.channel)] : [];
    }
    case 'console': {
      const t = child(el, 'target')?.attrs.type;
      return t === 'virtio' ? [virtioPort(el, devices, 'virtconsole', aliasOf(el, `console${n}`), RANK.console)] : [];
    }
    case 'serial': {
      const target = child(el, 'target');
      const model = child(target, 'model')?.attrs.name;
      if ((target?.attrs.type ?? 'isa-serial') !== 'isa-serial' || (model !== undefined && model !== 'isa-serial')) return [];
      return [{ id: aliasOf(el, `serial${n}`), driver: 'isa-serial', properties: { index: target?.attrs.port ?? String(n) }, rank: RANK.serial }];
    }
    case 'panic':
      return el.attrs.model === 'isa' || el.attrs.model === undefined
        ? [{ id: aliasOf(el, `panic${n}`), driver: 'pvpanic', properties: {}, rank: RANK.panic }] : [];
    case 'tpm': {
      const m = el.attrs.model ?? 'tpm-tis';
      return [{ id: aliasOf(el, `tpm${n}`), driver: m, properties: {}, rank: RANK.tpm }];
    }
    default: return [];
  }
}
