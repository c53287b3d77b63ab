import { settle, TimeLimit } from '../settle.js'
import type { VersionStatus } from '../timeline.js'
import type { ClientFacts, UsageBatch, UsageStore, UsageWarning } from './store.js'

/**
 * Collects the usage of requests in this process and hands it to the store in batches: a request
 * only adds to a few counters in memory, and the store is written by a timer (and on close), never
 * while a request waits. A write that fails or takes longer than its limit is reported and its batch
 * dropped: usage is best effort, requests come first. What is pending is bounded too: past
 * `maxPending` clients a flush starts at once.
 */

export interface RecorderSettings {
  readonly store: UsageStore
  /** Milliseconds between flushes. */
  readonly flushInterval: number
  /** Milliseconds a store call may take before it counts as failed. */
  readonly storeTimeout: number
  /** Most clients pending before a flush starts without waiting for the timer. */
  readonly maxPending: number
  /** Told of each failed or late write. */
  readonly onStoreFailure: (error: unknown) => void
}

interface Pending {
  firstSeen: number
  lastSeen: number
  lastVersion: string
  versions: Record<string, number>
  warnings: Record<string, UsageWarning>
}

/** The warning a response of a version in `status` carries, if any. */
function warningOf (status: VersionStatus): UsageWarning['kind'] | undefined {
  if (status === 'deprecated') return 'deprecation'
  if (status === 'sunset') return 'sunset'
  return undefined
}

export class UsageRecorder {
  readonly #settings: RecorderSettings
  #clients = new Map<string, Pending>()
  #days = new Map<string, Record<string, number>>()
  /** The day of the last request counted and its counts in #days: a day is one lookup, not one per request. */
  #day: string | undefined
  #today: Record<string, number> = {}
  #pins = new Map<string, string>()
  readonly #writes = new Set<Promise<void>>()
  readonly #timer: NodeJS.Timeout
  readonly #writeLimit: TimeLimit

  constructor (settings: RecorderSettings) {
    this.#settings = settings
    this.#writeLimit = new TimeLimit(settings.storeTimeout, 'the usage store')
    this.#timer = setInterval(() => { this.flush() }, settings.flushInterval)
    // Usage must not keep a process alive that has nothing else to do.
    this.#timer.unref()
  }

  /** Counts one request of `client` (if known) served or refused by `version`, on `day`, at `now`. */
  record (client: string | undefined, version: string, status: VersionStatus, day: string, now: number): void {
    let counts: Record<string, number> | undefined = this.#today
    if (day !== this.#day) {
      counts = this.#days.get(day)
      if (counts === undefined) {
        counts = {}
        this.#days.set(day, counts)
      }
      this.#day = day
      this.#today = counts
    }
    counts[version] = (counts[version] ?? 0) + 1
    if (client === undefined) return
    let pending = this.#clients.get(client)
    if (pending === undefined) {
      pending = { firstSeen: now, lastSeen: now, lastVersion: version, versions: {}, warnings: {} }
      this.#clients.set(client, pending)
    }
    pending.lastSeen = now
    pending.lastVersion = version
    pending.versions[version] = (pending.versions[version] ?? 0) + 1
    const warning = warningOf(status)
    if (warning !== undefined && pending.warnings[version] === undefined) pending.warnings[version] = { kind: warning, at: now }
    if (this.#clients.size >= this.#settings.maxPending) this.flush()
  }

  /** Pins `client` to `version` at the next flush, unless the store already holds a pin for it. */
  pinLater (client: string, version: string): void {
    this.#pins.set(client, version)
  }

  /** A pin waiting for the next flush: the client's next request gets it before the store has it. */
  pendingPin (client: string): string | undefined {
    return this.#pins.get(client)
  }

  /** Forgets a pending pin, when the pin is moved through the API. */
  dropPendingPin (client: string): void {
    this.#pins.delete(client)
  }

  /** Writes what is pending; resolves once the store answered or its time is up. Never rejects, so it may be left unawaited. */
  flush (): Promise<void> {
    if (this.#clients.size === 0 && this.#days.size === 0 && this.#pins.size === 0) return Promise.all(this.#writes).then(() => undefined)
    const batch: UsageBatch = {
      clients: [...this.#clients].map(([client, p]): ClientFacts => ({ client, ...p })),
      days: Object.fromEntries(this.#days),
      pins: Object.fromEntries(this.#pins)
    }
    this.#clients = new Map()
    this.#days = new Map()
    this.#day = undefined
    this.#pins = new Map()
    const settled = settle(() => this.#settings.store.write(batch), this.#writeLimit)
    const write = Promise.resolve(settled).then(result => {
      if (!result.ok) this.#settings.onStoreFailure(result.error)
    })
    this.#writes.add(write)
    write.then(() => this.#writes.delete(write))
    return Promise.all(this.#writes).then(() => undefined)
  }

  /** Stops the timer and writes what is pending, waiting at most the store's time limit. */
  async close (): Promise<void> {
    clearInterval(this.#timer)
    // The time limit's own timer does not hold the process; on close, the last write is waited for,
    // a little past the limit, since the limit's timer (one for many calls) may fire a moment late.
    const hold = setTimeout(() => {}, this.#settings.storeTimeout + 100)
    await this.flush()
    clearTimeout(hold)
  }
}
