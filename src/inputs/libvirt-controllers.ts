/**
 * <controller> elements → PCI devices (src/qemu/qemu_command.c
 * qemuBuildControllerDevProps, qemuBuildControllerPCIDevProps; aliases from
 * qemu_alias.c qemuAssignDeviceControllerAlias). pci-root/pcie-root and the
 * chipset's own SATA (q35) or IDE (i440fx) controller are built into the
 * machine and get no -device line.
 */
import { InputError } from './errors.js';
import { type XmlElement, child, childrenNamed } from './xml-tree.js';
import { type LibvirtContext, type Mapped, RANK, aliasOf, numberProp, onOff, virtioOptions, virtioSuffix } from './libvirt-context.js';
import { type PciBuses } from './libvirt-address.js';
import { own } from './own-key.js';

/** libvirt's order of controller types on the command line (qemuBuildControllersCommandLine contOrder). */
const TYPE_ORDER = ['pci', 'usb', 'scsi', 'ide', 'sata', 'fdc', 'virtio-serial', 'ccid', 'isa'];

const PCI_MODELS: Record<string, string> = {
  'pci-bridge': 'pci-bridge', 'dmi-to-pci-bridge': 'i82801b11-bridge', 'pcie-root-port': 'pcie-root-port',
  'pcie-switch-upstream-port': 'x3130-upstream', 'pcie-switch-downstream-port': 'xio3130-downstream',
  'pci-expander-bus': 'pxb', 'pcie-expander-bus': 'pxb-pcie', 'pcie-to-pci-bridge': 'pcie-pci-bridge',
};
const USB_MODELS: Record<string, string> = {
  'qemu-xhci': 'qemu-xhci', 'nec-xhci': 'nec-usb-xhci', 'piix3-uhci': 'piix3-usb-uhci', 'piix4-uhci': 'piix4-usb-uhci',
  'vt82c686b-uhci': 'vt82c686b-usb-uhci', 'pci-ohci': 'pci-ohci', ehci: 'usb-ehci',
  'ich9-ehci1': 'ich9-usb-ehci1', 'ich9-uhci1': 'ich9-usb-uhci1', 'ich9-uhci2': 'ich9-usb-uhci2', 'ich9-uhci3': 'ich9-usb-uhci3',
};
const SCSI_MODELS: Record<string, string> = {
  lsilogic: 'lsi', lsisas1068: 'mptsas1068', lsisas1078: 'megasas', vmpvscsi: 'pvscsi', am53c974: 'am53c974', dc390: 'dc390',
};

const isRoot = (model: string | undefined) => model === 'pci-root' || model === 'pcie-root';

/** The PCI buses the domain offers: controller index → its id (undefined for the root). */
export function pciBuses(devices: XmlElement, file: string): PciBuses {
  const buses: PciBuses = new Map();
  for (const c of childrenNamed(devices, 'controller')) {
    if (c.attrs.type !== 'pci') continue;
    const index = Number(c.attrs.index ?? 0);
    if (!Number.isInteger(index)) throw new InputError(file, `line ${c.line} <controller>`, `index='${c.attrs.index}' is not a number`);
    buses.set(index, { id: isRoot(c.attrs.model) ? undefined : aliasOf(c, `pci.${index}`), line: c.line });
  }
  // The migratable XML leaves out the implicit pci-root of i440fx (qemuDomainDefFormatBufInternal, for older libvirt).
  if (!buses.has(0)) buses.set(0, { id: undefined, line: devices.line });
  return buses;
}

export function mapController(c: XmlElement, ctx: LibvirtContext): Mapped | undefined {
  const type = c.attrs.type ?? '';
  const index = Number(c.attrs.index ?? 0);
  const model = c.attrs.model;
  const rank = RANK.controller + TYPE_ORDER.indexOf(type) / 100;
  const props: Record<string, string> = {};
  const unknown = (what: string) => `libvirt controller type='${type}' model='${what}'`;
  switch (type) {
    case 'pci': {
      if (isRoot(model)) return undefined;
      const driver = child(c, 'model')?.attrs.name ?? own(PCI_MODELS, model) ?? unknown(model ?? '');
      const target = child(c, 'target');
      const t = target?.attrs ?? {};
      if (driver === 'pci-bridge') numberProp(props, 'chassis_nr', t.chassisNr);
      if (driver === 'pcie-root-port' || driver === 'ioh3420' || driver === 'xio3130-downstream') {
        numberProp(props, 'port', t.port);
        numberProp(props, 'chassis', t.chassis);
      }
      if (driver === 'pxb' || driver === 'pxb-pcie') {
        numberProp(props, 'bus_nr', t.busNr);
        numberProp(props, 'numa_node', child(target, 'node')?.text);
      }
      if (t.hotplug !== undefined) props.hotplug = onOff(t.hotplug)!;
      return { driver, id: aliasOf(c, `pci.${index}`), properties: props, rank: rank + index / 1e6 };
    }
    case 'usb': {
      if (model === 'none') return undefined;
      const driver = own(USB_MODELS, model ?? 'piix3-uhci') ?? unknown(model ?? '');
      if ((driver === 'qemu-xhci' || driver === 'nec-usb-xhci') && c.attrs.ports !== undefined) {
        numberProp(props, 'p2', c.attrs.ports);
        numberProp(props, 'p3', c.attrs.ports);
      }
      const master = child(c, 'master');
      if (master) {
        props.masterbus = `${index === 0 ? 'usb' : `usb${index}`}.0`;
        numberProp(props, 'firstport', master.attrs.startport);
      }
      return { driver, id: aliasOf(c, index === 0 ? 'usb' : `usb${index}`), properties: props, rank: rank + index / 1e6 };
    }
    case 'scsi': {
      const suffix = virtioSuffix(model?.replace(/^virtio-scsi$/, 'virtio'));
      const driver = model?.startsWith('virtio') && suffix !== undefined ? `virtio-scsi-pci${suffix}` : own(SCSI_MODELS, model ?? 'lsilogic') ?? unknown(model ?? '');
      if (driver.startsWith('virtio-scsi-pci')) {
        const d = child(c, 'driver');
        virtioOptions(d, props);
        numberProp(props, 'num_queues', d?.attrs.queues);
        numberProp(props, 'cmd_per_lun', d?.attrs.cmd_per_lun);
        numberProp(props, 'max_sectors', d?.attrs.max_sectors);
        if (d?.attrs.ioeventfd !== undefined) props.ioeventfd = onOff(d.attrs.ioeventfd)!;
        if (d?.attrs.iothread !== undefined) props.iothread = `iothread${d.attrs.iothread}`;
      }
      return { driver, id: aliasOf(c, `scsi${index}`), properties: props, rank: rank + index / 1e6 };
    }
    case 'virtio-serial': {
      const suffix = virtioSuffix(model);
      const driver = suffix === undefined ? unknown(model ?? '') : `virtio-serial-pci${suffix}`;
      virtioOptions(child(c, 'driver'), props);
      numberProp(props, 'max_ports', c.attrs.ports);
      numberProp(props, 'vectors', c.attrs.vectors);
      return { driver, id: aliasOf(c, `virtio-serial${index}`), properties: props, rank: rank + index / 1e6 };
    }
    case 'sata':
      // q35's AHCI at 00:1f.2 is part of the ICH9 chipset (hw/i386/pc_q35.c), alias "ide".
      if (ctx.q35 && index === 0) return undefined;
      return { driver: 'ich9-ahci', id: aliasOf(c, `sata${index}`), properties: props, rank: rank + index / 1e6 };
    case 'ide':
      // i440fx's PIIX3 IDE at 00:01.1 is part of the chipset (hw/i386/pc_piix.c).
      if (!ctx.q35 && index === 0) return undefined;
      return { driver: unknown(model ?? 'ide'), id: aliasOf(c, `ide${index}`), properties: props, rank: rank + index / 1e6 };
    default:
      return undefined; // fdc, ccid, isa, xenbus: not PCI
  }
}
