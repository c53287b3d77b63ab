import { isObject } from '../util.js'
import { MARK, type SchemaNode } from './schema-tree.js'

/**
 * Where a changed schema occurs in a body, worked out once from a derived schema: a path of steps
 * (a property, the items of an array, the branch of an anyOf/oneOf that a value belongs to),
 * compiled into a function that reaches the objects of that schema in a body without looking at
 * anything else. Pure: no Fastify here.
 */

type Step =
  | { readonly kind: 'property', readonly name: string }
  | { readonly kind: 'items' }
  | { readonly kind: 'branch', readonly test: (value: unknown) => boolean }

export type Path = readonly Step[]

const typeTests: Record<string, (value: unknown) => boolean> = {
  object: isObject,
  array: Array.isArray,
  string: value => typeof value === 'string',
  number: value => typeof value === 'number',
  integer: value => Number.isInteger(value),
  boolean: value => typeof value === 'boolean',
  null: value => value === null
}

/** The constant of a property's schema (TypeBox's Literal), if it has one. */
function constOf (schema: unknown): { value: unknown } | undefined {
  return isObject(schema) && 'const' in schema ? { value: schema.const } : undefined
}

/**
 * How to tell which branch of an anyOf/oneOf a value belongs to: a property whose constant differs
 * in every branch (a discriminator, such as TypeBox's Literal: `const`), else the JSON type when it is the
 * branch's own, else the presence of the branch's required properties.
 */
function branchTests (branches: readonly unknown[]): Array<(value: unknown) => boolean> {
  const nodes = branches as SchemaNode[]
  const propertyNames = nodes.flatMap(n => Object.keys(isObject(n.properties) ? n.properties : {}))
  const discriminator = propertyNames.find(name => {
    const values = nodes.map(n => constOf((n.properties as Record<string, unknown> | undefined)?.[name]))
    return values.every(v => v !== undefined) && new Set(values.map(v => JSON.stringify(v?.value))).size === values.length
  })
  return nodes.map(node => {
    if (discriminator !== undefined) {
      const { value } = constOf((node.properties as Record<string, unknown>)[discriminator]) as { value: unknown }
      return (candidate: unknown) => isObject(candidate) && candidate[discriminator] === value
    }
    const type = node.type
    if (typeof type === 'string' && type in typeTests && nodes.filter(n => n.type === type).length === 1) return typeTests[type] as (value: unknown) => boolean
    const required = Array.isArray(node.required) ? node.required as string[] : []
    return (candidate: unknown) => isObject(candidate) && required.every(name => name in candidate)
  })
}

/** Every path at which the schema of `key` occurs in `schema` (a derived schema, with its marks). */
export function locate (schema: unknown, key: string): Path[] {
  const found: Path[] = []
  function walk (node: unknown, path: Step[]): void {
    if (!isObject(node)) return
    if ((node as SchemaNode)[MARK] === key) found.push(path)
    if (isObject(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) walk(child, [...path, { kind: 'property', name }])
    }
    if (isObject(node.items)) walk(node.items, [...path, { kind: 'items' }])
    for (const combinator of ['anyOf', 'oneOf']) {
      const branches = node[combinator]
      if (!Array.isArray(branches)) continue
      const tests = branchTests(branches)
      branches.forEach((branch, i) => { walk(branch, [...path, { kind: 'branch', test: tests[i] as (value: unknown) => boolean }]) })
    }
    if (Array.isArray(node.allOf)) for (const part of node.allOf) walk(part, path)
  }
  walk(schema, [])
  return found
}

/** A function that calls `apply` on each object a path reaches in a body. */
export function visitor (path: Path, apply: (value: object) => void): (body: unknown) => void {
  let visit = (value: unknown): void => {
    if (typeof value === 'object' && value !== null) apply(value)
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i] as Step
    const next = visit
    switch (step.kind) {
      case 'property': {
        const { name } = step
        visit = value => { if (isObject(value) && Object.hasOwn(value, name)) next(value[name]) }
        break
      }
      case 'items':
        visit = value => { if (Array.isArray(value)) for (const item of value) next(item) }
        break
      case 'branch': {
        const { test } = step
        visit = value => { if (test(value)) next(value) }
        break
      }
    }
  }
  return visit
}
