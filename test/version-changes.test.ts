import { Type } from '@sinclair/typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import t from 'tap'
import dateVersioning, {
  endpoint, requestMigration, responseMigration, schema, versionChange, type DateVersioningOptions, type VersionChange
} from '../lib/index.js'
import { at, collectLogs } from './helpers.js'

/**
 * Version changes through the public API: one handler written for the newest version it serves,
 * and change objects that derive every older version's schemas and migrate its requests forward
 * and its responses backward.
 */

const V1 = '2021-01-01'
const V2 = '2022-01-01'
const V3 = '2023-01-01'
const V4 = '2024-01-01'

async function build (changes: Partial<Record<string, Array<string | VersionChange>>>, server: FastifyServerOptions = {}, options: Partial<DateVersioningOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify(server)
  await app.register(dateVersioning, {
    versions: [V1, V2, V3, V4].map(version => ({ version, changes: changes[version] ?? [] })),
    now: at(),
    docs: {},
    ...options
  })
  return app
}

const get = async (app: FastifyInstance, url: string, version: string) => app.inject({ url, headers: { 'api-version': version } })
const post = async (app: FastifyInstance, url: string, version: string, payload: unknown, method: 'POST' | 'PATCH' = 'POST') =>
  app.inject({ method, url, headers: { 'api-version': version }, payload: payload as object })

const Person = Type.Object({ firstName: Type.String(), lastName: Type.String() })
const Move = Type.Object({ id: Type.String(), person: Person })
const Page = Type.Object({ data: Type.Array(Move), meta: Type.Object({ count: Type.Integer() }) })

const splitName = (): VersionChange => versionChange({
  description: 'person.name is split into person.firstName and person.lastName',
  schemas: [
    schema(Person).property('name').existedAs(Type.String()),
    schema(Person).property('firstName').didNotExist(),
    schema(Person).property('lastName').didNotExist()
  ],
  requests: [requestMigration(Person, person => {
    const [firstName = '', ...rest] = String(person.name).split(' ')
    person.firstName = firstName
    person.lastName = rest.join(' ')
    delete person.name
  })],
  responses: [responseMigration(Person, person => {
    person.name = `${person.firstName as string} ${person.lastName as string}`
  })]
})

const stored = [{ id: 'M-1', person: { firstName: 'Sam', lastName: 'Taylor' } }, { id: 'M-2', person: { firstName: 'Jo', lastName: 'Evans' } }]

t.test('one handler at head serves every version: each older version gets its derived shape, wherever the schema occurs', async t => {
  const app = await build({ [V3]: [splitName()] })
  app.get('/moves', { constraints: { apiVersion: V1 }, schema: { response: { 200: Page } } }, async () => ({ data: stored, meta: { count: 2 } }))
  app.get('/moves/:id', { constraints: { apiVersion: V1 }, schema: { response: { 200: Move } } }, async () => stored[0])
  t.teardown(() => app.close())
  for (const version of [V1, V2]) {
    t.same((await get(app, '/moves', version)).json(), { data: [{ id: 'M-1', person: { name: 'Sam Taylor' } }, { id: 'M-2', person: { name: 'Jo Evans' } }], meta: { count: 2 } },
      `${version}: every person of the page has a name, and no field the version does not know`)
    t.same((await get(app, '/moves/M-1', version)).json(), { id: 'M-1', person: { name: 'Sam Taylor' } }, `${version}: the single move too`)
  }
  for (const version of [V3, V4]) {
    t.same((await get(app, '/moves', version)).json(), { data: stored, meta: { count: 2 } }, `${version}: as the handler wrote it`)
  }
  t.same(stored[0], { id: 'M-1', person: { firstName: 'Sam', lastName: 'Taylor' } }, 'the handler\'s value is left alone')
})

t.test('a request of an older version is validated with that version\'s schema, then migrated forward', async t => {
  const app = await build({ [V3]: [splitName()] })
  app.post('/moves', { constraints: { apiVersion: V1 }, schema: { body: Move, response: { 200: Move } } }, async request => {
    t.same(request.body, { id: 'M-3', person: { firstName: 'Ada', lastName: 'King Byron' } }, 'the handler sees the newest shape')
    return request.body
  })
  t.teardown(() => app.close())
  const old = await post(app, '/moves', V2, { id: 'M-3', person: { name: 'Ada King Byron' } })
  t.equal(old.statusCode, 200)
  t.same(old.json(), { id: 'M-3', person: { name: 'Ada King Byron' } }, 'answered in the shape the client sent')
  const head = await post(app, '/moves', V3, { id: 'M-3', person: { firstName: 'Ada', lastName: 'King Byron' } })
  t.same(head.json(), { id: 'M-3', person: { firstName: 'Ada', lastName: 'King Byron' } })

  const invalid = await post(app, '/moves', V2, { id: 'M-3', person: { firstName: 'Ada', lastName: 'King' } })
  t.equal(invalid.statusCode, 400)
  t.same(invalid.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'body/person must have required property \'name\'' },
    'Fastify\'s own 400, naming the field as that version\'s clients know it')
  const invalidAtHead = await post(app, '/moves', V3, { id: 'M-3', person: { name: 'Ada' } })
  t.equal(invalidAtHead.json().message, 'body/person must have required property \'firstName\'', 'the newest version still asks for its own fields')
})

t.test('renamed, required, optional and constrained properties: validation and migration follow each version', async t => {
  const Item = Type.Object({ label: Type.String({ maxLength: 5 }), size: Type.Optional(Type.Integer()), kind: Type.Union([Type.Literal('a'), Type.Literal('b')]) })
  const app = await build({
    [V2]: [versionChange({ description: 'a title is at most 5 characters long', schemas: [schema(Item).property('title').had({ maxLength: 10 })] })],
    [V3]: [versionChange({
      description: 'title is renamed label; kind b is new, and kind is required',
      schemas: [schema(Item).property('label').hadName('title'), schema(Item).property('kind').existedAs(Type.Optional(Type.Literal('a'))), schema(Item).had({ description: 'An item' })],
      requests: [requestMigration(Item, item => { item.label = String(item.title); delete item.title; item.kind ??= 'a' })],
      responses: [responseMigration(Item, item => { item.title = item.label; delete item.label })]
    })],
    [V4]: [versionChange({ description: 'size is optional', schemas: [schema(Item).property('size').wasRequired()] })]
  })
  app.post('/items', { constraints: { apiVersion: V1 }, schema: { body: Item, response: { 200: Item } } }, async request => request.body)
  t.teardown(() => app.close())
  t.same((await post(app, '/items', V1, { title: 'short', size: 2 })).json(), { title: 'short', size: 2, kind: 'a' }, 'V1: renamed forward and back')
  const long = await post(app, '/items', V1, { title: 'longer one', size: 2 })
  t.equal(long.statusCode, 400, 'a title of 10 characters was valid in V1…')
  t.equal(long.json().message, 'body/label must NOT have more than 5 characters', '…but not once migrated: the newest schema checks what the migrations made')
  t.equal((await post(app, '/items', V1, { title: 'a title too long', size: 2 })).json().message, 'body/title must NOT have more than 10 characters', 'V1: its own limit, named as V1 knows it')
  t.equal((await post(app, '/items', V1, { title: 'short' })).json().message, 'body must have required property \'size\'', 'V1: size was required')
  t.equal((await post(app, '/items', V2, { title: 'short', size: 1, kind: 'b' })).json().message, 'body/kind must be equal to constant', 'V2: kind b did not exist')
  t.equal((await post(app, '/items', V3, { label: 'x', kind: 'a' })).json().message, 'body must have required property \'size\'', 'V3: size required')
  t.same((await post(app, '/items', V4, { label: 'x', kind: 'b' })).json(), { label: 'x', kind: 'b' }, 'V4: as written')
  const document = await app.apiVersions.document(V2) as unknown as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }> }
  t.same(document.paths['/items']?.post.requestBody.content['application/json']?.schema, {
    type: 'object',
    properties: { title: { type: 'string', maxLength: 5 }, size: { type: 'integer' }, kind: { enum: ['a'], type: 'string' } },
    required: ['title', 'size'],
    description: 'An item'
  }, 'the OpenAPI document of a version shows its derived schema')
})

t.test('endpoints added and removed by a change: the 404 problem of the catalog, and the rule of the newest version served', async t => {
  const app = await build({
    [V3]: [splitName(), versionChange({
      description: 'POST /moves/:id/cancel replaces DELETE /moves/:id',
      endpoints: [endpoint('POST', '/moves/:id/cancel').didNotExist(), endpoint(['DELETE'], '/moves/:id').existed()]
    })]
  })
  app.post('/moves/:id/cancel', { constraints: { apiVersion: V1 } }, async () => ({ cancelled: true }))
  app.delete('/moves/:id', { constraints: { apiVersion: V1 }, schema: { response: { 200: Move } } }, async () => stored[0])
  t.teardown(() => app.close())
  const early = await app.inject({ method: 'POST', url: '/moves/M-1/cancel', headers: { 'api-version': V2 } })
  t.equal(early.statusCode, 404)
  t.equal(early.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(early.json(), { code: 'ApiVersionEndpointNotFound', detail: `The endpoint POST /moves/:id/cancel does not exist in API version ${V2}: it was introduced in API version ${V3}.` })
  t.same((await app.inject({ method: 'POST', url: '/moves/M-1/cancel', headers: { 'api-version': V3 } })).json(), { cancelled: true })
  const late = await app.inject({ method: 'DELETE', url: '/moves/M-1', headers: { 'api-version': V4 } })
  t.match(late.json(), { code: 'ApiVersionEndpointNotFound', detail: `The endpoint DELETE /moves/:id does not exist in API version ${V4}: it was removed in API version ${V3}.` })
  t.same((await app.inject({ method: 'DELETE', url: '/moves/M-1', headers: { 'api-version': V2 } })).json(), stored[0],
    'the removed endpoint\'s handler is written for the last version that has it: the later change does not apply to it')
  const v2 = await app.apiVersions.document(V2) as unknown as { paths: Record<string, Record<string, unknown>> }
  const v3 = await app.apiVersions.document(V3) as unknown as { paths: Record<string, Record<string, unknown>> }
  t.same(Object.keys(v2.paths).sort(), ['/moves/{id}'], 'the document of V2 has DELETE and not the cancel endpoint')
  t.same(Object.keys(v3.paths).sort(), ['/moves/{id}/cancel'], 'the document of V3 the other way round')
})

t.test('per-version handlers and head handlers together: each handler is written for the newest version it serves', async t => {
  const trail = (version: string): VersionChange => versionChange({
    description: `change of ${version}`,
    requests: [requestMigration('POST /trail', request => { request.body.trail.push(version) })],
    responses: [responseMigration('POST /trail', response => { response.body.trail.push(version) })]
  })
  const app = await build({ [V2]: [trail(V2)], [V3]: [trail(V3)], [V4]: [trail(V4)] })
  app.post('/trail', { constraints: { apiVersion: V1 } }, async request => ({ handler: V1, trail: [...(request.body as { trail: string[] }).trail, 'handler'] }))
  app.post('/trail', { constraints: { apiVersion: V4 } }, async request => ({ handler: V4, trail: [...(request.body as { trail: string[] }).trail, 'handler'] }))
  t.teardown(() => app.close())
  const at = async (version: string) => (await post(app, '/trail', version, { trail: [] })).json()
  t.same(await at(V1), { handler: V1, trail: [V2, V3, 'handler', V3, V2] }, 'V1: forward oldest first, back newest first, up to V3, the newest version the first handler serves')
  t.same(await at(V2), { handler: V1, trail: [V3, 'handler', V3] })
  t.same(await at(V3), { handler: V1, trail: ['handler'] }, 'V3: the first handler\'s own version')
  t.same(await at(V4), { handler: V4, trail: ['handler'] }, 'V4: the second handler, as written')
})

t.test('route migrations change the status and headers; error responses are migrated only where a migration opts in', async t => {
  const app = await build({
    [V3]: [versionChange({
      description: 'a missing thing answers 404 instead of 400',
      responses: [
        responseMigration('GET /things/:id', response => { response.statusCode = 400 }, { errors: true }),
        responseMigration('GET /things/:id', response => { response.headers['x-old'] = 'yes'; delete response.headers['x-new'] })
      ]
    })]
  })
  app.get('/things/:id', { constraints: { apiVersion: V1 } }, async (request, reply) => {
    reply.header('x-new', 'yes')
    return (request.params as { id: string }).id === 'missing' ? reply.code(404).send({ missing: true }) : { found: true }
  })
  t.teardown(() => app.close())
  const missing = await get(app, '/things/missing', V2)
  t.equal(missing.statusCode, 400, 'the opted-in migration ran on the error')
  t.equal(missing.headers['x-new'], 'yes', 'the other one did not')
  t.same(missing.json(), { missing: true })
  const found = await get(app, '/things/1', V2)
  t.equal(found.statusCode, 400, 'both ran on a success')
  t.equal(found.headers['x-old'], 'yes')
  t.notOk('x-new' in found.headers, 'a header removed by a migration is not sent')
  t.equal((await get(app, '/things/missing', V3)).statusCode, 404, 'head: as written')
})

t.test('a migration that throws answers the catalog\'s 500 problem, logged with the change and the route, nothing half-migrated', async t => {
  const logs = collectLogs('error')
  const app = await build({
    [V3]: [versionChange({
      description: 'the broken change',
      requests: [requestMigration('POST /broken', () => { throw new Error('request boom') })],
      responses: [
        responseMigration(Person, person => { person.name = 'half' }),
        responseMigration('GET /broken', () => { throw new Error('response boom') }, { errors: true })
      ]
    })]
  }, { logger: logs.logger })
  app.get('/broken', { constraints: { apiVersion: V1 }, schema: { response: { 200: Person } } }, async () => ({ firstName: 'Sam', lastName: 'Taylor' }))
  app.post('/broken', { constraints: { apiVersion: V1 } }, async () => 'never')
  t.teardown(() => app.close())
  const res = await get(app, '/broken', V2)
  t.equal(res.statusCode, 500)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.same(res.json(), {
    type: 'urn:fastify-date-versioning:problem:ApiVersionMigrationFailed',
    title: 'API version migration failed',
    status: 500,
    detail: `The response of GET /broken could not be converted to API version ${V2}.`,
    code: 'ApiVersionMigrationFailed',
    requestedVersion: V2,
    supportedVersions: [V1, V2, V3, V4],
    latestVersion: V4
  }, 'the problem only: nothing of the half-migrated body')
  t.match(logs.lines.find(l => l.msg.includes('response migration')), { change: 'the broken change', changeVersion: V3, route: 'GET /broken', err: { message: 'response boom' } })
  const request = await post(app, '/broken', V2, {})
  t.equal(request.statusCode, 500)
  t.match(request.json(), { code: 'ApiVersionMigrationFailed', detail: `The request of POST /broken could not be converted to API version ${V2}.` })
  t.match(logs.lines.find(l => l.msg.includes('request migration')), { change: 'the broken change', route: 'POST /broken', err: { message: 'request boom' } })
  t.equal((await get(app, '/broken', V3)).statusCode, 200, 'head runs no migration')
})

t.test('of the migrations a list runs object by object, the one that throws is the change named', async t => {
  const logs = collectLogs('error')
  const renamed = (version: string, from: string, to: string, fail = false): VersionChange => versionChange({
    description: `${to} was ${from} before ${version}`,
    responses: [responseMigration(Person, person => {
      if (fail && person.firstName === 'Jo') throw new Error(`${version} boom`)
      person[from] = person[to]
    })]
  })
  const app = await build({ [V2]: [renamed(V2, 'given', 'firstName')], [V3]: [renamed(V3, 'forename', 'firstName', true)], [V4]: [renamed(V4, 'first', 'firstName')] }, { logger: logs.logger })
  app.get('/moves', { constraints: { apiVersion: V1 }, schema: { response: { 200: Page } } }, async () => ({ data: stored, meta: { count: 2 } }))
  app.get('/moves/:id', { constraints: { apiVersion: V1 }, schema: { response: { 200: Move } } }, async () => stored[0])
  t.teardown(() => app.close())
  t.equal((await get(app, '/moves', V1)).statusCode, 500, 'the second person fails the change of V3')
  t.match(logs.lines.find(l => l.msg.includes('response migration')), { change: `firstName was forename before ${V3}`, changeVersion: V3, err: { message: `${V3} boom` } })
  const serializedWith = (version: string) => app.inject({ url: '/moves/M-1', headers: { 'api-version': version } })
  t.equal((await serializedWith(V1)).statusCode, 200, 'the first person passes every change')
  t.same(stored[1], { id: 'M-2', person: { firstName: 'Jo', lastName: 'Evans' } }, 'the handler\'s value is left alone')
  t.throws(() => app.apiVersions.migrateResponse(Move, stored[1] as object, V1), { message: `${V3} boom` }, 'migrateResponse() throws what the migration threw')
})

t.test('a route migration that changes the status hands the response to the migrations of the new status; Type.Optional(schema) is the schema', async t => {
  const Code = Type.Object({ code: Type.String() })
  const app = await build({
    [V2]: [versionChange({
      description: 'codes were numbers',
      schemas: [schema(Code).property('code').existedAs(Type.Integer())],
      responses: [responseMigration(Code, code => { (code as Record<string, unknown>).code = Number(String(code.code).slice(1)) }, { errors: true })]
    })],
    [V3]: [versionChange({
      description: 'a missing thing answers 404 { missing } instead of 200 { found: false, error }',
      responses: [responseMigration('GET /things/:id', response => {
        response.statusCode = 200
        response.body = { found: false, error: response.body.missing }
      }, { errors: true })]
    })]
  })
  app.get('/things/:id', {
    constraints: { apiVersion: V1 },
    schema: { response: { 200: Type.Object({ found: Type.Boolean(), error: Type.Optional(Code) }), 404: Type.Object({ missing: Code }) } }
  }, async (request, reply) => reply.code(404).send({ missing: { code: 'E42' } }))
  t.teardown(() => app.close())
  const old = await get(app, '/things/1', V1)
  t.equal(old.statusCode, 200, 'the status of V1')
  t.same(old.json(), { found: false, error: { code: 42 } }, 'the code migrated back where the 200 schema has it')
  const middle = await get(app, '/things/1', V2)
  t.equal(middle.statusCode, 200)
  t.same(middle.json(), { found: false, error: { code: 'E42' } })
})

t.test('the plugin\'s own errors are never migrated, even where migrations opt in to errors', async t => {
  const app = await build({
    [V2]: [versionChange({ description: 'errors change', responses: [responseMigration('GET /x', response => { response.body = { migrated: true } }, { errors: true })] })]
  }, {}, { versions: [{ version: V1, sunset: '2021-06-01' }, { version: V2 }] })
  app.get('/x', { constraints: { apiVersion: V1 } }, async () => ({}))
  t.teardown(() => app.close())
  const sunset = await get(app, '/x', V1)
  t.equal(sunset.statusCode, 410)
  t.match(sunset.json(), { code: 'ApiVersionSunset' })
  t.equal((await get(app, '/x', 'nonsense')).statusCode, 400)
})

t.test('a schema migration reaches the schema through arrays, $refs to shared schemas and the anyOf branch it can be told apart in', async t => {
  const Cat = Type.Object({ kind: Type.Literal('cat'), lives: Type.Integer() })
  const Dog = Type.Object({ kind: Type.Literal('dog'), tricks: Type.Integer() })
  const app = await build({
    [V3]: [versionChange({
      description: 'a dog\'s tricks were its skills; a person\'s nickname is new',
      schemas: [schema(Dog).property('tricks').hadName('skills'), schema('Owner').property('nickname').didNotExist()],
      responses: [
        responseMigration(Dog, dog => { dog.skills = dog.tricks; delete dog.tricks }),
        responseMigration('Owner', owner => { delete owner.nickname })
      ]
    })]
  })
  app.addSchema({ $id: 'Owner', type: 'object', properties: { name: { type: 'string' }, nickname: { type: 'string' } } })
  const Pets = Type.Object({ owner: Type.Ref('Owner'), pets: Type.Array(Type.Union([Cat, Dog])), also: Type.Array(Type.Union([Type.String(), Type.Object({ name: Type.String() }, { $id: 'Tag' })])) })
  app.get('/pets', { constraints: { apiVersion: V1 }, schema: { response: { 200: Pets } } }, async () => ({
    owner: { name: 'Sam', nickname: 'S' },
    pets: [{ kind: 'cat', lives: 9 }, { kind: 'dog', tricks: 3 }],
    also: ['x', { name: 'y' }]
  }))
  t.teardown(() => app.close())
  t.same((await get(app, '/pets', V2)).json(), { owner: { name: 'Sam' }, pets: [{ kind: 'cat', lives: 9 }, { kind: 'dog', skills: 3 }], also: ['x', { name: 'y' }] })
  t.same((await get(app, '/pets', V3)).json(), { owner: { name: 'Sam', nickname: 'S' }, pets: [{ kind: 'cat', lives: 9 }, { kind: 'dog', tricks: 3 }], also: ['x', { name: 'y' }] })
})

t.test('change.isApplied(request) tells a handler that the request comes from before the change', async t => {
  const legacy = versionChange({ description: 'moves are no longer e-mailed on creation' })
  const app = await build({ [V3]: [legacy] })
  app.get('/side', { constraints: { apiVersion: V1 } }, async request => ({ emailed: legacy.isApplied(request) }))
  app.get('/neutral', async request => ({ emailed: legacy.isApplied(request) }))
  t.teardown(() => app.close())
  t.same((await get(app, '/side', V2)).json(), { emailed: true })
  t.same((await get(app, '/side', V3)).json(), { emailed: false })
  t.same((await get(app, '/neutral', V2)).json(), { emailed: false }, 'a version-neutral route has no version to be before')
  t.equal(legacy.version, V3)
  t.throws(() => versionChange({ description: 'nowhere' }).isApplied({ apiVersion: null }), { code: 'ERR_API_VERSION_USAGE', message: /not in the versions of a registration/ })
})

t.test('apiVersions.migrateResponse() migrates a webhook\'s body to a client\'s version, outside routing', async t => {
  const Event = Type.Object({ type: Type.String(), move: Move })
  const app = await build({ [V3]: [splitName()] })
  app.get('/unrelated', { constraints: { apiVersion: V1 } }, async () => 'ok')
  await app.ready()
  t.teardown(() => app.close())
  const body = { type: 'move.booked', move: stored[0] }
  t.same(app.apiVersions.migrateResponse(Event, body, V2), { type: 'move.booked', move: { id: 'M-1', person: { firstName: 'Sam', lastName: 'Taylor', name: 'Sam Taylor' } } },
    'the migrations ran (serialising with the version\'s schema is the caller\'s)')
  t.same(app.apiVersions.migrateResponse(Event, body, '2022-06-30'), app.apiVersions.migrateResponse(Event, body, V2), 'a client\'s date resolves to its version')
  t.equal(app.apiVersions.migrateResponse(Event, body, V3), body, 'nothing to do at head')
  t.same(body.move, stored[0], 'the body given is left alone')
  t.throws(() => app.apiVersions.migrateResponse(Event, body, '2000-01-01'), { code: 'ERR_API_VERSION_USAGE' })
  t.throws(() => app.apiVersions.migrateResponse(null as unknown as object, body, V2), { code: 'ERR_API_VERSION_USAGE' })
})

t.test('a migrated body is a copy of every value in it: arrays, objects, dates, class instances, a "__proto__" key', async t => {
  const Event = Type.Object({ at: Type.Unsafe<Date>({ type: 'string', format: 'date-time' }), moves: Type.Array(Move), tags: Type.Record(Type.String(), Type.Unknown()) })
  const app = await build({ [V3]: [splitName()] })
  app.get('/unrelated', { constraints: { apiVersion: V1 } }, async () => 'ok')
  await app.ready()
  t.teardown(() => app.close())
  class Moved { constructor (readonly id: string, readonly person: object) {} }
  const at = new Date('2023-02-01T10:00:00Z')
  const tags = JSON.parse('{ "__proto__": { "admin": true }, "list": [[1, 2], null] }') as Record<string, unknown>
  const body = { at, moves: [new Moved('M-1', { ...stored[0]?.person }), stored[1]], tags }
  const before = structuredClone(body)
  const migrated = app.apiVersions.migrateResponse(Event, body, V2) as typeof body
  t.same(migrated.moves.map(move => move?.person), [{ firstName: 'Sam', lastName: 'Taylor', name: 'Sam Taylor' }, { firstName: 'Jo', lastName: 'Evans', name: 'Jo Evans' }],
    'the migration reached the class instance and the plain object')
  t.same(body, before, 'the body given is left alone')
  t.ok(migrated.at instanceof Date && migrated.at !== at && migrated.at.getTime() === at.getTime(), 'the date is a date, copied')
  t.ok(Object.hasOwn(migrated.tags, '__proto__') && Object.getPrototypeOf(migrated.tags) === Object.prototype, '"__proto__" stays a property, not a prototype')
  t.same(JSON.stringify(migrated.tags), JSON.stringify(tags), 'every value of the copy is there')
  t.not(migrated.tags.list, tags.list, 'nested arrays are copied too')
  // A dependency that pollutes Object.prototype does not get its keys into a migrated body.
  // eslint-disable-next-line no-extend-native -- the pollution is the test, undone below
  Object.defineProperty(Object.prototype, 'polluted', { value: 'yes', enumerable: true, configurable: true })
  try {
    t.notOk(Object.hasOwn(app.apiVersions.migrateResponse(Event, body, V2) as object, 'polluted'), 'only own properties are copied')
  } finally {
    delete (Object.prototype as { polluted?: unknown }).polluted
  }
})

t.test('each change\'s description is listed under its version in the changelog and on the docs page', async t => {
  const app = await build({ [V3]: ['A sentence', splitName()] })
  app.get('/moves/:id', { constraints: { apiVersion: V1 }, schema: { response: { 200: Move } } }, async () => stored[0])
  t.teardown(() => app.close())
  const changelog = (await app.inject('/api-versions/changelog.json')).json().versions as Array<{ version: string, changes: string[], contract: { changes: Array<{ level: string }> } }>
  const v3 = changelog.find(e => e.version === V3)
  t.same(v3?.changes, ['A sentence', 'person.name is split into person.firstName and person.lastName'])
  t.ok(v3?.contract.changes.some(c => c.level === 'breaking'), 'the contract changes derived from the schemas are found too')
  t.match((await app.inject('/api-versions/changelog.md')).body, '- person.name is split into person.firstName and person.lastName')
  t.match((await app.inject('/api-versions/docs')).body, '<li>person.name is split into person.firstName and person.lastName</li>')
  t.same(app.apiVersions.get(V3)?.changes, ['A sentence', 'person.name is split into person.firstName and person.lastName'])
})

t.test('only the routes a change concerns get migration hooks, and only those they need', async t => {
  const app = await build({ [V3]: [splitName(), versionChange({ description: 'cancel is new', endpoints: [endpoint('POST', '/cancel').didNotExist()] })] })
  const hooks: Record<string, string[]> = {}
  app.addHook('onRoute', route => {
    const names = (['onRequest', 'preValidation', 'preSerialization', 'onError'] as const).flatMap(name => [route[name]].flat().map(hook => (hook as { name: string } | undefined)?.name))
    hooks[`${String(route.method)} ${route.url}`] = names.filter(name => ['endpointInVersion', 'migrateRequest', 'migrateResponse', 'keepPluginErrors'].includes(name as string)) as string[]
  })
  app.get('/plain', { constraints: { apiVersion: V1 }, schema: { response: { 200: Type.Object({ a: Type.String() }) } } }, async () => ({ a: 'x', b: 'not documented' }))
  app.get('/moves/:id', { constraints: { apiVersion: V1 }, schema: { response: { 200: Move } } }, async () => stored[0])
  app.post('/moves', { constraints: { apiVersion: V1 }, schema: { body: Move } }, async () => 'ok')
  app.post('/cancel', { constraints: { apiVersion: V1 } }, async () => 'ok')
  app.get('/neutral', { schema: { response: { 200: Move } } }, async () => stored[0])
  await app.ready()
  t.teardown(() => app.close())
  t.same(hooks, {
    'GET /plain': [],
    'HEAD /plain': [],
    'GET /moves/:id': ['migrateResponse', 'keepPluginErrors'],
    'HEAD /moves/:id': ['migrateResponse', 'keepPluginErrors'],
    'POST /moves': ['migrateRequest'],
    'POST /cancel': ['endpointInVersion'],
    'GET /neutral': [],
    'HEAD /neutral': []
  })
  t.same((await get(app, '/plain', V1)).json(), { a: 'x' }, 'Fastify\'s own serializer, as without changes')
})

t.test('a filter renamed in the newest version stays available to older clients, under its old name', async t => {
  const Filter = Type.Object({ state: Type.Optional(Type.Union([Type.Literal('booked'), Type.Literal('requested')])) })
  const Note = Type.Object({ text: Type.String() })
  const app = await build({
    [V3]: [versionChange({
      description: 'the status filter is called state; notes carry text instead of body',
      schemas: [schema(Filter).property('state').hadName('status'), schema(Note).property('text').hadName('body')],
      requests: [
        requestMigration('GET /moves', request => { request.query.state = request.query.status; delete request.query.status }),
        requestMigration('PATCH /notes', request => { request.body.text = request.body.body; delete request.body.body })
      ]
    })]
  })
  app.get('/moves', { constraints: { apiVersion: V1 }, schema: { querystring: Filter } }, async request => ({ query: request.query }))
  app.route({ method: ['PUT', 'PATCH'], url: '/notes', constraints: { apiVersion: V1 }, schema: { body: Note }, handler: async request => ({ method: request.method, body: request.body }) })
  t.teardown(() => app.close())
  t.same((await get(app, '/moves?status=booked', V2)).json(), { query: { state: 'booked' } }, 'the old filter reaches the handler under its new name')
  t.equal((await get(app, '/moves?status=lost', V2)).json().message, 'querystring/status must be equal to constant, querystring/status must be equal to constant, querystring/status must match a schema in anyOf',
    'an invalid old filter is named as old clients know it')
  t.same((await get(app, '/moves?state=booked', V3)).json(), { query: { state: 'booked' } })
  t.same((await post(app, '/notes', V2, { body: 'hello' }, 'PATCH')).json(), { method: 'PATCH', body: { text: 'hello' } }, 'PATCH has its route migration')
  t.equal((await app.inject({ method: 'PUT', url: '/notes', headers: { 'api-version': V2 }, payload: { body: 'hello' } })).json().message, 'body must have required property \'text\'',
    'PUT has none: the old body is valid for V2, but the newest schema refuses it unmigrated')
  t.equal((await app.inject({ method: 'PATCH', url: '/notes', headers: { 'api-version': V2 } })).json().message, 'body must be object', 'a missing body is refused by the old schema as by Fastify')
  const document = await app.apiVersions.document(V2) as unknown as { paths: Record<string, Record<string, { parameters?: Array<{ name: string, in: string }> }>> }
  t.same(document.paths['/moves']?.get?.parameters?.filter(p => p.in === 'query').map(p => p.name), ['status'], 'the document of V2 names the old filter')
})

t.test('a custom validator compiler\'s error is answered as Fastify answers it', async t => {
  const Body = Type.Object({ text: Type.String() })
  const app = await build({ [V3]: [versionChange({ description: 'text was called body', schemas: [schema(Body).property('text').hadName('body')] })] })
  const refuse = (): ((data: unknown) => { error?: Error, value?: unknown }) => data => (data as { nope?: boolean })?.nope === true ? { error: Object.assign(new Error('custom refusal'), { statusCode: 422 }) } : { value: data }
  app.post('/custom', { constraints: { apiVersion: V1 }, schema: { body: Body }, validatorCompiler: refuse }, async request => request.body)
  t.teardown(() => app.close())
  const refused = await post(app, '/custom', V2, { nope: true })
  t.equal(refused.statusCode, 422)
  t.equal(refused.json().message, 'custom refusal')
  t.same((await post(app, '/custom', V2, { body: 'x' })).json(), { body: 'x' }, 'its { value } passes')
})

t.test('before any version is released, a preview\'s 404 problem has no latest version', async t => {
  const app = await build({}, {}, {
    versions: [{ version: V1, preview: true }, { version: V2, preview: true, changes: [versionChange({ description: 'new', endpoints: [endpoint('GET', '/new').didNotExist()] })] }],
    isPreviewEnabled: () => true
  })
  app.get('/new', { constraints: { apiVersion: V1 } }, async () => 'new')
  t.teardown(() => app.close())
  const res = await get(app, '/new', V1)
  t.equal(res.statusCode, 404)
  t.match(res.json(), { code: 'ApiVersionEndpointNotFound', latestVersion: null, supportedVersions: [] })
})

t.test('schema migrations on error responses run only where they opt in', async t => {
  const Problem = Type.Object({ reason: Type.String() })
  const app = await build({
    [V3]: [versionChange({
      description: 'reasons are words now',
      schemas: [schema(Problem).property('reason').existedAs(Type.Integer())],
      responses: [responseMigration(Problem, problem => { Object.assign(problem, { reason: 1 }) }, { errors: true }), responseMigration(Problem, problem => { problem.touched = true })]
    })]
  })
  app.get('/problem', { constraints: { apiVersion: V1 }, schema: { response: { '4xx': Problem, default: Type.Object({ other: Type.String() }) } } }, async (_request, reply) => reply.code(409).send({ reason: 'conflict' }))
  app.get('/other', { constraints: { apiVersion: V1 }, schema: { response: { '4xx': Problem, default: Type.Object({ other: Type.String() }) } } }, async () => ({ other: 'x' }))
  t.teardown(() => app.close())
  const res = await get(app, '/problem', V2)
  t.equal(res.statusCode, 409)
  t.same(res.json(), { reason: 1 }, 'the opted-in migration ran on the 4xx schema; the other did not add its field (and the derived schema would not show it)')
  t.same((await get(app, '/other', V2)).json(), { other: 'x' }, 'a status served by another schema has none of these migrations')
})

t.test('a change to a schema that is not an object: constraints, and a property whose type changed', async t => {
  const Code = Type.String({ maxLength: 4 })
  const Stop = Type.Object({ code: Code, count: Type.Integer() })
  const app = await build({
    [V3]: [versionChange({
      description: 'codes are 4 characters at most and no longer upper-case only; count is a number',
      schemas: [schema(Code).had({ maxLength: undefined, pattern: '^[A-Z]+$' }), schema(Stop).property('count').existedAs(Type.String({ pattern: '^[0-9]+$' }))],
      requests: [requestMigration(Stop, stop => { stop.count = Number(stop.count) })],
      responses: [responseMigration(Stop, stop => { Object.assign(stop, { count: String(stop.count) }) })]
    })]
  })
  app.post('/stops', { constraints: { apiVersion: V1 }, schema: { body: Stop, response: { 200: Stop } } }, async request => request.body)
  t.teardown(() => app.close())
  t.same((await post(app, '/stops', V2, { code: 'ABC', count: '3' })).json(), { code: 'ABC', count: '3' })
  t.equal((await post(app, '/stops', V2, { code: 'abc', count: '3' })).json().message, 'body/code must match pattern "^[A-Z]+$"')
  t.equal((await post(app, '/stops', V2, { code: 'ABCDEFG', count: '3' })).json().message, 'body/code must NOT have more than 4 characters', 'no limit then, but the newest schema has one')
  t.equal((await post(app, '/stops', V2, { code: 'A', count: 'three' })).json().message, 'body/count must match pattern "^[0-9]+$"', 'count is a string of digits, as it was')
  t.same((await post(app, '/stops', V3, { code: 'abc', count: 3 })).json(), { code: 'abc', count: 3 })
})

t.test('schemas found through $id, a union without a discriminator, allOf, $ref pointers, and a schema that includes itself', async t => {
  const Tag = Type.Object({ name: Type.String() }, { $id: 'Tag' })
  const Plain = Type.Object({ a: Type.String() }, { required: ['a'] } as never)
  const Loose = Type.Object({ b: Type.Optional(Type.String()) })
  const app = await build({
    [V3]: [versionChange({
      description: 'many things',
      responses: [
        responseMigration(Tag, tag => { tag.name = `#${tag.name as string}` }),
        responseMigration(Plain, plain => { plain.a = `old ${plain.a as string}` }),
        responseMigration(Loose, loose => { loose.b = 'old' }),
        responseMigration('Tree', tree => { tree.label = `old ${String(tree.label)}` })
      ]
    })]
  })
  app.addSchema({ $id: 'Tree', type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: 'Tree#' } } } })
  app.addSchema({ $id: 'Names', type: 'object', properties: { first: { type: 'string' } } })
  const Body = Type.Object({
    tags: Type.Intersect([Type.Object({ main: Tag }), Type.Object({ other: Type.String() })]),
    either: Type.Array(Type.Union([Plain, Loose])),
    first: Type.Ref('Names#/properties/first'),
    tree: Type.Ref('Tree')
  })
  app.get('/many', { constraints: { apiVersion: V1 }, schema: { response: { 200: Body } } }, async () => ({
    tags: { main: { name: 'x' }, other: 'y' },
    either: [{ a: 'p' }, { b: 'q' }],
    first: 'Sam',
    tree: { label: 'root', children: [{ label: 'leaf', children: [] }] }
  }))
  t.teardown(() => app.close())
  t.same((await get(app, '/many', V2)).json(), {
    tags: { main: { name: '#x' }, other: 'y' },
    either: [{ a: 'old p' }, { b: 'old' }],
    first: 'Sam',
    tree: { label: 'old root', children: [{ label: 'leaf', children: [] }] }
  }, 'a schema that includes itself is migrated at its first level: its inner occurrences are a $ref, followed no further')
})

t.test('a change that moves a schema and migrates it: its schema migrations find it where it is on each side', async t => {
  const City = Type.Object({ name: Type.String() })
  const Body = Type.Object({ address: Type.Object({ city: City }) })
  const app = await build({
    [V3]: [versionChange({
      description: 'the city moves into address, and its title is called name',
      schemas: [schema(Body).property('address').didNotExist(), schema(Body).property('city').existedAs(City), schema(City).property('name').hadName('title')],
      requests: [
        requestMigration(City, city => { city.name = String(city.title); delete city.title }),
        requestMigration(Body, body => { Object.assign(body, { address: { city: body.city } }); delete body.city })
      ],
      responses: [
        responseMigration(City, city => { city.title = city.name; delete city.name }),
        responseMigration(Body, body => { body.city = (body.address as { city: unknown }).city; delete body.address })
      ]
    })]
  })
  app.post('/places', { constraints: { apiVersion: V1 }, schema: { body: Body, response: { 200: Body } } }, async request => {
    t.same(request.body, { address: { city: { name: 'Leeds' } } }, 'the handler sees the newest shape')
    return request.body
  })
  t.teardown(() => app.close())
  t.same((await post(app, '/places', V2, { city: { title: 'Leeds' } })).json(), { city: { title: 'Leeds' } },
    'forward, the city is renamed where it was before the move; back, where it is after')
})
