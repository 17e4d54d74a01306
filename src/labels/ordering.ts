// Deterministic ordering. Code-unit comparison, never localeCompare: the
// placement must not change with the machine's locale or ICU version.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted copy without duplicates. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}

/** Copy without duplicates, keeping the first occurrence's position. */
export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}
