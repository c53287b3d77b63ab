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

class MemoryUsageStore implements UsageStore {
  // Map iteration follows insertion: a client written again is moved to the end, so the first key
  // is always the one seen least recently.
  readonly #clients = new Map<string, ClientFacts>()
  readonly #pins = new Map<string, string>()
  readonly #days = new Map<string, Record<string, number>>()
  readonly #max: number

  constructor (max: number) {
    this.#max = max
  }

  write (batch: UsageBatch): void {
    for (const facts of batch.clients) {
      const merged = mergeFacts(this.#clients.get(facts.client), facts)
      this.#clients.delete(facts.client)
      this.#clients.set(facts.client, merged)
      if (this.#clients.size > this.#max) this.#clients.delete(this.#clients.keys().next().value as string)
    }
    for (const [client, version] of Object.entries(batch.pins)) {
      if (!this.#pins.has(client)) this.#remember(client, version)
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
    this.#pins.delete(client)
    if (version !== null) this.#remember(client, version)
  }

  #remember (client: string, version: string): void {
    this.#pins.set(client, version)
    if (this.#pins.size > this.#max) this.#pins.delete(this.#pins.keys().next().value as string)
  }
}

/** A usage store in this process's memory: the default of the `usage` option. */
export function memoryUsageStore (options: MemoryUsageStoreOptions = {}): UsageStore {
  const { maxClients = 100_000 } = options
  if (!Number.isInteger(maxClients) || maxClients <= 0) {
    throw configError(`memoryUsageStore's maxClients must be a positive whole number; received ${JSON.stringify(maxClients)}.`)
  }
  return new MemoryUsageStore(maxClients)
}
