import { createVersioning, type FallbackAttempt, type VersioningOptions } from './versioning.js'

/**
 * A `fetch` that sends the configured API version on every request, reads what the server answered
 * about versions (see versioningOf()), tells deprecations once, and retries a refused version once
 * with the fallback version. It resolves with the server's Response, whatever its status, as fetch
 * does: the plugin's problem documents are read into `versioningOf(response).problem`.
 */

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface VersionedFetchOptions extends VersioningOptions {
  /** The fetch to wrap. Default: the global `fetch`, looked up at each call. */
  fetch?: FetchFunction
}

export type VersionedFetch = FetchFunction

const isRequest = (input: unknown): input is Request =>
  typeof input === 'object' && input !== null && typeof (input as Request).method === 'string' && typeof (input as Request).clone === 'function'

const isStream = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && typeof (body as ReadableStream).getReader === 'function'

export function createVersionedFetch (options: VersionedFetchOptions): VersionedFetch {
  const versioning = createVersioning(options)
  const { header, version, fallbackVersion } = versioning
  const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  function send (input: string | URL | Request, init: RequestInit | undefined, sent: string): Promise<Response> {
    // Headers given with init replace those of a Request input, as fetch treats them.
    const headers = new Headers(init?.headers ?? (isRequest(input) ? input.headers : undefined))
    headers.set(header, sent)
    return fetchFunction(input, { ...init, headers })
  }

  return async function versionedFetch (input, init) {
    const method = init?.method ?? (isRequest(input) ? input.method : 'GET')
    const mayRepeat = fallbackVersion !== null && versioning.mayRepeat(method)
    // A stream given as the body is consumed by the first attempt; a Request's body is kept by a copy.
    const streamed = isStream(init?.body)
    const spare = mayRepeat && !streamed && init?.body == null && isRequest(input) && input.body !== null ? input.clone() : input

    const response = await send(input, init, version)
    const reading = await versioning.read(response, method, version)
    if (fallbackVersion === null || !versioning.refusedVersion(reading)) return versioning.record(response, version, reading, null)

    const attempt = { from: version, refusal: reading.problem }
    const skipped = !mayRepeat ? 'method' : streamed ? 'body' : null
    if (skipped !== null) return versioning.record(response, version, reading, { ...attempt, retried: false, skipped })
    // The refusal's body is not needed: releasing it frees the connection.
    await response.body?.cancel()
    const retried = await send(spare, init, fallbackVersion)
    const fallback: FallbackAttempt = { ...attempt, retried: true, skipped: null }
    return versioning.record(retried, fallbackVersion, await versioning.read(retried, method, fallbackVersion), fallback)
  }
}
