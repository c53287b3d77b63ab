import type { onRouteHookHandler, RouteOptions } from 'fastify'
import { isCalendarDate } from './calendar-date.js'
import { CONSTRAINT, constraintValue } from './constraint-strategy.js'
import { configError } from './errors.js'
import { retirementOf } from './retired.js'
import type { HandlerHooks, RouteHooks } from './route-hooks.js'
import type { RouteRecord } from './openapi/served-routes.js'
import type { Timeline, TimelineVersion } from './timeline.js'
import type { VersionChanges } from './version-change-hooks.js'

/**
 * The onRoute hook of a registration: checks each route's `apiVersion` constraint at start-up, moves
 * the route onto the registration's own strategy and gives versioned routes, and only those, the
 * plugin's hooks.
 */

/** find-my-way's limit of handlers on one method and path once routes carry constraints. */
const ROUTER_HANDLER_LIMIT = 31

const asArray = <T>(value: T | T[] | undefined): T[] => value === undefined ? [] : Array.isArray(value) ? value : [value]

export interface RouteVersionerSettings {
  readonly timeline: Timeline
  /** The registration's constraint strategy, which versioned routes are moved onto. */
  readonly strategyName: string
  readonly hooks: RouteHooks
  /** Receives every route of the scope, versioned or not, for the documentation per version. */
  readonly routes: RouteRecord[]
  /** The timeline's version changes: the hooks of the routes they concern. */
  readonly changes: VersionChanges
}

export function createRouteVersioner ({ timeline, strategyName, hooks, routes, changes }: RouteVersionerSettings): onRouteHookHandler {
  const declared = timeline.versions.map(v => v.version).join(', ')
  // Handlers per method and path, by version and other constraints: the router's limit and
  // duplicate versions are reported here, with the route named, rather than by find-my-way.
  const handlersByRoute = new Map<string, Set<string>>()

  return function onRoute (route) {
    // The scope the route is declared in: its shared schemas are read when a document is built.
    const scope = this
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
    if (version !== undefined && (typeof version !== 'string' || !isCalendarDate(version) || timeline.get(version) === undefined)) {
      throw configError(`route ${asArray(route.method).join(',')} ${route.url} names ${CONSTRAINT} ${JSON.stringify(version)}, which is not a declared version. Declared versions: ${declared}.`)
    }
    const retirement = retirementOf(route.handler)
    const isRetired = retirement !== undefined
    if (isRetired && version === undefined) {
      throw configError(`route ${asArray(route.method).join(',')} ${route.url} uses retired without an ${CONSTRAINT} constraint: retired marks the version from which a route is no longer served. Add constraints: { ${CONSTRAINT}: '<the version of the retirement>' } next to an older handler, or remove the route.`)
    }
    const schemaIn = version === undefined || isRetired ? undefined : changes.route(route, version, `${route.url} ${JSON.stringify(others)}`, scope)
    for (const method of asArray(route.method)) {
      routes.push({ method, url: route.url, version: version ?? null, retired: isRetired, schema: route.schema as RouteRecord['schema'], sharedSchemas: () => scope.getSchemas(), key: `${method} ${route.url} ${JSON.stringify(others)}`, schemaIn })
    }
    if (version === undefined) return
    versionRoute(route, others, strategyName, constraintValue(version, isRetired), hooks.forHandler({ version, index: (timeline.get(version) as TimelineVersion).index, retirement }), hooks.errorHandler)
  }
}

/** Moves the route onto this registration's strategy and adds the hooks of its handler. */
function versionRoute (route: RouteOptions, others: object, name: string, value: string, hooks: HandlerHooks, errorHandler: RouteHooks['errorHandler']): void {
  route.constraints = { ...others, [name]: value }
  route.onRequest = [hooks.onRequest, ...asArray(route.onRequest)] as RouteOptions['onRequest']
  if (hooks.onSend !== undefined) route.onSend = [...asArray(route.onSend), hooks.onSend] as RouteOptions['onSend']
  route.errorHandler ??= errorHandler
}
