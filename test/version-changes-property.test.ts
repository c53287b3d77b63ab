import { isDeepStrictEqual } from 'node:util'
import { Type, type TObject } from '@sinclair/typebox'
import fc from 'fast-check'
import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, {
  requestMigration, responseMigration, schema, versionChange, type SchemaInstruction, type VersionChange
} from '../lib/index.js'
import { at } from './helpers.js'

/**
 * For generated timelines of renames, additions, removals and moves into a nested object, and
 * generated bodies: a head handler with the changes' migrations answers every version exactly as a
 * handler written by hand for that version does.
 *
 * The model: logical fields, each placed in each version at a name, top-level or inside `nest`,
 * or absent. The business logic upper-cases each value; a field removed from the API answers
 * 'legacy' to the versions that still have it. The hand-written handler of a version reads and
 * writes that version's places directly; the head handler reads and writes the newest places.
 */

interface Place { readonly name: string, readonly nested: boolean }
/** Per logical field, its place in one version, or undefined where absent. */
type Shape = ReadonlyArray<Place | undefined>

type Step =
  | { kind: 'rename', field: number }
  | { kind: 'move', field: number }
  | { kind: 'add', field: number }
  | { kind: 'remove' }

const VERSIONS = ['2020-01-01', '2020-06-01', '2021-01-01', '2021-06-01', '2022-01-01', '2022-06-01']

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('rename' as const), field: fc.nat(5) }),
  fc.record({ kind: fc.constant('move' as const), field: fc.nat(5) }),
  fc.record({ kind: fc.constant('add' as const), field: fc.nat(5) }),
  fc.record({ kind: fc.constant('remove' as const) })
)

/** The shapes of every version, newest last, and the changes, built back from the head's shape. */
function timeline (headNested: readonly boolean[], steps: readonly Step[]): { shapes: Shape[], changes: VersionChange[], removed: Set<number>, Body: TObject, Nest: TObject } {
  const head: Shape = headNested.map((nested, i) => ({ name: `f${i}`, nested }))
  const Nest = Type.Object(Object.fromEntries(head.filter(p => p?.nested).map(p => [p?.name, Type.String()])))
  const Body = Type.Object({ ...Object.fromEntries(head.filter(p => p?.nested === false).map(p => [p?.name, Type.String()])), nest: Nest })
  const shapes: Shape[] = [head]
  const changes: VersionChange[] = []
  const removed = new Set<number>()
  let fields = head.length
  // Newest change first: each step says how the version before it looked.
  steps.forEach((step, j) => {
    const after = shapes[0] as Shape
    const before = [...after]
    const schemas: SchemaInstruction[] = []
    const requests = []
    const responses = []
    const place = step.kind === 'remove' ? undefined : after[step.field % after.length]
    const owner = (p: Place): TObject => p.nested ? Nest : Body
    if (step.kind === 'remove') {
      const name = `r${j}`
      before.push({ name, nested: false })
      removed.add(fields++)
      schemas.push(schema(Body).property(name).existedAs(Type.String()))
      requests.push(requestMigration(Body, body => { delete body[name] }))
      responses.push(responseMigration(Body, body => { body[name] = 'legacy' }))
    } else if (place === undefined) {
      // A step on a field absent at that point changes nothing: the version has a change without instructions.
    } else if (step.kind === 'rename') {
      const old = `${place.name}_${j}`
      before[step.field % after.length] = { ...place, name: old }
      schemas.push(schema(owner(place)).property(place.name).hadName(old))
      requests.push(requestMigration(owner(place), o => { o[place.name] = o[old]; delete o[old] }))
      responses.push(responseMigration(owner(place), o => { o[old] = o[place.name]; delete o[place.name] }))
    } else if (step.kind === 'move' && place.nested) {
      before[step.field % after.length] = { ...place, nested: false }
      schemas.push(schema(Nest).property(place.name).didNotExist(), schema(Body).property(place.name).existedAs(Type.String()))
      requests.push(requestMigration(Body, body => { (body.nest as Record<string, unknown>)[place.name] = body[place.name]; delete body[place.name] }))
      responses.push(responseMigration(Body, body => { body[place.name] = (body.nest as Record<string, unknown>)[place.name]; delete (body.nest as Record<string, unknown>)[place.name] }))
    } else if (step.kind === 'add') {
      before[step.field % after.length] = undefined
      schemas.push(schema(owner(place)).property(place.name).didNotExist())
      requests.push(requestMigration(owner(place), o => { o[place.name] = 'default' }))
      responses.push(responseMigration(owner(place), o => { delete o[place.name] }))
    }
    shapes.unshift(before)
    changes.unshift(versionChange({ description: `change ${j}`, schemas, requests, responses }))
  })
  return { shapes, changes, removed, Body, Nest }
}

function read (shape: Shape, body: Record<string, unknown>): Array<string | undefined> {
  return shape.map(p => p === undefined ? undefined : String(p.nested ? (body.nest as Record<string, unknown>)[p.name] : body[p.name]))
}

function write (shape: Shape, values: ReadonlyArray<string | undefined>): Record<string, unknown> {
  const body: Record<string, unknown> = { nest: {} }
  shape.forEach((p, i) => {
    if (p === undefined) return
    if (p.nested) (body.nest as Record<string, unknown>)[p.name] = values[i]
    else body[p.name] = values[i]
  })
  return body
}

t.test('a request migrated forward and its response migrated back equal a hand-written handler of that version', async t => {
  await fc.assert(fc.asyncProperty(
    fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    fc.array(stepArbitrary, { minLength: 1, maxLength: VERSIONS.length - 1 }),
    fc.array(fc.string({ maxLength: 6 }), { minLength: 12, maxLength: 12 }),
    async (headNested, steps, values) => {
      const { shapes, changes, removed, Body } = timeline(headNested, steps)
      const versions = VERSIONS.slice(0, changes.length + 1)
      const head = shapes[shapes.length - 1] as Shape
      const app = Fastify()
      await app.register(dateVersioning, { versions: versions.map((version, i) => ({ version, changes: i === 0 ? [] : [changes[i - 1] as VersionChange] })), now: at() })
      app.post('/things', { constraints: { apiVersion: versions[0] as string }, schema: { body: Body, response: { 200: Body } } },
        async request => write(head, read(head, request.body as Record<string, unknown>).map(v => v?.toUpperCase())))
      try {
        for (const [i, version] of versions.entries()) {
          const shape = shapes[i] as Shape
          const sent = write(shape, shape.map((_, f) => values[f]))
          const handWritten = write(shape, read(shape, sent).map((v, f) => removed.has(f) ? 'legacy' : v?.toUpperCase()))
          const res = await app.inject({ method: 'POST', url: '/things', headers: { 'api-version': version }, payload: sent })
          if (res.statusCode !== 200 || !isDeepStrictEqual(res.json(), handWritten)) {
            throw new Error(`${version}: sent ${JSON.stringify(sent)}, got ${res.statusCode} ${res.body}, expected ${JSON.stringify(handWritten)}`)
          }
        }
      } finally {
        await app.close()
      }
    }
  ), { numRuns: 40 })
  t.pass('every generated timeline and body')
})
