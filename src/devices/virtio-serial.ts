/**
 * virtio-serial-pci. QEMU: hw/virtio/virtio-serial-pci.c (class must be
 * one of three historical values, else "communication, other"; vectors
 * default 2), hw/char/virtio-serial-bus.c (emergency-write adds emerg_wr).
 */
import { type LoadMismatch, propBool, propValue } from './model.js';
import { type PropertyValues } from './properties.js';
import { virtioPciModel } from './virtio-pci-device.js';

const PCI_CLASS_COMMUNICATION_OTHER = 0x0780;
const ALLOWED_CLASSES = [PCI_CLASS_COMMUNICATION_OTHER, 0x0380 /* display, other: qemu 0.10 */, 0x00ff /* qemu-kvm */];

const maxPorts = (props: PropertyValues) => Number(props.get('max_ports')?.value ?? 31);

/**
 * virtio_serial_device_realize: port 0's two queues (128), the two control
 * queues (32), then two more of 128 per further port.
 */
const virtqueueSizes = (props: PropertyValues) => [128, 128, 32, 32, ...Array<number>(2 * (maxPorts(props) - 1)).fill(128)];

/**
 * virtio_serial_save_device writes one ports_map word per 32 of the
 * source's max_ports; virtio_serial_load_device reads as many as the
 * destination's max_ports needs. More on the destination: it takes the
 * source's following fields for map words and the load fails (-EINVAL,
 * no message of its own). Fewer: the rest of the section is misread, and
 * QEMU notices at the section footer (unless virtio_load refused the
 * source's extra queues first, QEMU 11.1).
 */
function loadMismatch(src: PropertyValues, dst: PropertyValues): LoadMismatch | undefined {
  const [ps, pd] = [maxPorts(src), maxPorts(dst)];
  const [ws, wd] = [Math.ceil(ps / 32), Math.ceil(pd / 32)];
  if (ws === wd) return undefined;
  const what = `max_ports ${ps} → ${pd}: ports_map is ${ws} word(s) in the stream, the destination reads ${wd}`;
  return { fails: wd > ws ? 'device-load' : 'section-footer', what };
}

export const virtioSerial = {
  ...virtioPciModel({
    family: 'virtio-serial',
    sectionName: 'virtio-console',
    features: (ctx) => (propBool(ctx, 'emergency-write') ? ['VIRTIO_CONSOLE_F_EMERG_WRITE'] : []),
    defaultVectors: (ctx) => Number(propValue(ctx, 'max_ports') ?? 31) + 1,
    classId: (ctx) => {
      const c = Number(propValue(ctx, 'class') ?? 0);
      return ALLOWED_CLASSES.includes(c) ? c : PCI_CLASS_COMMUNICATION_OTHER;
    },
  }),
  loadMismatch,
  virtqueueSizes,
};
