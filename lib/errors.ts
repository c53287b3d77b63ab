import createError from '@fastify/error'

/**
 * The one place where the plugin's errors are defined: the request errors of the catalog (each a
 * Fastify error with a stable `code` and HTTP status), the configuration error raised at start-up,
 * the usage error of a mistaken call to the API after start-up, and the contract error.
 */

/** Stable codes of the request errors the plugin produces. */
export type ApiVersionErrorCode =
  | 'InvalidApiVersion'
  | 'UnsupportedApiVersion'
  | 'ApiVersionUnspecified'
  | 'ApiVersionSunset'
  | 'ApiVersionNotImplemented'
  | 'ApiVersionDefaultFailed'
  | 'ApiVersionEndpointNotFound'
  | 'ApiVersionMigrationFailed'

interface CatalogEntry {
  readonly status: number
  readonly title: string
}

/** The catalog: status and problem title of every request error. */
export const errorCatalog: Readonly<Record<ApiVersionErrorCode, CatalogEntry>> = Object.freeze({
  InvalidApiVersion: { status: 400, title: 'Invalid API version' },
  UnsupportedApiVersion: { status: 400, title: 'Unsupported API version' },
  ApiVersionUnspecified: { status: 400, title: 'API version required' },
  ApiVersionSunset: { status: 410, title: 'API version sunset' },
  ApiVersionNotImplemented: { status: 501, title: 'API version not implemented' },
  ApiVersionDefaultFailed: { status: 503, title: 'Default API version unavailable' },
  ApiVersionEndpointNotFound: { status: 404, title: 'Endpoint not in this API version' },
  ApiVersionMigrationFailed: { status: 500, title: 'API version migration failed' }
})

/** What the plugin knows about a request when one of its errors is raised. */
export interface ApiVersionErrorContext {
  /** Name of the version header, as configured. */
  readonly header: string
  /** The header value the client sent, or `null` when it sent none. */
  readonly requestedVersion: string | null
  /** The declared version the request resolved to, when it resolved to one (sunset, preview). */
  readonly version?: string | undefined
  /** Released versions a client can use now, oldest first. */
  readonly supportedVersions: readonly string[]
  /** The latest released version, if any. */
  readonly latestVersion: string | null
  /** Why the request failed, in words: completes the message. */
  readonly reason?: string | undefined
  /** The method and route of the request, such as `GET /moves/:id`, when the error is about it. */
  readonly endpoint?: string | undefined
}

/**
 * Base class of every request error of the catalog: `error instanceof ApiVersionError` tells the
 * plugin's errors apart in an application's error handler.
 */
export class ApiVersionError extends Error {
  // Declared only: @fastify/error builds the instances without running this constructor, and
  // createApiVersionError() assigns every field.
  declare code: ApiVersionErrorCode
  declare statusCode: number
  declare header: string
  declare requestedVersion: string | null
  declare version: string | null
  declare supportedVersions: readonly string[]
  declare latestVersion: string | null
}

type ApiVersionErrorClass = new (...args: unknown[]) => ApiVersionError

function define (code: ApiVersionErrorCode, message: string): ApiVersionErrorClass {
  return createError(code, message, errorCatalog[code].status, ApiVersionError as unknown as ErrorConstructor) as unknown as ApiVersionErrorClass
}

const messages: Record<ApiVersionErrorCode, (c: ApiVersionErrorContext) => unknown[]> = {
  InvalidApiVersion: (c) => [c.header, c.requestedVersion],
  // Without the header there is no version to name: the default is.
  UnsupportedApiVersion: (c) => [c.requestedVersion === null ? 'The default API version' : `API version ${c.requestedVersion}`, c.reason],
  ApiVersionUnspecified: (c) => [c.header],
  ApiVersionSunset: (c) => [c.version, c.supportedVersions.join(', ') || 'none'],
  ApiVersionNotImplemented: (c) => [c.version],
  ApiVersionDefaultFailed: (c) => [c.header],
  ApiVersionEndpointNotFound: (c) => [c.endpoint, c.version, c.reason],
  ApiVersionMigrationFailed: (c) => [c.reason, c.endpoint, c.version]
}

const classes: Record<ApiVersionErrorCode, ApiVersionErrorClass> = {
  InvalidApiVersion: define('InvalidApiVersion',
    'The %s header must be one date in the form YYYY-MM-DD naming a real calendar day; received "%s".'),
  UnsupportedApiVersion: define('UnsupportedApiVersion', '%s is not supported: %s.'),
  ApiVersionUnspecified: define('ApiVersionUnspecified',
    'The %s header is required: send the API version your client was built against, a date written YYYY-MM-DD.'),
  ApiVersionSunset: define('ApiVersionSunset',
    'API version %s has reached its sunset and is no longer served. Supported versions: %s.'),
  ApiVersionNotImplemented: define('ApiVersionNotImplemented',
    'API version %s is not released yet and is not enabled for this client.'),
  ApiVersionDefaultFailed: define('ApiVersionDefaultFailed',
    'The API version pinned for this client could not be determined. Retry later, or send the %s header.'),
  ApiVersionEndpointNotFound: define('ApiVersionEndpointNotFound', 'The endpoint %s does not exist in API version %s: %s.'),
  ApiVersionMigrationFailed: define('ApiVersionMigrationFailed', 'The %s of %s could not be converted to API version %s.')
}

/** Error classes by code, for `instanceof` checks of one particular error. */
export const InvalidApiVersionError = classes.InvalidApiVersion
export const UnsupportedApiVersionError = classes.UnsupportedApiVersion
export const ApiVersionUnspecifiedError = classes.ApiVersionUnspecified
export const ApiVersionSunsetError = classes.ApiVersionSunset
export const ApiVersionNotImplementedError = classes.ApiVersionNotImplemented
export const ApiVersionDefaultFailedError = classes.ApiVersionDefaultFailed
export const ApiVersionEndpointNotFoundError = classes.ApiVersionEndpointNotFound
export const ApiVersionMigrationFailedError = classes.ApiVersionMigrationFailed

/** Creates the catalog error `code` for a request described by `context`. */
export function createApiVersionError (code: ApiVersionErrorCode, context: ApiVersionErrorContext): ApiVersionError {
  const error = new classes[code](...messages[code](context))
  // @fastify/error upper-cases codes; the catalog's codes are part of the public contract as written.
  error.code = code
  error.header = context.header
  error.requestedVersion = context.requestedVersion
  error.version = context.version ?? null
  error.supportedVersions = context.supportedVersions
  error.latestVersion = context.latestVersion
  return error
}

/** An RFC 9457 problem document. */
export interface ApiVersionProblem {
  type: string
  title: string
  status: number
  detail: string
  code: ApiVersionErrorCode
  requestedVersion: string | null
  supportedVersions: string[]
  latestVersion: string | null
}

/** The problem `type` URI used unless the `problemType` option says otherwise. */
export function defaultProblemType (code: ApiVersionErrorCode): string {
  return `urn:fastify-date-versioning:problem:${code}`
}

/** Renders one of the plugin's errors as an RFC 9457 problem document. */
export function toProblem (error: ApiVersionError, problemType: (code: ApiVersionErrorCode) => string = defaultProblemType): ApiVersionProblem {
  return {
    type: problemType(error.code),
    title: errorCatalog[error.code].title,
    status: error.statusCode,
    detail: error.message,
    code: error.code,
    requestedVersion: error.requestedVersion,
    supportedVersions: [...error.supportedVersions],
    latestVersion: error.latestVersion
  }
}

/**
 * A configuration mistake, raised at registration or `ready()`: the message says what is wrong and
 * how to fix it.
 */
export const ApiVersionConfigError = createError<[string]>('ERR_API_VERSION_CONFIG', 'fastify-date-versioning: %s', 500)

export function configError (message: string): Error {
  return new ApiVersionConfigError(message)
}

/**
 * A mistake in a call to the plugin's API after start-up, such as `apiVersions.document()` of a
 * version that is not declared, or a contract function given an instance without the plugin: the
 * caller's mistake, not the configuration's. The message says what to pass instead.
 */
export const ApiVersionUsageError = createError<[string]>('ERR_API_VERSION_USAGE', 'fastify-date-versioning: %s', 500)

export function usageError (message: string): Error {
  return new ApiVersionUsageError(message)
}

/**
 * Two contracts the classifier cannot compare in reasonable time: schemas that include one another
 * so many ways that walking them would not end. The message says what to simplify.
 */
export const ApiVersionContractError = createError<[string]>('ERR_API_VERSION_CONTRACT', 'fastify-date-versioning: %s', 500)

export function contractError (message: string): Error {
  return new ApiVersionContractError(message)
}

/** Codes of the problems of the private usage view (`usage.authorize`). */
export type ApiUsageErrorCode = 'ApiUsageUnauthorized' | 'ApiUsageForbidden'

/**
 * The usage view's problems: 401 when `usage.authorize` says the request is not authenticated, 403
 * when it refuses it. Their detail names nothing about the usage they protect.
 */
export const usageErrorCatalog: Readonly<Record<ApiUsageErrorCode, CatalogEntry & { readonly detail: string }>> = Object.freeze({
  ApiUsageUnauthorized: { status: 401, title: 'Authentication required', detail: 'The usage of this API is private: authenticate to see it.' },
  ApiUsageForbidden: { status: 403, title: 'Usage view not allowed', detail: 'The usage of this API is private: this request is not allowed to see it.' }
})

/** An RFC 9457 problem document of the usage view. */
export interface ApiUsageProblem {
  type: string
  title: string
  status: number
  detail: string
  code: ApiUsageErrorCode
}

/** The problem document of a refused request for the usage view (its `type` follows the default scheme). */
export function usageProblem (code: ApiUsageErrorCode): ApiUsageProblem {
  const { status, title, detail } = usageErrorCatalog[code]
  return { type: `urn:fastify-date-versioning:problem:${code}`, title, status, detail, code }
}

/** An error of Fastify's validation, as its validator (Ajv) reports it. */
interface ValidationIssue {
  readonly instancePath: string
  readonly message: string
}

/**
 * The 400 Fastify answers to a request its schema rejects, for a request of an older version checked
 * with that version's schema: the same code, message and fields as Fastify's own (FST_ERR_VALIDATION),
 * naming the fields as that version's clients know them.
 */
export function validationError (issues: readonly ValidationIssue[], part: string): Error {
  const error = new Error(issues.map(e => `${part}${e.instancePath} ${e.message}`).join(', ')) as Error & Record<string, unknown>
  error.statusCode = 400
  error.code = 'FST_ERR_VALIDATION'
  error.validation = issues
  error.validationContext = part
  return error
}
