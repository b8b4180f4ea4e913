/**
 * Programming a stopped QEMU the way the guest did: bridge bus numbers so
 * devices behind ports answer, then each device's BARs, command register
 * and other registers, through config writes (qtest), in description order.
 */
import { type Bdf } from '../qemu/bdf.js';
import { setBridgeBusNumbers, writeConfigAt, writeConfigDword } from '../qemu/pci-config-io.js';
import { type QtestClient } from '../qemu/qtest.js';
import { type VmDescription } from '../inputs/vm.js';

const BRIDGES = new Set(['pcie-root-port', 'ioh3420', 'xio3130-downstream', 'x3130-upstream', 'pci-bridge', 'pcie-pci-bridge']);

export interface Topology {
  /** Device id → where config cycles reach it once bridges are numbered. */
  bdf: Map<string, Bdf>;
  /** Bridges in numbering order with the bus numbers given to their secondary side and below. */
  bridges: { id: string; bdf: Bdf; secondary: number; subordinate: number }[];
}

/** Numbers bridges depth-first in description order, as a firmware would. */
export function topology(vm: VmDescription, rootBus: string): Topology {
  const bdf = new Map<string, Bdf>();
  const bridges: Topology['bridges'] = [];
  let next = 1;
  const visit = (busId: string | undefined, busNr: number) => {
    for (const d of vm.devices) {
      const onThisBus = busId === undefined ? !d.bus || d.bus === rootBus : d.bus === busId;
      if (!onThisBus) continue;
      const a: Bdf = { bus: busNr, device: d.addr?.slot ?? 0, fn: d.addr?.fn ?? 0 };
      bdf.set(d.id, a);
      if (BRIDGES.has(d.driver)) {
        const bridge = { id: d.id, bdf: a, secondary: next++, subordinate: 0 };
        bridges.push(bridge);
        visit(d.id, bridge.secondary);
        bridge.subordinate = next - 1;
      }
    }
  };
  visit(undefined, 0);
  return { bdf, bridges };
}

/** The description with each bridge's bus numbers as guest register writes (what firmware would program). */
export function bridgeNumbers(vm: VmDescription, rootBus: string): VmDescription {
  const topo = topology(vm, rootBus);
  const devices = vm.devices.map((d) => {
    const b = topo.bridges.find((x) => x.id === d.id);
    if (!b) return d;
    const value = BigInt(b.bdf.bus | (b.secondary << 8) | (b.subordinate << 16));
    const guest = d.guest ?? { bars: new Map(), registers: [] };
    return { ...d, guest: { ...guest, registers: [...guest.registers, { offset: 0x18, width: 4, value }] } };
  });
  return { ...vm, devices };
}

export async function programGuest(qtest: QtestClient, vm: VmDescription, topo: Topology): Promise<void> {
  for (const b of topo.bridges) {
    await setBridgeBusNumbers(qtest, b.bdf, { primary: b.bdf.bus, secondary: b.secondary, subordinate: b.subordinate });
  }
  for (const d of vm.devices) {
    const g = d.guest;
    const a = topo.bdf.get(d.id);
    if (!g || !a) continue;
    for (const [index, addr] of g.bars) {
      // The ROM BAR is at 0x38 in a bridge's type-1 header (pci_register_bar).
      const off = index === 6 ? (BRIDGES.has(d.driver) ? 0x38 : 0x30) : 0x10 + 4 * index;
      await writeConfigDword(qtest, a, off, Number(addr & 0xffffffffn));
      if (addr > 0xffffffffn) await writeConfigDword(qtest, a, off + 4, Number(addr >> 32n));
    }
    if (g.command !== undefined) await writeConfigAt(qtest, a, 0x04, 2, g.command);
    for (const r of g.registers) await writeConfigAt(qtest, a, r.offset, r.width as 1 | 2 | 4, Number(r.value));
  }
}
