import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import vary from 'vary'
import type { ResolutionOf } from './constraint-strategy.js'
import { ApiVersionError, createApiVersionError, toProblem, type ApiVersionErrorCode } from './errors.js'
import type { PreviewGate } from './preview-gate.js'
import type { ResponseHeaders } from './response-headers.js'
import type { Resolution } from './version-resolver.js'

/**
 * The hooks added to each versioned route, and only to those. They read the resolution derived
 * during routing and never derive it again: `onRequest` turns it into `request.apiVersion` or an
 * error (checking the feature flag of a preview), `onSend` writes the headers of the version it
 * resolved to, and the route's error handler renders the plugin's errors as problem documents
 * unless the application has an error handler of its own.
 */

type OnSend = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => void

export interface RouteHooks {
  /** For the whole scope: a 404 may become a 200 in another version, so it varies by the header too. */
  notFoundVary: OnSend
  onRequest: (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  onSend: OnSend
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
}

export function createRouteHooks ({ header, responseHeaders, resolutionOf, previewGate, problemType, fastifyErrorHandler }: RouteHookSettings): RouteHooks {
  function errorFor (code: ApiVersionErrorCode, resolution: Exclude<Resolution, { kind: 'fail' }>): ApiVersionError {
    const { snapshot } = resolution
    return createApiVersionError(code, {
      header,
      requestedVersion: resolution.requested,
      version: resolution.version?.version,
      supportedVersions: snapshot.supported,
      latestVersion: snapshot.latest?.version ?? null,
      reason: resolution.kind === 'refuse' ? resolution.reason : undefined
    })
  }

  function onRequest (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const resolution = resolutionOf(request.raw)
    switch (resolution.kind) {
      case 'serve':
        request.apiVersion = resolution.apiVersion
        done()
        return
      case 'fail':
        // Outside the catalog (a broken clock, say): a server error, logged by Fastify.
        done(resolution.failure as Error)
        return
      case 'refuse':
        if (resolution.failure !== undefined) {
          request.log.warn({ err: resolution.failure }, 'fastify-date-versioning: defaultVersion failed; answering 503')
        }
        done(errorFor(resolution.code, resolution))
        return
    }
    const decide = (enabled: boolean): void => {
      if (enabled) request.apiVersion = resolution.apiVersion
      done(enabled ? undefined : errorFor('ApiVersionNotImplemented', resolution))
    }
    const verdict = previewGate(resolution.version.version, request)
    if (typeof verdict === 'boolean') decide(verdict)
    else verdict.then(decide)
  }

  // Merged last, so a Vary set by the handler or another hook keeps its fields and gains ours.
  function addVary (reply: FastifyReply): void {
    const current = reply.getHeader('vary')
    reply.header('vary', current === undefined ? header : vary.append(String(current), header))
  }

  function onSend (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void {
    const resolution = resolutionOf(request.raw)
    if (resolution.kind !== 'fail' && resolution.version !== undefined) reply.headers(responseHeaders.of(resolution.version, resolution.snapshot))
    addVary(reply)
    done(null, payload)
  }

  function notFoundVary (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void {
    if (request.is404) addVary(reply)
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

  return { notFoundVary, onRequest, onSend, errorHandler }
}
