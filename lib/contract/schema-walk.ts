/**
 * Reads a JSON Schema (OpenAPI flavour) into one normal form, so that the comparison sees the
 * same thing however a contract spells it: `$ref`s are followed, `allOf` branches merged,
 * `nullable: true`, `type: [..., 'null']` and a `{ type: 'null' }` alternative all become
 * `nullable`, and a `oneOf`/`anyOf` left with a single alternative is that alternative.
 */

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

export function isObject (value: unknown): value is RawSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
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
  const declared = typeof raw.type === 'string' ? [raw.type] : Array.isArray(raw.type) ? raw.type.map(String) : undefined
  const nullable = raw.nullable === true || (declared?.includes('null') ?? false)
  const types = declared?.filter(type => type !== 'null').sort()
  return { types: types?.length === 0 ? undefined : types, nullable }
}

/** Normalises `value` (a schema or a `$ref` to one) within `document`. */
export function normalise (value: unknown, document: unknown): NormalSchema {
  const raw = resolve(value, document)
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
    required: new Set(Array.isArray(raw.required) ? raw.required.map(String) : []),
    items: isObject(raw.items) ? raw.items : undefined,
    additionalProperties: raw.additionalProperties === false ? false : isObject(raw.additionalProperties) ? raw.additionalProperties : true,
    variants: variantsOf(raw, document),
    keywords
  }
  if (Array.isArray(raw.allOf)) {
    for (const branch of raw.allOf) schema = merge(schema, normalise(branch, document))
    // OpenAPI 3.0 writes a nullable reference as `{ nullable: true, allOf: [{ $ref }] }`.
    if (nullable) schema = { ...schema, nullable }
  }
  return withoutNullVariant(schema, document)
}

/** `oneOf: [X, { type: 'null' }]` is how OpenAPI 3.1 writes a nullable X. */
function withoutNullVariant (schema: NormalSchema, document: unknown): NormalSchema {
  const variants = schema.variants
  if (variants === undefined) return schema
  const list = variants.list.filter(variant => !isNullSchema(resolve(variant.schema, document)))
  if (list.length === variants.list.length) return schema
  const nullable = { ...schema, nullable: true, variants: { kind: variants.kind, list } }
  if (list.length !== 1) return nullable
  return { ...merge({ ...nullable, variants: undefined }, normalise(list[0]!.schema, document)), nullable: true }
}

/** The schema both `a` and `b` describe (an `allOf` of the two). */
function merge (a: NormalSchema, b: NormalSchema): NormalSchema {
  const properties = new Map(a.properties)
  for (const [name, schema] of b.properties) {
    const existing = properties.get(name)
    properties.set(name, existing === undefined ? schema : { allOf: [existing, schema] })
  }
  const types = a.types === undefined ? b.types : b.types === undefined ? a.types : a.types.filter(type => b.types!.includes(type))
  return {
    identity: a.identity,
    types,
    // Null passes the `allOf` when each branch admits it, by saying so or by not constraining the type.
    nullable: (a.nullable || a.types === undefined) && (b.nullable || b.types === undefined) && (a.nullable || b.nullable),
    properties,
    required: new Set([...a.required, ...b.required]),
    items: a.items === undefined ? b.items : b.items === undefined ? a.items : { allOf: [a.items, b.items] },
    additionalProperties: a.additionalProperties === false || b.additionalProperties === false
      ? false
      : a.additionalProperties === true ? b.additionalProperties : a.additionalProperties,
    variants: a.variants ?? b.variants,
    keywords: { ...a.keywords, ...b.keywords }
  }
}
