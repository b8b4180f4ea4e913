/**
 * A NIC's MAC address as its builder needs it: e1000e and vmxnet3 put it
 * in their PCI Express Device Serial Number, each in its own byte order.
 */
import { type BuildContext, NotModelledError, propValue } from './model.js';

/** qemu_macaddr_default_if_unset: 52:54:00:12:34 and the first free last byte (0x56 for a VM's first such NIC). */
const AUTO_MAC = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

/** The mac= bytes; unset, QEMU's first generated address, said as an assumption naming the DSN's offset. */
export function macOf(ctx: BuildContext, assumptions: string[], dsnOffset: number): number[] {
  const v = propValue(ctx, 'mac');
  if (v === undefined || v === '') {
    assumptions.push(`the MAC address (and so the Device Serial Number at 0x${dsnOffset.toString(16)}) is 52:54:00:12:34:56, the first one QEMU generates: no other NIC without mac= comes before it`);
    return AUTO_MAC;
  }
  const m = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i.exec(v);
  if (!m) throw new NotModelledError(`mac=${v} is not a MAC address`);
  return m.slice(1).map((x) => parseInt(x, 16));
}
