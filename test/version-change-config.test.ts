import { Type } from '@sinclair/typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import dateVersioning, {
  endpoint, requestMigration, responseMigration, schema, versionChange, type VersionChange
} from '../lib/index.js'
import { at } from './helpers.js'

/**
 * Mistakes in version changes fail at start-up, with a message that says what to fix: in the
 * factories, in the `changes` of a version, and once the routes are known (at `ready()`).
 */

const V1 = '2021-01-01'
const V2 = '2022-01-01'

const Person = Type.Object({ firstName: Type.String(), lastName: Type.String() })

async function app (change: VersionChange, routes: (app: FastifyInstance) => void = () => {}): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(dateVersioning, { versions: [{ version: V1 }, { version: V2, changes: [change] }], now: at() })
  routes(app)
  return app
}

const withPerson = (app: FastifyInstance): void => {
  app.get('/people', { constraints: { apiVersion: V1 }, schema: { response: { 200: Person } } }, async () => ({ firstName: 'a', lastName: 'b' }))
}

t.test('the factories refuse what they cannot use', async t => {
  const config = (message: RegExp) => ({ code: 'ERR_API_VERSION_CONFIG', message })
  t.throws(() => versionChange(null as never), config(/takes an object/))
  t.throws(() => versionChange({ description: '' }), config(/must describe the change for clients/))
  t.throws(() => versionChange({ description: 'x', schema: [] } as never), config(/has no field "schema"; known fields: description, schemas/))
  t.throws(() => versionChange({ description: 'x', schemas: [{ kind: 'didNotExist' }] as never }), config(/schemas \}\) must be an array of what schema/))
  t.throws(() => versionChange({ description: 'x', requests: [responseMigration(Person, () => {})] as never }), config(/requests \}\) must be an array of what requestMigration\(\) returns/))
  t.throws(() => versionChange({ description: 'x', responses: 'no' as never }), config(/responses \}\) must be an array/))
  t.throws(() => versionChange({ description: 'x', endpoints: [schema(Person).had({ title: 'x' })] as never }), config(/endpoints \}\) must be an array of what endpoint/))
  t.throws(() => schema(42 as never), config(/schema\(\) takes a schema object/))
  t.throws(() => schema(''), config(/schema\(\) takes a schema object/))
  t.throws(() => schema(Person).property(''), config(/property\(\) takes a property name/))
  t.throws(() => schema(Person).property('a').existedAs('string' as never), config(/existedAs\(\) takes a JSON schema object/))
  t.throws(() => schema(Person).property('a').hadName(7 as never), config(/hadName\(\) takes a property name/))
  t.throws(() => schema(Person).property('a').had({}), config(/had\(\) takes the keywords the schema had/))
  t.throws(() => schema(Person).had({ required: ['a'] }), config(/changes keywords, not properties/))
  t.throws(() => schema(Person).was(null as never), config(/was\(\) takes a JSON schema object/))
  t.throws(() => endpoint([], '/x'), config(/endpoint\(\) takes an HTTP method/))
  t.throws(() => endpoint('GET', 'x'), config(/takes the route URL as declared/))
  t.throws(() => requestMigration(Person, 'no' as never), config(/takes a function/))
  t.throws(() => responseMigration(Person, 'no' as never), config(/takes a function/))
  t.throws(() => responseMigration(Person, () => {}, 'x' as never), config(/options must be an object/))
  t.throws(() => responseMigration(Person, () => {}, { error: true } as never), config(/has no option "error"; use errors/))
  t.throws(() => responseMigration(Person, () => {}, { errors: 'yes' } as never), config(/errors must be true or false/))
  t.throws(() => requestMigration(5 as never, () => {}), config(/requestMigration\(\) takes a schema object/))
  t.throws(() => responseMigration(5 as never, () => {}), config(/responseMigration\(\) takes a schema object/))
  t.equal(endpoint('get', '/x').existed().methods[0], 'GET', 'methods are upper-cased')
  t.equal(schema(Person).property('a').existedAs(Type.Optional(Type.String())).kind, 'existedAs')
})

t.test('a version\'s changes hold sentences and change objects, each change in one version', async t => {
  const fastify = Fastify()
  await t.rejects(async () => { await fastify.register(dateVersioning, { versions: [{ version: V1, changes: [{ description: 'not made by versionChange' } as never] }] }) },
    { message: /versions\[2021-01-01\]\.changes must be an array of strings and of changes made by versionChange\(\)/ })
  const change = versionChange({ description: 'twice' })
  const twice = Fastify()
  await t.rejects(async () => { await twice.register(dateVersioning, { versions: [{ version: V1, changes: [change] }, { version: V2, changes: [change] }] }) },
    { message: /the change "twice" is declared in version \S+ and in version \S+; a change belongs to one version/ })
})

t.test('once the routes are known, every name a change uses must exist', async t => {
  const cases: Array<[string, VersionChange, RegExp]> = [
    ['an unknown property', versionChange({ description: 'c', schemas: [schema(Person).property('name').didNotExist()] }),
      /the change "c" of version 2022-01-01 names property "name" of schema \{firstName, lastName\}, which has no such property at that point of the timeline \(properties: firstName, lastName\)/],
    ['a rename onto an existing name', versionChange({ description: 'c', schemas: [schema(Person).property('firstName').hadName('lastName')] }),
      /schema \{firstName, lastName\}#?\d* already has a property "lastName"/],
    ['a property of a schema without properties', versionChange({ description: 'c', schemas: [schema(Person).was(Type.String()), schema(Person).property('x').wasRequired()] }),
      /names property "x" of schema .*, which has no properties there/],
    ['a was() that gives no schema', versionChange({ description: 'c', schemas: [schema(Person).was(() => 'nothing' as never)] }),
      /\.was\(\) must give a schema object; it gave "nothing"/],
    ['an unknown route in a migration', versionChange({ description: 'c', responses: [responseMigration('GET /nowhere', () => {})] }),
      /the change "c" of version 2022-01-01 migrates GET \/nowhere, which is not a versioned route\. Versioned routes: GET \/people, HEAD \/people/],
    ['an unknown endpoint', versionChange({ description: 'c', endpoints: [endpoint('POST', '/people').didNotExist()] }),
      /says POST \/people did not exist or existed, but it is not a versioned route/],
    ['an unknown $id', versionChange({ description: 'c', schemas: [schema('Missing').property('x').didNotExist()] }),
      /names the schema "Missing", which no route uses and addSchema did not declare/]
  ]
  for (const [name, change, message] of cases) {
    const fastify = await app(change, withPerson)
    await t.rejects(async () => { await fastify.ready() }, { code: 'ERR_API_VERSION_CONFIG', message }, name)
  }
})

t.test('names that exist pass: a $id declared with addSchema or inline in a route, and a change no route uses', async t => {
  const Inline = Type.Object({ a: Type.String() }, { $id: 'Inline' })
  const fastify = await app(versionChange({
    description: 'c',
    schemas: [schema('Shared').property('x').didNotExist(), schema('Inline').property('a').didNotExist(), schema(Type.Object({ z: Type.String() })).property('z').didNotExist()]
  }), app => {
    app.addSchema({ $id: 'Shared', type: 'object', properties: { x: { type: 'string' } } })
    app.get('/inline', { constraints: { apiVersion: V1 }, schema: { response: { 200: Inline } } }, async () => ({ a: 'x' }))
  })
  await t.resolves(async () => { await fastify.ready() })
  await fastify.close()
})

t.test('two schemas without $id and with the same properties are told apart in messages', async t => {
  const A = Type.Object({ x: Type.String() })
  const B = Type.Object({ x: Type.String() })
  const fastify = await app(versionChange({ description: 'c', schemas: [schema(A).property('x').didNotExist(), schema(B).property('y').didNotExist()] }), app => {
    app.get('/a', { constraints: { apiVersion: V1 }, schema: { response: { 200: A, 201: B } } }, async () => ({ x: 'a' }))
  })
  await t.rejects(async () => { await fastify.ready() }, { message: /names property "y" of schema \{x\}#2,/ })
})
