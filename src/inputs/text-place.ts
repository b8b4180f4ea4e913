/** Places in a text, for error messages: the 1-based line of a character offset. */
let cached: { text: string; starts: number[] } | undefined;

export function lineAt(text: string, index: number): number {
  if (cached?.text !== text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    cached = { text, starts };
  }
  const { starts } = cached;
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}
