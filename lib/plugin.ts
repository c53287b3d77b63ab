import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { ApiVersions } from './api-versions.js'
import { CONSTRAINT, createGuardStrategy, createVersionStrategy } from './constraint-strategy.js'
import { configError } from './errors.js'
import { metricsRouteHook } from './metrics/index.js'
import { registerDocsRoutes } from './openapi/docs-routes.js'
import { createDocumentStore } from './openapi/documents.js'
import type { RouteRecord } from './openapi/served-routes.js'
import { normaliseOptions, type DateVersioningOptions } from './options.js'
import type { UsageSettings } from './options/usage.js'
import { createPreviewGate } from './preview-gate.js'
import { ResponseHeaders } from './response-headers.js'
import { recordRegistration } from './registrations.js'
import { ownSwaggerWarning } from './swagger-check.js'
import { createRouteHooks } from './route-hooks.js'
import { createRouteVersioner } from './route-versioner.js'
import { Timeline, type TimelineSnapshot } from './timeline.js'
import { createUsage, type Usage } from './usage/usage.js'
import { registerUsageRoutes, type UsageSection } from './usage/usage-routes.js'
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
  const usage = settings.usage === undefined
    ? undefined
    : createUsage({
      settings: settings.usage,
      timeline,
      // Called once requests come, after the resolver below exists.
      snapshot: (): TimelineSnapshot => resolver.snapshot(),
      now: settings.now,
      warn: (err, message) => { fastify.log.warn({ err }, message) }
    })
  const resolver = new VersionResolver(timeline, { ...settings, pins: usage?.pins }, warnUnserved)
  const name = strategyName(fastify)

  // A default-version function or a pin in a store may answer later: the strategy then waits for
  // it. The memory store answers pins at once, so routing stays synchronous with it.
  const asynchronous = typeof settings.defaultVersion === 'function' || (usage?.pins !== undefined && !usage.pins.synchronous)
  const strategy = createVersionStrategy(name, settings.headerKey, resolver, asynchronous)
  if (!fastify.hasConstraintStrategy(CONSTRAINT)) fastify.addConstraintStrategy(createGuardStrategy() as unknown as RouterStrategy)
  fastify.addConstraintStrategy(strategy as unknown as RouterStrategy)
  const routes: RouteRecord[] = []
  const documentSettings = { openapi: settings.docs?.openapi ?? {}, header: settings.header, requireHeader: settings.requireHeader }
  const documents = createDocumentStore(fastify, routes, documentSettings)
  const changes = createVersionChanges(fastify, { timeline, header: settings.header, resolutionOf: strategy.resolutionOf })
  // A copy: what the caller does with its document must not reach the documentation routes.
  fastify.decorate('apiVersions', new ApiVersions(resolver, async version => structuredClone(await documents.document(version)), settings.header, changes.registry, usage?.api ?? null))
  recordRegistration(fastify)
  fastify.decorateRequest('apiVersion', null)

  const hooks = createRouteHooks({
    header: settings.header,
    responseHeaders: new ResponseHeaders(settings, timeline.versions.map(v => v.version)),
    resolutionOf: strategy.resolutionOf,
    previewGate: createPreviewGate(settings.isPreviewEnabled, settings.previewFlagTimeout),
    problemType: settings.problemType,
    fastifyErrorHandler: defaultErrorHandler(),
    onVersionedResponse: usage?.record
  })
  fastify.addHook('onSend', hooks.onSend)
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
  const usageSection = usage === undefined ? undefined : addUsage(fastify, usage, settings.usage as UsageSettings, settings.docs?.prefix ?? '/api-versions')
  // Declared before the onRoute hook, so that the documentation never documents itself.
  if (settings.docs !== undefined) {
    await registerDocsRoutes(fastify, { ...settings.docs, header: settings.header, documents, now: settings.now, usageSection })
  }
  // Before the versioner, which moves the apiVersion constraint onto the registration's strategy.
  const measure = await metricsRouteHook(settings.metrics, strategy.resolutionOf, fastify.log)
  if (measure !== undefined) fastify.addHook('onRoute', measure)
  fastify.addHook('onRoute', createRouteVersioner({ timeline, strategyName: name, hooks, routes, changes }))
}

/** Writes usage on close and serves the private usage view (responses are counted by the scope's onSend hook). */
function addUsage (fastify: FastifyInstance, usage: Usage, settings: UsageSettings, prefix: string): UsageSection | undefined {
  fastify.addHook('onClose', async () => { await usage.close() })
  if (settings.authorize === undefined) return undefined
  const warn = (err: unknown, message: string): void => { fastify.log.warn({ err }, message) }
  return registerUsageRoutes(fastify, { prefix, api: usage.api, authorize: settings.authorize, timeout: settings.storeTimeout, warn })
}

export default fp(dateVersioning, { name: 'fastify-date-versioning', fastify: '5.x' })
