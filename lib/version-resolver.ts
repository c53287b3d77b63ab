import { isCalendarDate } from './calendar-date.js'
import type { ApiVersionErrorCode } from './errors.js'
import { resolveDate, type Outcome, type SunsetPolicy } from './resolution.js'
import { AppCall, settleThen, TimeLimit, type Pending, type Settled } from './settle.js'
import type { Timeline, TimelineSnapshot, TimelineVersion, VersionStatus } from './timeline.js'
import type { PinSource } from './usage/pins.js'

/**
 * Turns a request's version header (or its absence) into a Resolution: the outcome of the
 * resolution table, derived once per request during routing and read by everything after it.
 * Results are cached per header value in a bounded map and rebuilt when the clock crosses a status
 * change, so a request costs a map lookup. Free of Fastify: the caller passes the header value and,
 * for pinning, the request. Response headers are not its concern (see response-headers.ts).
 */

/**
 * The version a request resolved to: the value of `request.apiVersion`. Set on requests the version
 * serves, and on those it refuses once resolved (410 sunset, 501 preview, 404 endpoint not in it).
 */
export interface RequestApiVersion {
  /** The declared version the request resolved to, whose handlers serve it when it is served. */
  readonly version: string
  /** The header value the client sent, or `null` when the default applied. */
  readonly requested: string | null
  /** Whether the version came from the header, from the default, or from the client's pin (`usage.pin`). */
  readonly source: VersionSource
  /** Status of that version at the instant of the resolution (`sunset` on a 410, `preview` on a 501). */
  readonly status: VersionStatus
}

/** Where a request's version came from. */
export type VersionSource = 'header' | 'default' | 'pin'

/** A per-client default: the pinned version date, or `undefined` for "no pin" (the latest applies). */
export type DefaultVersionFunction<Request = unknown> =
  (request: Request) => string | undefined | PromiseLike<string | undefined>

export type DefaultVersion<Request = unknown> = 'latest' | 'oldest' | string | DefaultVersionFunction<Request>

export interface ResolverSettings {
  readonly defaultVersion: DefaultVersion
  readonly requireHeader: boolean
  readonly onSunset: SunsetPolicy
  readonly defaultVersionTimeout: number
  /** The clock, in epoch milliseconds. */
  readonly now: () => number
  /** Automatic pinning: the pins of clients, read for requests without the header. */
  readonly pins?: PinSource | undefined
}

/** What every resolution of a date says about the request. */
interface Resolved {
  /** The header value as sent (shortened for echoing), or `null` when the default applied. */
  readonly requested: string | null
  readonly source: VersionSource
  /**
   * The timeline at the instant of the resolution: headers and errors describe that instant, even
   * when the clock crosses a status change before the response is sent.
   */
  readonly snapshot: TimelineSnapshot
}

/** A version the request resolved to, with `request.apiVersion` ready. */
interface ToVersion extends Resolved {
  readonly version: TimelineVersion
  readonly apiVersion: RequestApiVersion
}

interface Refusal extends Resolved {
  readonly kind: 'refuse'
  readonly code: ApiVersionErrorCode
  readonly version: TimelineVersion | undefined
  readonly apiVersion: RequestApiVersion | null
  readonly reason: string | undefined
  /** Why a default-version function failed, for the log. */
  readonly failure?: unknown
}

/** The request's resolution, derived once during routing: what the route's hooks act on. */
export type Resolution =
  /** Served by `version`. */
  | ToVersion & { readonly kind: 'serve' }
  /** Served by the preview `version` only if its feature flag is on for the request. */
  | ToVersion & { readonly kind: 'preview' }
  /** Refused with a catalog error; `version` (and `apiVersion`) when the date resolved to one (a sunset version). */
  | Refusal
  /** Not one of the catalog's answers (a broken clock, say): a server error. */
  | { readonly kind: 'fail', readonly failure: unknown }

/** A resolution of a header value: `fail` is only ever the outcome of a thrown exception. */
export type DateResolution = Exclude<Resolution, { kind: 'fail' }>

/** Bound of each cache: well above the number of distinct values real clients send. */
const CACHE_LIMIT = 1024
/** Longest header value echoed back in errors. */
const ECHO_LIMIT = 64

function echo (value: string): string {
  return value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value
}

export class VersionResolver {
  readonly timeline: Timeline
  readonly settings: ResolverSettings
  private current: TimelineSnapshot
  private readonly byHeader = new Map<string, DateResolution>()
  private readonly byPin = new Map<string, DateResolution>()
  /**
   * The last header value resolved, and its resolution: clients of one API mostly send the same
   * value, and comparing it costs less than hashing the fresh string Node hands over for each request.
   */
  private lastHeader: string | undefined
  private lastResolution: DateResolution | undefined
  private defaultResolution: DateResolution | undefined
  private readonly defaultLimit: TimeLimit
  private readonly storeLimit: TimeLimit

  /** Told each time the clock enters a state where no version is released and supported. */
  private readonly onUnserved: (reason: string) => void

  constructor (timeline: Timeline, settings: ResolverSettings, onUnserved: (reason: string) => void) {
    this.timeline = timeline
    this.settings = settings
    this.onUnserved = onUnserved
    this.defaultLimit = new TimeLimit(settings.defaultVersionTimeout, 'defaultVersion')
    this.storeLimit = new TimeLimit(settings.defaultVersionTimeout, 'the usage store')
    this.current = timeline.snapshotAt(settings.now())
  }

  /** Why no version is released and supported now, or `undefined` when one is. */
  unserved (): string | undefined {
    const snapshot = this.snapshot()
    if (snapshot.latest !== undefined) return undefined
    return snapshot.statuses.includes('sunset')
      ? 'every released version has reached its sunset'
      : `no version is released yet (the first, ${(this.timeline.versions[0] as TimelineVersion).version}, is a preview)`
  }

  /** The timeline now; rebuilt (and the caches emptied) when the clock leaves its interval. */
  snapshot (): TimelineSnapshot {
    const now = this.settings.now()
    if (now >= this.current.until || now < this.current.from) {
      const served = this.current.latest !== undefined
      this.current = this.timeline.snapshotAt(now)
      this.byHeader.clear()
      this.byPin.clear()
      this.lastHeader = undefined
      this.defaultResolution = undefined
      if (served && this.current.latest === undefined) this.onUnserved(this.unserved() as string)
    }
    return this.current
  }

  /**
   * Resolves a header value; `undefined` means the header is absent. Answers at once, or, when a
   * default-version function or the pin store answers with a promise, PENDING and then the
   * resolution through `late`. Never throws: it runs during routing, where an exception would escape
   * Fastify, so a failure (a broken clock, say) becomes a resolution that the route's hook raises.
   */
  resolve<Request> (value: string | string[] | undefined, request: Request, late?: (resolution: Resolution) => void): Resolution | Pending {
    try {
      // Node joins a repeated header into one string ("a, b"), which is then malformed; String() also
      // flattens the arrays other servers may hand over.
      return value === undefined ? this.resolveDefault(this.snapshot(), request, late as (resolution: Resolution) => void) : this.resolveHeader(String(value))
    } catch (error) {
      return this.broken(error)
    }
  }

  /** Resolves a header value now, as the table says; unlike resolve(), exceptions propagate. */
  resolveHeader (value: string): DateResolution {
    const snapshot = this.snapshot()
    if (value === this.lastHeader) return this.lastResolution as DateResolution
    let resolution = this.byHeader.get(value)
    if (resolution === undefined) {
      resolution = this.fromHeader(snapshot, value)
      remember(this.byHeader, value, resolution)
    }
    this.lastHeader = value
    this.lastResolution = resolution
    return resolution
  }

  private fromHeader (snapshot: TimelineSnapshot, raw: string): DateResolution {
    const date = trimWhitespace(raw)
    if (!isCalendarDate(date)) return this.failed(snapshot, 'InvalidApiVersion', echo(raw), 'header')
    return this.fromOutcome(snapshot, resolveDate(this.timeline, snapshot, date, this.settings.onSunset), date, 'header')
  }

  private resolveDefault<Request> (snapshot: TimelineSnapshot, request: Request, late: (resolution: Resolution) => void): Resolution | Pending {
    const { defaultVersion, pins } = this.settings
    if (pins !== undefined) return this.resolvePinned(snapshot, pins, request, late)
    if (typeof defaultVersion !== 'function') {
      this.defaultResolution ??= this.staticDefault(snapshot, defaultVersion)
      return this.defaultResolution
    }
    return settleThen(new DefaultCall(this, snapshot, request, late, undefined), this.defaultLimit)
  }

  /**
   * The client's pin from the usage store, within the default version's time limit. A store that
   * fails or answers late never fails the request: the default applies, and no pin is written, since
   * the store may well hold one. A client without a pin is pinned to what the default served it.
   */
  private resolvePinned<Request> (snapshot: TimelineSnapshot, pins: PinSource, request: Request, late: (resolution: Resolution) => void): Resolution | Pending {
    if (pins.synchronous) {
      // The memory store answers at once (a Map; usage guards the application's clientId): no time
      // limit to watch, nothing to allocate for later.
      return this.fromStore(snapshot, { ok: true, value: pins.read(request) }, pins, request)
    }
    return settleThen(new DefaultCall(this, snapshot, request, late, pins), this.storeLimit)
  }

  /** The resolution of a pin the store answered (for DefaultCall). */
  fromStore (snapshot: TimelineSnapshot, settled: Settled<unknown>, pins: PinSource, request: unknown): DateResolution {
    if (settled.ok && typeof settled.value === 'string') {
      // The cache holds well-formed dates only: a value found there needs no check.
      const known = this.byPin.get(settled.value)
      if (known !== undefined) return known
      if (isCalendarDate(settled.value)) return this.fromPin(snapshot, settled.value, 'pin')
    }
    const resolution = this.staticDefault(snapshot, this.settings.defaultVersion as string)
    if (!settled.ok) pins.failed(settled.error)
    else if (settled.value !== undefined) pins.failed(new TypeError(`the usage store holds the pin ${JSON.stringify(settled.value)}, which is not a date written YYYY-MM-DD`))
    else if (resolution.kind === 'serve') pins.served(request, resolution.version.version)
    return resolution
  }

  /** The resolution of what a default-version function answered (for DefaultCall). */
  fromSettledPin (snapshot: TimelineSnapshot, settled: Settled<unknown>): DateResolution {
    return settled.ok ? this.fromPin(snapshot, settled.value) : this.pinFailed(snapshot, settled.error)
  }

  private staticDefault (snapshot: TimelineSnapshot, defaultVersion: string): DateResolution {
    if (this.settings.requireHeader) return this.failed(snapshot, 'ApiVersionUnspecified', null, 'default')
    if (defaultVersion === 'latest' || defaultVersion === 'oldest') {
      const version = defaultVersion === 'latest' ? snapshot.latest : snapshot.oldest
      const outcome: Outcome = version === undefined
        ? { kind: 'error', code: 'UnsupportedApiVersion', reason: this.unserved() as string }
        : { kind: 'serve', version }
      return this.fromOutcome(snapshot, outcome, null, 'default')
    }
    return this.fromOutcome(snapshot, resolveDate(this.timeline, snapshot, defaultVersion, this.settings.onSunset), null, 'default')
  }

  private fromPin (snapshot: TimelineSnapshot, pinned: unknown, source: VersionSource = 'default'): DateResolution {
    if (pinned === undefined) return this.staticDefault(snapshot, 'latest')
    // The cache holds well-formed dates only: a value found there needs no check.
    const known = typeof pinned === 'string' ? this.byPin.get(pinned) : undefined
    if (known !== undefined) return known
    if (typeof pinned !== 'string' || !isCalendarDate(pinned)) {
      return this.pinFailed(snapshot, new TypeError(`defaultVersion returned ${JSON.stringify(pinned)}, which is not a date written YYYY-MM-DD`))
    }
    const resolution = this.fromOutcome(snapshot, resolveDate(this.timeline, snapshot, pinned, this.settings.onSunset), null, source)
    remember(this.byPin, pinned, resolution)
    return resolution
  }

  private pinFailed (snapshot: TimelineSnapshot, failure: unknown): DateResolution {
    return { ...this.failed(snapshot, 'ApiVersionDefaultFailed', null, 'default'), failure }
  }

  /** Not one of the catalog's answers: the hook passes `failure` on as a server error. */
  broken (failure: unknown): Resolution {
    return { kind: 'fail', failure }
  }

  private failed (snapshot: TimelineSnapshot, code: ApiVersionErrorCode, requested: string | null, source: Resolved['source'], reason?: string): Refusal {
    return { kind: 'refuse', code, reason, version: undefined, apiVersion: null, requested, source, snapshot }
  }

  private fromOutcome (snapshot: TimelineSnapshot, outcome: Outcome, requested: string | null, source: Resolved['source']): DateResolution {
    if (outcome.kind === 'error' && outcome.version === undefined) {
      return this.failed(snapshot, outcome.code, requested, source, outcome.reason)
    }
    const version = outcome.version as TimelineVersion
    const status = snapshot.statuses[version.index] as VersionStatus
    const apiVersion = Object.freeze({ version: version.version, requested, source, status })
    const resolved = { requested, source, snapshot, version, apiVersion }
    if (outcome.kind === 'error') {
      return Object.freeze({ ...resolved, kind: 'refuse', code: outcome.code, reason: outcome.reason })
    }
    return Object.freeze({ ...resolved, kind: outcome.kind })
  }
}

/**
 * One request's call of the default-version function, or of the pin store when `pins` is set: the
 * resolution of its answer, on the timeline of the moment the answer came, or the failure it threw;
 * handed to `late` when it came late.
 */
class DefaultCall<Request> extends AppCall<Resolution> {
  private readonly resolver: VersionResolver
  private readonly snapshot: TimelineSnapshot
  private readonly request: Request
  private readonly late: (resolution: Resolution) => void
  private readonly pins: PinSource | undefined

  constructor (resolver: VersionResolver, snapshot: TimelineSnapshot, request: Request, late: (resolution: Resolution) => void, pins: PinSource | undefined) {
    super()
    this.resolver = resolver
    this.snapshot = snapshot
    this.request = request
    this.late = late
    this.pins = pins
  }

  run (): unknown {
    const { pins, request } = this
    return pins === undefined ? (this.resolver.settings.defaultVersion as DefaultVersionFunction<Request>)(request) : pins.read(request)
  }

  proceed (settled: Settled<unknown>, late: boolean): Resolution {
    const { resolver, pins } = this
    let resolution: Resolution
    try {
      const snapshot = late ? resolver.snapshot() : this.snapshot
      resolution = pins === undefined ? resolver.fromSettledPin(snapshot, settled) : resolver.fromStore(snapshot, settled, pins, this.request)
    } catch (error) {
      resolution = resolver.broken(error)
    }
    if (late) this.late(resolution)
    return resolution
  }
}

/**
 * Removes the whitespace HTTP allows around a field value (spaces and tabs, RFC 9110 §5.5) and no
 * other: String#trim would also accept, say, a no-break space.
 */
function trimWhitespace (value: string): string {
  let start = 0
  let end = value.length
  while (start < end && (value.charCodeAt(start) === 32 || value.charCodeAt(start) === 9)) start++
  while (end > start && (value.charCodeAt(end - 1) === 32 || value.charCodeAt(end - 1) === 9)) end--
  return start === 0 && end === value.length ? value : value.slice(start, end)
}

/** Caches a resolution, emptying the map when it is full: bounded whatever clients send. */
function remember (cache: Map<string, DateResolution>, key: string, resolution: DateResolution): void {
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, resolution)
}
