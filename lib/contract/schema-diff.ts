import { contractError } from '../errors.js'
import { pointerSegment, type ContractChange, type Scope } from './change.js'
import {
  ADDITIONAL_PROPERTIES_ALLOWED, ADDITIONAL_PROPERTIES_DISALLOWED, ANY_OF_ADDED, ANY_OF_REMOVED, BECAME_ENUM, BECAME_NOT_NULLABLE, BECAME_NULLABLE, CONST_CHANGED, DEFAULT_VALUE_ADDED, DEFAULT_VALUE_CHANGED, DEFAULT_VALUE_REMOVED, ENUM_REMOVED, ENUM_VALUE_ADDED, ENUM_VALUE_REMOVED, EXCLUSIVE_MAX_DECREASED, EXCLUSIVE_MAX_INCREASED, EXCLUSIVE_MAX_SET, EXCLUSIVE_MAX_UNSET, EXCLUSIVE_MIN_DECREASED, EXCLUSIVE_MIN_INCREASED, EXCLUSIVE_MIN_SET, EXCLUSIVE_MIN_UNSET, FORMAT_ADDED, FORMAT_CHANGED, FORMAT_REMOVED, MAX_DECREASED, MAX_INCREASED, MAX_ITEMS_DECREASED, MAX_ITEMS_INCREASED, MAX_ITEMS_SET, MAX_ITEMS_UNSET, MAX_LENGTH_DECREASED, MAX_LENGTH_INCREASED, MAX_LENGTH_SET, MAX_LENGTH_UNSET, MAX_SET, MAX_UNSET, MIN_DECREASED, MIN_INCREASED, MIN_ITEMS_DECREASED, MIN_ITEMS_INCREASED, MIN_ITEMS_SET, MIN_ITEMS_UNSET, MIN_LENGTH_DECREASED, MIN_LENGTH_INCREASED, MIN_LENGTH_SET, MIN_LENGTH_UNSET, MIN_SET, MIN_UNSET, MULTIPLE_OF_CHANGED, MULTIPLE_OF_RELAXED, MULTIPLE_OF_SET, MULTIPLE_OF_UNSET, NEW_OPTIONAL_REQUEST_PROPERTY, NEW_REQUIRED_REQUEST_PROPERTY, ONE_OF_ADDED, ONE_OF_REMOVED, PATTERN_ADDED, PATTERN_CHANGED, PATTERN_REMOVED, REQUEST_BODY, REQUEST_PARAMETER, REQUEST_PROPERTY, REQUEST_PROPERTY_BECAME_OPTIONAL, REQUEST_PROPERTY_BECAME_REQUIRED, REQUEST_PROPERTY_REMOVED, RESPONSE_BODY, RESPONSE_HEADER, RESPONSE_OPTIONAL_PROPERTY_ADDED, RESPONSE_OPTIONAL_PROPERTY_REMOVED, RESPONSE_PROPERTY, RESPONSE_PROPERTY_BECAME_OPTIONAL, RESPONSE_PROPERTY_BECAME_REQUIRED, RESPONSE_REQUIRED_PROPERTY_ADDED, RESPONSE_REQUIRED_PROPERTY_REMOVED, TYPE_CHANGED, TYPE_GENERALIZED, TYPE_SPECIALIZED, UNIQUE_ITEMS_SET, UNIQUE_ITEMS_UNSET,
  schemaRules, structuralRules, type SchemaRuleSuffix, type SchemaSubject, type Side, type StructuralRuleId
} from './rules.js'
import { isObject, normalise, type NormalSchema, type RawSchema } from './schema-walk.js'

/**
 * Compares two schemas of the same value (a body, a parameter, a header) and reports each
 * difference with the level its side gives it. Recursive through properties, items,
 * additional properties and `oneOf`/`anyOf` alternatives.
 */

/** What is being compared: the documents (to follow `$ref`s), the side and where the findings go. */
export interface SchemaContext {
  readonly before: unknown
  readonly after: unknown
  readonly side: Side
  /** `parameter` and `header` values keep their subject at every depth; bodies become `property` below the root. */
  readonly value: 'body' | 'parameter' | 'header'
  /** The pointer of the value itself: a parameter's or header's name, empty for a body. */
  readonly root: string
  readonly scope: Scope
  readonly location: string
  readonly changes: ContractChange[]
  readonly walk: SchemaWalk
}

/**
 * What the comparison of two documents shares across all their schemas: the normal form of each
 * schema met so far (a shared schema is met once per place that uses it) and the comparisons left.
 */
export interface SchemaWalk {
  left: number
  readonly before: Map<unknown, NormalSchema>
  readonly after: Map<unknown, NormalSchema>
}

/**
 * Cycles are cut where a pair of schemas repeats, but schemas that include one another many ways
 * can still make the walk exponential: past this many steps (schemas compared or normalised; about a
 * second of work, or 500 operations of 500 schema nodes each) the comparison stops with an error
 * instead of running for hours.
 */
const MAX_SCHEMA_STEPS = 250_000
const MAX_DEPTH = 64

export const newWalk = (): SchemaWalk => ({ left: MAX_SCHEMA_STEPS, before: new Map(), after: new Map() })

/** The normal form of `value` in the `before` or `after` document, computed once per comparison. */
function normalised (context: SchemaContext, side: 'before' | 'after', value: unknown): NormalSchema {
  const cache = context.walk[side]
  let schema = cache.get(value)
  if (schema === undefined) cache.set(value, schema = normalise(value, context[side], undefined, context.walk))
  return schema
}

/** Bound keywords and the rule of each move; whether a move tightens is in the rule table. */
interface BoundRules { readonly keyword: string, readonly set: SchemaRuleSuffix, readonly unset: SchemaRuleSuffix, readonly increased: SchemaRuleSuffix, readonly decreased: SchemaRuleSuffix }
const bounds: readonly BoundRules[] = [
  { keyword: 'maxLength', set: MAX_LENGTH_SET, unset: MAX_LENGTH_UNSET, increased: MAX_LENGTH_INCREASED, decreased: MAX_LENGTH_DECREASED },
  { keyword: 'minLength', set: MIN_LENGTH_SET, unset: MIN_LENGTH_UNSET, increased: MIN_LENGTH_INCREASED, decreased: MIN_LENGTH_DECREASED },
  { keyword: 'maximum', set: MAX_SET, unset: MAX_UNSET, increased: MAX_INCREASED, decreased: MAX_DECREASED },
  { keyword: 'minimum', set: MIN_SET, unset: MIN_UNSET, increased: MIN_INCREASED, decreased: MIN_DECREASED },
  { keyword: 'exclusiveMaximum', set: EXCLUSIVE_MAX_SET, unset: EXCLUSIVE_MAX_UNSET, increased: EXCLUSIVE_MAX_INCREASED, decreased: EXCLUSIVE_MAX_DECREASED },
  { keyword: 'exclusiveMinimum', set: EXCLUSIVE_MIN_SET, unset: EXCLUSIVE_MIN_UNSET, increased: EXCLUSIVE_MIN_INCREASED, decreased: EXCLUSIVE_MIN_DECREASED },
  { keyword: 'maxItems', set: MAX_ITEMS_SET, unset: MAX_ITEMS_UNSET, increased: MAX_ITEMS_INCREASED, decreased: MAX_ITEMS_DECREASED },
  { keyword: 'minItems', set: MIN_ITEMS_SET, unset: MIN_ITEMS_UNSET, increased: MIN_ITEMS_INCREASED, decreased: MIN_ITEMS_DECREASED }
]

/** The rules of alternatives added to or removed from a `oneOf` or an `anyOf`. */
const variantRules = {
  'one-of': { added: ONE_OF_ADDED, removed: ONE_OF_REMOVED },
  'any-of': { added: ANY_OF_ADDED, removed: ANY_OF_REMOVED }
} as const

function subjectOf (context: SchemaContext, pointer: string): SchemaSubject {
  if (context.value === 'parameter') return REQUEST_PARAMETER
  if (context.value === 'header') return RESPONSE_HEADER
  if (context.side === 'request') return pointer === '' ? REQUEST_BODY : REQUEST_PROPERTY
  return pointer === '' ? RESPONSE_BODY : RESPONSE_PROPERTY
}

function describe (context: SchemaContext, pointer: string): string {
  return `${context.location}${pointer === '' ? '' : ' ' + pointer}`
}

function show (value: unknown): string {
  return JSON.stringify(value)
}

function reportSchema (context: SchemaContext, pointer: string, suffix: SchemaRuleSuffix, detail: string): void {
  const rule = schemaRules[suffix]
  context.changes.push({
    // The rule's id, on the subject it applies to: request-property-max-length-set.
    id: `${subjectOf(context, pointer)}-${suffix}`,
    level: rule[context.side],
    ...context.scope,
    location: context.location,
    pointer,
    message: `${describe(context, pointer)}: ${rule.text}${detail === '' ? '' : ' (' + detail + ')'}`
  })
}

function reportStructural (context: SchemaContext, pointer: string, id: StructuralRuleId, text: string): void {
  context.changes.push({ id, level: structuralRules[id], ...context.scope, location: context.location, pointer, message: `${describe(context, pointer)}: ${text}` })
}

/** Compares `before` and `after` (schemas or `$ref`s) at `pointer`. */
export function compareSchemas (context: SchemaContext, before: unknown, after: unknown, pointer = '', ancestors: ReadonlyArray<readonly [RawSchema, RawSchema]> = []): void {
  const a = normalised(context, 'before', before)
  const b = normalised(context, 'after', after)
  if (--context.walk.left < 0) {
    throw contractError(`the contracts are too recursive to compare: over ${MAX_SCHEMA_STEPS} steps, the last at ${context.location} ${pointer}. Schemas that include one another through allOf, oneOf or properties in many ways make the walk exponential; simplify them.`)
  }
  // A recursive definition (a tree of nodes) is compared down to where it repeats itself.
  if (ancestors.some(([x, y]) => x === a.identity && y === b.identity)) return
  // Deeper than real schemas go: merged schemas that merge one another again at every level never repeat.
  if (ancestors.length >= MAX_DEPTH) return
  const path = [...ancestors, [a.identity, b.identity] as const]
  const recurse = (x: unknown, y: unknown, at: string) => compareSchemas(context, x, y, at, path)

  if ((a.variants === undefined) !== (b.variants === undefined)) return compareWrapped(context, before, after, a, b, pointer, recurse)
  // Once the type changed, what lies below is another value: its differences would be noise.
  if (compareTypes(context, a, b, pointer)) return
  compareKeywords(context, a, b, pointer)
  compareProperties(context, a, b, pointer, recurse)
  if (a.items !== undefined || b.items !== undefined) recurse(a.items ?? {}, b.items ?? {}, pointer + '/*')
  compareAdditional(context, a, b, pointer, recurse)
  compareVariants(context, a, b, pointer, recurse)
}

/** Integer values are numbers: `integer` to `number` widens. */
function accepts (types: readonly string[], type: string): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'))
}

/** Reports type changes; true when the types have nothing in common. */
function compareTypes (context: SchemaContext, a: NormalSchema, b: NormalSchema, pointer: string): boolean {
  if (a.nullable && !b.nullable) reportSchema(context, pointer, BECAME_NOT_NULLABLE, '')
  if (!a.nullable && b.nullable) reportSchema(context, pointer, BECAME_NULLABLE, '')
  const from = a.types ?? []
  const to = b.types ?? []
  if (from.join() === to.join()) return false
  const detail = `from ${from.join('|') || 'any'} to ${to.join('|') || 'any'}`
  // A parameter's own value is text on the wire (query, path, header, cookie): every value read as
  // another type is also a valid string, so becoming a string accepts every request sent before, as
  // oasdiff's request-parameter-type-generalized says.
  const asText = context.value === 'parameter' && pointer === context.root && to.join() === 'string'
  const widened = asText || b.types === undefined || (a.types !== undefined && from.every(type => accepts(to, type)))
  const narrowed = a.types === undefined || to.every(type => accepts(from, type))
  reportSchema(context, pointer, widened ? TYPE_GENERALIZED : narrowed ? TYPE_SPECIALIZED : TYPE_CHANGED, detail)
  return !widened && !narrowed
}

function compareKeywords (context: SchemaContext, a: NormalSchema, b: NormalSchema, pointer: string): void {
  for (const bound of bounds) {
    // OpenAPI 3.0 spells exclusive bounds as booleans; only numeric bounds are compared (NaN bounds nothing).
    const from = finite(a.keywords[bound.keyword])
    const to = finite(b.keywords[bound.keyword])
    if (from === to) continue
    const detail = `from ${from ?? 'none'} to ${to ?? 'none'}`
    if (from === undefined) reportSchema(context, pointer, bound.set, detail)
    else if (to === undefined) reportSchema(context, pointer, bound.unset, detail)
    else reportSchema(context, pointer, to < from ? bound.decreased : bound.increased, detail)
  }
  compareMultipleOf(context, a.keywords.multipleOf, b.keywords.multipleOf, pointer)
  if (a.keywords.uniqueItems !== true && b.keywords.uniqueItems === true) reportSchema(context, pointer, UNIQUE_ITEMS_SET, '')
  if (a.keywords.uniqueItems === true && b.keywords.uniqueItems !== true) reportSchema(context, pointer, UNIQUE_ITEMS_UNSET, '')
  compareFormat(context, a.keywords.format, b.keywords.format, pointer)
  comparePattern(context, a.keywords.pattern, b.keywords.pattern, pointer)
  if ('const' in a.keywords && 'const' in b.keywords) compareConst(context, a.keywords.const, b.keywords.const, pointer)
  else compareEnum(context, valuesOf(a.keywords), valuesOf(b.keywords), pointer)
  compareDefault(context, a.keywords, b.keywords, pointer)
}

const finite = (value: unknown): number | undefined => typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** A step of `multipleOf`: a positive number, as JSON Schema requires; anything else sets none. */
const step = (value: unknown): number | undefined => (finite(value) ?? 0) > 0 ? value as number : undefined

function compareMultipleOf (context: SchemaContext, from: unknown, to: unknown, pointer: string): void {
  const a = step(from)
  const b = step(to)
  if (a === b) return
  const detail = `from ${a ?? 'none'} to ${b ?? 'none'}`
  if (a === undefined) return reportSchema(context, pointer, MULTIPLE_OF_SET, detail)
  if (b === undefined) return reportSchema(context, pointer, MULTIPLE_OF_UNSET, detail)
  // Every multiple of the old step is a multiple of the new one when the new one divides it (a ratio close to an integer: 0.1 and 0.3).
  const ratio = a / b
  reportSchema(context, pointer, Math.abs(ratio - Math.round(ratio)) < 1e-9 ? MULTIPLE_OF_RELAXED : MULTIPLE_OF_CHANGED, detail)
}

function compareFormat (context: SchemaContext, from: unknown, to: unknown, pointer: string): void {
  const a = typeof from === 'string' ? from : undefined
  const b = typeof to === 'string' ? to : undefined
  if (a === b) return
  const detail = `from ${a ?? 'none'} to ${b ?? 'none'}`
  reportSchema(context, pointer, a === undefined ? FORMAT_ADDED : b === undefined ? FORMAT_REMOVED : FORMAT_CHANGED, detail)
}

/** The values a schema allows by listing them: `enum`, or `const`, a list of one. */
function valuesOf (keywords: Readonly<Record<string, unknown>>): unknown {
  return 'const' in keywords ? [keywords.const] : keywords.enum
}

function comparePattern (context: SchemaContext, from: unknown, to: unknown, pointer: string): void {
  // Compared as JSON: a hand-edited document may hold something other than a string here.
  const a = show(from)
  const b = show(to)
  if (a === b) return
  reportSchema(context, pointer, a === undefined ? PATTERN_ADDED : b === undefined ? PATTERN_REMOVED : PATTERN_CHANGED, `from ${a ?? 'none'} to ${b ?? 'none'}`)
}

/** One value replaced by another: neither the old value is accepted nor is the new one the value clients read. */
function compareConst (context: SchemaContext, from: unknown, to: unknown, pointer: string): void {
  const a = show(from)
  const b = show(to)
  if (a !== b) reportSchema(context, pointer, CONST_CHANGED, `from ${a} to ${b}`)
}

function compareEnum (context: SchemaContext, from: unknown, to: unknown, pointer: string): void {
  const before = Array.isArray(from) ? from.map(show) : undefined
  const after = Array.isArray(to) ? to.map(show) : undefined
  if (before === undefined && after === undefined) return
  if (before === undefined) return reportSchema(context, pointer, BECAME_ENUM, `${after!.join(', ')}`)
  if (after === undefined) return reportSchema(context, pointer, ENUM_REMOVED, '')
  for (const value of before) if (!after.includes(value)) reportSchema(context, pointer, ENUM_VALUE_REMOVED, value)
  for (const value of after) if (!before.includes(value)) reportSchema(context, pointer, ENUM_VALUE_ADDED, value)
}

function compareDefault (context: SchemaContext, a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>, pointer: string): void {
  const from = 'default' in a ? show(a.default) : undefined
  const to = 'default' in b ? show(b.default) : undefined
  if (from === to) return
  const detail = `from ${from ?? 'none'} to ${to ?? 'none'}`
  reportSchema(context, pointer, from === undefined ? DEFAULT_VALUE_ADDED : to === undefined ? DEFAULT_VALUE_REMOVED : DEFAULT_VALUE_CHANGED, detail)
}

/** A property the other side never sees: read-only ones are not sent, write-only ones not returned. */
function hidden (context: SchemaContext, side: 'before' | 'after', schema: RawSchema): boolean {
  const keywords = normalised(context, side, schema).keywords
  return context.side === 'request' ? keywords.readOnly === true : keywords.writeOnly === true
}

function visibleProperties (context: SchemaContext, side: 'before' | 'after', schema: NormalSchema): Map<string, RawSchema> {
  return new Map([...schema.properties].filter(([, property]) => !hidden(context, side, property)))
}

function compareProperties (context: SchemaContext, a: NormalSchema, b: NormalSchema, pointer: string, recurse: (x: unknown, y: unknown, at: string) => void): void {
  const before = visibleProperties(context, 'before', a)
  const after = visibleProperties(context, 'after', b)
  const request = context.side === 'request'
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const at = pointer + pointerSegment(name)
    const wasRequired = a.required.has(name)
    const isRequired = b.required.has(name)
    if (!after.has(name)) {
      const id = request ? REQUEST_PROPERTY_REMOVED : wasRequired ? RESPONSE_REQUIRED_PROPERTY_REMOVED : RESPONSE_OPTIONAL_PROPERTY_REMOVED
      reportStructural(context, at, id, 'property removed')
    } else if (!before.has(name)) {
      const id = request
        ? isRequired ? NEW_REQUIRED_REQUEST_PROPERTY : NEW_OPTIONAL_REQUEST_PROPERTY
        : isRequired ? RESPONSE_REQUIRED_PROPERTY_ADDED : RESPONSE_OPTIONAL_PROPERTY_ADDED
      reportStructural(context, at, id, `${isRequired ? 'required' : 'optional'} property added`)
    } else {
      if (wasRequired !== isRequired) {
        const id = request
          ? isRequired ? REQUEST_PROPERTY_BECAME_REQUIRED : REQUEST_PROPERTY_BECAME_OPTIONAL
          : isRequired ? RESPONSE_PROPERTY_BECAME_REQUIRED : RESPONSE_PROPERTY_BECAME_OPTIONAL
        reportStructural(context, at, id, `property became ${isRequired ? 'required' : 'optional'}`)
      }
      recurse(before.get(name), after.get(name), at)
    }
  }
}

function compareAdditional (context: SchemaContext, a: NormalSchema, b: NormalSchema, pointer: string, recurse: (x: unknown, y: unknown, at: string) => void): void {
  const from = a.additionalProperties
  const to = b.additionalProperties
  if (from !== false && to === false) reportSchema(context, pointer, ADDITIONAL_PROPERTIES_DISALLOWED, '')
  else if (from === false && to !== false) reportSchema(context, pointer, ADDITIONAL_PROPERTIES_ALLOWED, '')
  else if (typeof from === 'object' || typeof to === 'object') recurse(from === true ? {} : from, to === true ? {} : to, pointer + '/*')
}

/** A `$ref` names a schema, whichever alternative list it appears in. */
function refOf (value: unknown): string | undefined {
  return isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined
}

/**
 * One side is a `oneOf`/`anyOf`, the other a plain schema: the plain schema is compared with the
 * alternative that is the same schema (same `$ref`, or else same type), and the other alternatives
 * are added (or removed). With no such alternative, the value changed type.
 */
function compareWrapped (context: SchemaContext, before: unknown, after: unknown, a: NormalSchema, b: NormalSchema, pointer: string, recurse: (x: unknown, y: unknown, at: string) => void): void {
  const wrapped = b.variants !== undefined
  const plain = wrapped ? a : b
  const plainRaw = wrapped ? before : after
  const { kind, list } = (wrapped ? b.variants : a.variants)!
  const document = wrapped ? context.after : context.before
  const match = list.find(variant => variant.key === refOf(plainRaw)) ??
    list.find(variant => normalise(variant.schema, document).types?.join() === plain.types?.join())
  if (match === undefined) {
    // A schema that allows any value has no alternative of its own: alternatives narrow it, and dropping them widens.
    const suffix = plain.types === undefined ? (wrapped ? TYPE_SPECIALIZED : TYPE_GENERALIZED) : TYPE_CHANGED
    return reportSchema(context, pointer, suffix, wrapped ? `to ${kind}` : `from ${kind}`)
  }
  if (wrapped) recurse(before, match.schema, pointer)
  else recurse(match.schema, after, pointer)
  for (const variant of list) {
    if (variant !== match) reportSchema(context, pointer, wrapped ? variantRules[kind].added : variantRules[kind].removed, variant.key)
  }
}

/** Alternatives are matched by their keys (`$ref`, title, type, position: see schema-walk.ts). */
function compareVariants (context: SchemaContext, a: NormalSchema, b: NormalSchema, pointer: string, recurse: (x: unknown, y: unknown, at: string) => void): void {
  if (a.variants === undefined || b.variants === undefined) return
  const kind = b.variants.kind
  const before = a.variants.list
  const after = b.variants.list
  for (const variant of before) {
    const match = after.find(candidate => candidate.key === variant.key)
    if (match === undefined) reportSchema(context, pointer, variantRules[kind].removed, variant.key)
    else recurse(variant.schema, match.schema, pointer)
  }
  for (const variant of after) {
    if (!before.some(candidate => candidate.key === variant.key)) reportSchema(context, pointer, variantRules[kind].added, variant.key)
  }
}
