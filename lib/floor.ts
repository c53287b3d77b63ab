/**
 * The rule of the whole package, written once: a date is served by the newest version on or before
 * it. The timeline applies it to declared versions, the router to a route's handlers and the
 * documents to the routes they list.
 */

/**
 * Index of the last item of `sorted` (ascending by `versionOf`) whose version is on or before
 * `date`, by binary search; -1 when every item is later. Versions and dates are `YYYY-MM-DD`, which
 * compare as strings.
 */
export function floorIndex<T> (sorted: readonly T[], versionOf: (item: T) => string, date: string): number {
  let low = 0
  let high = sorted.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    if (versionOf(sorted[mid] as T) <= date) low = mid + 1
    else high = mid - 1
  }
  return high
}

/** Orders items oldest version first, as floorIndex needs them. */
export function byVersion<T> (versionOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (versionOf(a) < versionOf(b) ? -1 : 1)
}
