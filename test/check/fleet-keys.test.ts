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
    k.reading({ smp: false, bootedOn: false }).set(0, pair);
    k.reading({ smp: false, bootedOn: false }).set(1, pair);
    expect(k.pairs?.size).toBe(2);
    expect(k.reading({ smp: true, bootedOn: false }).size).toBe(0);
    expect([k.smp, k.bootedOn]).toEqual([true, false]);
    k.pairs?.set(8, pair);
    expect(k.reading({ smp: false, bootedOn: false }).size).toBe(1);
    expect(k.reading({ smp: false, bootedOn: true }).size).toBe(0);
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
