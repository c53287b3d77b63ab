/**
 * The version-changes scenarios: 20 versions, one a day from 2020-01-01, and a route whose response
 * schema is touched by a version change in each of the 19 later versions (20 with the route's own),
 * chosen by the first argument:
 * - `head-changes`: `GET /item` answers `{ id, name }` at head; each change renames `name` (so
 *   every older version has another name for it), with a response migration keyed by the schema;
 * - `head-none`: the same route and timeline with the changes written as plain sentences: the cost
 *   of a request at head on a route with a history of changes is the difference;
 * - `oldest-changes`: `GET /item` answers 100 objects `{ id, person }` at head; each change renames
 *   a property of `person`, so a request at the oldest version runs 19 migrations on each of the
 *   100 persons (1,900 calls), then serializes with the oldest version's derived schema. Each
 *   migration copies the property under its old name and leaves the new one, which the older
 *   version's serializer drops (the cheap way, as docs/version-changes.md advises);
 * - `oldest-changes-delete`: the same, each migration deleting the property's newer name too;
 * - `oldest-handwritten`: the same timeline with a handler for the oldest version written by hand,
 *   answering the old shape directly with its own schema.
 */
import Fastify from 'fastify'
import dateVersioning, { responseMigration, schema, versionChange } from 'fastify-date-versioning'
import { BODY, serveFastify } from './common.mjs'
import { CHANGE_VERSIONS, changeDates, listBody } from '../timelines.mjs'

const dates = changeDates()

const Item = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] }
const Person = { type: 'object', properties: { name: { type: 'string' }, tag: { type: 'string' } }, required: ['name', 'tag'] }
const List = { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, person: Person }, required: ['id', 'person'] } }

/** The name a renamed property has in the version of index `i`: the newest is `base`. */
const nameAt = (base, i) => i === CHANGE_VERSIONS - 1 ? base : `${base}${i}`

/**
 * A rename migration as an application writes it: a function of its own, the property names in its
 * code (generated here, there are 19 of them).
 */
function renaming (from, to, remove) {
  // eslint-disable-next-line no-new-func
  return new Function('value', `value.${to} = value.${from}${remove ? `; delete value.${from}` : ''}`)
}

/** A change per later version, each renaming `property` of `target` back to its older name. */
function renames (target, property, { remove = false } = {}) {
  return dates.map((version, i) => i === 0
    ? []
    : [versionChange({
        description: `${property} was ${nameAt(property, i - 1)}`,
        schemas: [schema(target).property(nameAt(property, i)).hadName(nameAt(property, i - 1))],
        responses: [responseMigration(target, renaming(nameAt(property, i), nameAt(property, i - 1), remove))]
      })])
}

function app (changes, routes) {
  const fastify = Fastify()
  fastify.register(dateVersioning, { versions: dates.map((version, i) => ({ version, changes: changes[i] })) })
  fastify.register(async scope => routes(scope))
  return fastify
}

const sentences = dates.map((_, i) => i === 0 ? [] : [`change ${i}`])
const head = listBody(CHANGE_VERSIONS - 1)
const oldest = listBody(0)

const apps = {
  'head-changes': () => app(renames(Item, 'name'), scope => {
    scope.get('/item', { constraints: { apiVersion: dates[0] }, schema: { response: { 200: Item } } }, (request, reply) => { reply.send(BODY) })
  }),
  'head-none': () => app(sentences, scope => {
    scope.get('/item', { constraints: { apiVersion: dates[0] }, schema: { response: { 200: Item } } }, (request, reply) => { reply.send(BODY) })
  }),
  'oldest-changes': () => app(renames(Person, 'tag'), scope => {
    scope.get('/item', { constraints: { apiVersion: dates[0] }, schema: { response: { 200: List } } }, (request, reply) => { reply.send(head) })
  }),
  'oldest-changes-delete': () => app(renames(Person, 'tag', { remove: true }), scope => {
    scope.get('/item', { constraints: { apiVersion: dates[0] }, schema: { response: { 200: List } } }, (request, reply) => { reply.send(head) })
  }),
  'oldest-handwritten': () => {
    const OldPerson = { ...Person, properties: { name: { type: 'string' }, [nameAt('tag', 0)]: { type: 'string' } }, required: ['name', nameAt('tag', 0)] }
    const OldList = { ...List, items: { ...List.items, properties: { id: { type: 'integer' }, person: OldPerson } } }
    return app(sentences, scope => {
      scope.get('/item', { constraints: { apiVersion: dates[0] }, schema: { response: { 200: OldList } } }, (request, reply) => { reply.send(oldest) })
      scope.get('/item', { constraints: { apiVersion: dates[1] }, schema: { response: { 200: List } } }, (request, reply) => { reply.send(head) })
    })
  }
}

const variant = process.argv[2]
if (apps[variant] === undefined) throw new Error(`unknown variant ${variant}; use ${Object.keys(apps).join(', ')}`)
await serveFastify(apps[variant]())
