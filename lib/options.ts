import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { IANAZone } from 'luxon'
import type { ApiVersionErrorCode } from './errors.js'
import { configError } from './errors.js'
import { isCalendarDate } from './calendar-date.js'
import { isObject } from './util.js'
import type { DocsSettings } from './openapi/docs-routes.js'
import { rejectUnknownKeys } from './options/known-keys.js'
import { parseLifecycle } from './options/lifecycle.js'
import { parseMetrics, type MetricsOptions, type MetricsSettings } from './options/metrics.js'
import { parseUsage, type UsageOptions, type UsageSettings } from './options/usage.js'
import { parseVersions } from './options/versions.js'
import type { IsPreviewEnabled } from './preview-gate.js'
import type { SunsetPolicy } from './resolution.js'
import type { HeaderSettings, LinkOptions, LinkTarget } from './response-headers.js'
import type { LifecyclePolicy, TimelineVersion, VersionDeclaration } from './timeline.js'
import type { DefaultVersionFunction, ResolverSettings } from './version-resolver.js'

/**
 * The plugin's options, parsed in one place: every option is validated here, at registration, into
 * frozen settings that the rest of the plugin reads without checking again. A mistake fails the
 * registration with a message that names the option and says what to fix.
 */

/** Options of the plugin: validated once, at registration. */
export interface DateVersioningOptions {
  /** The declared versions, in any order. */
  versions: readonly VersionDeclaration[]
  /** Name of the request and response header carrying the version. Default `Api-Version`. */
  header?: string
  /**
   * The version of a request without the header: `'latest'` (default), `'oldest'`, a fixed
   * `YYYY-MM-DD`, or a function pinning each client (it runs during routing and receives the Node
   * request; `undefined` means no pin).
   */
  defaultVersion?: 'latest' | 'oldest' | (string & {}) | DefaultVersionFunction<IncomingMessage>
  /** Answer 400 `ApiVersionUnspecified` to requests without the header. Default `false`. */
  requireHeader?: boolean
  /** `'gone'` (default) answers 410 for sunset versions; `'upgrade'` serves the first supported version after it. */
  onSunset?: SunsetPolicy
  /** Whether a preview version is served to a request. Without it, previews answer 501. */
  isPreviewEnabled?: IsPreviewEnabled<FastifyRequest>
  /** Milliseconds `isPreviewEnabled` may take before it counts as "off". Default 500. */
  previewFlagTimeout?: number
  /** Milliseconds a `defaultVersion` function may take before the request fails with 503. Default 1000. */
  defaultVersionTimeout?: number
  /** IANA zone in which version dates and `YYYY-MM-DD` lifecycle dates begin. Default `UTC`. */
  timeZone?: string
  /** Fills in `deprecated` and `sunset` from each version's successor's release. */
  lifecycle?: LifecyclePolicy
  /** The clock: epoch milliseconds or a `Date`. Default `Date.now`. */
  now?: () => number | Date
  /** `'date'` (default) sends `Deprecation: @<seconds>` (RFC 9745); `'boolean'` sends the legacy `Deprecation: true`. */
  deprecationHeader?: 'date' | 'boolean'
  /** URLs for the `Link` header's `successor-version`, `deprecation` and `sunset` relations. */
  links?: LinkOptions
  /** Add `Warning: 299 - "…"` to responses of deprecated versions. Default `false`. */
  warning?: boolean
  /** Add `Api-Supported-Versions` and `Api-Deprecated-Versions` to versioned responses. Default `false`. */
  reportVersions?: boolean
  /** The `type` URI of problem documents. Default `urn:fastify-date-versioning:problem:<code>`. */
  problemType?: (code: ApiVersionErrorCode) => string
  /**
   * Serve the timeline, one OpenAPI document per version and a changelog under `prefix` (default
   * `/api-versions`). Needs `@fastify/swagger`. `true` takes the defaults. Default `false`.
   */
  docs?: boolean | DocsOptions
  /**
   * Record OpenTelemetry metrics of the requests to versioned routes (docs/metrics.md). Needs
   * `@opentelemetry/api` unless `meterProvider` is given. `true` takes the defaults. Default `false`.
   */
  metrics?: boolean | MetricsOptions
  /**
   * Per-client usage (who calls which version, warned and migrated), automatic pinning (`pin`), the
   * private usage view (`authorize`) and alerts (`onAlert`), kept in `store` (in memory by default).
   */
  usage?: UsageOptions
}

/** The documentation routes. */
export interface DocsOptions {
  /** Where the routes live. Default `/api-versions`. */
  prefix?: string
  /** @fastify/swagger's `openapi` option (info, servers, components, tags, security…); `info.version` is each version's date. */
  openapi?: Record<string, unknown>
  /** List preview versions on the documentation page (`<prefix>/docs`). Default `false`. */
  previews?: boolean
}

export interface Settings extends ResolverSettings, HeaderSettings {
  /** The declared versions, validated and normalised (lifecycle policy applied), oldest first. */
  readonly versions: readonly TimelineVersion[]
  /** A valid IANA zone. */
  readonly timeZone: string
  /** The header name lower-cased, as Node presents request headers. */
  readonly headerKey: string
  readonly isPreviewEnabled: IsPreviewEnabled<FastifyRequest> | undefined
  readonly previewFlagTimeout: number
  readonly problemType: ((code: ApiVersionErrorCode) => string) | undefined
  readonly docs: DocsSettings | undefined
  /** `undefined` when metrics are off. */
  readonly metrics: MetricsSettings | undefined
  readonly usage: UsageSettings | undefined
}

const KNOWN = ['versions', 'header', 'defaultVersion', 'requireHeader', 'onSunset', 'isPreviewEnabled',
  'previewFlagTimeout', 'defaultVersionTimeout', 'timeZone', 'lifecycle', 'now', 'deprecationHeader', 'links', 'warning',
  'reportVersions', 'problemType', 'docs', 'metrics', 'usage']
const LINKS = ['successorVersion', 'deprecation', 'sunset']
const DOCS = ['prefix', 'openapi', 'previews']

// RFC 9110 token: the characters a header name may contain.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function oneOf<T extends string> (name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) {
    throw configError(`${name} must be ${allowed.map(a => `"${a}"`).join(' or ')}; received ${JSON.stringify(value)}.`)
  }
  return value as T
}

function flag (name: string, value: unknown): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw configError(`${name} must be true or false; received ${JSON.stringify(value)}.`)
  return value
}

function milliseconds (name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw configError(`${name} must be a positive whole number of milliseconds; received ${JSON.stringify(value)}.`)
  }
  return value
}

function optionalFunction<T> (name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw configError(`${name} must be a function.`)
  return value as T | undefined
}

function clock (now: unknown): () => number {
  const read = optionalFunction<() => number | Date>('now', now)
  if (read === undefined) return Date.now
  return () => {
    const value = read()
    return typeof value === 'number' ? value : value.getTime()
  }
}

function defaultVersionOf (value: unknown, requireHeader: boolean): Settings['defaultVersion'] {
  if (value === undefined) return 'latest'
  if (requireHeader) throw configError('defaultVersion has no effect with requireHeader: true; remove one of the two.')
  if (typeof value === 'function' || value === 'latest' || value === 'oldest') return value as Settings['defaultVersion']
  if (typeof value === 'string' && isCalendarDate(value)) return value
  throw configError(`defaultVersion must be "latest", "oldest", a date written YYYY-MM-DD, or a function; received ${JSON.stringify(value)}.`)
}

function linksOf (value: unknown): LinkOptions {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object') throw configError('links must be an object such as { successorVersion: "https://example.com/changelog#{successor}" }.')
  rejectUnknownKeys(value, LINKS, rel => `links.${rel} is not a known link; use successorVersion, deprecation or sunset.`)
  const links: Record<string, LinkTarget> = {}
  for (const [rel, target] of Object.entries(value)) {
    if (typeof target !== 'string' && typeof target !== 'function') throw configError(`links.${rel} must be a URL string or a function.`)
    links[rel] = target as LinkTarget
  }
  return Object.freeze(links)
}

function docsOf (value: unknown): DocsSettings | undefined {
  if (value === undefined || value === false) return undefined
  if (value !== true && !isObject(value)) throw configError(`docs must be true, false or an object such as { prefix: "/api-versions" }; received ${JSON.stringify(value)}.`)
  const { prefix = '/api-versions', openapi = {}, previews } = value === true ? {} : value
  if (value !== true) rejectUnknownKeys(value, DOCS, key => `docs.${key} is not a known option; use prefix, openapi or previews.`)
  if (typeof prefix !== 'string' || !/^\/[^?#\s]*$/.test(prefix)) throw configError(`docs.prefix must be a path starting with "/" such as "/api-versions"; received ${JSON.stringify(prefix)}.`)
  if (!isObject(openapi)) throw configError('docs.openapi must be an object: @fastify/swagger\'s openapi option, such as { info: { title: "Moves API" } }.')
  // One form of each URL: without a trailing slash, so that the prefix "/" puts the routes at the root.
  return Object.freeze({ prefix: prefix.replace(/\/+$/, ''), openapi, previews: flag('docs.previews', previews) })
}

function zoneOf (value: unknown): string {
  const zone = value ?? 'UTC'
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    throw configError(`timeZone "${String(zone)}" is not a known IANA time zone; use a name such as "UTC" or "Europe/London".`)
  }
  return zone
}

/** A fixed default version must name a day on or after the first version, or it could serve nothing. */
function checkDefaultVersion (defaultVersion: Settings['defaultVersion'], versions: readonly TimelineVersion[]): void {
  const first = (versions[0] as TimelineVersion).version
  if (typeof defaultVersion === 'string' && isCalendarDate(defaultVersion) && defaultVersion < first) {
    throw configError(`defaultVersion ${defaultVersion} is earlier than the first declared version (${first}), so requests without the header could never be served; choose a date on or after ${first}.`)
  }
}

/** Validates the options and normalises them into the frozen settings every part of the plugin reads. */
export function normaliseOptions (options: DateVersioningOptions): Settings {
  if (options === null || typeof options !== 'object') throw configError('options are required: { versions: [...] }.')
  rejectUnknownKeys(options, KNOWN, key => `unknown option "${key}". Known options: ${KNOWN.join(', ')}.`)
  const header = options.header ?? 'Api-Version'
  if (typeof header !== 'string' || !TOKEN.test(header)) {
    throw configError(`header must be an HTTP header name such as "Api-Version"; received ${JSON.stringify(header)}.`)
  }
  const requireHeader = flag('requireHeader', options.requireHeader)
  // Of several mistakes, the first in a fixed order is reported: the options above and here, then the
  // time zone, the lifecycle policy, the versions, and the default version against the first version.
  const settings = {
    header,
    headerKey: header.toLowerCase(),
    defaultVersion: defaultVersionOf(options.defaultVersion, requireHeader),
    requireHeader,
    onSunset: oneOf('onSunset', options.onSunset, ['gone', 'upgrade'], 'gone'),
    isPreviewEnabled: optionalFunction<IsPreviewEnabled<FastifyRequest>>('isPreviewEnabled', options.isPreviewEnabled),
    previewFlagTimeout: milliseconds('previewFlagTimeout', options.previewFlagTimeout, 500),
    defaultVersionTimeout: milliseconds('defaultVersionTimeout', options.defaultVersionTimeout, 1000),
    now: clock(options.now),
    deprecationHeader: oneOf('deprecationHeader', options.deprecationHeader, ['date', 'boolean'], 'date'),
    links: linksOf(options.links),
    warning: flag('warning', options.warning),
    reportVersions: flag('reportVersions', options.reportVersions),
    problemType: optionalFunction<(code: ApiVersionErrorCode) => string>('problemType', options.problemType),
    docs: docsOf(options.docs),
    metrics: parseMetrics(options.metrics),
    usage: parseUsage(options.usage, options.defaultVersion, requireHeader)
  }
  const timeZone = zoneOf(options.timeZone)
  const versions = parseVersions(options.versions, timeZone, parseLifecycle(options.lifecycle))
  checkDefaultVersion(settings.defaultVersion, versions)
  return Object.freeze({ ...settings, versions, timeZone })
}
