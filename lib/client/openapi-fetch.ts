import { createVersioning, type FallbackAttempt, type VersioningOptions } from './versioning.js'

/**
 * The client as an openapi-fetch middleware: `client.use(versioningMiddleware({ version }))`.
 * Same behaviour as createVersionedFetch(); the retry with the fallback version goes through the
 * client's own `fetch`. Typed structurally, so this module does not load openapi-fetch.
 */

/** The part of openapi-fetch's middleware parameters this middleware reads. */
export interface MiddlewareParams {
  readonly request: Request
  readonly id: string
  readonly options: { readonly fetch: (input: Request) => Promise<Response> }
}

export interface VersioningMiddleware {
  onRequest: (params: MiddlewareParams) => Request
  onResponse: (params: MiddlewareParams & { readonly response: Response }) => Promise<Response>
  onError: (params: MiddlewareParams) => void
}

export function versioningMiddleware (options: VersioningOptions): VersioningMiddleware {
  const versioning = createVersioning(options)
  const { header, version, fallbackVersion } = versioning
  // Copies of the requests that may be sent again, until their answer arrives. openapi-fetch
  // hands middleware a Request whose body the first attempt consumes.
  const spares = new Map<string, Request>()

  return {
    onRequest ({ request, id }) {
      request.headers.set(header, version)
      if (fallbackVersion !== null && versioning.mayRepeat(request.method)) spares.set(id, request.clone())
      return request
    },
    async onResponse ({ request, response, id, options: { fetch } }) {
      const spare = spares.get(id)
      spares.delete(id)
      const reading = await versioning.read(response, request.method, version)
      if (fallbackVersion === null || !versioning.refusedVersion(reading)) return versioning.record(response, version, reading, null)
      const attempt = { from: version, refusal: reading.problem }
      if (spare === undefined) return versioning.record(response, version, reading, { ...attempt, retried: false, skipped: 'method' })
      await response.body?.cancel()
      spare.headers.set(header, fallbackVersion)
      const retried = await fetch(spare)
      const fallback: FallbackAttempt = { ...attempt, retried: true, skipped: null }
      return versioning.record(retried, fallbackVersion, await versioning.read(retried, request.method, fallbackVersion), fallback)
    },
    onError ({ id }) {
      spares.delete(id)
    }
  }
}
