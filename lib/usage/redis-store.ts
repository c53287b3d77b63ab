import { configError } from '../errors.js'
import { isObject } from '../util.js'
import type { ClientFacts, DailyCounts, UsageBatch, UsageStore, UsageWarning } from './store.js'

/**
 * A usage store in Redis, through the application's `ioredis` client: several instances of an API
 * behind a load balancer write to one server and share one view of usage and pins. One batch is one
 * pipeline; merges happen in Redis (counts with HINCRBY, first and last seen with a short script), so
 * instances never overwrite each other. Keys, under `prefix`:
 *   <prefix>clients          sorted set: client → last seen (epoch ms), the oldest evicted past maxClients
 *   <prefix>client:<client>  hash: first, last, lv (last version), v:<version> counts, w:<version> first warning
 *   <prefix>pins             hash: client → pinned version
 *   <prefix>day:<YYYY-MM-DD> hash: version → requests that day; expires after DAYS_KEPT days
 */

/** The part of an ioredis client (`new Redis(url)`) the store uses. */
export interface RedisClient {
  pipeline: () => RedisPipeline
  hget: (key: string, field: string) => Promise<string | null>
  hset: (key: string, field: string, value: string) => Promise<unknown>
  hdel: (key: string, field: string) => Promise<unknown>
}

export interface RedisPipeline {
  eval: (script: string, keys: number, ...args: Array<string | number>) => RedisPipeline
  hincrby: (key: string, field: string, increment: number) => RedisPipeline
  hsetnx: (key: string, field: string, value: string) => RedisPipeline
  hgetall: (key: string) => RedisPipeline
  expire: (key: string, seconds: number) => RedisPipeline
  zcard: (key: string) => RedisPipeline
  zrange: (key: string, start: number, stop: number) => RedisPipeline
  exec: () => Promise<Array<[Error | null, unknown]> | null>
}

export interface RedisUsageStoreOptions {
  /** An ioredis client, connected by the application (which also closes it). */
  client: RedisClient
  /** Prefix of every key. Default `fastify-date-versioning:`. */
  prefix?: string
  /** Most clients kept; past it, those seen least recently are removed. Default 1,000,000. */
  maxClients?: number
}

const DAYS_KEPT = 62
const DAY_SECONDS = 86_400

// Keeps the earliest first-seen and the latest last-seen (with its version), and the client's place
// in the sorted set by last seen. KEYS: client hash, clients set; ARGV: first, last, last version, client.
const SEEN = `
local first = tonumber(redis.call('HGET', KEYS[1], 'first'))
if not first or tonumber(ARGV[1]) < first then redis.call('HSET', KEYS[1], 'first', ARGV[1]) end
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if not last or tonumber(ARGV[2]) >= last then
  redis.call('HSET', KEYS[1], 'last', ARGV[2], 'lv', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
end
return 0`

// Removes the clients seen least recently past the limit. KEYS: clients set; ARGV: limit, hash key prefix.
const EVICT = `
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1])
if excess <= 0 then return 0 end
local gone = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
for _, client in ipairs(gone) do redis.call('DEL', ARGV[2] .. client) end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
return excess`

/** Answers of a pipeline, failing on the first error (ioredis reports errors per command). */
async function run (pipeline: RedisPipeline): Promise<unknown[]> {
  // exec() answers null only for an aborted MULTI, which a pipeline never is.
  const answers = await pipeline.exec() as Array<[Error | null, unknown]>
  return answers.map(([error, value]) => {
    if (error !== null) throw error
    return value
  })
}

function factsOf (client: string, hash: Record<string, string>): ClientFacts {
  const versions: Record<string, number> = {}
  const warnings: Record<string, UsageWarning> = {}
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('v:')) versions[field.slice(2)] = Number(value)
    else if (field.startsWith('w:')) {
      const [at, kind] = value.split(' ')
      warnings[field.slice(2)] = { at: Number(at), kind: kind as UsageWarning['kind'] }
    }
  }
  return { client, firstSeen: Number(hash.first), lastSeen: Number(hash.last), lastVersion: hash.lv as string, versions, warnings }
}

class RedisUsageStore implements UsageStore {
  readonly #redis: RedisClient
  readonly #prefix: string
  readonly #max: number

  constructor (redis: RedisClient, prefix: string, max: number) {
    this.#redis = redis
    this.#prefix = prefix
    this.#max = max
  }

  async write (batch: UsageBatch): Promise<void> {
    const p = this.#prefix
    const pipeline = this.#redis.pipeline()
    for (const facts of batch.clients) {
      const key = `${p}client:${facts.client}`
      pipeline.eval(SEEN, 2, key, `${p}clients`, facts.firstSeen, facts.lastSeen, facts.lastVersion, facts.client)
      for (const [version, count] of Object.entries(facts.versions)) pipeline.hincrby(key, `v:${version}`, count)
      for (const [version, warning] of Object.entries(facts.warnings)) pipeline.hsetnx(key, `w:${version}`, `${warning.at} ${warning.kind}`)
    }
    for (const [client, version] of Object.entries(batch.pins)) pipeline.hsetnx(`${p}pins`, client, version)
    for (const [day, counts] of Object.entries(batch.days)) {
      for (const [version, count] of Object.entries(counts)) pipeline.hincrby(`${p}day:${day}`, version, count)
      pipeline.expire(`${p}day:${day}`, DAYS_KEPT * DAY_SECONDS)
    }
    pipeline.eval(EVICT, 1, `${p}clients`, this.#max, `${p}client:`)
    await run(pipeline)
  }

  async clients (): Promise<ClientFacts[]> {
    const [names] = await run(this.#redis.pipeline().zrange(`${this.#prefix}clients`, 0, -1)) as [string[]]
    const pipeline = this.#redis.pipeline()
    for (const client of names) pipeline.hgetall(`${this.#prefix}client:${client}`)
    const hashes = names.length === 0 ? [] : await run(pipeline) as Array<Record<string, string>>
    // A client evicted between the two reads has an empty hash.
    return names.flatMap((client, i) => {
      const hash = hashes[i] as Record<string, string>
      return hash.last === undefined ? [] : [factsOf(client, hash)]
    })
  }

  async days (days: readonly string[]): Promise<DailyCounts> {
    const pipeline = this.#redis.pipeline()
    for (const day of days) pipeline.hgetall(`${this.#prefix}day:${day}`)
    const hashes = await run(pipeline) as Array<Record<string, string>>
    const counts: Record<string, Record<string, number>> = {}
    days.forEach((day, i) => {
      const hash = hashes[i] as Record<string, string>
      if (Object.keys(hash).length > 0) counts[day] = Object.fromEntries(Object.entries(hash).map(([version, n]) => [version, Number(n)]))
    })
    return counts
  }

  async pinOf (client: string): Promise<string | undefined> {
    return (await this.#redis.hget(`${this.#prefix}pins`, client)) ?? undefined
  }

  async setPin (client: string, version: string | null): Promise<void> {
    if (version === null) await this.#redis.hdel(`${this.#prefix}pins`, client)
    else await this.#redis.hset(`${this.#prefix}pins`, client, version)
  }
}

/** A usage store in Redis, shared by every instance that uses the same server and prefix. */
export function redisUsageStore (options: RedisUsageStoreOptions): UsageStore {
  const { client, prefix = 'fastify-date-versioning:', maxClients = 1_000_000 } = isObject(options) ? options : {} as Partial<RedisUsageStoreOptions>
  if (!isObject(client) || typeof client.pipeline !== 'function') {
    throw configError('redisUsageStore needs { client }: an ioredis client such as new Redis(process.env.REDIS_URL).')
  }
  if (typeof prefix !== 'string') throw configError(`redisUsageStore's prefix must be a string; received ${JSON.stringify(prefix)}.`)
  if (!Number.isInteger(maxClients) || maxClients <= 0) {
    throw configError(`redisUsageStore's maxClients must be a positive whole number; received ${JSON.stringify(maxClients)}.`)
  }
  return new RedisUsageStore(client, prefix, maxClients)
}
