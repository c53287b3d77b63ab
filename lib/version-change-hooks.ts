import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import type { ResolutionOf } from './constraint-strategy.js'
import { ApiVersionError, createApiVersionError, validationError, type ApiVersionErrorContext } from './errors.js'
import { copyBody } from './changes/body-copy.js'
import type { MigrationFailure } from './changes/response-run.js'
import { responseKeyOf, type RouteSchema, type VersionPlan } from './changes/plan.js'
import { ChangeRegistry, type ChangedRoute } from './changes/registry.js'
import type { MigratingRequest, MigratingResponse, VersionChange } from './changes/version-change.js'
import type { Timeline } from './timeline.js'

/**
 * The Fastify side of version changes. At registration, a versioned route that some change concerns
 * gets the hooks it needs, and only those; at `ready()` each handler's plan per version is worked
 * out (see lib/changes/plan.ts). Per request a hook reads the plan of the served version, absent at
 * the handler's newest version: one map lookup. The request goes one way: the version's schema
 * validates it (preValidation), the request migrations bring it forward, the handler runs, the
 * response migrations bring its answer back (preSerialization), and the version's schema
 * serializes it.
 */

type Hook = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
type PreSerialization = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => void

/** A handler concerned by changes, as recorded at registration. */
interface ChangedHandler extends ChangedRoute {
  /** The version it serves from (its `apiVersion` constraint). */
  readonly version: string
  /** Method, path and other constraints: the handlers of one key compete by version. */
  readonly key: string
  readonly schema: RouteSchema | undefined
  readonly shared: (id: string) => unknown
  readonly sharedIds: () => Iterable<string>
  plans: ReadonlyMap<string, VersionPlan>
  since: (version: string) => string
  absent: ReadonlyMap<string, string>
}

/** What the documents need of a handler: its schema in a version, or `null` where the endpoint does not exist. */
export type SchemaInVersion = (version: string) => { readonly schema: Readonly<Record<string, unknown>> | undefined, readonly since: string } | null

export interface VersionChanges {
  readonly registry: ChangeRegistry
  /** Called by the onRoute hook for every versioned route that is not a tombstone. */
  readonly route: (route: RouteOptions, version: string, key: string, scope: FastifyInstance) => SchemaInVersion | undefined
}

export interface VersionChangeSettings {
  readonly timeline: Timeline
  readonly header: string
  readonly resolutionOf: ResolutionOf
}

/** A route option that may be one value, a list or absent, as a list. */
const asArray = <T>(value: T | T[] | undefined): T[] => [value ?? []].flat() as T[]

export function createVersionChanges (fastify: FastifyInstance, { timeline, header, resolutionOf }: VersionChangeSettings): VersionChanges {
  const registry = new ChangeRegistry(timeline)
  const handlers: ChangedHandler[] = []
  const versioned: ChangedRoute[] = []
  const failed = new WeakSet<FastifyRequest>()

  function context (request: FastifyRequest, reason: string): ApiVersionErrorContext {
    // These hooks run after the plugin's own onRequest: the request was served a version.
    const resolution = resolutionOf(request.raw) as { requested: string | null, version: { version: string }, snapshot: { supported: readonly string[], latest: { version: string } | undefined } }
    return {
      header,
      requestedVersion: resolution.requested,
      version: resolution.version.version,
      supportedVersions: resolution.snapshot.supported,
      latestVersion: resolution.snapshot.latest?.version ?? null,
      endpoint: `${request.method} ${request.routeOptions.url as string}`,
      reason
    }
  }

  function migrationFailed (request: FastifyRequest, part: 'request' | 'response', change: VersionChange, cause: unknown): Error {
    const route = `${request.method} ${request.routeOptions.url as string}`
    request.log.error({ err: cause, change: change.description, changeVersion: change.version, route },
      `fastify-date-versioning: a ${part} migration of the change "${change.description}" (version ${String(change.version)}) failed on ${route}`)
    return createApiVersionError('ApiVersionMigrationFailed', context(request, part))
  }

  /** The hooks of a route; `of` picks the handler of the request's method (a route may declare several). */
  function hooksOf (of: (request: FastifyRequest) => ChangedHandler, schema: RouteSchema | undefined): { onRequest: Hook, preValidation: Hook, preSerialization: PreSerialization, onError: typeof keepPluginErrors } {
    function endpointInVersion (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const reason = of(request).absent.get((request.apiVersion as { version: string }).version)
      done(reason === undefined ? undefined : createApiVersionError('ApiVersionEndpointNotFound', context(request, reason)))
    }

    function migrateRequest (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const plan = of(request).plans.get((request.apiVersion as { version: string }).version)?.request
      if (plan === undefined) {
        done()
        return
      }
      for (const { part, schema } of plan.validation) {
        const validate = request.compileValidationSchema(schema, part)
        const value = part === 'querystring' ? request.query : request[part]
        const result = validate(value ?? null) as unknown
        // Ajv answers false and keeps its errors; a custom validator compiler may answer { error }.
        const errors = result === false ? validate.errors : (result as { error?: unknown }).error
        if (errors !== undefined && errors !== null) {
          done(errors instanceof Error ? errors : validationError(errors as [], part))
          return
        }
      }
      const subject: MigratingRequest = { body: request.body, query: request.query as Record<string, unknown>, headers: request.headers }
      for (const step of plan.steps) {
        try {
          step.run(subject)
        } catch (error) {
          done(migrationFailed(request, 'request', step.change, error))
          return
        }
      }
      request.body = subject.body
      request.query = subject.query
      done()
    }

    const keyOf = responseKeyOf(Object.keys(schema?.response ?? {}))
    function migrateResponse (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
      // A request refused before it resolved has no version, and no plan.
      const plan = of(request).plans.get(request.apiVersion?.version as string)?.response
      if (plan === undefined) {
        done(null, payload)
        return
      }
      let body = payload
      if (plan.migrate !== undefined && (reply.statusCode < 400 || (plan.errors && !failed.has(request)))) {
        // The handler's value is left alone (it may be shared), and a failure sends nothing half-migrated.
        const response: MigratingResponse = { body: copyBody(payload), statusCode: reply.statusCode, headers: plan.byRoute ? { ...reply.getHeaders() } : {} }
        try {
          plan.migrate(response)
        } catch (error) {
          const { change, cause } = error as MigrationFailure
          done(migrationFailed(request, 'response', change, cause))
          return
        }
        if (plan.byRoute) {
          applyHeaders(reply, response.headers)
          reply.code(response.statusCode)
        }
        body = response.body
      }
      const key = keyOf(reply.statusCode)
      const schema = key === undefined ? undefined : plan.schemas.get(key)
      // Compiled once per schema by Fastify (cached on the route), with the route's serializer compiler.
      if (schema !== undefined) reply.serializer(reply.compileSerializationSchema(schema as Record<string, unknown>, String(reply.statusCode)))
      done(null, body)
    }
    return { onRequest: endpointInVersion, preValidation: migrateRequest, preSerialization: migrateResponse, onError: keepPluginErrors }
  }

  /** The plugin's own errors (a sunset, a migration that failed) are never migrated. */
  function keepPluginErrors (request: FastifyRequest, _reply: FastifyReply, error: Error, done: () => void): void {
    if (error instanceof ApiVersionError) failed.add(request)
    done()
  }

  function route (options: RouteOptions, version: string, key: string, scope: FastifyInstance): SchemaInVersion | undefined {
    const methods = asArray(options.method)
    for (const method of methods) versioned.push({ method, url: options.url })
    if (registry.empty) return undefined
    const schema = options.schema as RouteSchema | undefined
    const shared = (id: string): unknown => scope.getSchema(id)
    const records = methods.map(method => ({ method, url: options.url, concern: registry.concern({ method, url: options.url }, schema, shared) }))
    const concern = {
      endpoint: records.some(r => r.concern.endpoint),
      request: records.some(r => r.concern.request),
      response: records.some(r => r.concern.response)
    }
    if (!concern.endpoint && !concern.request && !concern.response) return undefined
    const own = records.map(({ method }) => {
      const handler: ChangedHandler = { method, url: options.url, version, key: `${method} ${key}`, schema, shared, sharedIds: () => Object.keys(scope.getSchemas()), plans: new Map(), since: () => version, absent: new Map() }
      handlers.push(handler)
      return handler
    })
    const first = own[0] as ChangedHandler
    const byMethod = new Map(own.map(h => [h.method, h]))
    const hooks = hooksOf(own.length === 1 ? () => first : request => byMethod.get(request.method) as ChangedHandler, schema)
    if (concern.endpoint) options.onRequest = [...asArray(options.onRequest), hooks.onRequest] as RouteOptions['onRequest']
    if (concern.request) options.preValidation = [hooks.preValidation, ...asArray(options.preValidation)] as RouteOptions['preValidation']
    if (concern.response) {
      options.preSerialization = [...asArray(options.preSerialization), hooks.preSerialization] as RouteOptions['preSerialization']
      options.onError = [...asArray(options.onError), hooks.onError] as RouteOptions['onError']
    }
    const handler = first
    return version => {
      if (handler.absent.has(version)) return null
      const plan = handler.plans.get(version)
      const since = handler.since(version)
      if (plan === undefined) return { schema: schema as Readonly<Record<string, unknown>> | undefined, since }
      const response: Record<string, unknown> = { ...schema?.response }
      for (const [status, derived] of plan.response?.schemas ?? []) response[status] = derived
      const parts = Object.fromEntries((plan.request?.validation ?? []).map(({ part, schema }) => [part, schema]))
      return { schema: { ...schema, ...parts, ...(schema?.response === undefined ? {} : { response }) }, since }
    }
  }

  fastify.addHook('onReady', async () => {
    if (registry.empty) return
    const sharedIds = new Set(handlers.flatMap(h => [...h.sharedIds()]))
    for (const id of Object.keys(fastify.getSchemas())) sharedIds.add(id)
    const seen = new Set<string>()
    const byKey = new Map<string, ChangedHandler[]>()
    for (const handler of handlers) byKey.set(handler.key, [...byKey.get(handler.key) ?? [], handler])
    // Compared with undefined, a version is neither before nor after: no next handler, no removal.
    const versions = timeline.versions.map(v => v.version)
    for (const handler of handlers) {
      // The newest version the handler serves: the one before the route's next handler, or before
      // the version that removed the endpoint, or the newest declared.
      const next = (byKey.get(handler.key) as ChangedHandler[]).map(h => h.version).filter(v => v > handler.version).sort()[0]
      const history = registry.endpointHistory(handler)
      const until = versions.filter(v => !(v >= (next as string)) && !(v >= (history.removedIn as string))).at(-1) as string
      handler.absent = history.absent
      const planned = registry.plan(handler, handler.version, until, handler.schema, handler.shared)
      handler.plans = planned.plans
      handler.since = planned.since
      for (const schema of [handler.schema?.body, handler.schema?.querystring, handler.schema?.params, handler.schema?.headers, ...Object.values(handler.schema?.response ?? {})]) {
        collectIds(schema, seen)
      }
    }
    const shared = (id: string): unknown => fastify.getSchema(id) ?? handlers.map(h => h.shared(id)).find(s => s !== undefined)
    registry.check(versioned, sharedIds, seen, shared)
  })

  return { registry, route }
}

function applyHeaders (reply: FastifyReply, headers: MigratingResponse['headers']): void {
  for (const name of Object.keys(reply.getHeaders())) if (!(name in headers)) reply.removeHeader(name)
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) reply.header(name, value)
}

/** The `$id`s that occur in a schema: a change may name one of them. */
function collectIds (schema: unknown, ids: Set<string>): void {
  if (Array.isArray(schema)) {
    for (const item of schema) collectIds(item, ids)
    return
  }
  if (typeof schema !== 'object' || schema === null) return
  const { $id } = schema as { $id?: unknown }
  if (typeof $id === 'string') ids.add($id)
  for (const value of Object.values(schema)) collectIds(value, ids)
}
