// qemu-xhci against real QEMU.
import { type FamilyCases } from './cases.js';

const x = 'qemu-xhci';

export const QEMU_XHCI_CASES: FamilyCases = {
  family: 'qemu-xhci',
  drivers: [x],
  probes: [
    { driver: x },
    { driver: x, properties: { p2: '15', p3: '15' } },
    { driver: x, properties: { p2: '20', p3: '0', streams: 'off' } },
    { driver: x, properties: { msi: 'on' }, since: '10.0' },
    { driver: x, properties: { msi: 'auto', msix: 'off' }, since: '10.0' },
    { driver: x, properties: { msix: 'off' } },
    { driver: x, properties: { multifunction: 'on', romfile: 'efi-virtio.rom' } },
    { driver: x, properties: { 'x-pcie-extcap-init': 'off', 'x-pcie-lnksta-dllla': 'off' }, placements: ['q35-root', 'q35-port'] },
    { driver: x, properties: { 'x-pcie-ext-tag': 'off' }, placements: ['q35-port'], since: '9.2' },
    { driver: x, machineVersion: '5.2' },
    { driver: x, globals: { 'base-xhci.p2': '8' }, placements: ['q35-root'] },
  ],
  flips: [
    { name: 'qemu-xhci p2/p3 4+4 → 15+15 (libvirt\'s ports=15)', placement: 'q35-port', driver: x, dst: { p2: '15', p3: '15' } },
    { name: 'qemu-xhci p2/p3 4+4 → 3+5 (same port count)', placement: 'q35-port', driver: x, dst: { p2: '3', p3: '5' } },
    { name: 'qemu-xhci p3 4 → 20 (clamped to 15)', placement: 'i440fx', driver: x, src: { p3: '15' }, dst: { p3: '20' } },
    { name: 'qemu-xhci msix auto → off (MSI-X capability gone)', placement: 'q35-root', driver: x, dst: { msix: 'off' }, since: '10.0' },
    { name: 'qemu-xhci msi off → on (MSI capability appears)', placement: 'q35-port', driver: x, dst: { msi: 'on' }, since: '10.0' },
    { name: 'qemu-xhci streams on → off (not in the migrated layout)', placement: 'i440fx', driver: x, dst: { streams: 'off' } },
    { name: 'qemu-xhci at another slot on the destination', placement: 'q35-root', driver: x, dstAddr: '0x6' },
    { name: 'qemu-xhci only on the source', placement: 'i440fx', driver: x, dstAbsent: true },
    { name: 'identical qemu-xhci behind a root port', placement: 'q35-port', driver: x, src: { p2: '15', p3: '15' }, dst: { p2: '15', p3: '15' } },
    { name: 'identical qemu-xhci on i440fx (4096 bytes migrated on a conventional bus)', placement: 'i440fx', driver: x },
  ],
};

const n = 'nec-usb-xhci';

/** nec-usb-xhci: the same controller with NEC's IDs and MSI on by default; intrs/slots never reach the core. */
export const NEC_USB_XHCI_CASES: FamilyCases = {
  family: 'nec-usb-xhci',
  drivers: [n],
  probes: [
    { driver: n },
    { driver: n, properties: { intrs: '8', slots: '32' }, placements: ['q35-root'] },
    { driver: n, properties: { msi: 'off', msix: 'off' }, placements: ['i440fx', 'q35-port'] },
    { driver: n, properties: { p2: '15', p3: '15' }, placements: ['q35-root'] },
    { driver: n, properties: { 'force-pcie-endcap': 'on' }, placements: ['i440fx'] },
    { driver: n, machineVersion: '2.6', placements: ['i440fx'] },
  ],
  flips: [
    { name: 'identical nec-usb-xhci', placement: 'q35-port', driver: n },
    { name: 'nec-usb-xhci intrs 16 → 8 (ignored: the core keeps 16)', placement: 'q35-root', driver: n, dst: { intrs: '8' } },
    { name: 'nec-usb-xhci msi auto → off (MSI capability gone)', placement: 'i440fx', driver: n, dst: { msi: 'off' } },
    { name: 'nec-usb-xhci p2/p3 4+4 → 15+15', placement: 'q35-root', driver: n, dst: { p2: '15', p3: '15' } },
    { name: 'nec-usb-xhci → qemu-xhci at the same address', placement: 'q35-root', driver: n, dstDriver: x },
  ],
};
