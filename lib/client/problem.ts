/**
 * The plugin's problem documents (RFC 9457, `application/problem+json`) read back into errors a
 * client can branch on. The server's catalog lives in the plugin; this module repeats its codes
 * because a client must not load the server (a test keeps both lists equal).
 */

/** Codes of the plugin's request errors, as its problem documents carry them. */
export const versionProblemCodes = [
  'InvalidApiVersion',
  'UnsupportedApiVersion',
  'ApiVersionUnspecified',
  'ApiVersionSunset',
  'ApiVersionNotImplemented',
  'ApiVersionDefaultFailed',
  'ApiVersionEndpointNotFound',
  'ApiVersionMigrationFailed'
] as const

export type VersionProblemCode = typeof versionProblemCodes[number]

/** One of the plugin's problem documents, as an error: `throw` it, or branch on `code`. */
export class VersionProblemError extends Error {
  override readonly name = 'VersionProblemError'
  /** The catalog code: `UnsupportedApiVersion`, `ApiVersionSunset`, … */
  readonly code: VersionProblemCode
  /** The HTTP status of the answer. */
  readonly status: number
  /** The problem `type` URI. */
  readonly type: string | null
  /** The problem `title`. */
  readonly title: string | null
  /** The version header the request sent, as the server read it (`null`: none). */
  readonly requestedVersion: string | null
  /** Released versions a client can use now, oldest first. */
  readonly supportedVersions: readonly string[]
  /** The latest released version, if any. */
  readonly latestVersion: string | null

  constructor (problem: { code: VersionProblemCode, status: number, detail?: string | null, type?: string | null, title?: string | null, requestedVersion?: string | null, supportedVersions?: readonly string[], latestVersion?: string | null }) {
    super(problem.detail ?? problem.title ?? problem.code)
    this.code = problem.code
    this.status = problem.status
    this.type = problem.type ?? null
    this.title = problem.title ?? null
    this.requestedVersion = problem.requestedVersion ?? null
    this.supportedVersions = Object.freeze([...problem.supportedVersions ?? []])
    this.latestVersion = problem.latestVersion ?? null
  }
}

// Statuses the catalog gives to one code only: a body-less answer (to HEAD) is known by its status.
const CODE_OF_STATUS: Record<number, VersionProblemCode> = { 410: 'ApiVersionSunset', 501: 'ApiVersionNotImplemented', 503: 'ApiVersionDefaultFailed' }

/**
 * The problem of a problem document answered to HEAD, which has no body: known by its status
 * where only one code has that status, without the versions the body would list; else `null`.
 */
export function problemFromStatus (status: number): VersionProblemError | null {
  const code = CODE_OF_STATUS[status]
  return code === undefined ? null : new VersionProblemError({ code, status })
}

const textOrNull = (value: unknown): string | null => typeof value === 'string' ? value : null

/** Whether `response` is a problem document by its media type (`application/problem+json`, any parameters). */
export function isProblemResponse (response: Response): boolean {
  const type = response.headers.get('content-type')
  return type !== null && /^application\/problem\+json\s*(;|$)/i.test(type.trim())
}

/**
 * The error a problem document's body `text` describes, or `null` when it is not one of the
 * plugin's problems (another code, not JSON, not an object): those are the application's own.
 */
export function problemFromBody (text: string, status: number): VersionProblemError | null {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return null
  }
  if (body === null || typeof body !== 'object') return null
  const fields = body as Record<string, unknown>
  const code = fields.code
  if (!versionProblemCodes.includes(code as VersionProblemCode)) return null
  const supported = Array.isArray(fields.supportedVersions) ? fields.supportedVersions.filter((v): v is string => typeof v === 'string') : []
  return new VersionProblemError({
    code: code as VersionProblemCode,
    status,
    detail: textOrNull(fields.detail),
    type: textOrNull(fields.type),
    title: textOrNull(fields.title),
    requestedVersion: textOrNull(fields.requestedVersion),
    supportedVersions: supported,
    latestVersion: textOrNull(fields.latestVersion)
  })
}
