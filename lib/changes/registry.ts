import { configError, usageError } from '../errors.js'
import type { Timeline } from '../timeline.js'
import { copyBody } from './body-copy.js'
import type { MigrationFailure } from './response-run.js'
import { planHandler, type HandlerPlans, type RouteSchema, type TimelineChange, type VersionPlan } from './plan.js'
import { SchemaTargets, template } from './schema-tree.js'

/**
 * The change objects of a timeline, in order, with what the routes need of them: whether a route is
 * concerned, when an endpoint did not exist, the plans of its handlers, and migrations outside
 * routing (webhooks). Pure: no Fastify here.
 */

/** A route as the registry checks it. */
export interface ChangedRoute {
  readonly method: string
  readonly url: string
}

/** What a route needs from the changes, known at registration. */
export interface RouteConcern {
  /** Some change says when the endpoint did not exist. */
  readonly endpoint: boolean
  /** Some change may touch its requests (a schema of the request, or a request migration of the route). */
  readonly request: boolean
  /** Some change may touch its responses. */
  readonly response: boolean
}

export class ChangeRegistry {
  readonly changes: readonly TimelineChange[]
  readonly targets = new SchemaTargets()
  readonly #versions: readonly string[]
  readonly #timeline: Timeline
  /** Keys of the schemas some change is about. */
  readonly #keys = new Set<string>()
  /** Schemas named by `$id` only: they must be found among the shared schemas or the routes. */
  readonly #ids = new Map<string, string>()
  readonly #webhookPlans = new Map<object, ReadonlyMap<string, VersionPlan>>()

  constructor (timeline: Timeline) {
    this.#timeline = timeline
    this.#versions = timeline.versions.map(v => v.version)
    this.changes = timeline.versions.flatMap(v => v.versionChanges.map(change => ({ change, version: v.version })))
    for (const { change, version } of this.changes) {
      for (const item of [...change.schemas, ...change.requests, ...change.responses]) {
        const target = 'target' in item ? item.target : item.schema
        if (target === undefined) continue
        const key = this.targets.add(target)
        this.#keys.add(key)
        if (typeof target === 'string') this.#ids.set(target, `the change "${change.description}" of version ${version}`)
      }
    }
  }

  /** Whether the timeline has any change object: without one, nothing of this module runs. */
  get empty (): boolean {
    return this.changes.length === 0
  }

  #routeNames (kind: 'requests' | 'responses'): Set<string> {
    return new Set(this.changes.flatMap(c => c.change[kind].flatMap(m => m.route === undefined ? [] : [m.route])))
  }

  /** What changes may do to the route, from its schema as declared (`shared`: its scope's schemas by `$id`); asked only when there are changes. */
  concern (route: ChangedRoute, schema: RouteSchema | undefined, shared: (id: string) => unknown): RouteConcern {
    const name = `${route.method} ${route.url}`
    const touches = (part: unknown): boolean => {
      const keys = new Set<string>()
      template(part, this.targets, shared, keys)
      return keys.size > 0
    }
    return {
      endpoint: this.changes.some(c => c.change.endpoints.some(e => e.url === route.url && e.methods.includes(route.method))),
      request: this.#routeNames('requests').has(name) || [schema?.body, schema?.querystring, schema?.params, schema?.headers].some(touches),
      response: this.#routeNames('responses').has(name) || Object.values(schema?.response ?? {}).some(touches)
    }
  }

  /**
   * Per version, why the endpoint does not exist in it (added by a later change, or removed by an
   * earlier one), and the last version it exists in when a change removed it.
   */
  endpointHistory (route: ChangedRoute): { readonly absent: ReadonlyMap<string, string>, readonly removedIn: string | undefined } {
    const absent = new Map<string, string>()
    let removedIn: string | undefined
    for (const { change, version } of this.changes) {
      for (const e of change.endpoints) {
        if (e.url !== route.url || !e.methods.includes(route.method)) continue
        if (e.kind === 'existed') removedIn ??= version
        for (const v of this.#versions) {
          if (e.kind === 'didNotExist' && v < version) absent.set(v, `it was introduced in API version ${version}`)
          if (e.kind === 'existed' && v >= version && !absent.has(v)) absent.set(v, `it was removed in API version ${version}`)
        }
      }
    }
    return { absent, removedIn }
  }

  /** The plans of one handler (see planHandler). */
  plan (route: ChangedRoute, from: string, until: string, schema: RouteSchema | undefined, shared: (id: string) => unknown): HandlerPlans {
    return planHandler({ ...route, from, until, schema, versions: this.#versions, changes: this.changes, targets: this.targets, shared })
  }

  /**
   * Checked once every route is known: each route a change names exists (as a versioned route),
   * each schema named by `$id` exists, and each schema's instructions apply from head to the oldest
   * version (a property named must be there).
   */
  check (routes: readonly ChangedRoute[], sharedIds: ReadonlySet<string>, seenKeys: ReadonlySet<string>, shared: (id: string) => unknown): void {
    const known = new Set(routes.map(r => `${r.method} ${r.url}`))
    const declared = [...known].sort().join(', ')
    for (const { change, version } of this.changes) {
      const where = `the change "${change.description}" of version ${version}`
      for (const m of [...change.requests, ...change.responses]) {
        if (m.route !== undefined && !known.has(m.route)) throw configError(`${where} migrates ${m.route}, which is not a versioned route. Versioned routes: ${declared}.`)
      }
      for (const e of change.endpoints) {
        for (const method of e.methods) {
          if (!known.has(`${method} ${e.url}`)) throw configError(`${where} says ${method} ${e.url} did not exist or existed, but it is not a versioned route. Register it with an apiVersion constraint. Versioned routes: ${declared}.`)
        }
      }
    }
    for (const [id, where] of this.#ids) {
      if (!sharedIds.has(id) && !seenKeys.has(id)) throw configError(`${where} names the schema "${id}", which no route uses and addSchema did not declare. Name a schema by its $id as declared, or pass the schema object.`)
    }
    // The instructions of every schema, from head back to the oldest version: a wrong property fails here.
    for (const { change } of this.changes) {
      for (const instruction of change.schemas) {
        const { target } = instruction
        const schema = typeof target === 'string' ? shared(target) : target
        if (schema !== undefined) this.#webhookPlan(schema as object)
      }
    }
  }

  #webhookPlan (schema: object): ReadonlyMap<string, VersionPlan> {
    let plans = this.#webhookPlans.get(schema)
    if (plans === undefined) {
      const oldest = this.#versions[0] as string
      const newest = this.#versions[this.#versions.length - 1] as string
      plans = planHandler({ method: 'MIGRATE', url: '/', from: oldest, until: newest, schema: { response: { 200: schema } }, versions: this.#versions, changes: this.changes, targets: this.targets, shared: () => undefined }).plans
      this.#webhookPlans.set(schema, plans)
    }
    return plans
  }

  /**
   * `body`, an object of `schema` as the newest version has it, as clients of `version` know it: the
   * response migrations keyed by that schema (wherever it occurs in it) of every change after
   * `version`, newest first. For webhooks and events sent to clients pinned at an older version.
   */
  migrateResponse<T> (schema: object, body: T, version: string): unknown {
    if (typeof schema !== 'object' || schema === null) throw usageError('migrateResponse(schema, body, version) takes the schema object that describes body.')
    const served = this.#timeline.floor(String(version))
    if (served === undefined) throw usageError(`migrateResponse(): ${JSON.stringify(version)} is not a date on or after the first declared version, ${this.#versions[0] as string}.`)
    const migrate = this.#webhookPlan(schema).get(served.version)?.response?.migrate
    if (migrate === undefined) return body
    const response = { body: copyBody(body), statusCode: 200, headers: {} }
    try {
      migrate(response)
    } catch (error) {
      // The caller's own error, as its migration threw it.
      throw (error as MigrationFailure).cause
    }
    return response.body
  }
}
