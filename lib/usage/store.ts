/**
 * What the usage store keeps, and the interface every store implements (in memory, Redis, or one
 * of the application's own). Only these facts are kept: a client's key (its id, hashed or as given),
 * when it was first and last seen, how many requests it made with each version, the version of its
 * latest request, the first deprecation or sunset warning it was sent per version, and its pin.
 * Nothing else about a request (no path, address, header or body) is stored.
 */

/** Why a client was warned about a version: its responses carried `Deprecation`, or it was answered 410. */
export type UsageWarningKind = 'deprecation' | 'sunset'

/** The first warning a client was sent about one version. */
export interface UsageWarning {
  readonly kind: UsageWarningKind
  /** Epoch milliseconds. */
  readonly at: number
}

/** One client's facts: in a batch, what was seen since the last flush; in the store, everything. */
export interface ClientFacts {
  /** The client's key: its id, hashed unless `clientIds: 'as-given'`. */
  readonly client: string
  /** Epoch milliseconds. */
  readonly firstSeen: number
  readonly lastSeen: number
  /** The version that served (or refused) its latest request. */
  readonly lastVersion: string
  /** Requests by version. */
  readonly versions: Readonly<Record<string, number>>
  /** The first warning per version. */
  readonly warnings: Readonly<Record<string, UsageWarning>>
}

/** Requests by day (`YYYY-MM-DD` in the timeline's zone), then by version. */
export type DailyCounts = Readonly<Record<string, Readonly<Record<string, number>>>>

/** What one flush hands to the store. */
export interface UsageBatch {
  readonly clients: readonly ClientFacts[]
  readonly days: DailyCounts
  /** Pins of clients seen for the first time without the header: set only where none exists. */
  readonly pins: Readonly<Record<string, string>>
}

/** A value now or later: the memory store answers at once, a networked store with a promise. */
export type MaybePromise<T> = T | PromiseLike<T>

/**
 * A store of usage and pins. Every method may answer at once or with a promise; the plugin calls
 * them within time limits and never lets one fail a request. `write` merges a batch: counts add up,
 * `firstSeen` and the first warning keep the earliest, `lastSeen` and `lastVersion` the latest.
 */
export interface UsageStore {
  write: (batch: UsageBatch) => MaybePromise<void>
  /** Every client kept, in any order. */
  clients: () => MaybePromise<readonly ClientFacts[]>
  /** Requests per day and version, for the days asked. */
  days: (days: readonly string[]) => MaybePromise<DailyCounts>
  /** The client's pinned version, if any. */
  pinOf: (client: string) => MaybePromise<string | undefined>
  /** Moves the client's pin to `version`, or removes it (`null`). */
  setPin: (client: string, version: string | null) => MaybePromise<void>
}

/** Merges `batch` facts into `kept` facts of the same client (shared by the stores that merge in process). */
export function mergeFacts (kept: ClientFacts | undefined, batch: ClientFacts): ClientFacts {
  if (kept === undefined) return batch
  const versions: Record<string, number> = { ...kept.versions }
  for (const [version, count] of Object.entries(batch.versions)) versions[version] = (versions[version] ?? 0) + count
  const warnings: Record<string, UsageWarning> = { ...batch.warnings, ...kept.warnings }
  for (const [version, warning] of Object.entries(batch.warnings)) {
    const earlier = kept.warnings[version]
    if (earlier !== undefined && warning.at < earlier.at) warnings[version] = warning
  }
  const newer = batch.lastSeen >= kept.lastSeen
  return {
    client: kept.client,
    firstSeen: Math.min(kept.firstSeen, batch.firstSeen),
    lastSeen: newer ? batch.lastSeen : kept.lastSeen,
    lastVersion: newer ? batch.lastVersion : kept.lastVersion,
    versions,
    warnings
  }
}
