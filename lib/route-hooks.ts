import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import vary from 'vary'
import type { ResolutionOf } from './constraint-strategy.js'
import { ApiVersionError, createApiVersionError, toProblem, type ApiVersionErrorCode, type ApiVersionErrorContext } from './errors.js'
import { exposeVersionHeaders } from './expose-headers.js'
import type { PreviewGate } from './preview-gate.js'
import { requestHeader } from './request-header.js'
import { PENDING } from './settle.js'
import type { ResponseHeaders, VersionHeaderSet } from './response-headers.js'
import type { Retirement } from './retired.js'
import type { DateResolution, Resolution } from './version-resolver.js'

/**
 * The hooks added to each versioned route, and only to those. They read the resolution derived
 * during routing and never derive it again: `onRequest` turns it into `request.apiVersion` or an
 * error (checking the feature flag of a preview) and writes the headers of the version it resolved
 * to, once, before anything else of the route runs; the scope's one `onSend` hook gives 404s their
 * `Vary`, merges `Vary` back into a versioned response whose handler replaced it, and tells usage
 * (when on) of each versioned response. The route's
 * error handler renders the plugin's errors as problem documents unless the application has an
 * error handler of its own. No versioned route has an `onSend` hook of the plugin's (but a
 * tombstone with a successor link): each hook Fastify runs costs a closure or two per request.
 */

type OnSend = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => void

/** The hooks of one versioned handler. */
export interface HandlerHooks {
  onRequest: (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  /** Only a tombstone with a successor link has one: its 404 gains the link. */
  onSend?: OnSend
}

/** A versioned handler as its hooks know it. */
export interface VersionedHandler {
  /** The version from which it serves (its `apiVersion` constraint). */
  readonly version: string
  /** That version's place in the timeline: comparing it costs less than comparing dates. */
  readonly index: number
  /** Set when the handler is a tombstone: the route is retired from `version` on. */
  readonly retirement: Retirement | undefined
}

export interface RouteHooks {
  /**
   * For the whole scope: a 404 may become a 200 in another version, so it varies by the header too;
   * a versioned response whose Vary or CORS headers were set after onRequest gets the version's back.
   */
  onSend: OnSend
  /** The hooks of one handler. */
  forHandler: (handler: VersionedHandler) => HandlerHooks
  errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void
}

export interface RouteHookSettings {
  /** Name of the version header, as configured (named so in `Vary`). */
  readonly header: string
  readonly responseHeaders: ResponseHeaders
  readonly resolutionOf: ResolutionOf
  readonly previewGate: PreviewGate<FastifyRequest>
  readonly problemType: ((code: ApiVersionErrorCode) => string) | undefined
  /** Fastify's own error handler: while a scope still uses it, the plugin renders its errors itself. */
  readonly fastifyErrorHandler: unknown
  /**
   * Told of each response of the scope that a version served or refused (`request.apiVersion` set),
   * from the scope's `onSend` hook: usage is recorded there rather than by a hook of its own, since
   * each hook list Fastify runs costs closures per request.
   */
  readonly onVersionedResponse?: ((request: FastifyRequest) => void) | undefined
}

export function createRouteHooks ({ header, responseHeaders, resolutionOf, previewGate, problemType, fastifyErrorHandler, onVersionedResponse }: RouteHookSettings): RouteHooks {
  function errorContext (resolution: Exclude<Resolution, { kind: 'fail' }>): ApiVersionErrorContext {
    const { snapshot } = resolution
    return {
      header,
      requestedVersion: resolution.requested,
      version: resolution.version?.version,
      supportedVersions: snapshot.supported,
      latestVersion: snapshot.latest?.version ?? null,
      reason: resolution.kind === 'refuse' ? resolution.reason : undefined
    }
  }

  function errorFor (code: ApiVersionErrorCode, resolution: Exclude<Resolution, { kind: 'fail' }>): ApiVersionError {
    return createApiVersionError(code, errorContext(resolution))
  }

  /**
   * The error for a version the router led to this handler that it does not serve: the route did not
   * exist yet in that version (the router led to its first handler) or is retired (this is the tombstone).
   */
  function notInVersion (handler: VersionedHandler, request: FastifyRequest, resolution: Resolution & { kind: 'serve' | 'preview' }): ApiVersionError {
    const { retirement } = handler
    const reason = retirement === undefined
      ? `it was introduced in API version ${handler.version}`
      : `it was retired in API version ${handler.version}${retirement.successor === undefined ? '' : `; use ${retirement.successor} instead`}`
    return createApiVersionError('ApiVersionEndpointNotFound', {
      ...errorContext(resolution),
      endpoint: `${request.method} ${request.routeOptions.url as string}`,
      reason
    })
  }

  /** The preview flag's verdict on a request the router led to one of the preview's handlers. */
  function decide (enabled: boolean, request: FastifyRequest, done: HookHandlerDoneFunction): void {
    done(enabled ? undefined : errorFor('ApiVersionNotImplemented', resolutionOf(request.raw) as DateResolution))
  }

  function forHandler (handler: VersionedHandler): HandlerHooks {
    // Checked on every request, in place: a call here stays out of line for thousands of requests.
    const since = handler.retirement === undefined ? handler.index : undefined
    function onRequest (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const resolution = resolutionOf(request.raw)
      writeHeaders(resolution, reply)
      switch (resolution.kind) {
        case 'serve':
          request.apiVersion = resolution.apiVersion
          done(since !== undefined && resolution.version.index >= since ? undefined : notInVersion(handler, request, resolution))
          return
        case 'fail':
          // Outside the catalog (a broken clock, say): a server error, logged by Fastify.
          done(resolution.failure as Error)
          return
        case 'refuse':
          request.apiVersion = resolution.apiVersion
          if (resolution.failure !== undefined) {
            request.log.warn({ err: resolution.failure }, 'fastify-date-versioning: defaultVersion failed; answering 503')
          }
          done(errorFor(resolution.code, resolution))
          return
      }
      request.apiVersion = resolution.apiVersion
      // A route missing from the version is a 404 whatever the flag says, as the resolution table has it.
      if (since === undefined || resolution.version.index < since) {
        done(notInVersion(handler, request, resolution))
        return
      }
      const verdict = previewGate(resolution.version.version, request, decide, done)
      if (verdict !== PENDING) decide(verdict, request, done)
    }
    const link = handler.retirement?.link
    if (link === undefined) return { onRequest }
    const element = `<${link}>; rel="successor-version"`
    // Only the tombstone's own 404 points to the replacement.
    function onSendRetired (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void {
      if (reply.statusCode === 404) {
        const current = reply.getHeader('link')
        reply.header('link', current === undefined ? element : `${String(current)}, ${element}`)
      }
      done(null, payload)
    }
    return { onRequest, onSend: onSendRetired }
  }

  // Merged, so a Vary set by another hook keeps its fields and gains ours.
  function addVary (reply: FastifyReply, current = reply.getHeader('vary')): void {
    if (current !== header) reply.header('vary', current === undefined ? header : vary.append(String(current), header))
  }

  // The last resolution's headers: requests mostly resolve alike, and a resolution belongs to one
  // timeline snapshot, so comparing it spares the lookup by version.
  let lastResolution: Resolution | undefined
  let lastHeaders: VersionHeaderSet | undefined

  function headersOf (resolution: Resolution): VersionHeaderSet | undefined {
    if (resolution === lastResolution) return lastHeaders
    const headers = resolution.kind === 'fail' || resolution.version === undefined ? undefined : responseHeaders.of(resolution.version, resolution.snapshot)
    lastResolution = resolution
    lastHeaders = headers
    return headers
  }

  function writeHeaders (resolution: Resolution, reply: FastifyReply): void {
    const headers = headersOf(resolution)
    const current = reply.getHeader('vary')
    if (headers === undefined) {
      addVary(reply, current)
    } else if (current === undefined) {
      // Nothing before this hook (CORS, say) set Vary: ours goes with the version's headers.
      writeAll(reply, headers.withVary)
    } else {
      writeAll(reply, headers.withoutVary)
      addVary(reply, current)
    }
  }

  function onSend (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void {
    // `apiVersion` first: a plain field, where `is404` is a getter.
    if (request.apiVersion !== null) {
      // A versioned route's: its handler or a later hook may have replaced Vary.
      addVary(reply)
      // CORS headers may be set by the handler, after onRequest. Only a browser reads them, and its
      // cross-origin requests always carry Origin: without it there is nothing to look for.
      if (requestHeader(request.raw, 'origin') !== undefined && !request.is404) {
        const headers = headersOf(resolutionOf(request.raw))
        if (headers !== undefined) exposeVersionHeaders(reply, headers.named)
      }
      if (onVersionedResponse !== undefined) onVersionedResponse(request)
    } else if (request.is404) {
      addVary(reply)
    }
    done(null, payload)
  }

  function errorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    // request.server is the route's scope: its error handler is the one the application set there.
    if (!(error instanceof ApiVersionError) || request.server.errorHandler !== fastifyErrorHandler) {
      // Sent on, Fastify hands the error to the scope's error handler, as if this one did not exist.
      reply.send(error)
      return
    }
    if (error.statusCode >= 500) request.log.error({ err: error }, error.message)
    else request.log.info({ err: error }, error.message)
    reply.code(error.statusCode).type('application/problem+json; charset=utf-8').send(toProblem(error, problemType))
  }

  return { onSend, forHandler, errorHandler }
}

/** Writes a flat list of header names and values (see VersionHeaderSet). */
function writeAll (reply: FastifyReply, list: readonly string[]): void {
  for (let i = 0; i < list.length; i += 2) reply.header(list[i] as string, list[i + 1])
}
