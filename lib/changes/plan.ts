import { locate, visitor } from './locate.js'
import { responseRun, type ResponseUnit } from './response-run.js'
import { derive, template, type PlacedInstruction, type SchemaTargets } from './schema-tree.js'
import type { MigratingRequest, MigratingResponse, VersionChange } from './version-change.js'

/**
 * The plan of one handler for each version it serves, worked out at start-up: the schemas of that
 * version (to validate requests and serialize responses) and the migrations to run, located in the
 * body once. A handler serves from its version until the route's next handler and is written for
 * the newest version it serves; the changes released after the served version, up to that newest
 * version, apply: forward (oldest first) to requests, backward (newest first) to responses.
 * Pure: no Fastify here.
 */

/** A change with the version it is declared in, in the order of the timeline. */
export interface TimelineChange {
  readonly change: VersionChange
  readonly version: string
}

/** The parts of a request that a route schema may validate, as Fastify names them. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers'
const REQUEST_PARTS: readonly RequestPart[] = ['body', 'querystring', 'params', 'headers']

export interface RouteSchema {
  readonly body?: unknown
  readonly querystring?: unknown
  readonly params?: unknown
  readonly headers?: unknown
  readonly response?: Readonly<Record<string, unknown>>
}

/** A step of a migration: one change, run on a request or a response. */
export interface MigrationStep<Subject> {
  readonly change: VersionChange
  readonly run: (subject: Subject) => void
}

export interface RequestPlan {
  /** The parts whose schema in this version differs from the handler's: validated with the version's schema. */
  readonly validation: ReadonlyArray<{ readonly part: RequestPart, readonly schema: object }>
  readonly steps: ReadonlyArray<MigrationStep<MigratingRequest>>
}

export interface ResponsePlan {
  /** Runs the migrations, newest change first; throws a MigrationFailure. */
  readonly migrate: ((response: MigratingResponse) => void) | undefined
  /** The response schemas (by status key, as declared) that differ in this version from the handler's. */
  readonly schemas: ReadonlyMap<string, object>
  /** Whether any step migrates error responses. */
  readonly errors: boolean
  /** Whether a migration keyed by route runs: only such a migration sees (and may change) the status and headers. */
  readonly byRoute: boolean
}

export interface VersionPlan {
  readonly request: RequestPlan | undefined
  readonly response: ResponsePlan | undefined
}

export interface HandlerPlanInput {
  readonly method: string
  readonly url: string
  /** The version the handler serves from, and the newest version it serves (written for). */
  readonly from: string
  readonly until: string
  readonly schema: RouteSchema | undefined
  /** The declared versions, oldest first. */
  readonly versions: readonly string[]
  readonly changes: readonly TimelineChange[]
  readonly targets: SchemaTargets
  /** The shared schema a `$ref` names (the route's scope's `addSchema`). */
  readonly shared: (id: string) => unknown
}

/** The status key of a response schema that serves `status`, as Fastify picks it: exact, `2xx`, `default`. */
export function responseKeyOf (keys: readonly string[]): (status: number) => string | undefined {
  const lower = new Map(keys.map(key => [key.toLowerCase(), key]))
  // Asked per request: each status's answer is worked out once (there are at most 500 of them).
  const known = new Map<number, string | undefined>()
  return status => {
    if (known.has(status)) return known.get(status)
    const exact = String(status)
    const key = lower.get(exact) ?? lower.get(`${exact[0] as string}xx`) ?? lower.get('default')
    known.set(status, key)
    return key
  }
}

const serialize = (schema: unknown): string | undefined => JSON.stringify(schema)

function byKeyFrom (placed: ReadonlyArray<{ key: string, placed: PlacedInstruction, index: number }>, from: number): Map<string, PlacedInstruction[]> {
  const byKey = new Map<string, PlacedInstruction[]>()
  // Newest change first (the derivation walks back from the schema as written); within a change,
  // its instructions in the order declared.
  const changes = [...new Set(placed.map(p => p.index))].filter(index => index >= from).reverse()
  for (const index of changes) {
    for (const entry of placed) {
      if (entry.index === index) byKey.set(entry.key, [...byKey.get(entry.key) ?? [], entry.placed])
    }
  }
  return byKey
}

interface Parts {
  readonly request: Partial<Record<RequestPart, unknown>>
  readonly response: Record<string, unknown>
}

export interface HandlerPlans {
  /** By version date; a version absent needs nothing (the handler's newest). */
  readonly plans: ReadonlyMap<string, VersionPlan>
  /**
   * The version in which the route took the shape a version serves: the latest change at or before
   * it that changed something of the route, else the handler's own version.
   */
  readonly since: (version: string) => string
}

/** The plans of one handler, by version. */
export function planHandler (input: HandlerPlanInput): HandlerPlans {
  const { method, url, from, until, targets } = input
  const route = `${method} ${url}`
  const relevant = input.changes.filter(c => c.version > from && c.version <= until)
  const plans = new Map<string, VersionPlan>()
  const changed: string[] = []
  const since = (version: string): string => changed.findLast(v => v <= version) ?? from
  if (relevant.length === 0) return { plans, since }

  const copy = (schema: unknown): unknown => template(schema, targets, input.shared)
  const placed = relevant.flatMap((c, index) => c.change.schemas.map(instruction => ({
    key: targets.add(instruction.target),
    placed: { instruction, where: `the change "${c.change.description}" of version ${c.version}` },
    index
  })))
  const schema = input.schema ?? {}
  const responseKeys = Object.keys(schema.response ?? {})
  const templates: Parts = {
    request: Object.fromEntries(REQUEST_PARTS.filter(p => schema[p] !== undefined).map(p => [p, copy(schema[p])])),
    response: Object.fromEntries(responseKeys.map(k => [k, copy(schema.response?.[k])]))
  }
  // states[i]: the schemas before relevant[i] (and every later change); states[n]: as written.
  const states: Parts[] = []
  for (let i = 0; i <= relevant.length; i++) {
    const byKey = byKeyFrom(placed, i)
    const derived = (tree: unknown): unknown => derive(tree, byKey, copy)
    states.push({
      request: Object.fromEntries(Object.entries(templates.request).map(([p, t]) => [p, derived(t)])),
      response: Object.fromEntries(Object.entries(templates.response).map(([k, t]) => [k, derived(t)]))
    })
  }
  const head = states[relevant.length] as Parts
  const headText = {
    request: Object.fromEntries(Object.entries(head.request).map(([p, s]) => [p, serialize(s)])),
    response: Object.fromEntries(Object.entries(head.response).map(([k, s]) => [k, serialize(s)]))
  }
  const keyOf = responseKeyOf(responseKeys)
  // One object per distinct schema, so that versions with the same schema share one compiled function.
  const distinct = new Map<string | undefined, object>()
  const shared = (text: string | undefined, schema: object): object => {
    const known = distinct.get(text)
    if (known !== undefined) return known
    distinct.set(text, schema)
    return schema
  }
  const ownRoute = (name: string): boolean => name === route

  const requestSteps = relevant.map((c, j) => {
    const before = states[j] as Parts
    const visits = c.change.requests
      .filter(m => m.schema !== undefined)
      .flatMap(m => locate(before.request.body, targets.add(m.schema as object)).map(path => visitor(path, m.migrate)))
    const whole = c.change.requests.filter(m => m.route !== undefined && ownRoute(m.route)).map(m => m.migrate)
    if (visits.length === 0 && whole.length === 0) return undefined
    return {
      change: c.change,
      run (request: MigratingRequest) {
        for (const visit of visits) visit(request.body)
        for (const migrate of whole) migrate(request)
      }
    }
  })

  const responseUnits = relevant.map((c, j): ResponseUnit[] => {
    const after = states[j + 1] as Parts
    const units: ResponseUnit[] = []
    for (const m of c.change.responses) {
      if (m.schema === undefined) continue
      const key = targets.add(m.schema)
      for (const status of responseKeys) {
        for (const path of locate(after.response[status], key)) units.push({ change: c.change, errors: m.errors, status, path, migrate: m.migrate })
      }
    }
    for (const m of c.change.responses) {
      if (m.route !== undefined && ownRoute(m.route)) units.push({ change: c.change, errors: m.errors, migrate: m.migrate })
    }
    return units
  })

  relevant.forEach((c, j) => {
    const differs = (part: 'request' | 'response'): boolean => serialize((states[j] as Parts)[part]) !== serialize((states[j + 1] as Parts)[part])
    if (requestSteps[j] !== undefined || (responseUnits[j] as ResponseUnit[]).length > 0 || differs('request') || differs('response')) changed.push(c.version)
  })
  for (const version of input.versions) {
    if (version < from || version > until) continue
    const first = relevant.findIndex(c => c.version > version)
    if (first === -1) continue
    const state = states[first] as Parts
    const validation = Object.entries(state.request)
      .map(([part, schema]) => ({ part: part as RequestPart, schema: schema as object, text: serialize(schema) }))
      .filter(({ part, text }) => text !== headText.request[part])
      .map(({ part, schema, text }) => ({ part, schema: shared(text, schema) }))
    const forward = requestSteps.slice(first).filter(s => s !== undefined)
    const backward = responseUnits.slice(first).reverse().flat()
    const schemas = new Map(Object.entries(state.response)
      .map(([key, schema]) => [key, schema as object, serialize(schema)] as const)
      .filter(([key, , text]) => text !== headText.response[key])
      .map(([key, schema, text]) => [key, shared(text, schema)]))
    const request = validation.length === 0 && forward.length === 0 ? undefined : { validation, steps: forward }
    const response = backward.length === 0 && schemas.size === 0
      ? undefined
      : { migrate: responseRun(backward, keyOf), schemas, errors: backward.some(unit => unit.errors), byRoute: backward.some(unit => unit.status === undefined) }
    if (request !== undefined || response !== undefined) plans.set(version, { request, response })
  }
  return { plans, since }
}
