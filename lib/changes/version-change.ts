import { configError, usageError } from '../errors.js'
import { rejectUnknownKeys } from '../options/known-keys.js'
import { isObject } from '../util.js'

/**
 * Version changes as code: a version's `changes` may hold change objects, made by versionChange(),
 * that describe the past. Business logic is written once, for the newest version a handler serves;
 * each change says how schemas and endpoints looked before it, how an older request becomes a newer
 * one (forward) and how a newer response becomes an older one (backward). Pure: no Fastify here.
 */

/** The schema a change is about: a schema object (matched by identity, or by its `$id`) or a `$id` added with `addSchema`. */
export type SchemaTarget = object | string

/** The TypeScript type of a TypeBox schema (what `Static<S>` gives), without naming TypeBox. */
export type StaticOf<S> = S extends { static: infer T } ? T : Record<string, unknown>

/**
 * What a schema migration receives: an object of the schema, in the shape of the version on one
 * side of the change. The schema's properties are typed and optional (the other shape may lack
 * them); any other property is `unknown` (the other shape may have it).
 */
export type Migrating<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: T[K] } & Record<string, unknown> : T

/** An HTTP method and a route URL as declared, such as `GET /moves/:id`. */
export type RouteName = `${'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'SEARCH' | 'TRACE' | 'PROPFIND' | 'PROPPATCH' | 'MKCOL' | 'COPY' | 'MOVE' | 'LOCK' | 'UNLOCK' | 'REPORT' | 'MKACTIVITY' | 'CHECKOUT' | 'MERGE' | 'M-SEARCH' | 'NOTIFY' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'QUERY'} /${string}`

/** A request as a route migration sees it: every part may be changed or replaced. */
export interface MigratingRequest {
  body: any
  query: Record<string, any>
  headers: Record<string, string | string[] | undefined>
}

/** A response as a route migration sees it: every part may be changed or replaced. */
export interface MigratingResponse {
  body: any
  statusCode: number
  headers: Record<string, string | number | string[] | undefined>
}

/** How a schema looked before a change: one instruction. */
export type SchemaInstruction =
  | { readonly kind: 'didNotExist', readonly target: SchemaTarget, readonly property: string }
  | { readonly kind: 'existedAs', readonly target: SchemaTarget, readonly property: string, readonly schema: object, readonly required: boolean }
  | { readonly kind: 'hadName', readonly target: SchemaTarget, readonly property: string, readonly name: string }
  | { readonly kind: 'required', readonly target: SchemaTarget, readonly property: string, readonly required: boolean }
  | { readonly kind: 'had', readonly target: SchemaTarget, readonly property: string | undefined, readonly keywords: Readonly<Record<string, unknown>> }
  | { readonly kind: 'was', readonly target: SchemaTarget, readonly schema: object | ((current: any) => object) }

/** Whether an endpoint existed on either side of a change. */
export interface EndpointInstruction {
  /** `didNotExist`: added in the change's version; `existed`: removed in it. */
  readonly kind: 'didNotExist' | 'existed'
  readonly methods: readonly string[]
  readonly url: string
}

/** A request migration (older → newer), keyed by schema or by route. */
export type RequestMigration =
  | { readonly kind: 'request', readonly schema: SchemaTarget, readonly route?: undefined, readonly migrate: (value: any) => void }
  | { readonly kind: 'request', readonly route: string, readonly schema?: undefined, readonly migrate: (request: MigratingRequest) => void }

/** A response migration (newer → older), keyed by schema or by route. */
export type ResponseMigration =
  | { readonly kind: 'response', readonly schema: SchemaTarget, readonly route?: undefined, readonly errors: boolean, readonly migrate: (value: any) => void }
  | { readonly kind: 'response', readonly route: string, readonly schema?: undefined, readonly errors: boolean, readonly migrate: (response: MigratingResponse) => void }

/** The instructions about one property of a schema. */
export interface PropertyInstructions {
  /** The property did not exist before the change (it was added). */
  didNotExist: () => SchemaInstruction
  /** The property existed with this schema before the change (it was removed, or its schema changed). A TypeBox `Optional` schema is not required. */
  existedAs: (schema: object, options?: { required?: boolean }) => SchemaInstruction
  /** The property was called `name` before the change (it was renamed). */
  hadName: (name: string) => SchemaInstruction
  /** The property was required before the change. */
  wasRequired: () => SchemaInstruction
  /** The property was optional before the change. */
  wasOptional: () => SchemaInstruction
  /** The property's schema had these keywords before the change (`enum`, `minimum`, `pattern`, `format`…); `undefined` means the keyword was absent. */
  had: (keywords: Record<string, unknown>) => SchemaInstruction
}

/** The instructions about one schema. */
export interface SchemaInstructions<S> {
  /** Instructions about the property `name` (at head, or as it was before the change). */
  property: (name: (keyof StaticOf<S> & string) | (string & Record<never, never>)) => PropertyInstructions
  /** The schema had these keywords before the change; `undefined` means the keyword was absent. */
  had: (keywords: Record<string, unknown>) => SchemaInstruction
  /** The whole schema was another one before the change: given as is, or computed from the schema as it was after the change. */
  was: (schema: object | ((current: any) => object)) => SchemaInstruction
}

const instructions = new WeakSet<object>()
const made = <T extends object>(value: T): T => {
  instructions.add(value)
  return Object.freeze(value)
}

const TYPEBOX_OPTIONAL = Symbol.for('TypeBox.Optional')

function checkTarget (target: unknown, label: string): SchemaTarget {
  if (typeof target === 'string' ? target === '' : !isObject(target)) {
    throw configError(`${label} takes a schema object (a TypeBox schema, or one with a $id) or the $id of a schema added with addSchema; received ${JSON.stringify(target)}.`)
  }
  return target as SchemaTarget
}

function checkName (name: unknown, label: string): string {
  if (typeof name !== 'string' || name === '') throw configError(`${label} takes a property name; received ${JSON.stringify(name)}.`)
  return name
}

function checkSchema (schema: unknown, label: string): object {
  if (!isObject(schema)) throw configError(`${label} takes a JSON schema object; received ${JSON.stringify(schema)}.`)
  return schema
}

function checkKeywords (keywords: unknown, label: string): Readonly<Record<string, unknown>> {
  if (!isObject(keywords) || Object.keys(keywords).length === 0) throw configError(`${label} takes the keywords the schema had, such as { enum: ['a', 'b'] } or { maxLength: 10 }.`)
  if ('properties' in keywords || 'required' in keywords) throw configError(`${label} changes keywords, not properties: use property(name) for properties and required.`)
  return Object.freeze({ ...keywords })
}

/**
 * How a schema looked before a change:
 *
 *     schema(Person).property('firstName').didNotExist()
 *     schema(Person).property('name').existedAs(Type.String())
 */
export function schema<S extends object | string> (target: S): SchemaInstructions<S> {
  checkTarget(target, 'schema()')
  return {
    property (name) {
      const property = checkName(name, 'schema().property()')
      const label = `schema().property(${JSON.stringify(property)})`
      return {
        didNotExist: () => made({ kind: 'didNotExist', target, property }),
        existedAs (schema, options = {}) {
          const checked = checkSchema(schema, `${label}.existedAs()`)
          const required = options.required ?? (checked as Record<symbol, unknown>)[TYPEBOX_OPTIONAL] !== 'Optional'
          return made({ kind: 'existedAs', target, property, schema: checked, required })
        },
        hadName: (old) => made({ kind: 'hadName', target, property, name: checkName(old, `${label}.hadName()`) }),
        wasRequired: () => made({ kind: 'required', target, property, required: true }),
        wasOptional: () => made({ kind: 'required', target, property, required: false }),
        had: (keywords) => made({ kind: 'had', target, property, keywords: checkKeywords(keywords, `${label}.had()`) })
      }
    },
    had: (keywords) => made({ kind: 'had', target, property: undefined, keywords: checkKeywords(keywords, 'schema().had()') }),
    was (schema) {
      if (typeof schema !== 'function') checkSchema(schema, 'schema().was()')
      return made({ kind: 'was', target, schema })
    }
  }
}

/** A migration keyed by route names it `METHOD /url`; any other string is a schema's `$id`. */
const ROUTE = /^[A-Z-]+ \/\S*$/

/** Whether an endpoint existed before a change: `endpoint('POST', '/moves/:id/cancel').didNotExist()`. */
export function endpoint (methods: string | readonly string[], url: string): { didNotExist: () => EndpointInstruction, existed: () => EndpointInstruction } {
  const list = typeof methods === 'string' ? [methods] : methods
  if (!Array.isArray(list) || list.length === 0 || !list.every(m => typeof m === 'string' && /^[A-Za-z-]+$/.test(m))) {
    throw configError(`endpoint() takes an HTTP method or a list of them, such as "GET" or ["PUT", "PATCH"]; received ${JSON.stringify(methods)}.`)
  }
  if (typeof url !== 'string' || !url.startsWith('/')) throw configError(`endpoint() takes the route URL as declared, such as "/moves/:id"; received ${JSON.stringify(url)}.`)
  const upper = Object.freeze(list.map(m => m.toUpperCase()))
  return {
    didNotExist: () => made({ kind: 'didNotExist', methods: upper, url }),
    existed: () => made({ kind: 'existed', methods: upper, url })
  }
}

/**
 * A request migration, run forward (older → newer) on requests of the versions before the change:
 * keyed by a schema, it receives each object of that schema in the body; keyed by a route
 * (`'POST /moves'`), the whole request.
 */
export function requestMigration (route: RouteName, migrate: (request: MigratingRequest) => void): RequestMigration
export function requestMigration<S extends object | string> (schema: S, migrate: (value: Migrating<StaticOf<S>>) => void): RequestMigration
export function requestMigration (target: SchemaTarget, migrate: (value: any) => void): RequestMigration {
  if (typeof migrate !== 'function') throw configError('requestMigration(target, migrate) takes a function that changes the request (or the object) in place.')
  if (typeof target === 'string' && ROUTE.test(target)) return made({ kind: 'request', route: target, migrate })
  return made({ kind: 'request', schema: checkTarget(target, 'requestMigration()'), migrate })
}

/** Options of a response migration. */
export interface ResponseMigrationOptions {
  /** Also migrate error responses (status 400 and above), such as a status that used to be 400 and is now 404. */
  errors?: boolean
}

/**
 * A response migration, run backward (newer → older) on responses to the versions before the
 * change: keyed by a schema, it receives each object of that schema in the body; keyed by a route
 * (`'GET /moves'`), the whole response (body, status code, headers).
 */
export function responseMigration (route: RouteName, migrate: (response: MigratingResponse) => void, options?: ResponseMigrationOptions): ResponseMigration
export function responseMigration<S extends object | string> (schema: S, migrate: (value: Migrating<StaticOf<S>>) => void, options?: ResponseMigrationOptions): ResponseMigration
export function responseMigration (target: SchemaTarget, migrate: (value: any) => void, options: ResponseMigrationOptions = {}): ResponseMigration {
  if (typeof migrate !== 'function') throw configError('responseMigration(target, migrate) takes a function that changes the response (or the object) in place.')
  if (!isObject(options)) throw configError('responseMigration() options must be an object such as { errors: true }.')
  rejectUnknownKeys(options, ['errors'], key => `responseMigration() has no option "${key}"; use errors.`)
  if (options.errors !== undefined && typeof options.errors !== 'boolean') throw configError('responseMigration() option errors must be true or false.')
  const errors = options.errors === true
  if (typeof target === 'string' && ROUTE.test(target)) return made({ kind: 'response', route: target, errors, migrate })
  return made({ kind: 'response', schema: checkTarget(target, 'responseMigration()'), errors, migrate })
}

/** What versionChange() takes. */
export interface VersionChangeSpec {
  /** The change in words, for clients: listed under its version in the changelog and on the docs page. */
  description: string
  /** How schemas looked before the change (schema(...)). */
  schemas?: readonly SchemaInstruction[]
  /** Endpoints added or removed by the change (endpoint(...)). */
  endpoints?: readonly EndpointInstruction[]
  /** How a request of an older version becomes one of this version (requestMigration(...)). */
  requests?: readonly RequestMigration[]
  /** How a response of this version becomes one of an older version (responseMigration(...)). */
  responses?: readonly ResponseMigration[]
}

/** The request as isApplied() reads it: `request.apiVersion`, set by the plugin. */
export interface VersionedRequest {
  readonly apiVersion: { readonly version: string } | null
}

/** A change, as versionChange() makes it; put it in a version's `changes`. */
export class VersionChange {
  readonly description: string
  readonly schemas: readonly SchemaInstruction[]
  readonly endpoints: readonly EndpointInstruction[]
  readonly requests: readonly RequestMigration[]
  readonly responses: readonly ResponseMigration[]
  #version: string | undefined

  /** Use versionChange(). */
  constructor (spec: VersionChangeSpec) {
    this.description = spec.description
    this.schemas = Object.freeze([...spec.schemas ?? []])
    this.endpoints = Object.freeze([...spec.endpoints ?? []])
    this.requests = Object.freeze([...spec.requests ?? []])
    this.responses = Object.freeze([...spec.responses ?? []])
  }

  /** The version the change is declared in, once the plugin has read the timeline. */
  get version (): string | undefined {
    return this.#version
  }

  /** Called by the options: a change belongs to one version. */
  declareIn (version: string): void {
    if (this.#version !== undefined && this.#version !== version) {
      throw configError(`the change "${this.description}" is declared in version ${this.#version} and in version ${version}; a change belongs to one version (make one change object per version).`)
    }
    this.#version = version
  }

  /**
   * Whether the change applies to `request`: it was served by a version released before the
   * change, whose clients see the world as it was. For the rare change that is business logic,
   * not shape; prefer schema instructions and migrations (docs/version-changes.md says why).
   */
  isApplied (request: VersionedRequest): boolean {
    if (this.#version === undefined) throw usageError(`the change "${this.description}" is not in the versions of a registration of the plugin; add it to a version's changes before asking isApplied().`)
    const served = request.apiVersion
    return served !== null && served.version < this.#version
  }
}

const SPEC_FIELDS = ['description', 'schemas', 'endpoints', 'requests', 'responses']

function checkList<T> (spec: Record<string, unknown>, field: string, made: string, accept: (value: Record<string, unknown>) => boolean): readonly T[] | undefined {
  const list = spec[field]
  if (list === undefined) return undefined
  if (!Array.isArray(list) || !list.every(i => instructions.has(i as object) && accept(i as Record<string, unknown>))) {
    throw configError(`versionChange({ ${field} }) must be an array of what ${made} returns.`)
  }
  return list as T[]
}

/**
 * A version change:
 *
 *     versionChange({
 *       description: 'person.name is split into person.firstName and person.lastName',
 *       schemas: [schema(Person).property('firstName').didNotExist(), …],
 *       requests: [requestMigration(Person, person => { … })],
 *       responses: [responseMigration(Person, person => { … })]
 *     })
 */
export function versionChange (spec: VersionChangeSpec): VersionChange {
  if (!isObject(spec)) throw configError('versionChange() takes an object such as { description: "…", schemas: [...] }.')
  rejectUnknownKeys(spec, SPEC_FIELDS, key => `versionChange() has no field "${key}"; known fields: ${SPEC_FIELDS.join(', ')}.`)
  if (typeof spec.description !== 'string' || spec.description.trim() === '') {
    throw configError('versionChange({ description }) must describe the change for clients, such as "person.name is split into firstName and lastName".')
  }
  const raw = spec as unknown as Record<string, unknown>
  return new VersionChange({
    description: spec.description,
    schemas: checkList(raw, 'schemas', 'schema(...).property(...).didNotExist() and the like', i => 'target' in i),
    endpoints: checkList(raw, 'endpoints', 'endpoint(...).didNotExist() or .existed()', i => 'url' in i),
    requests: checkList(raw, 'requests', 'requestMigration()', i => i.kind === 'request'),
    responses: checkList(raw, 'responses', 'responseMigration()', i => i.kind === 'response')
  })
}
