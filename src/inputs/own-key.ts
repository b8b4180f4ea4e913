/**
 * Looking a value from the input up in a table: own keys only. A plain
 * object literal also answers "constructor", "toString", "__proto__" …
 * from Object.prototype, so `TABLE[attr]` with attr='toString' (found by
 * test/fuzz) returned a function that later crashed as a property value.
 */
export function own<T>(table: Record<string, T>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
