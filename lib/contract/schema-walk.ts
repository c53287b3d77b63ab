/**
 * Reads a JSON Schema (OpenAPI flavour) into one normal form, so that the comparison sees the
 * same thing however a contract spells it: `$ref`s are followed, `allOf` branches merged,
 * `nullable: true`, `type: [..., 'null']` and a `{ type: 'null' }` alternative all become
 * `nullable`, and a `oneOf`/`anyOf` left with a single alternative is that alternative.
 */

import { isObject as isPlainObject } from '../util.js'

export type RawSchema = Record<string, unknown>

/** An alternative of a `oneOf`/`anyOf`, named by its `$ref`, its `title`, its type or its position. */
export interface Variant {
  readonly key: string
  readonly schema: RawSchema
}

export interface NormalSchema {
  /** The raw object after following `$ref`s: identifies the schema to stop on recursive definitions. */
  readonly identity: RawSchema
  /** Allowed types without `null`, sorted; undefined when any type is allowed. */
  readonly types: readonly string[] | undefined
  readonly nullable: boolean
  readonly properties: ReadonlyMap<string, RawSchema>
  readonly required: ReadonlySet<string>
  readonly items: RawSchema | undefined
  /** `false`, `true` (also when absent) or the schema of additional properties. */
  readonly additionalProperties: boolean | RawSchema
  readonly variants: { readonly kind: 'one-of' | 'any-of', readonly list: readonly Variant[] } | undefined
  /** Every other keyword (bounds, pattern, enum, default, readOnly, …) as written. */
  readonly keywords: Readonly<Record<string, unknown>>
}

const structural = new Set(['$ref', 'type', 'nullable', 'properties', 'required', 'items', 'additionalProperties', 'allOf', 'oneOf', 'anyOf'])

/** A plain object, read as a schema (util's isObject, typed for the walk). */
export const isObject: (value: unknown) => value is RawSchema = isPlainObject

/** A value as text: a document parsed from JSON may hold an object (even one named `toString`) where a name belongs. */
export function textOf (value: unknown): string {
  return typeof value === 'string' ? value : String(JSON.stringify(value))
}

/** Follows a local `$ref` (`#/components/schemas/Move`) in `document`, repeatedly; unknown targets read as `{}`. */
export function resolve (value: unknown, document: unknown): RawSchema {
  let current = isObject(value) ? value : {}
  const seen = new Set<RawSchema>()
  while (typeof current.$ref === 'string' && !seen.has(current)) {
    seen.add(current)
    let target: unknown = document
    for (const segment of current.$ref.replace(/^#\/?/, '').split('/')) {
      const name = decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~')
      target = isObject(target) ? target[name] : undefined
    }
    current = isObject(target) ? target : {}
  }
  return current
}

function isNullSchema (schema: RawSchema): boolean {
  return schema.type === 'null'
}

function variantsOf (raw: RawSchema, document: unknown): NormalSchema['variants'] {
  const kind = Array.isArray(raw.oneOf) ? 'one-of' : Array.isArray(raw.anyOf) ? 'any-of' : undefined
  if (kind === undefined) return undefined
  const list = (kind === 'one-of' ? raw.oneOf : raw.anyOf) as unknown[]
  const keys = new Set<string>()
  return {
    kind,
    list: list.map((entry, index) => {
      const branch = isObject(entry) ? entry : {}
      const resolved = resolve(branch, document)
      // Named by what survives a reordering: the `$ref`, the title, else the type.
      const name = typeof branch.$ref === 'string'
        ? branch.$ref
        : typeof resolved.title === 'string' ? resolved.title : typesOf(resolved).types?.join('|') ?? ''
      const key = name === '' || keys.has(name) ? `${name}#${index}` : name
      keys.add(key)
      return { key, schema: branch }
    })
  }
}

function typesOf (raw: RawSchema): { types: string[] | undefined, nullable: boolean } {
  const declared = typeof raw.type === 'string' ? [raw.type] : Array.isArray(raw.type) ? raw.type.map(textOf) : undefined
  const nullable = raw.nullable === true || (declared?.includes('null') ?? false)
  const types = declared?.filter(type => type !== 'null').sort()
  return { types: types?.length === 0 ? undefined : types, nullable }
}

/** Steps a comparison may still take; normalising a schema is one, and stops merging once none are left. */
export interface WorkBudget { left: number }

/**
 * Normalises `value` (a schema or a `$ref` to one) within `document`. `within`: the schemas being
 * normalised further up, which an `allOf` or a nullable `oneOf` naming one of them (itself, through
 * `$ref`s) adds nothing to: skipping them keeps such a document from recursing forever. `work`:
 * the comparison's budget, which merges of merges (an `allOf` of schemas that merge one another)
 * can exhaust; the caller reports it.
 */
export function normalise (value: unknown, document: unknown, within: ReadonlySet<RawSchema> = new Set(), work: WorkBudget = { left: Infinity }): NormalSchema {
  const raw = resolve(value, document)
  const inside = new Set(within).add(raw)
  work.left--
  const { types, nullable } = typesOf(raw)
  const properties = new Map<string, RawSchema>()
  for (const [name, schema] of Object.entries(isObject(raw.properties) ? raw.properties : {})) {
    properties.set(name, isObject(schema) ? schema : {})
  }
  const keywords: Record<string, unknown> = {}
  for (const [key, keyword] of Object.entries(raw)) {
    if (!structural.has(key)) keywords[key] = keyword
  }
  let schema: NormalSchema = {
    identity: raw,
    types,
    nullable,
    properties,
    required: new Set(Array.isArray(raw.required) ? raw.required.map(textOf) : []),
    items: isObject(raw.items) ? raw.items : undefined,
    additionalProperties: raw.additionalProperties === false ? false : isObject(raw.additionalProperties) ? raw.additionalProperties : true,
    variants: variantsOf(raw, document),
    keywords
  }
  if (Array.isArray(raw.allOf)) {
    for (const branch of raw.allOf) {
      if (work.left > 0 && !inside.has(resolve(branch, document))) schema = merge(schema, normalise(branch, document, inside, work))
    }
    // OpenAPI 3.0 writes a nullable reference as `{ nullable: true, allOf: [{ $ref }] }`.
    if (nullable) schema = { ...schema, nullable }
  }
  return withoutNullVariant(schema, document, inside, work)
}

/** `oneOf: [X, { type: 'null' }]` is how OpenAPI 3.1 writes a nullable X. */
function withoutNullVariant (schema: NormalSchema, document: unknown, within: ReadonlySet<RawSchema>, work: WorkBudget): NormalSchema {
  const variants = schema.variants
  if (variants === undefined) return schema
  const list = variants.list.filter(variant => !isNullSchema(resolve(variant.schema, document)))
  if (list.length === variants.list.length) return schema
  const nullable = { ...schema, nullable: true, variants: { kind: variants.kind, list } }
  if (list.length !== 1 || within.has(resolve(list[0]!.schema, document))) return nullable
  return { ...merge({ ...nullable, variants: undefined }, normalise(list[0]!.schema, document, within, work)), nullable: true }
}

const combinations = new WeakMap<object, WeakMap<object, RawSchema>>()

/**
 * `{ allOf: [a, b] }`, the same object each time for the same `a` and `b`: comparisons cut cycles
 * where a schema repeats, which a new object at each visit would never do.
 */
function combined (a: RawSchema, b: RawSchema): RawSchema {
  // A schema merged with itself is itself; nesting it would grow a new schema at every visit.
  if (a === b) return a
  let byB = combinations.get(a)
  if (byB === undefined) combinations.set(a, byB = new WeakMap())
  let both = byB.get(b)
  if (both === undefined) byB.set(b, both = { allOf: [a, b] })
  return both
}

/** The schema both `a` and `b` describe (an `allOf` of the two). */
function merge (a: NormalSchema, b: NormalSchema): NormalSchema {
  const properties = new Map(a.properties)
  for (const [name, schema] of b.properties) {
    const existing = properties.get(name)
    properties.set(name, existing === undefined ? schema : combined(existing, schema))
  }
  const types = a.types === undefined ? b.types : b.types === undefined ? a.types : a.types.filter(type => b.types!.includes(type))
  return {
    identity: a.identity,
    types,
    // Null passes the `allOf` when each branch admits it, by saying so or by not constraining the type.
    nullable: (a.nullable || a.types === undefined) && (b.nullable || b.types === undefined) && (a.nullable || b.nullable),
    properties,
    required: new Set([...a.required, ...b.required]),
    items: a.items === undefined ? b.items : b.items === undefined ? a.items : combined(a.items, b.items),
    additionalProperties: a.additionalProperties === false || b.additionalProperties === false
      ? false
      : a.additionalProperties === true ? b.additionalProperties : a.additionalProperties,
    variants: a.variants ?? b.variants,
    keywords: { ...a.keywords, ...b.keywords }
  }
}
