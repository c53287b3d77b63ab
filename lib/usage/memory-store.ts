import { configError } from '../errors.js'
import { mergeFacts, type ClientFacts, type DailyCounts, type UsageBatch, type UsageStore } from './store.js'

/**
 * The default store: usage and pins in this process's memory, for one instance (several instances
 * behind a load balancer share a view through the Redis store). Bounded: at most `maxClients`
 * clients and as many pins, the client seen least recently evicted first; daily counts for the
 * last `DAYS_KEPT` days.
 */

export interface MemoryUsageStoreOptions {
  /** Most clients (and most pins) kept; the one seen least recently goes first. Default 100,000. */
  maxClients?: number
}

/** Days of daily counts kept: the usage view shows 30. */
const DAYS_KEPT = 62

/**
 * A Map that keeps at most `max` entries in order of last write, dropping the oldest. One iterator
 * walks from the oldest entry on: a new iterator per eviction would step again over every entry
 * deleted so far (V8 compacts a Map only now and then), which makes evictions quadratic.
 */
class Recent<V> {
  readonly #map = new Map<string, V>()
  readonly #max: number
  readonly #oldest: Iterator<string>

  constructor (max: number) {
    this.#max = max
    this.#oldest = this.#map.keys()
  }

  get (key: string): V | undefined {
    return this.#map.get(key)
  }

  has (key: string): boolean {
    return this.#map.has(key)
  }

  values (): IterableIterator<V> {
    return this.#map.values()
  }

  delete (key: string): void {
    this.#map.delete(key)
  }

  /** Writes `key` as the newest entry, evicting the oldest past the limit. */
  set (key: string, value: V): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size <= this.#max) return
    // Never done: every entry it has passed was deleted, and the Map holds more than `max` entries.
    this.#map.delete(this.#oldest.next().value as string)
  }
}

class MemoryUsageStore implements UsageStore {
  // A client written again becomes the newest, so the one evicted is the one seen least recently.
  readonly #clients: Recent<ClientFacts>
  readonly #pins: Recent<string>
  readonly #days = new Map<string, Record<string, number>>()

  constructor (max: number) {
    this.#clients = new Recent(max)
    this.#pins = new Recent(max)
  }

  write (batch: UsageBatch): void {
    for (const facts of batch.clients) {
      this.#clients.set(facts.client, mergeFacts(this.#clients.get(facts.client), facts))
    }
    for (const [client, version] of Object.entries(batch.pins)) {
      if (!this.#pins.has(client)) this.#pins.set(client, version)
    }
    for (const [day, counts] of Object.entries(batch.days)) {
      const kept = this.#days.get(day) ?? {}
      for (const [version, count] of Object.entries(counts)) kept[version] = (kept[version] ?? 0) + count
      this.#days.set(day, kept)
    }
    for (const day of [...this.#days.keys()].sort().slice(0, -DAYS_KEPT)) this.#days.delete(day)
  }

  clients (): ClientFacts[] {
    return [...this.#clients.values()]
  }

  days (days: readonly string[]): DailyCounts {
    return Object.fromEntries(days.filter(day => this.#days.has(day)).map(day => [day, { ...this.#days.get(day) }]))
  }

  pinOf (client: string): string | undefined {
    return this.#pins.get(client)
  }

  setPin (client: string, version: string | null): void {
    if (version === null) this.#pins.delete(client)
    else this.#pins.set(client, version)
  }
}

const memoryPinOf = MemoryUsageStore.prototype.pinOf

/**
 * Whether `store` is the built-in memory store as built, whose pinOf answers at once: not a
 * subclass, nor one whose pinOf was replaced, either of which may answer with a promise.
 */
export function answersPinsAtOnce (store: UsageStore): boolean {
  return Object.getPrototypeOf(store) === MemoryUsageStore.prototype && store.pinOf === memoryPinOf
}

/** A usage store in this process's memory: the default of the `usage` option. */
export function memoryUsageStore (options: MemoryUsageStoreOptions = {}): UsageStore {
  const { maxClients = 100_000 } = options
  if (!Number.isInteger(maxClients) || maxClients <= 0) {
    throw configError(`memoryUsageStore's maxClients must be a positive whole number; received ${JSON.stringify(maxClients)}.`)
  }
  return new MemoryUsageStore(maxClients)
}
