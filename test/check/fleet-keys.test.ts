// The fleet memo's first keys (check/fleet-keys.ts): a chain is a walk from the side's root, a port's
// key goes on from its chain by its children, and the tree starts afresh past its bound.
import { describe, expect, it } from 'vitest';
import { KeyTree } from '../../src/check/fleet-keys.js';
import { type MemoPair } from '../../src/check/migration.js';

const pair = { s: { kind: 'unknown', reason: 'x' }, d: { kind: 'unknown', reason: 'x' }, report: {} } as unknown as MemoPair;

describe('the key tree', () => {
  it('gives one node per chain, per side, and a port with children a node apart from its chain', () => {
    const t = new KeyTree(100);
    const disk = t.root(1).on(7).on(9);
    expect(t.root(1).on(7).on(9)).toBe(disk);
    expect(t.root(2).on(7).on(9)).not.toBe(disk);
    expect(t.root(1).on(9)).not.toBe(disk);
    const port = t.root(1).on(7);
    expect(port.and(9)).not.toBe(port);
    expect(port.and(9)).not.toBe(port.on(9));
    expect(port.and(9).and(3)).toBe(port.and(9).and(3));
    expect(t.count).toBe(9);
  });

  it('empties a key\'s pairs when one reads a VM fact the key did not say, and keeps them otherwise', () => {
    const k = new KeyTree(100).root(0).on(1);
    const none = { smp: false, bootedOn: false };
    // The second key as fleet-memo.ts makes it: 8 vCPUs, no boot release.
    const second = (x: typeof k) => (x.smp ? 8 : 0);
    k.store(none, second, pair);
    expect([k.size, k.pair(0)]).toEqual([1, pair]);
    k.store({ smp: true, bootedOn: false }, second, pair);
    expect([k.size, k.pair(0), k.pair(8)]).toEqual([1, undefined, pair]);
    expect([k.smp, k.bootedOn]).toEqual([true, false]);
    k.store(none, () => 12, pair);
    expect(k.size).toBe(2);
    k.store({ smp: false, bootedOn: true }, second, pair);
    expect([k.size, k.pair(8), k.pair(12)]).toEqual([1, pair, undefined]);
  });

  it('starts afresh past its bound, only when trimmed', () => {
    const t = new KeyTree(3);
    const a = t.root(0).on(1).on(2);
    expect(t.count).toBe(3);
    expect(t.root(0).on(1).on(2)).toBe(a);
    t.trim();
    expect(t.count).toBe(0);
    expect(t.root(0).on(1).on(2)).not.toBe(a);
  });
});
