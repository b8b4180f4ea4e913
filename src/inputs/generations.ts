/**
 * A bounded memo table that keeps what is used: two generations. Lookups
 * look in the young one, then in the old one (moving a hit to the young);
 * when the young one is full it becomes the old one and the old one is
 * dropped. At most 2 × `size` entries, and an entry used once per
 * generation stays — unlike a table cleared when full, which forgets the
 * hot entries with the cold ones.
 */
export class Generations<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.set(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.size) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  get entries(): number {
    return this.young.size + this.old.size;
  }
}
