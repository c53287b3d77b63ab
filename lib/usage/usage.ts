import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { usageError } from '../errors.js'
import type { UsageSettings } from '../options/usage.js'
import type { Timeline, TimelineSnapshot, TimelineVersion } from '../timeline.js'
import type { RequestApiVersion } from '../version-resolver.js'
import { createAlerts } from './alerts.js'
import { answersPinsAtOnce } from './memory-store.js'
import type { PinSource } from './pins.js'
import { UsageRecorder } from './recorder.js'
import { buildUsageReport, lastDays, type UsageReport } from './report.js'

/**
 * Per-client usage of one registration: who calls which version, pins, alerts. Each request to a
 * versioned route adds to counters in memory when its response is sent (see recorder.ts); the
 * client's pin is read during routing, through the version resolver (see pins.ts). Every call into
 * the application's code or the store is guarded: usage never fails a request.
 */

/** Reading and moving pins, and the usage report: `fastify.apiVersions.usage`. */
export interface ApiUsage {
  /** The key a client id is stored under: its SHA-256 digest, or the id itself with `clientIds: 'as-given'`. */
  clientKey: (clientId: string) => string
  /** The client's pinned version, or `null`. */
  pinOf: (clientId: string) => Promise<string | null>
  /** Moves the client's pin to `version`, a released version that is not sunset (an upgrade button, say). */
  pin: (clientId: string, version: string) => Promise<void>
  /** Removes the client's pin: its next request without the header is served the default, and pinned again. */
  unpin: (clientId: string) => Promise<void>
  /** What `<prefix>/usage.json` serves. */
  report: () => Promise<UsageReport>
  /** Writes what is pending to the store now (it is written every `flushInterval` and on close anyway). */
  flush: () => Promise<void>
}

export interface UsageContext {
  readonly settings: UsageSettings
  readonly timeline: Timeline
  /** The timeline now (the resolver's snapshot, rebuilt at status changes and at midnight in the zone). */
  readonly snapshot: () => TimelineSnapshot
  readonly now: () => number
  /** Where failures of the store and of the application's callbacks are reported. */
  readonly warn: (error: unknown, message: string) => void
}

export interface Usage {
  /** For the version resolver: undefined unless `usage.pin`. */
  readonly pins: PinSource | undefined
  /**
   * Counts the response of a request that a version served or refused, as it is sent (called from
   * the scope's onSend hook, see route-hooks.ts). Once per request, and it never throws.
   */
  readonly record: (request: FastifyRequest) => void
  readonly api: ApiUsage
  readonly close: () => Promise<void>
}

const CLIENT = Symbol('fastify-date-versioning client')
/**
 * What a request is tagged with: its client key (`null` without a client id) once worked out, then
 * `RECORDED` once counted. Fastify runs the onSend hooks again when one of them fails (for the error
 * response), and the request must count once.
 */
const RECORDED = Symbol('fastify-date-versioning recorded')
type Tagged = IncomingMessage & { [CLIENT]?: string | null | typeof RECORDED }

/** How often a failing store is reported in the log, at most: a broken store must not flood it. */
const REPORT_EVERY = 60_000

/** Client ids whose digest is remembered: hashing costs about 2 µs, a tenth of a whole request. */
const DIGESTS_KEPT = 10_000

/** The stored form of a client id: the first 22 characters of its base64url SHA-256 digest. */
function digestOf (id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 22)
}

export function createUsage ({ settings, timeline, snapshot, now, warn }: UsageContext): Usage {
  const { store, clientId } = settings
  const hashed = settings.clientIds === 'hash'
  /** Digests of the ids seen lately (emptied when full), read inline on the request path: no call. */
  const digests = new Map<string, string>()
  /** The digest of an id not remembered yet, now remembered. */
  function remember (id: string): string {
    const digest = digestOf(id)
    if (digests.size >= DIGESTS_KEPT) digests.clear()
    digests.set(id, digest)
    return digest
  }
  const clientKey = (id: string): string => hashed ? digests.get(id) ?? remember(id) : id
  let reported = -Infinity
  const storeFailed = (error: unknown): void => {
    const at = now()
    if (at - reported < REPORT_EVERY) return
    reported = at
    warn(error, 'fastify-date-versioning: the usage store failed or answered late; requests are served without it')
  }
  const recorder = new UsageRecorder({ store, flushInterval: settings.flushInterval, storeTimeout: settings.storeTimeout, maxPending: 10_000, onStoreFailure: storeFailed })

  /** The request's client key; `null` without a client id. */
  function keyOf (request: IncomingMessage): string | null {
    let id: unknown
    try {
      id = clientId?.(request)
    } catch (error) {
      warn(error, 'fastify-date-versioning: usage.clientId threw; the request is counted without a client')
    }
    if (typeof id !== 'string' || id === '') return null
    return hashed ? digests.get(id) ?? remember(id) : id
  }

  /** The request's client key during routing (pinning), worked out once; `undefined` without a client id. */
  function clientOf (request: IncomingMessage): string | undefined {
    const tagged = request as Tagged
    // Routing comes before any response: the tag is a key, `null`, or not there yet.
    let key = tagged[CLIENT] as string | null | undefined
    if (key === undefined) {
      key = keyOf(request)
      tagged[CLIENT] = key
    }
    return key ?? undefined
  }

  const pins: PinSource | undefined = settings.pin
    ? {
        read (request) {
          const client = clientOf(request as IncomingMessage)
          if (client === undefined) return undefined
          return recorder.pendingPin(client) ?? store.pinOf(client)
        },
        served (request, version) {
          // A request without a client id is served the default and pins nobody.
          const client = clientOf(request as IncomingMessage)
          if (client !== undefined) recorder.pinLater(client, version)
        },
        failed: storeFailed,
        synchronous: answersPinsAtOnce(store)
      }
    : undefined

  const alert = settings.onAlert === undefined
    ? undefined
    : createAlerts({
      onAlert: settings.onAlert,
      alertInterval: settings.alertInterval,
      alertBeforeSunset: settings.alertBeforeSunset,
      onFailure: error => { warn(error, 'fastify-date-versioning: usage.onAlert failed') }
    })

  /** The timeline as of the last request counted; a snapshot that has never held at first. */
  let timelineNow = { from: 0, until: 0 } as TimelineSnapshot

  function record (request: FastifyRequest): void {
    // Called only when a version served or refused the request, which set request.apiVersion.
    const served = request.apiVersion as RequestApiVersion
    const raw = request.raw as Tagged
    let key = raw[CLIENT]
    if (key === RECORDED) return
    if (key === undefined) key = keyOf(raw)
    raw[CLIENT] = RECORDED
    const client = key ?? undefined
    try {
      const at = now()
      // The resolver's snapshot holds for an interval (up to midnight): asked again only past it.
      if (at >= timelineNow.until || at < timelineNow.from) timelineNow = snapshot()
      recorder.record(client, served.version, served.status, timelineNow.today, at)
      alert?.(client, timeline.get(served.version) as TimelineVersion, timelineNow, at)
    } catch (error) {
      // The application's clock, say: usage never fails a response.
      warn(error, 'fastify-date-versioning: usage could not count a request')
    }
  }

  /** A version a client may be pinned to: declared, released and not sunset. */
  function pinnable (version: string): string {
    const supported = snapshot().supported
    if (!supported.includes(version)) {
      throw usageError(`a client can be pinned to a released version that is not sunset (now ${supported.join(', ')}); received ${JSON.stringify(version)}.`)
    }
    return version
  }

  const api: ApiUsage = {
    clientKey,
    async pinOf (id) {
      const client = clientKey(String(id))
      return recorder.pendingPin(client) ?? (await store.pinOf(client)) ?? null
    },
    async pin (id, version) {
      const client = clientKey(String(id))
      const target = pinnable(String(version))
      recorder.dropPendingPin(client)
      await store.setPin(client, target)
    },
    async unpin (id) {
      const client = clientKey(String(id))
      recorder.dropPendingPin(client)
      await store.setPin(client, null)
    },
    async report () {
      const at = now()
      const timelineNow = snapshot()
      const days = lastDays(timelineNow.today, 30)
      const [clients, daily] = await Promise.all([store.clients(), store.days(days)])
      return buildUsageReport({ timeline, snapshot: timelineNow, now: at, days, clients, daily })
    },
    flush: () => recorder.flush()
  }

  return { pins, record, api, close: () => recorder.close() }
}
