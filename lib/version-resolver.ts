import { isCalendarDate } from './calendar-date.js'
import type { ApiVersionErrorCode } from './errors.js'
import { resolveDate, type Outcome, type SunsetPolicy } from './resolution.js'
import { linkTable, reportingHeaders, versionHeaders, type HeaderSettings, type LinkTable } from './response-headers.js'
import { settle, type Settled } from './settle.js'
import type { Timeline, TimelineSnapshot, TimelineVersion, VersionStatus } from './timeline.js'

/**
 * Turns a request's version header (or its absence) into a Resolution: the outcome of the
 * resolution table with everything the response needs precomputed. Results are cached per header
 * value in a bounded map and rebuilt when the clock crosses a status change, so a request costs a
 * map lookup. Free of Fastify: the caller passes the header value and, for pinning, the request.
 */

/** What served a request: the value of `request.apiVersion`. */
export interface RequestApiVersion {
  /** The declared version whose handlers serve the request. */
  readonly version: string
  /** The header value the client sent, or `null` when the default applied. */
  readonly requested: string | null
  /** Whether the version came from the header or from the default. */
  readonly source: 'header' | 'default'
  /** Status of the served version now. */
  readonly status: VersionStatus
}

/** A per-client default: the pinned version date, or `undefined` for "no pin" (the latest applies). */
export type DefaultVersionFunction<Request = unknown> =
  (request: Request) => string | undefined | PromiseLike<string | undefined>

export type DefaultVersion<Request = unknown> = 'latest' | 'oldest' | string | DefaultVersionFunction<Request>

export interface ResolverSettings extends HeaderSettings {
  readonly defaultVersion: DefaultVersion
  readonly requireHeader: boolean
  readonly onSunset: SunsetPolicy
  readonly defaultVersionTimeout: number
  /** The clock, in epoch milliseconds. */
  readonly now: () => number
}

export interface Resolution {
  readonly kind: Outcome['kind']
  /** The version the request resolved to: served, preview, or sunset. */
  readonly version: TimelineVersion | undefined
  readonly code: ApiVersionErrorCode | undefined
  readonly reason: string | undefined
  /** The header value as sent (shortened for echoing), or `null`. */
  readonly requested: string | null
  readonly source: 'header' | 'default'
  /** `request.apiVersion` when the request is served. */
  readonly apiVersion: RequestApiVersion | undefined
  /** Response headers describing `version`, when there is one. */
  readonly headers: Readonly<Record<string, string>> | undefined
  /** Why a default-version function failed, for the log. */
  readonly failure?: unknown
}

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
  private readonly links: LinkTable
  /** Per snapshot: the reporting headers, and each version's headers, shared by all its resolutions. */
  private reporting: Readonly<Record<string, string>>
  private readonly headersByVersion = new Map<TimelineVersion, Readonly<Record<string, string>>>()
  private readonly byHeader = new Map<string, Resolution>()
  private readonly byPin = new Map<string, Resolution>()
  private defaultResolution: Resolution | undefined

  constructor (timeline: Timeline, settings: ResolverSettings) {
    this.timeline = timeline
    this.settings = settings
    this.links = linkTable(settings.links, timeline.versions.map(v => v.version))
    this.current = timeline.snapshotAt(settings.now())
    this.reporting = reportingHeaders(this.current, settings)
  }

  /** The timeline now; rebuilt (and the caches emptied) when the clock leaves its interval. */
  snapshot (): TimelineSnapshot {
    const now = this.settings.now()
    if (now >= this.current.until || now < this.current.from) {
      this.current = this.timeline.snapshotAt(now)
      this.reporting = reportingHeaders(this.current, this.settings)
      this.headersByVersion.clear()
      this.byHeader.clear()
      this.byPin.clear()
      this.defaultResolution = undefined
    }
    return this.current
  }

  /**
   * Resolves a header value; `undefined` means the header is absent. Never throws or rejects: it
   * runs during routing, where an exception would escape Fastify, so a failure (a broken clock, say)
   * becomes a resolution that the route's hook raises as an error.
   */
  resolve<Request> (value: string | string[] | undefined, request: Request): Resolution | Promise<Resolution> {
    try {
      const resolution = this.resolveOrThrow(value, request)
      return resolution instanceof Promise ? resolution.catch(error => this.broken(error)) : resolution
    } catch (error) {
      return this.broken(error)
    }
  }

  private resolveOrThrow<Request> (value: string | string[] | undefined, request: Request): Resolution | Promise<Resolution> {
    // Node joins a repeated header into one string ("a, b"), which is then malformed; String() also
    // flattens the arrays other servers may hand over.
    return value === undefined ? this.resolveDefault(this.snapshot(), request) : this.resolveHeader(String(value))
  }

  /** Resolves a header value now, as the table says; unlike resolve(), exceptions propagate. */
  resolveHeader (value: string): Resolution {
    const snapshot = this.snapshot()
    let resolution = this.byHeader.get(value)
    if (resolution === undefined) {
      resolution = this.fromHeader(snapshot, value)
      remember(this.byHeader, value, resolution)
    }
    return resolution
  }

  private fromHeader (snapshot: TimelineSnapshot, raw: string): Resolution {
    const date = trimWhitespace(raw)
    if (!isCalendarDate(date)) return this.failed('InvalidApiVersion', echo(raw), 'header')
    return this.fromOutcome(snapshot, resolveDate(this.timeline, snapshot, date, this.settings.onSunset), date, 'header')
  }

  private resolveDefault<Request> (snapshot: TimelineSnapshot, request: Request): Resolution | Promise<Resolution> {
    const { defaultVersion } = this.settings
    if (typeof defaultVersion !== 'function') {
      this.defaultResolution ??= this.staticDefault(snapshot, defaultVersion)
      return this.defaultResolution
    }
    const settled = settle(() => (defaultVersion as DefaultVersionFunction<Request>)(request), this.settings.defaultVersionTimeout, 'defaultVersion')
    return settled instanceof Promise
      ? settled.then(s => this.fromSettledPin(this.snapshot(), s))
      : this.fromSettledPin(snapshot, settled)
  }

  private fromSettledPin (snapshot: TimelineSnapshot, settled: Settled<unknown>): Resolution {
    return settled.ok ? this.fromPin(snapshot, settled.value) : this.pinFailed(settled.error)
  }

  private staticDefault (snapshot: TimelineSnapshot, defaultVersion: string): Resolution {
    if (this.settings.requireHeader) return this.failed('ApiVersionUnspecified', null, 'default')
    if (defaultVersion === 'latest' || defaultVersion === 'oldest') {
      const version = defaultVersion === 'latest' ? snapshot.latest : snapshot.oldest
      const outcome: Outcome = version === undefined
        ? { kind: 'error', code: 'UnsupportedApiVersion', reason: 'no version is released and supported yet' }
        : { kind: 'serve', version }
      return this.fromOutcome(snapshot, outcome, null, 'default')
    }
    return this.fromOutcome(snapshot, resolveDate(this.timeline, snapshot, defaultVersion, this.settings.onSunset), null, 'default')
  }

  private fromPin (snapshot: TimelineSnapshot, pinned: unknown): Resolution {
    if (pinned === undefined) return this.staticDefault(snapshot, 'latest')
    if (typeof pinned !== 'string' || !isCalendarDate(pinned)) {
      return this.pinFailed(new TypeError(`defaultVersion returned ${JSON.stringify(pinned)}, which is not a date written YYYY-MM-DD`))
    }
    let resolution = this.byPin.get(pinned)
    if (resolution === undefined) {
      resolution = this.fromOutcome(snapshot, resolveDate(this.timeline, snapshot, pinned, this.settings.onSunset), null, 'default')
      remember(this.byPin, pinned, resolution)
    }
    return resolution
  }

  private pinFailed (failure: unknown): Resolution {
    return { ...this.failed('ApiVersionDefaultFailed', null, 'default'), failure }
  }

  /** Not one of the catalog's answers: the hook passes `failure` on as a server error. */
  private broken (failure: unknown): Resolution {
    return { ...this.failed(undefined, null, 'header'), failure }
  }

  private failed (code: ApiVersionErrorCode | undefined, requested: string | null, source: Resolution['source'], reason?: string): Resolution {
    return { kind: 'error', version: undefined, code, reason, requested, source, apiVersion: undefined, headers: undefined }
  }

  private fromOutcome (snapshot: TimelineSnapshot, outcome: Outcome, requested: string | null, source: Resolution['source']): Resolution {
    if (outcome.kind === 'error' && outcome.version === undefined) {
      return this.failed(outcome.code, requested, source, outcome.reason)
    }
    const version = outcome.version as TimelineVersion
    const status = snapshot.statuses[version.index] as VersionStatus
    let headers = this.headersByVersion.get(version)
    if (headers === undefined) {
      headers = Object.freeze(versionHeaders(version, status, snapshot, this.settings, this.links, this.reporting))
      this.headersByVersion.set(version, headers)
    }
    return Object.freeze({
      kind: outcome.kind,
      version,
      code: outcome.kind === 'error' ? outcome.code : undefined,
      reason: outcome.kind === 'error' ? outcome.reason : undefined,
      requested,
      source,
      apiVersion: outcome.kind === 'error' ? undefined : Object.freeze({ version: version.version, requested, source, status }),
      headers
    })
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
function remember (cache: Map<string, Resolution>, key: string, resolution: Resolution): void {
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, resolution)
}
