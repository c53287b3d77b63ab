import Fastify, { type FastifyInstance, type FastifyPluginAsync, type RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { ApiVersions } from './api-versions.js'
import { isCalendarDate } from './calendar-date.js'
import { CONSTRAINT, constraintValue, createGuardStrategy, createVersionStrategy } from './constraint-strategy.js'
import { configError } from './errors.js'
import { normaliseOptions, type DateVersioningOptions } from './options.js'
import { createPreviewGate } from './preview-gate.js'
import { createRouteHooks, type RouteHooks } from './route-hooks.js'
import { retired } from './retired.js'
import { Timeline } from './timeline.js'
import { VersionResolver } from './version-resolver.js'

// Fastify's type expects stores of handlers; find-my-way's stores hold bitmasks of handler indexes.
type RouterStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0]

/** find-my-way's limit of handlers on one method and path once routes carry constraints. */
const ROUTER_HANDLER_LIMIT = 31

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

const asArray = <T>(value: T | T[] | undefined): T[] => value === undefined ? [] : Array.isArray(value) ? value : [value]

const dateVersioning: FastifyPluginAsync<DateVersioningOptions> = async (fastify, options) => {
  if (fastify.hasDecorator('apiVersions')) {
    throw configError('the plugin is already registered in this scope or a parent scope. Register it once per scope; for path versions such as /v1 and /v2, register it inside each prefixed scope.')
  }
  const settings = normaliseOptions(options)
  const timeline = new Timeline(settings.versions, { timeZone: settings.timeZone, lifecycle: settings.lifecycle })
  const first = timeline.versions[0]?.version as string
  if (typeof settings.defaultVersion === 'string' && isCalendarDate(settings.defaultVersion) && settings.defaultVersion < first) {
    throw configError(`defaultVersion ${settings.defaultVersion} is earlier than the first declared version (${first}), so requests without the header could never be served; choose a date on or after ${first}.`)
  }
  const resolver = new VersionResolver(timeline, settings)
  const name = strategyName(fastify)

  const strategy = createVersionStrategy(name, settings.headerKey, resolver, typeof settings.defaultVersion === 'function')
  if (!fastify.hasConstraintStrategy(CONSTRAINT)) fastify.addConstraintStrategy(createGuardStrategy() as unknown as RouterStrategy)
  fastify.addConstraintStrategy(strategy as unknown as RouterStrategy)
  fastify.decorate('apiVersions', new ApiVersions(resolver))
  fastify.decorateRequest('apiVersion', null)

  const hooks = createRouteHooks({
    resolver,
    resolutionOf: strategy.resolutionOf,
    previewGate: createPreviewGate(settings.isPreviewEnabled, settings.previewFlagTimeout),
    problemType: settings.problemType,
    fastifyErrorHandler: defaultErrorHandler()
  })
  fastify.addHook('onSend', hooks.notFoundVary)
  const declared = timeline.versions.map(v => v.version).join(', ')
  // Handlers per method and path, by version and other constraints: the router's limit and
  // duplicate versions are reported here, with the route named, rather than by find-my-way.
  const handlersByRoute = new Map<string, Set<string>>()

  fastify.addHook('onRoute', (route) => {
    const { [CONSTRAINT]: version, ...others } = route.constraints ?? {}
    for (const method of asArray(route.method)) {
      const key = `${method} ${route.url}`
      const handlers = handlersByRoute.get(key) ?? new Set<string>()
      handlersByRoute.set(key, handlers)
      if (handlers.size >= ROUTER_HANDLER_LIMIT) {
        throw configError(`${key} would have more than ${ROUTER_HANDLER_LIMIT} handlers, the most Fastify's router (find-my-way) allows on one method and path. Remove handlers of versions no client can reach any more (sunset), or serve several versions from one handler by reading request.apiVersion.`)
      }
      const handler = `${String(version)} ${JSON.stringify(others)}`
      if (version !== undefined && handlers.has(handler)) {
        throw configError(`${key} already has a handler for version ${String(version)}; declare one handler per version (to retire the route, make retired that version's only handler).`)
      }
      handlers.add(handler)
    }
    if (version === undefined) return
    if (typeof version !== 'string' || !isCalendarDate(version) || timeline.get(version) === undefined) {
      throw configError(`route ${asArray(route.method).join(',')} ${route.url} names ${CONSTRAINT} ${JSON.stringify(version)}, which is not a declared version. Declared versions: ${declared}.`)
    }
    versionRoute(route, others, name, constraintValue(version, route.handler === retired), hooks)
  })
}

/** Moves the route onto this registration's strategy and adds the per-route hooks. */
function versionRoute (route: RouteOptions, others: object, name: string, value: string, hooks: RouteHooks): void {
  route.constraints = { ...others, [name]: value }
  route.onRequest = [hooks.onRequest, ...asArray(route.onRequest)] as RouteOptions['onRequest']
  route.onSend = [...asArray(route.onSend), hooks.onSend] as RouteOptions['onSend']
  route.errorHandler ??= hooks.errorHandler
}

export default fp(dateVersioning, { name: 'fastify-date-versioning', fastify: '5.x' })
