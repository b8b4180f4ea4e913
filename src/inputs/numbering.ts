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
