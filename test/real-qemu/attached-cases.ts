// Source/destination pairs that differ only in devices on other buses (codecs, USB, SCSI,
// virtio-serial ports, ISA, IDE): what real QEMU does with each is the model's ground truth.

type Dev = Record<string, unknown>;
export interface AttachedCase { name: string; devices: Dev[]; src: Dev[]; dst: Dev[] }

const hda = { id: 'sound0', driver: 'intel-hda', addr: '0x4' };
const uhci = { id: 'usb', driver: 'piix3-usb-uhci', addr: '0x5' };
const xhci = { id: 'usb', driver: 'qemu-xhci', addr: '0x6' };
const scsi = { id: 'scsi0', driver: 'virtio-scsi-pci', addr: '0x7' };
const serial = { id: 'virtio-serial0', driver: 'virtio-serial-pci', addr: '0x8' };
const codec = (id: string, driver: string) => ({ id, driver, bus: 'sound0.0' });

export const ATTACHED_CASES: AttachedCase[] = [
  { name: 'hda-duplex only on the source: hda-audio 0', devices: [hda], src: [codec('c0', 'hda-duplex')], dst: [] },
  { name: 'hda-duplex on both', devices: [hda], src: [codec('c0', 'hda-duplex')], dst: [codec('c0', 'hda-duplex')] },
  { name: 'two codecs on the source, one on the destination: hda-audio 1', devices: [hda], src: [codec('c0', 'hda-duplex'), codec('c1', 'hda-micro')], dst: [codec('c0', 'hda-duplex')] },
  { name: 'hda-duplex into hda-output (1 stream): the destination aborts', devices: [hda], src: [codec('c0', 'hda-duplex')], dst: [codec('c0', 'hda-output')] },
  { name: 'hda-duplex into hda-micro (2 streams each)', devices: [hda], src: [codec('c0', 'hda-duplex')], dst: [codec('c0', 'hda-micro')] },
  { name: 'hda-duplex only on the destination', devices: [hda], src: [], dst: [codec('c0', 'hda-duplex')] },
  { name: 'usb-tablet on uhci only on the source', devices: [uhci], src: [{ id: 'input0', driver: 'usb-tablet', bus: 'usb.0' }], dst: [] },
  { name: 'usb-tablet on uhci on both', devices: [uhci], src: [{ id: 'input0', driver: 'usb-tablet', bus: 'usb.0', properties: { port: '1' } }], dst: [{ id: 'input0', driver: 'usb-tablet', bus: 'usb.0', properties: { port: '1' } }] },
  { name: 'usb-tablet on port 1 vs port 2', devices: [uhci], src: [{ id: 'input0', driver: 'usb-tablet', properties: { port: '1' } }], dst: [{ id: 'input0', driver: 'usb-tablet', properties: { port: '2' } }] },
  { name: 'usb-kbd + usb-tablet on uhci (2 ports: QEMU plugs a hub) vs usb-kbd', devices: [uhci], src: [{ id: 'k', driver: 'usb-kbd' }, { id: 't', driver: 'usb-tablet' }], dst: [{ id: 'k', driver: 'usb-kbd' }] },
  { name: 'usb-kbd + usb-tablet behind the auto hub on both', devices: [uhci], src: [{ id: 'k', driver: 'usb-kbd' }, { id: 't', driver: 'usb-tablet' }], dst: [{ id: 'k', driver: 'usb-kbd' }, { id: 't', driver: 'usb-tablet' }] },
  { name: 'the auto hub against a usb-hub given on port 2: the tablet behind it is 2.1', devices: [uhci], src: [{ id: 'k', driver: 'usb-kbd' }, { id: 't', driver: 'usb-tablet' }], dst: [{ id: 'k', driver: 'usb-kbd' }, { id: 'h', driver: 'usb-hub', properties: { port: '2' } }] },
  { name: 'usb-tablet on xhci only on the source', devices: [xhci], src: [{ id: 'input0', driver: 'usb-tablet', bus: 'usb.0', properties: { port: '1' } }], dst: [] },
  { name: 'usb-mouse on xhci port 3 only on the source', devices: [xhci], src: [{ id: 'm', driver: 'usb-mouse', bus: 'usb.0', properties: { port: '3' } }], dst: [] },
  { name: 'usb-tablet on nec-usb-xhci port 4 only on the source', devices: [{ id: 'usb', driver: 'nec-usb-xhci', addr: '0x6' }], src: [{ id: 't', driver: 'usb-tablet', properties: { port: '4' } }], dst: [] },
  { name: 'usb-kbd on piix4-usb-uhci only on the source', devices: [{ id: 'usb', driver: 'piix4-usb-uhci', addr: '0x5' }], src: [{ id: 'k', driver: 'usb-kbd' }], dst: [] },
  { name: 'usb-storage only on the source: its scsi-disk first', devices: [xhci], src: [{ id: 'stick', driver: 'usb-storage' }], dst: [] },
  { name: 'usb-redir only on the source', devices: [xhci], src: [{ id: 'redir0', driver: 'usb-redir' }], dst: [] },
  { name: 'usb-redir on both', devices: [xhci], src: [{ id: 'redir0', driver: 'usb-redir' }], dst: [{ id: 'redir0', driver: 'usb-redir' }] },
  { name: 'scsi-hd on virtio-scsi only on the source', devices: [scsi], src: [{ id: 'hd', driver: 'scsi-hd', bus: 'scsi0.0' }], dst: [] },
  { name: 'scsi-hd on virtio-scsi on both', devices: [scsi], src: [{ id: 'hd', driver: 'scsi-hd', bus: 'scsi0.0', properties: { channel: '0', 'scsi-id': '0', lun: '0' } }], dst: [{ id: 'hd', driver: 'scsi-hd', bus: 'scsi0.0', properties: { channel: '0', 'scsi-id': '0', lun: '0' } }] },
  { name: 'scsi-cd at lun 2 only on the source', devices: [scsi], src: [{ id: 'cd', driver: 'scsi-cd', properties: { 'scsi-id': '0', lun: '2' } }], dst: [] },
  { name: 'scsi-hd on lsi53c895a only on the source', devices: [{ id: 'scsi1', driver: 'lsi53c895a', addr: '0x9' }], src: [{ id: 'hd', driver: 'scsi-hd', bus: 'scsi1.0', properties: { 'scsi-id': '3' } }], dst: [] },
  { name: 'scsi-cd on megasas only on the source', devices: [{ id: 'scsi2', driver: 'megasas', addr: '0xa' }], src: [{ id: 'cd', driver: 'scsi-cd', bus: 'scsi2.0' }], dst: [] },
  { name: 'virtserialport only on the source', devices: [serial], src: [{ id: 'channel0', driver: 'virtserialport', bus: 'virtio-serial0.0', properties: { nr: '1', name: 'org.qemu.guest_agent.0' } }], dst: [] },
  { name: 'virtserialport on both', devices: [serial], src: [{ id: 'channel0', driver: 'virtserialport', bus: 'virtio-serial0.0', properties: { nr: '1', name: 'org.qemu.guest_agent.0' } }], dst: [{ id: 'channel0', driver: 'virtserialport', bus: 'virtio-serial0.0', properties: { nr: '1', name: 'org.qemu.guest_agent.0' } }] },
  { name: 'virtserialport nr=1 vs nr=2', devices: [serial], src: [{ id: 'p', driver: 'virtserialport', properties: { nr: '1', name: 'a' } }], dst: [{ id: 'p', driver: 'virtserialport', properties: { nr: '2', name: 'a' } }] },
  { name: 'virtserialport only on the destination', devices: [serial], src: [], dst: [{ id: 'p', driver: 'virtserialport', properties: { name: 'a' } }] },
  { name: 'virtconsole only on the source (port 0)', devices: [serial], src: [{ id: 'con', driver: 'virtconsole' }], dst: [] },
  { name: 'isa-serial only on the source', devices: [], src: [{ id: 'serial0', driver: 'isa-serial', properties: { index: '0' } }], dst: [] },
  { name: 'isa-serial on both', devices: [], src: [{ id: 'serial0', driver: 'isa-serial', properties: { index: '0' } }], dst: [{ id: 'serial0', driver: 'isa-serial', properties: { index: '0' } }] },
  { name: 'two isa-serials vs one: serial 1', devices: [], src: [{ id: 's0', driver: 'isa-serial' }, { id: 's1', driver: 'isa-serial' }], dst: [{ id: 's0', driver: 'isa-serial' }] },
  { name: 'isa-debugcon, pvpanic and ide-hd only on the source: no sections', devices: [], src: [{ id: 'dbg', driver: 'isa-debugcon' }, { id: 'panic', driver: 'pvpanic' }, { id: 'disk', driver: 'ide-hd', bus: 'ide.0' }], dst: [] },
];

/** The case as two descriptions on one release (pc-i440fx-5.2: a machine type all four releases have). */
export function attachedDescriptions(release: string, c: AttachedCase): { src: object; dst: object } {
  const side = (attached: Dev[]) => ({ qemu: release, machine: 'pc-i440fx-5.2', devices: c.devices, attached });
  return { src: side(c.src), dst: side(c.dst) };
}
