/**
 * Numbers for texts, so memo keys are made of short numbers. A number is
 * never given twice: past `size` texts the table starts afresh but goes on
 * counting, so a key made of an old number can never meet a new text.
 */
export class Numbering {
  private ids = new Map<string, number>();
  private next = 0;

  constructor(private readonly size = 300_000) {}

  of(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      if (this.ids.size >= this.size) this.ids.clear();
      this.ids.set(text, (id = this.next++));
    }
    return id;
  }
}

/** Numbers for pairs of numbers (a chain: an entry's number and the number of the chain above it), never given twice. */
export class PairNumbering {
  private ids = new Map<number, Map<number, number>>();
  private count = 0;
  private next = 0;

  constructor(private readonly size = 300_000) {}

  of(a: number, b: number): number {
    let inner = this.ids.get(a);
    if (!inner) this.ids.set(a, (inner = new Map()));
    let id = inner.get(b);
    if (id === undefined) {
      if (this.count >= this.size) {
        this.ids.clear();
        this.count = 0;
        this.ids.set(a, (inner = new Map()));
      }
      inner.set(b, (id = this.next++));
      this.count++;
    }
    return id;
  }
}
