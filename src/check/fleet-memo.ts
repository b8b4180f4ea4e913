/**
 * The fleet's memory between VMs. A region's VMs share most of their
 * device pairs: the same root port with the same disk behind it, on the
 * same release and machine type. A device pair's result (both builds and
 * its report) depends on:
 *
 * - the VM apart from its devices (release, machine type, -global,
 *   devices on other buses …) and the destination asked for: `sideText`;
 *   the VM's vCPUs and boot release only where the pair read them;
 * - the device's own entry, the entries of the buses above it (its
 *   placement and section name) and of the devices below it (a port reads
 *   its children's link state, check/build.ts childrenOf) — of each entry,
 *   the values of the properties anything has ever read
 *   (devices/properties.ts propertyReads): a MAC address or a drive name
 *   does not make two disks differ;
 * - for a PCIe slot, whether an earlier slot of the VM has the same
 *   chassis and slot (pcie_chassis_add_slot refuses it), on each side.
 *
 * Two levels, as the build cache (check/build.ts): the first key holds
 * all of that but vCPUs and boot release, and says whether pairs under it
 * read them; the second adds the ones they read. When a pair reads one its
 * first key did not say, the first key's pairs start afresh. A pair is
 * stored under keys computed after it was worked out, so a property first
 * read while working it out is part of its key.
 *
 * Only VMs whose devices each meet their own copy on the destination are
 * keyed: same machine family on both sides, no expander bridge (whose bus
 * number renames the sections behind it), one device per address; and no
 * two devices on one memory backend (the second finds it busy).
 * Anything else is checked the ordinary way.
 */
import { type RawDevice, type VmDescription } from '../inputs/vm.js';
import { type FleetLine } from '../inputs/fleet-line.js';
import { propertyReads } from '../devices/properties.js';
import { buildsRead, isPcieSlot, linkStatusOf, pcieSlotOf, type SideContext } from './build.js';
import { checkMigration, type MachineFunctionsResult, type MemoPair, type PairedSoFar, type PairMemo, type VmFactReads } from './migration.js';
import { retarget, type Retarget } from './retarget.js';
import { type MigrationReport } from './verdict.js';
import { Generations } from '../inputs/generations.js';
import { Numbering } from '../inputs/numbering.js';
import { EXPANDERS } from '../inputs/pci-kinds.js';

/** First keys kept per generation (inputs/generations.ts), each with its pairs (about 0.5 KiB each). */
const FIRST_KEYS = 20_000;
/** Entries in each table before it starts afresh: memory stays bounded however large the fleet. */
const MAX = 300_000;

/** What the pairs under a first key read of the VM's facts (only grows), and the pairs by second key. */
interface FirstLevel { smp: boolean; bootedOn: boolean; pairs: Map<string, MemoPair> }

export class FleetMemo {
  /** The VM without its devices; a device's chain above it ("own<above"); a device entry as keys see it. */
  private sides = new Numbering();
  private chains = new Numbering();
  private projections = new Numbering();
  /** Entry text number → its projection's number, for the current set of read property names. */
  private projected = new Map<number, number>();
  private projectedVersion = -1;
  /** A PCIe slot's "chassis:slot" by side, entry text and end (they follow only those). */
  private slots = new Map<string, string | undefined>();
  private firstLevel = new Generations<string, FirstLevel>(FIRST_KEYS);
  private machineFunctions = new Map<string, MachineFunctionsResult>();

  constructor(private readonly to: Retarget) {}

  /** checkMigration(vm, retarget(vm, to)), with what earlier VMs taught. */
  check(line: FleetLine): MigrationReport {
    const src = line.vm;
    const dst = retarget(src, this.to);
    const side = this.sides.of(line.sideText);
    try {
      return checkMigration(src, dst, this.memoFor(line, side));
    } catch {
      // The ordinary path words the error exactly as a single check would (devices in the same order).
      return checkMigration(src, dst);
    }
  }

  private memoFor(line: FleetLine, side: number): PairMemo {
    let shape: Shape | undefined;
    let ctx: [SideContext, SideContext];
    const vm = line.vm;
    // The second keys this VM can have, by what the first level says its pairs read.
    const smp = String(vm.smp);
    const booted = vm.bootedOn === undefined ? '-' : `${vm.bootedOn.length}:${vm.bootedOn}`;
    const seconds = ['', smp, `|${booted}`, `${smp}|${booted}`];
    const second = (e: FirstLevel) => seconds[(e.smp ? 1 : 0) + (e.bootedOn ? 2 : 0)];
    // Keying reads chassis and slot, and working a pair out may read a property for the first time:
    // the shape is worked out again until it was made with every name read so far.
    const current = () => {
      while (!shape || shape.version !== propertyReads.version) shape = this.shape(line, side, ctx[0], ctx[1]);
      return shape;
    };
    return {
      machineFunctions: (compute) => {
        const key = `${side}|${vm.smp}`;
        let r = this.machineFunctions.get(key);
        if (!r) {
          if (this.machineFunctions.size >= MAX) this.machineFunctions.clear();
          this.machineFunctions.set(key, (r = compute()));
        }
        return r;
      },
      prepare: (src, dst) => {
        ctx = [src, dst];
        if (src.machine.family !== dst.machine.family || !keyable(vm.devices)) return false;
        current();
        return true;
      },
      order: () => current().order,
      lookup: (n, paired) => {
        const key = keyOf(current(), n, paired);
        const e = this.firstLevel.get(key);
        return e?.pairs.get(second(e));
      },
      store: (n, pair, reads, paired) => {
        const key = keyOf(current(), n, paired);
        const e = this.firstLevelFor(key, { smp: reads.smp || buildsRead(vm.devices[n].driver, 'smp'), bootedOn: reads.bootedOn });
        e.pairs.set(second(e), pair);
      },
    };
  }

  /** The first level under key, grown (and emptied) when a pair read a VM fact it did not key on. */
  private firstLevelFor(key: string, reads: VmFactReads): FirstLevel {
    let e = this.firstLevel.get(key);
    if (!e) this.firstLevel.set(key, (e = { smp: false, bootedOn: false, pairs: new Map() }));
    if ((reads.smp && !e.smp) || (reads.bootedOn && !e.bootedOn)) {
      e.smp ||= reads.smp;
      e.bootedOn ||= reads.bootedOn;
      e.pairs.clear();
    }
    return e;
  }

  /** What the keys of this VM's devices are made of. */
  private shape(line: FleetLine, side: number, src: SideContext, dst: SideContext): Shape {
    const version = propertyReads.version;
    const devices = line.vm.devices;
    const index = new Map(devices.map((d, n) => [d.id, n]));
    const children: number[][] = devices.map(() => []);
    const parent = devices.map((d) => (d.bus === undefined ? undefined : index.get(d.bus)));
    parent.forEach((p, n) => p !== undefined && children[p].push(n));
    const ids = line.deviceIds.map((id, n) => this.projectedId(id, line.raws[n]));
    const taken = [this.takenSlots(0, side, line.deviceIds, src), this.takenSlots(1, side, line.deviceIds, dst)];
    const own = devices.map((_, n) => `${ids[n]}${taken[0][n]}${taken[1][n]}`);
    const depth: number[] = new Array(devices.length);
    const up: string[] = new Array(devices.length);
    const upOf = (n: number, d: number): string => {
      if (up[n] === undefined) {
        const p = parent[n];
        // A loop or a missing bus is placement's error to word; the key just stays finite.
        const top = p === undefined || d > 16;
        const above = top ? `${side}` : upOf(p, d + 1);
        depth[n] = top ? 0 : depth[p] + 1;
        // The chain as a number: keys stay short, and short keys hash fast.
        up[n] = `u${this.chains.of(`${own[n]}<${above}`)}`;
      }
      return up[n];
    };
    devices.forEach((_, n) => upOf(n, 0));
    const order = devices.map((_, n) => n).sort((a, b) => depth[b] - depth[a] || a - b);
    return { version, up, own, children, order };
  }

  /** A number for the entry with only the values of properties anything reads (the rest: null, names kept). */
  private projectedId(textId: number, raw: RawDevice): number {
    if (this.projectedVersion !== propertyReads.version) {
      this.projected.clear();
      this.projectedVersion = propertyReads.version;
    }
    let id = this.projected.get(textId);
    if (id === undefined) {
      const props: Record<string, string | null> = {};
      for (const name in raw.properties ?? {}) props[name] = propertyReads.names.has(name) ? raw.properties![name] : null;
      id = this.projections.of(JSON.stringify({ ...raw, properties: props }));
      if (this.projected.size >= MAX) this.projected.clear();
      this.projected.set(textId, id);
    }
    return id;
  }


  /** Per device: 't' for a PCIe slot whose chassis and slot an earlier slot took (build.ts slotTaken), else 'f'. */
  private takenSlots(end: 0 | 1, side: number, textIds: number[], ctx: SideContext): string[] {
    const seen = new Set<string>();
    return ctx.vm.devices.map((d, n) => {
      if (!isPcieSlot(d.driver)) return 'f';
      const key = `${side}|${textIds[n]}|${end}`;
      let slot = this.slots.get(key);
      if (slot === undefined && !this.slots.has(key)) {
        if (this.slots.size >= MAX) this.slots.clear();
        this.slots.set(key, (slot = pcieSlotOf(ctx, d)));
      }
      if (slot === undefined) return 'f';
      if (seen.has(slot)) return 't';
      seen.add(slot);
      return 'f';
    });
  }
}

/** A VM's devices as the keys see them: the entry and slot bits of each, the chain above it, its children, the order to pair them. */
interface Shape { version: number; up: string[]; own: string[]; children: number[][]; order: number[] }

/**
 * Whether the memo keys this VM's devices: no expander bridge, one device
 * per address, no memory backend shared by two devices.
 */
function keyable(devices: VmDescription['devices']): boolean {
  const addrs = new Set<string>();
  const memdevs = new Set<string>();
  for (const d of devices) {
    if (EXPANDERS.has(d.driver)) return false;
    const at = `${d.bus ?? ''}/${d.addr?.slot ?? 0}.${d.addr?.fn ?? 0}`;
    if (addrs.has(at)) return false;
    addrs.add(at);
    // A backend an earlier device maps already is busy (check/memdev.ts): a fact of the whole VM.
    const memdev = d.properties.memdev;
    if (memdev !== undefined) {
      if (memdevs.has(memdev)) return false;
      memdevs.add(memdev);
    }
  }
  return true;
}

/**
 * Device n's first key: its chain up to the root bus, then each child's
 * entry and the Link Status its builds have on both sides — all a port
 * reads of a child (build.ts childrenOf: its address, x-pcie-lnksta-dllla,
 * its Link Status), however else the child's builds differ.
 */
function keyOf(shape: Shape, n: number, paired: PairedSoFar): string {
  const on = shape.children[n];
  if (!on.length) return shape.up[n];
  let k = `${shape.up[n]}[`;
  for (const c of on) {
    const [s, d] = paired(c);
    k += `${shape.own[c]}@${linkStatusOf(s) ?? '-'}/${linkStatusOf(d) ?? '-'},`;
  }
  return k + ']';
}
