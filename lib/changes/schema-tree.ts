import { configError } from '../errors.js'
import { isObject } from '../util.js'
import type { SchemaInstruction, SchemaTarget } from './version-change.js'

/**
 * Schemas as the changes see them. A route's schema is copied once into a template in which every
 * occurrence of a changed schema (the same object, its `$id`, or a `$ref` to it) carries a mark;
 * the schema of an older version is the template with each marked node rewritten by the
 * instructions of the changes after that version, newest first. Pure: no Fastify here.
 */

/** The mark of a changed schema's occurrence: the schema's key. */
export const MARK = Symbol('fastify-date-versioning.changed-schema')

export type SchemaNode = Record<string | symbol, unknown>

/** The changed schemas, by key. */
export class SchemaTargets {
  readonly #byObject = new WeakMap<object, string>()
  /**
   * By the `properties` of an object schema: TypeBox's `Type.Optional(Person)` and
   * `Type.Readonly(Person)` are shallow copies of Person, and a property declared with one is Person.
   */
  readonly #byProperties = new WeakMap<object, string>()
  readonly #ids = new Set<string>()
  readonly #names = new Set<string>()

  /** The key of a target: its `$id`, or a name made up for a schema object without one. */
  add (target: SchemaTarget): string {
    if (typeof target === 'string') {
      this.#ids.add(target)
      return target
    }
    let key = this.#byObject.get(target)
    if (key === undefined) {
      const id = (target as Record<string, unknown>).$id
      key = typeof id === 'string' ? id : this.#name(target)
      this.#byObject.set(target, key)
      const { properties } = target as { properties?: unknown }
      if (typeof properties === 'object' && properties !== null) this.#byProperties.set(properties, key)
      if (typeof id === 'string') this.#ids.add(id)
    }
    return key
  }

  /** A schema without `$id` is named by its properties in messages, such as `{firstName, lastName}`; a second one with the same, `{…}#2`. */
  #name (target: object): string {
    const base = `{${Object.keys((target as { properties?: object }).properties ?? {}).join(', ')}}`
    let name = base
    for (let n = 2; this.#names.has(name); n++) name = `${base}#${n}`
    this.#names.add(name)
    return name
  }

  /** The key of `node` when it is a changed schema (the object itself, or one with its `$id`). */
  keyOf (node: SchemaNode): string | undefined {
    const key = this.#byObject.get(node) ?? (isObject(node.properties) ? this.#byProperties.get(node.properties) : undefined)
    if (key !== undefined) return key
    const id = node.$id
    return typeof id === 'string' && this.#ids.has(id) ? id : undefined
  }
}

/** The `$id` a `$ref` such as `Person#` or `Person` names; `undefined` for a pointer into a schema. */
function refId (ref: string): string | undefined {
  const hash = ref.indexOf('#')
  if (hash === -1) return ref
  return hash === ref.length - 1 ? ref.slice(0, -1) : undefined
}

/**
 * Copies `schema` into a template: changed schemas marked, `$ref`s to shared schemas inlined (so a
 * changed schema found through them can be rewritten) except where a schema includes itself, `$id`s
 * dropped (a derived schema is not the schema of that `$id` any more).
 */
export function template (schema: unknown, targets: SchemaTargets, shared: (id: string) => unknown, keys?: Set<string>): unknown {
  const inProgress = new Set<unknown>()
  function copy (node: unknown): unknown {
    if (Array.isArray(node)) return node.map(copy)
    if (!isObject(node)) return node
    let source: SchemaNode = node
    if (typeof node.$ref === 'string') {
      const id = refId(node.$ref)
      const found = id === undefined ? undefined : shared(id)
      // A shared schema already being copied (one that includes itself) stays a $ref.
      if (isObject(found) && !inProgress.has(found)) source = found
    }
    inProgress.add(source)
    const out: SchemaNode = {}
    for (const key of Object.keys(source)) {
      if (key !== '$id') out[key] = copy(source[key])
    }
    inProgress.delete(source)
    const key = targets.keyOf(source)
    if (key !== undefined) {
      out[MARK] = key
      keys?.add(key)
    }
    return out
  }
  return copy(schema)
}

/** An instruction with the change it belongs to, for the messages. */
export interface PlacedInstruction {
  readonly instruction: SchemaInstruction
  /** Names the change, such as `the change "…" of version 2025-11-05`. */
  readonly where: string
}

function withoutUndefined (node: SchemaNode, keywords: Readonly<Record<string, unknown>>): SchemaNode {
  const out: SchemaNode = { ...node, ...keywords }
  for (const [key, value] of Object.entries(keywords)) if (value === undefined) delete out[key]
  return out
}

function objectParts (node: SchemaNode, key: string, where: string, property: string): { properties: Record<string, unknown>, required: string[] } {
  if (!isObject(node.properties)) throw configError(`${where} names property "${property}" of schema ${key}, which has no properties there; give property instructions to object schemas.`)
  return { properties: { ...node.properties }, required: Array.isArray(node.required) ? [...node.required as string[]] : [] }
}

function rebuild (node: SchemaNode, properties: Record<string, unknown>, required: string[]): SchemaNode {
  const out: SchemaNode = { ...node, properties }
  // As TypeBox writes an object with no required property: without the keyword.
  if (required.length === 0) delete out.required
  else out.required = required
  return out
}

function setRequired (required: string[], property: string, on: boolean): string[] {
  const without = required.filter(name => name !== property)
  // A property that stays required keeps its place; one made required comes last.
  return !on ? without : without.length < required.length ? required : [...required, property]
}

/** The node as it was before the instruction's change. `copy` makes a template of a schema the instruction brings. */
export function applyInstruction (node: SchemaNode, { instruction, where }: PlacedInstruction, copy: (schema: unknown) => unknown): SchemaNode {
  const key = node[MARK] as string
  if (instruction.kind === 'was') {
    const before = typeof instruction.schema === 'function' ? instruction.schema(node) : copy(instruction.schema)
    if (!isObject(before)) throw configError(`${where}: schema(${key}).was() must give a schema object; it gave ${JSON.stringify(before)}.`)
    return { ...before, [MARK]: key }
  }
  if (instruction.property === undefined) return withoutUndefined(node, (instruction as { keywords: Record<string, unknown> }).keywords)
  const { property } = instruction
  const { properties, required } = objectParts(node, key, where, property)
  const exists = Object.hasOwn(properties, property)
  if (!exists && instruction.kind !== 'existedAs') {
    throw configError(`${where} names property "${property}" of schema ${key}, which has no such property at that point of the timeline (properties: ${Object.keys(properties).join(', ')}). Check the name, or the order of the changes.`)
  }
  switch (instruction.kind) {
    case 'didNotExist':
      delete properties[property]
      return rebuild(node, properties, required.filter(name => name !== property))
    case 'existedAs':
      properties[property] = copy(instruction.schema)
      return rebuild(node, properties, setRequired(required, property, instruction.required))
    case 'hadName': {
      if (Object.hasOwn(properties, instruction.name)) throw configError(`${where}: schema ${key} already has a property "${instruction.name}", so "${property}" cannot have had that name.`)
      const renamed = Object.fromEntries(Object.entries(properties).map(([name, value]) => [name === property ? instruction.name : name, value]))
      return rebuild(node, renamed, required.map(name => name === property ? instruction.name : name))
    }
    case 'required':
      return rebuild(node, properties, setRequired(required, property, instruction.required))
    case 'had':
      properties[property] = withoutUndefined(properties[property] as SchemaNode, instruction.keywords)
      return rebuild(node, properties, required)
  }
}

/**
 * The template as it was before the instructions: each marked node rewritten by the instructions
 * of its key (given newest first), then its parts in turn.
 */
export function derive (tree: unknown, byKey: ReadonlyMap<string, readonly PlacedInstruction[]>, copy: (schema: unknown) => unknown): unknown {
  function walk (node: unknown): unknown {
    if (Array.isArray(node)) return node.map(walk)
    if (!isObject(node)) return node
    let current: SchemaNode = node
    const key = (node as SchemaNode)[MARK] as string | undefined
    for (const placed of key === undefined ? [] : byKey.get(key) ?? []) current = applyInstruction(current, placed, copy)
    const out: SchemaNode = {}
    for (const name of Object.keys(current)) out[name] = walk(current[name])
    if (key !== undefined) out[MARK] = key
    return out
  }
  return walk(tree)
}
