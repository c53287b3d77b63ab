import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { ApiVersions } from './api-versions.js'
import { CONSTRAINT, createGuardStrategy, createVersionStrategy } from './constraint-strategy.js'
import { configError } from './errors.js'
import { registerDocsRoutes } from './openapi/docs-routes.js'
import { createDocumentStore } from './openapi/documents.js'
import type { RouteRecord } from './openapi/served-routes.js'
import { normaliseOptions, type DateVersioningOptions } from './options.js'
import { createPreviewGate } from './preview-gate.js'
import { ResponseHeaders } from './response-headers.js'
import { recordRegistration } from './registrations.js'
import { ownSwaggerWarning } from './swagger-check.js'
import { createRouteHooks } from './route-hooks.js'
import { createRouteVersioner } from './route-versioner.js'
import { Timeline } from './timeline.js'
import { VersionResolver } from './version-resolver.js'
import { createVersionChanges } from './version-change-hooks.js'

// Fastify's type expects stores of handlers; find-my-way's stores hold bitmasks of handler indexes.
type RouterStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0]

let fastifyErrorHandler: unknown

/** Fastify's default error handler, from a fresh instance: the documented way to reach it. */
function defaultErrorHandler (): unknown {
  fastifyErrorHandler ??= Fastify().errorHandler
  return fastifyErrorHandler
}

/** The first free strategy name: the router's strategies are global, one per registration. */
function strategyName (fastify: FastifyInstance): string {
  let n = 1
  while (fastify.hasConstraintStrategy(`${CONSTRAINT}_${n}`)) n++
  return `${CONSTRAINT}_${n}`
}

const dateVersioning: FastifyPluginAsync<DateVersioningOptions> = async (fastify, options) => {
  if (fastify.hasDecorator('apiVersions')) {
    throw configError('the plugin is already registered in this scope or a parent scope. Register it once per scope; for path versions such as /v1 and /v2, register it inside each prefixed scope.')
  }
  const settings = normaliseOptions(options)
  const timeline = new Timeline(settings.versions, settings.timeZone)
  const warnUnserved = (reason: string): void => {
    fastify.log.warn(`fastify-date-versioning: no API version is released and supported now (${reason}), so every request to a versioned route fails. Declare a released version, or move a sunset later.`)
  }
  const resolver = new VersionResolver(timeline, settings, warnUnserved)
  const name = strategyName(fastify)

  const strategy = createVersionStrategy(name, settings.headerKey, resolver, typeof settings.defaultVersion === 'function')
  if (!fastify.hasConstraintStrategy(CONSTRAINT)) fastify.addConstraintStrategy(createGuardStrategy() as unknown as RouterStrategy)
  fastify.addConstraintStrategy(strategy as unknown as RouterStrategy)
  const routes: RouteRecord[] = []
  const documentSettings = { openapi: settings.docs?.openapi ?? {}, header: settings.header, requireHeader: settings.requireHeader }
  const documents = createDocumentStore(fastify, routes, documentSettings)
  const changes = createVersionChanges(fastify, { timeline, header: settings.header, resolutionOf: strategy.resolutionOf })
  // A copy: what the caller does with its document must not reach the documentation routes.
  fastify.decorate('apiVersions', new ApiVersions(resolver, async version => structuredClone(await documents.document(version)), settings.header, changes.registry))
  recordRegistration(fastify)
  fastify.decorateRequest('apiVersion', null)

  const hooks = createRouteHooks({
    header: settings.header,
    responseHeaders: new ResponseHeaders(settings, timeline.versions.map(v => v.version)),
    resolutionOf: strategy.resolutionOf,
    previewGate: createPreviewGate(settings.isPreviewEnabled, settings.previewFlagTimeout),
    problemType: settings.problemType,
    fastifyErrorHandler: defaultErrorHandler()
  })
  fastify.addHook('onSend', hooks.notFoundVary)
  fastify.addHook('onReady', async () => {
    // @fastify/swagger decorates the scope it is registered in with `swagger`.
    const swagger = fastify.hasDecorator('swagger') ? ownSwaggerWarning(routes, settings.docs?.prefix) : undefined
    if (swagger !== undefined) fastify.log.warn(swagger)
    let reason: string | undefined
    try {
      reason = resolver.unserved()
    } catch {
      // A clock that throws is reported by each request it fails; the application still starts.
      return
    }
    if (reason !== undefined) warnUnserved(reason)
  })
  // Declared before the onRoute hook, so that the documentation never documents itself.
  if (settings.docs !== undefined) {
    await registerDocsRoutes(fastify, { ...settings.docs, header: settings.header, documents, now: settings.now })
  }
  fastify.addHook('onRoute', createRouteVersioner({ timeline, strategyName: name, hooks, routes, changes }))
}

export default fp(dateVersioning, { name: 'fastify-date-versioning', fastify: '5.x' })
