import { readVersionHeaders, type VersionHeaders } from './headers.js'
import { createNotifier, reportNotice, type NoticeListener } from './notices.js'
import { isProblemResponse, problemFromBody, problemFromStatus, type VersionProblemCode, type VersionProblemError } from './problem.js'

/**
 * What the fetch wrapper and the openapi-fetch middleware share: the options, the version header
 * sent, reading each answer (headers, problem, notices) and the fallback decision.
 */

export interface VersioningOptions {
  /** The API version the client was built against: a date written `YYYY-MM-DD`. */
  version: string
  /** The version header's name. Default `Api-Version`, as the plugin's. */
  header?: string
  /**
   * The version to retry with, once, when the server refuses `version` (400 `UnsupportedApiVersion`,
   * 410 `ApiVersionSunset`, 501 `ApiVersionNotImplemented`): a preview not enabled for this client,
   * or a version the server does not serve (yet, or any more).
   */
  fallbackVersion?: string
  /** Retry POST and PATCH (methods that are neither safe nor idempotent) with the fallback too. Default `false`. */
  retryUnsafe?: boolean
  /**
   * Receives each deprecation and sunset announcement, once per version and kind. Default: a Node
   * process warning (type `ApiVersionWarning`, code `API_VERSION_DEPRECATED` or `API_VERSION_SUNSET`),
   * or `console.warn` where there is no `process` (browsers).
   */
  onNotice?: NoticeListener
}

/** Why a refused request was not retried with the fallback version. */
export type FallbackSkipped =
  /** POST, PATCH or another method that is not idempotent, without `retryUnsafe`. */
  | 'method'
  /** Its body is a stream, which was sent once and cannot be sent again. */
  | 'body'

export interface FallbackAttempt {
  /** The version first sent, which the server refused. */
  readonly from: string
  /** The server's refusal of `from`. */
  readonly refusal: VersionProblemError
  /** `true`: this response answers the retry with the fallback version. */
  readonly retried: boolean
  /** Why there was no retry, when `retried` is `false`. */
  readonly skipped: FallbackSkipped | null
}

/** What a response says about API versions, read by the client. */
export interface ResponseVersioning extends VersionHeaders {
  /** The version the request that got this response sent. */
  readonly requested: string
  /** The plugin's problem document, read into an error, when the response is one. */
  readonly problem: VersionProblemError | null
  /** Set when the server refused the configured version and a fallback version is configured. */
  readonly fallback: FallbackAttempt | null
}

const byResponse = new WeakMap<Response, ResponseVersioning>()

/** What the client read from `response`; `undefined` for a response it did not fetch. */
export function versioningOf (response: Response): ResponseVersioning | undefined {
  return byResponse.get(response)
}

const VERSION = /^\d{4}-\d{2}-\d{2}$/
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// The refusals a fallback version answers; other errors would fail the same way with any version.
const FALLBACK_CODES = new Set<VersionProblemCode>(['UnsupportedApiVersion', 'ApiVersionSunset', 'ApiVersionNotImplemented'])
// RFC 9110 §9.2: safe and idempotent methods, which may be sent twice.
const REPEATABLE = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'])

/** A response, read: headers and problem. */
export interface Reading {
  readonly headers: VersionHeaders
  readonly problem: VersionProblemError | null
}

export interface Versioning {
  readonly header: string
  readonly version: string
  readonly fallbackVersion: string | null
  /** Reads `response` to a `method` request that sent `requested`, and tells its announcements. */
  read: (response: Response, method: string, requested: string) => Promise<Reading>
  /** Whether `reading` is a refusal the fallback version may answer. */
  refusedVersion: (reading: Reading) => reading is Reading & { problem: VersionProblemError }
  /** Whether a request with `method` may be sent again. */
  mayRepeat: (method: string) => boolean
  /** Records what the client read from `response`, for versioningOf(). */
  record: (response: Response, requested: string, reading: Reading, fallback: FallbackAttempt | null) => Response
}

function checkVersion (name: string, value: unknown): void {
  if (typeof value !== 'string' || !VERSION.test(value)) {
    throw new TypeError(`fastify-date-versioning/client: ${name} must be a version date written YYYY-MM-DD; received ${JSON.stringify(value)}.`)
  }
}

export function createVersioning (options: VersioningOptions): Versioning {
  checkVersion('version', options?.version)
  if (options.fallbackVersion !== undefined) checkVersion('fallbackVersion', options.fallbackVersion)
  const header = options.header ?? 'Api-Version'
  if (typeof header !== 'string' || !TOKEN.test(header)) {
    throw new TypeError(`fastify-date-versioning/client: header must be an HTTP header name; received ${JSON.stringify(header)}.`)
  }
  const notify = createNotifier(options.onNotice ?? reportNotice)

  return {
    header,
    version: options.version,
    fallbackVersion: options.fallbackVersion ?? null,
    async read (response, method, requested) {
      const headers = readVersionHeaders(response.headers, header)
      // Only problem documents are read, from a copy: the caller still gets the whole body.
      let problem: VersionProblemError | null = null
      if (isProblemResponse(response)) {
        problem = method.toUpperCase() === 'HEAD' ? problemFromStatus(response.status) : problemFromBody(await response.clone().text(), response.status)
      }
      notify(headers.served ?? requested, headers)
      return { headers, problem }
    },
    refusedVersion: (reading): reading is Reading & { problem: VersionProblemError } =>
      reading.problem !== null && FALLBACK_CODES.has(reading.problem.code),
    mayRepeat: (method) => options.retryUnsafe === true || REPEATABLE.has(method.toUpperCase()),
    record (response, requested, reading, fallback) {
      byResponse.set(response, Object.freeze({ ...reading.headers, requested, problem: reading.problem, fallback }))
      return response
    }
  }
}
