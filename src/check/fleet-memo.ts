/**
 * The fleet's memory between VMs. A region's VMs share most of their
 * device pairs: the same root port with the same disk behind it, on the
 * same release and machine type. A device pair's result (both builds and
 * its report) depends on:
 *
 * - the VM apart from its devices (release, machine type, -global,
 *   devices on other buses …) and the destination asked for: `sideText`;
 *   the VM's vCPUs and boot release only where the pair read them;
 * - the device's own entry and the entries of the buses above it (its
 *   placement and section name) — of each entry, the values of the
 *   properties anything has ever read (devices/properties.ts
 *   propertyReads): a MAC address or a drive name does not make two disks
 *   differ; for a port, what it reads of the devices below it (their
 *   driver, address, x-pcie-lnksta-dllla and Link Status: build.ts
 *   childrenOf);
 * - for a PCIe slot, whether an earlier slot of the VM has the same
 *   chassis and slot (pcie_chassis_add_slot refuses it), on each side.
 *
 * Two levels, as the build cache (check/build.ts): the first key holds
 * all of that but vCPUs and boot release (a node of the key tree,
 * check/fleet-keys.ts), and says whether pairs under it read them; the
 * second adds the ones they read. When a pair reads one its
 * first key did not say, the first key's pairs start afresh. A pair is
 * stored under keys computed after it was worked out, so a property first
 * read while working it out is part of its key.
 *
 * Only VMs whose devices each meet their own copy on the destination are
 * keyed: same machine family on both sides, no expander bridge (whose bus
 * number renames the sections behind it), one device per address; and no
 * two devices on one memory backend (the second finds it busy).
 * Anything else is checked the ordinary way.
 *
 * Most VMs of a fleet never get a description: `quick` answers them from
 * the line's scanned parts and the pairs' reports (see there for when).
 */
import { type Entry, type FleetLine, type LineFacts, MAX_NAMES, projectionOf, type ScannedLine } from '../inputs/fleet-line.js';
import { propertyReads } from '../devices/properties.js';
import { type BuiltSide, CHILD_PROPERTY, isPcieSlot, linkStatusOf, pcieSlotOf, type SideContext } from './build.js';
import {
  checkMigration, deviceFailureLines, machineFunctionsOf, sideContexts, workOutPair, type MachineFunctionsResult, type MemoPair, type PairedSoFar, type PairMemo, type VmFactReads,
} from './migration.js';
import { machineRamBlocksOf } from './builtin-devices.js';
import { type DeviceReport, type MigrationReport, type VerdictKind, worst } from './verdict.js';
import { vfioPci } from '../devices/vfio-pci.js';
import { MAX_DEVICES } from '../inputs/limits.js';
import { retarget, type Retarget } from './retarget.js';
import { KeyNode, KeyTree } from './fleet-keys.js';
import { Numbering, PairNumbering } from '../inputs/numbering.js';
import { EXPANDERS } from '../inputs/pci-kinds.js';

/** Nodes of the key tree (fleet-keys.ts) before it starts afresh; a node holding pairs takes about 0.5 KiB. */
const KEY_NODES = 60_000;
/** Entries in each table before it starts afresh: memory stays bounded however large the fleet. */
const MAX = 300_000;

export class FleetMemo {
  /** The VM without its devices; the first keys, with their pairs. */
  private sides = new Numbering();
  private keys = new KeyTree(KEY_NODES);
  /** A PCIe slot's "chassis:slot" by side, then entry text and end (text number × 2 + end): they follow only those. */
  private slots = new Map<number, Map<number, number>>();
  private slotCount = 0;
  private slotNumbers = new Numbering();
  /** The VM's PCIe slots so far, by end (takenSlots). */
  private seenSlots = [new Int32Array(MAX_DEVICES), new Int32Array(MAX_DEVICES)];
  private machineFunctions = new Map<string, MachineFunctionsResult>();
  /** Sides whose VMs the quick path may answer (plainSide), with the destination's release. */
  private plainSides = new Map<number, string>();
  /** Boot releases, as numbers for second keys. */
  private boots = new Numbering();
  /**
   * FleetLineReader's id and address numbers (below MAX_NAMES) marked by
   * the VM being checked (`keyable`; `shape` marks the ids again, with each
   * one's place in `idIndex`, to find every device's bus).
   */
  private idMarks = new Int32Array(MAX_NAMES);
  private addrMarks = new Int32Array(MAX_NAMES);
  private idIndex = new Int32Array(MAX_NAMES);
  private stamp = 0;
  /** What a port's key takes of a child (`childPart`, then its Link Status on each side), as numbers. */
  private children = new PairNumbering();
  private childParts = new Numbering();

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
    const second = this.secondOf(vm.smp, vm.bootedOn);
    this.keys.trim();
    // Keying reads chassis and slot, and working a pair out may read a property for the first time:
    // the shape is worked out again until it was made with every name read so far.
    const current = () => {
      while (!shape || shape.version !== propertyReads.version) {
        shape = this.shape(side, line.entries, (end, n) => pcieSlotOf(ctx[end], ctx[end].vm.devices[n]))!;
      }
      return shape;
    };
    return {
      machineFunctions: (compute) => this.machineFunctionsFor(side, vm.smp, compute),
      prepare: (src, dst) => {
        ctx = [src, dst];
        if (src.machine.family !== dst.machine.family || !this.keyable(line.entries)) return false;
        if (!this.plainSides.has(side) && plainSide(src, dst)) {
          if (this.plainSides.size >= MAX) this.plainSides.clear();
          this.plainSides.set(side, dst.release);
        }
        current();
        return true;
      },
      order: () => current().order,
      lookup: (n, paired) => {
        const k = this.keyOf(current(), n, paired);
        return k.pair(second(k));
      },
      store: (n, pair, reads, paired) => {
        const k = this.keyOf(current(), n, paired);
        k.store(readsOf(pair, reads), second, pair);
      },
    };
  }

  /**
   * The quick path: a VM every part of which earlier VMs taught — its side,
   * the texts of its name, smp and bootedOn, each entry, each device pair,
   * the machine's functions — answered from the pairs' reports without
   * building its description. Only where checkMigration's VM-wide steps
   * cannot change a device's verdict or come first (plainSide, plainPair):
   * then its verdict is the worst of the devices' and its first error the
   * machine functions' or else the first failing device's. Undefined when
   * anything is new or not plain: `check` then does it the ordinary way.
   */
  quick(scanned: ScannedLine, facts: LineFacts, whole: () => FleetLine | undefined): QuickReport | undefined {
    const side = this.sides.of(scanned.sideText);
    const release = this.plainSides.get(side);
    const entries = scanned.entries;
    if (release === undefined || entries.length > MAX_DEVICES) return undefined;
    // Ids too: parseVmJson refuses a repeated one (inputs/vm.ts checkUnique), and the quick path never parses.
    if (!this.keyable(entries)) return undefined;
    this.keys.trim();
    // What is new is worked out on the whole description, as pairByMemo does (once per VM, only if needed).
    let ctx: [SideContext, SideContext] | null | undefined;
    const contexts = (): [SideContext, SideContext] => {
      if (ctx === undefined) {
        const vm = whole()?.vm;
        ctx = (vm && sideContexts(vm, retarget(vm, this.to))) ?? null;
      }
      if (!ctx) throw NOT_QUICK;
      return ctx;
    };
    try {
      const mf = this.machineFunctionsFor(side, facts.smp, () => machineFunctionsOf(...contexts()));
      const shape = this.shape(side, entries, (end, n) => pcieSlotOf(contexts()[end], contexts()[end].vm.devices[n]))!;
      const second = this.secondOf(facts.smp, facts.bootedOn);
      const pairs: MemoPair[] = new Array(entries.length);
      const paired: PairedSoFar = (k) => pairs[k];
      for (const n of shape.order) {
        const key = this.keyOf(shape, n, paired);
        let p = key.pair(second(key));
        if (!p) {
          const worked = workOutPair(...contexts(), n);
          // A property read for the first time changes every key: the ordinary path starts afresh.
          if (!worked || propertyReads.version !== shape.version) return undefined;
          p = worked.pair;
          key.store(readsOf(p, worked.reads), second, p);
        }
        if (!this.plain(p)) return undefined;
        pairs[n] = p;
      }
      const devices: DeviceReport[] = pairs.map((p) => p.report);
      for (const r of mf.reports) devices.push(r);
      const first = pairs.findIndex((p) => p.report.verdict.kind === 'incompatible');
      const output = mf.lines ?? (first >= 0 ? deviceFailureLines(pairs[first].report, release, pairs[first].s) : undefined);
      return { name: facts.name, verdict: mf.lines ? 'incompatible' : worst(devices.map((d) => d.verdict.kind)), firstError: output?.lines[0], devices };
    } catch {
      // NOT_QUICK, or an error found while working a pair out: pairs are worked out here children first,
      // so the ordinary path words it, as a single check meets it (devices in order).
      return undefined;
    }
  }

  /** The machine's own functions compared (`compute`), once per side and vCPU count: they depend on nothing else. */
  private machineFunctionsFor(side: number, smp: number, compute: () => MachineFunctionsResult): MachineFunctionsResult {
    const key = `${side}|${smp}`;
    let r = this.machineFunctions.get(key);
    if (!r) {
      if (this.machineFunctions.size >= MAX) this.machineFunctions.clear();
      this.machineFunctions.set(key, (r = compute()));
    }
    return r;
  }

  private plain(p: MemoPair): boolean {
    return (p.plain ??= plainPair(p.s, p.d));
  }

  /**
   * Whether the memo keys this VM's devices: no expander bridge, one
   * device per id and per address, no memory backend mapped twice (the
   * second finds it busy: check/memdev.ts). Ids and addresses are marked
   * by number, stamped with the call, so nothing is cleared between VMs.
   */
  private keyable(entries: Entry[]): boolean {
    const stamp = ++this.stamp;
    let memdevs: Set<string> | undefined;
    for (const e of entries) {
      if (e.idNumber < 0 || e.addrNumber < 0 || EXPANDERS.has(e.raw!.driver)) return false;
      if (this.idMarks[e.idNumber] === stamp || this.addrMarks[e.addrNumber] === stamp) return false;
      this.idMarks[e.idNumber] = stamp;
      this.addrMarks[e.addrNumber] = stamp;
      const memdev = e.raw!.properties?.memdev;
      if (memdev !== undefined) {
        if (memdevs?.has(memdev)) return false;
        (memdevs ??= new Set()).add(memdev);
      }
    }
    return true;
  }

  /** The second key of a VM under a first key: its vCPUs and boot release where the key's pairs read them, as a number. */
  private secondOf(smp: number, bootedOn: string | undefined): (k: KeyNode) => number {
    // smp is at most 4096 (the schema): the two parts never overlap.
    const booted = bootedOn === undefined ? 0 : (this.boots.of(bootedOn) + 1) * 8192;
    return (k) => (k.bootedOn ? booted : 0) + (k.smp ? smp : 0);
  }

  /**
   * Device n's first key: its chain up to the root bus, then for a port
   * what it reads of each child (build.ts childrenOf: its driver, address,
   * x-pcie-lnksta-dllla — `childPart` — and the Link Status its builds have
   * on both sides), however else the child's entry and builds differ.
   */
  private keyOf(shape: Shape, n: number, paired: PairedSoFar): KeyNode {
    let k = shape.node[n];
    for (let c = shape.firstChild[n]; c >= 0; c = shape.nextSibling[c]) {
      // A child's pair implies its entry (its chain, hence its key, is made of it): worked out once per pair.
      const p = paired(c);
      p.asChild ??= this.children.of(this.children.of(this.childPart(shape.entries[c]), (linkStatusOf(p.s) ?? -1) + 1), (linkStatusOf(p.d) ?? -1) + 1);
      k = k.and(p.asChild);
    }
    return k;
  }

  /**
   * What the keys of this VM's devices are made of, from the entries
   * alone. `slot` works out a PCIe slot's "chassis:slot" on a side (0:
   * source, 1: destination) the first time an entry meets it; undefined
   * when it cannot (the quick path), and then so is the shape. Only for
   * keyable VMs (one device per id).
   */
  private shape(side: number, entries: Entry[], slot?: SlotOf): Shape | undefined {
    const version = propertyReads.version;
    const count = entries.length;
    const taken = this.takenSlots(side, entries, slot);
    if (!taken) return undefined;
    // Each device's bus among the VM's ids: marks by id number, stamped with the call.
    const stamp = ++this.stamp;
    for (let n = 0; n < count; n++) {
      this.idMarks[entries[n].idNumber] = stamp;
      this.idIndex[entries[n].idNumber] = n;
    }
    const parentOf = (n: number) => {
      const bus = entries[n].busNumber;
      return bus >= 0 && this.idMarks[bus] === stamp ? this.idIndex[bus] : -1;
    };
    // Each device's children in description order, as a list through the arrays.
    const firstChild: number[] = new Array(count).fill(-1);
    const nextSibling: number[] = new Array(count);
    const depth: number[] = new Array(count);
    const node: KeyNode[] = new Array(count);
    const root = this.keys.root(side);
    let deepest = 0;
    const nodeOf = (n: number, d: number): KeyNode => {
      if (node[n] === undefined) {
        const p = parentOf(n);
        // A loop or a missing bus is placement's error to word; the key just stays finite.
        const top = p < 0 || d > 16;
        const above = top ? root : nodeOf(p, d + 1);
        depth[n] = top ? 0 : depth[p] + 1;
        if (depth[n] > deepest) deepest = depth[n];
        // The entry as keys see it, and whether its PCIe slot was taken before it on each side.
        node[n] = above.on(this.projectedId(entries[n]) * 4 + taken[n]);
      }
      return node[n];
    };
    for (let n = count - 1; n >= 0; n--) {
      nodeOf(n, 0);
      const p = parentOf(n);
      if (p >= 0) {
        nextSibling[n] = firstChild[p];
        firstChild[p] = n;
      }
    }
    // Deepest first, in description order within a depth.
    const order: number[] = [];
    for (let d = deepest; d >= 0; d--) for (let n = 0; n < count; n++) if (depth[n] === d) order.push(n);
    return { version, node, entries, firstChild, nextSibling, order };
  }

  /**
   * What a port's build reads of a child's entry (build.ts childrenOf): its
   * driver (modelled or not), its address and its x-pcie-lnksta-dllla as
   * written (resolved on the port's side, which its chain names). Two disks
   * that differ otherwise put the same port before the destination.
   */
  private childPart(e: Entry): number {
    const raw = e.raw!;
    return this.childParts.of(JSON.stringify([raw.driver, raw.addr ?? null, raw.properties?.[CHILD_PROPERTY] ?? null]));
  }

  /** The entry as keys see it (inputs/fleet-line.ts projectionOf), for the names read so far. */
  private projectedId(entry: Entry): number {
    if (entry.projectedVersion !== propertyReads.version) {
      entry.projected = projectionOf(entry.raw!);
      entry.projectedVersion = propertyReads.version;
    }
    return entry.projected!;
  }

  /**
   * Per device: for a PCIe slot whose chassis and slot an earlier slot of
   * the VM took (build.ts slotTaken), 2 on the source and 1 on the
   * destination; undefined: a slot not worked out. Slots are numbered
   * (-1: none) by side, entry text and end.
   */
  private takenSlots(side: number, entries: Entry[], slotOf?: SlotOf): readonly number[] | undefined {
    let out: number[] | undefined;
    let slots = this.slots.get(side);
    const seen = [0, 0];
    for (let n = 0; n < entries.length; n++) {
      if (!isPcieSlot(entries[n].raw!.driver)) continue;
      for (let end = 0; end < 2; end++) {
        const key = entries[n].id * 2 + end;
        let slot = slots?.get(key);
        if (slot === undefined) {
          if (!slotOf) return undefined;
          if (this.slotCount >= MAX) {
            this.slots.clear();
            this.slotCount = 0;
            slots = undefined;
          }
          if (!slots) this.slots.set(side, (slots = new Map()));
          const text = slotOf(end as 0 | 1, n);
          slots.set(key, (slot = text === undefined ? -1 : this.slotNumbers.of(text)));
          this.slotCount++;
        }
        if (slot < 0) continue;
        // The VM's slots so far on this end: a few dozen at most, so a scan.
        const earlier = this.seenSlots[end];
        for (let k = 0; k < seen[end]; k++) {
          if (earlier[k] === slot) {
            out ??= new Array(entries.length).fill(0);
            out[n] |= 2 >> end;
            break;
          }
        }
        earlier[seen[end]++] = slot;
      }
    }
    return out ?? NONE_TAKEN;
  }
}

/** What a pair read of the VM's facts: its report's reads, and vCPUs where either build read them. */
const readsOf = (p: MemoPair, reads: VmFactReads): VmFactReads => ({ smp: reads.smp || !!p.s.readsSmp || !!p.d.readsSmp, bootedOn: reads.bootedOn });

/** takenSlots' answer when no slot was taken (shared: never written). */
const NONE_TAKEN: readonly number[] = Object.freeze(new Array(MAX_DEVICES).fill(0));

type SlotOf = (end: 0 | 1, n: number) => string | undefined;

/** Thrown inside `quick` when the whole description is needed and cannot be had. */
const NOT_QUICK = new Error('not quick');

/** What the fleet prints of a VM the quick path answered: checkMigration's verdict and first error, and its devices' reports (without ids). */
export interface QuickReport { name: string | undefined; verdict: VerdictKind; firstError: string | undefined; devices: DeviceReport[] }

/**
 * Sides where checkMigration's VM-wide steps leave the devices alone: the
 * same machine type (no "machine type" error), no attached devices, and
 * the machine's own RAM blocks all on the destination at their size
 * (ram-blocks.ts: nothing of the machine's is refused).
 */
function plainSide(src: SideContext, dst: SideContext): boolean {
  if (src.machine.name !== dst.machine.name || src.vm.attached?.length || dst.vm.attached?.length) return false;
  const local = new Map(machineRamBlocksOf(dst).map((b) => [b.block, b.size]));
  return machineRamBlocksOf(src).every((b) => local.get(b.block) === b.size);
}

/**
 * A pair the VM-wide steps leave alone: both sides built, no migration
 * blocker of any kind (blockers.ts, guest-blockers.ts, host-devices.ts),
 * and each source RAM block on the destination device at its size, named
 * by the device's path (ram-blocks.ts then refuses none of them, whatever
 * the other devices have).
 */
function plainPair(s: BuiltSide, d: BuiltSide): boolean {
  if (s.kind !== 'built' || d.kind !== 'built') return false;
  if (s.model.migrationBlocker || s.model.addedBlocker || s.model === vfioPci) return false;
  return s.ramBlocks.every((b) => b.block.includes('/') && d.ramBlocks.some((x) => x.block === b.block && x.size === b.size));
}

/**
 * A VM's devices as the keys see them: each one's chain's node and entry,
 * its children, the order to pair them.
 */
interface Shape { version: number; node: KeyNode[]; entries: Entry[]; firstChild: number[]; nextSibling: number[]; order: number[] }

