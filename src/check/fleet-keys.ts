/**
 * The fleet memo's first keys as a tree of nodes (check/fleet-memo.ts). A
 * device's first key is its chain: from the side's root, one step per bus
 * down to the device, each step taken by the entry as keys see it. A
 * port's key goes on from its chain's node, one step per child (what the
 * port reads of it: fleet-memo.ts childPart, and its Link Status).
 * A key is then a walk of small maps that the VM's own walk keeps warm —
 * a port's node holds the few devices ever seen behind it — and the
 * node itself holds the pairs found under it.
 *
 * Bounded: past `max` nodes the tree starts afresh (`trim`, between VMs).
 */
import { type MemoPair, type VmFactReads } from './migration.js';

export class KeyNode {
  /** The devices on this bus, by their entry as keys see it. */
  private below?: Map<number, KeyNode>;
  /** This port's key, one child further (by what a port's key takes of the child). */
  private withChild?: Map<number, KeyNode>;
  /** Whether the pairs under this key read the VM's vCPUs, its boot release (only grows). */
  smp = false;
  bootedOn = false;
  /** The pairs by second key: the one at 0 (every VM, where they read neither) apart, as most keys have only it. */
  private zero?: MemoPair;
  private others?: Map<number, MemoPair>;

  constructor(private readonly tree: KeyTree) {}

  /** The chain of a device with entry `own` on this node's bus. */
  on(own: number): KeyNode {
    return step((this.below ??= new Map()), own, this.tree);
  }

  /** This port's key with one more child (`child`: what the port reads of it, as a number). */
  and(child: number): KeyNode {
    return step((this.withChild ??= new Map()), child, this.tree);
  }

  pair(second: number): MemoPair | undefined {
    return second === 0 ? this.zero : this.others?.get(second);
  }

  /** Keeps a pair that read `reads`: a fact the key did not say first empties it (`second` must then be made anew). */
  store(reads: VmFactReads, second: (k: KeyNode) => number, pair: MemoPair): void {
    if ((reads.smp && !this.smp) || (reads.bootedOn && !this.bootedOn)) {
      this.smp ||= reads.smp;
      this.bootedOn ||= reads.bootedOn;
      this.zero = undefined;
      this.others?.clear();
    }
    const at = second(this);
    if (at === 0) this.zero = pair;
    else (this.others ??= new Map()).set(at, pair);
  }

  /** Pairs kept (tests). */
  get size(): number {
    return (this.zero ? 1 : 0) + (this.others?.size ?? 0);
  }
}

function step(map: Map<number, KeyNode>, key: number, tree: KeyTree): KeyNode {
  let node = map.get(key);
  if (!node) {
    map.set(key, (node = new KeyNode(tree)));
    tree.count++;
  }
  return node;
}

export class KeyTree {
  private roots = new Map<number, KeyNode>();
  count = 0;

  constructor(private readonly max: number) {}

  /** The root bus of a side (the VM without its devices, as a number). */
  root(side: number): KeyNode {
    return step(this.roots, side, this);
  }

  /** Starts afresh when full; called between VMs, so one VM's nodes all belong to one tree. */
  trim(): void {
    if (this.count < this.max) return;
    this.roots = new Map();
    this.count = 0;
  }
}
