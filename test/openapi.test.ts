import SwaggerParser from '@apidevtools/swagger-parser'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import dateVersioning, { retired, type DateVersioningOptions } from '../lib/index.js'
import { at } from './helpers.js'

// One OpenAPI document per version, the timeline and the changelog, as a client fetches them.

const versions: DateVersioningOptions['versions'] = [
  { version: '2022-01-01', changes: ['First release'], deprecated: '2024-01-01', sunset: '2026-01-01' },
  { version: '2023-01-01', changes: ['Moves can be created'] },
  { version: '2024-03-01', changes: ['`name` split into `firstName` and `lastName`', 'Moves can no longer be deleted'] },
  { version: '2027-01-15', preview: true }
]

const VERSIONS = ['2022-01-01', '2023-01-01', '2024-03-01', '2027-01-15']

const object = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties) })
const text = { type: 'string' }

async function moves (options: Partial<DateVersioningOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify()
  app.addSchema({ $id: 'Problem', ...object({ title: text }) })
  await app.register(dateVersioning, { versions, now: at(), docs: { previews: true }, ...options })
  app.get('/health', { schema: { response: { 200: object({ status: text }) } } }, async () => ({ status: 'ok' }))
  app.get('/moves/:id', {
    constraints: { apiVersion: '2022-01-01' },
    schema: { params: object({ id: text }), response: { 200: object({ name: text }), 404: { $ref: 'Problem#' } } }
  }, async () => ({ name: 'Ada Lovelace' }))
  app.get('/moves/:id', {
    constraints: { apiVersion: '2024-03-01' },
    schema: { params: object({ id: text }), response: { 200: object({ firstName: text, lastName: text }) } }
  }, async () => ({ firstName: 'Ada', lastName: 'Lovelace' }))
  app.delete('/moves/:id', { constraints: { apiVersion: '2022-01-01' } }, async () => null)
  app.delete('/moves/:id', { constraints: { apiVersion: '2024-03-01' } }, retired)
  app.post('/moves', {
    constraints: { apiVersion: '2023-01-01' },
    schema: { body: object({ from: text, to: text }), response: { 201: object({ id: text }) } }
  }, async () => ({ id: 'm1' }))
  app.get('/internal', { schema: { hide: true } }, async () => 'hidden')
  return app
}

async function document (app: FastifyInstance, version: string, prefix = '/api-versions'): Promise<any> {
  const res = await app.inject(`${prefix}/${version}/openapi.json`)
  if (res.statusCode !== 200) throw new Error(`${version}: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** Method and path of every operation, such as `get /moves/{id}`. */
const operations = (doc: any): string[] =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map(method => `${method} ${path}`)).sort()

const responseFields = (doc: any): string[] =>
  Object.keys(doc.paths['/moves/{id}'].get.responses['200'].content['application/json'].schema.properties)

t.test('each version documents exactly the operations it serves', async t => {
  const app = await moves()
  t.same(operations(await document(app, '2022-01-01')), ['delete /moves/{id}', 'get /health', 'get /moves/{id}'])
  t.same(operations(await document(app, '2023-01-01')), ['delete /moves/{id}', 'get /health', 'get /moves/{id}', 'post /moves'])
  t.same(operations(await document(app, '2024-03-01')), ['get /health', 'get /moves/{id}', 'post /moves'], 'retired DELETE is gone')
  t.same(operations(await document(app, '2027-01-15')), ['get /health', 'get /moves/{id}', 'post /moves'])
})

t.test('each operation carries the schemas of the handler serving that version', async t => {
  const app = await moves()
  const [v2022, v2023, v2024] = await Promise.all(['2022-01-01', '2023-01-01', '2024-03-01'].map(v => document(app, v)))
  t.same(responseFields(v2022), ['name'])
  t.same(responseFields(v2023), ['name'])
  t.same(responseFields(v2024), ['firstName', 'lastName'])
  t.equal(v2022.paths['/moves/{id}'].get['x-api-version'], '2022-01-01')
  t.equal(v2023.paths['/moves/{id}'].get['x-api-version'], '2022-01-01')
  t.equal(v2024.paths['/moves/{id}'].get['x-api-version'], '2024-03-01')
  t.same(Object.keys(v2023.paths['/moves'].post.requestBody.content['application/json'].schema.properties), ['from', 'to'])
  t.ok(v2022.paths['/moves/{id}'].get.responses['404'], 'a shared schema is resolved')
  t.equal(v2022.openapi, '3.1.0')
})

t.test('version-neutral routes appear in every document, without the version header', async t => {
  const app = await moves()
  for (const version of VERSIONS) {
    const doc = await document(app, version)
    t.same(Object.keys(doc.paths['/health'].get.responses['200'].content['application/json'].schema.properties), ['status'], version)
    t.equal(doc.paths['/health'].get.parameters, undefined, version)
    t.equal(doc.paths['/internal'], undefined, 'hidden routes stay hidden')
    t.equal(doc.paths['/api-versions/{version}/openapi.json'], undefined, 'the documentation does not document itself')
  }
})

t.test('the version header is a parameter of every versioned operation', async t => {
  const app = await moves({ header: 'Harness-Version' })
  const doc = await document(app, '2023-01-01')
  for (const [path, method] of [['/moves/{id}', 'get'], ['/moves/{id}', 'delete'], ['/moves', 'post']] as const) {
    const header = doc.paths[path][method].parameters.find((p: any) => p.in === 'header')
    t.match(header, { name: 'Harness-Version', in: 'header', required: false, schema: { type: 'string', format: 'date' } }, `${method} ${path}`)
  }
  t.same(doc.paths['/moves/{id}'].get.parameters.map((p: any) => `${p.in} ${p.name}`), ['header Harness-Version', 'path id'])
  const required = await document(await moves({ requireHeader: true }), '2023-01-01')
  t.equal(required.paths['/moves'].post.parameters[0].required, true, 'required when the plugin requires it')
})

t.test('a header the application documents itself is kept, not repeated', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  const headers = { type: 'object', properties: { 'api-version': { type: 'string', description: 'Our own words' } } }
  app.get('/moves', { constraints: { apiVersion: '2022-01-01' }, schema: { headers } }, async () => [])
  const doc = await document(app, '2022-01-01')
  t.same(doc.paths['/moves'].get.parameters.map((p: any) => p.description), ['Our own words'])
})

t.test('info carries the version date and its lifecycle', async t => {
  const app = await moves({ docs: { previews: true, openapi: { info: { title: 'Moves API', version: 'ignored' } } } })
  const doc = await document(app, '2022-01-01')
  t.same(doc.info, {
    title: 'Moves API',
    version: '2022-01-01',
    'x-api-lifecycle': {
      status: 'deprecated',
      released: '2022-01-01',
      deprecated: '2024-01-01T00:00:00.000Z',
      sunset: '2026-01-01T00:00:00.000Z',
      successor: '2023-01-01'
    }
  })
  t.same((await document(app, '2024-03-01')).info['x-api-lifecycle'],
    { status: 'active', released: '2024-03-01', deprecated: null, sunset: null, successor: null })
  t.equal((await document(app, '2027-01-15')).info['x-api-lifecycle'].status, 'preview')
})

t.test('the lifecycle follows the clock while the document stays built', async t => {
  let now = Date.parse('2025-06-01T12:00:00Z')
  const app = await moves({ now: () => now })
  t.equal((await document(app, '2022-01-01')).info['x-api-lifecycle'].status, 'deprecated')
  now = Date.parse('2026-01-02T00:00:00Z')
  t.equal((await document(app, '2022-01-01')).info['x-api-lifecycle'].status, 'sunset')
})

t.test('latest is the latest released version; unknown versions are not found', async t => {
  const app = await moves()
  const latest = await document(app, 'latest')
  t.equal(latest.info.version, '2024-03-01')
  t.same(operations(latest), operations(await document(app, '2024-03-01')))
  for (const version of ['2021-01-01', '2024-03-02', 'yesterday', '2024-3-1']) {
    const res = await app.inject(`/api-versions/${version}/openapi.json`)
    t.equal(res.statusCode, 404, version)
  }
})

t.test('latest is not found while no version is released', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions: [{ version: '2030-01-01' }], now: at(), docs: { previews: true } })
  t.equal((await app.inject('/api-versions/latest/openapi.json')).statusCode, 404)
  t.equal((await document(app, '2030-01-01')).info['x-api-lifecycle'].status, 'preview')
})

t.test('every document is valid OpenAPI 3.1', async t => {
  const app = await moves({ docs: { previews: true, openapi: { info: { title: 'Moves API', version: '1' }, servers: [{ url: 'https://api.example.com' }] } } })
  for (const version of VERSIONS) {
    const doc = await document(app, version)
    await t.resolves(SwaggerParser.validate(structuredClone(doc)), version)
  }
})

t.test('the timeline lists every released version with its status, dates, changes and document', async t => {
  const app = await moves({ docs: true })
  const res = await app.inject('/api-versions')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.header, 'Api-Version')
  t.equal(body.latest, '2024-03-01')
  t.equal(body.oldest, '2022-01-01')
  t.same(body.versions.map((v: any) => v.version), VERSIONS.slice(0, 3), 'no preview without docs.previews')
  t.same(body.versions[0], {
    version: '2022-01-01',
    status: 'deprecated',
    changes: ['First release'],
    deprecated: '2024-01-01T00:00:00.000Z',
    sunset: '2026-01-01T00:00:00.000Z',
    successor: '2023-01-01',
    released: '2022-01-01',
    openapi: '/api-versions/2022-01-01/openapi.json'
  })
  t.same(body.changelog, { json: '/api-versions/changelog.json', markdown: '/api-versions/changelog.md' })
  t.equal((await app.inject(body.versions[2].openapi)).statusCode, 200, 'the listed URL serves the document')
  const withPreviews = await moves({ docs: { previews: true } })
  const listed = (await withPreviews.inject('/api-versions')).json()
  t.same(listed.versions.map((v: any) => v.version), VERSIONS, 'previews listed with docs.previews')
  t.equal((await withPreviews.inject(listed.versions[3].openapi)).statusCode, 200, 'a listed preview\'s document is served')
  t.equal((await app.inject(listed.versions[3].openapi)).statusCode, 404, 'an unlisted preview\'s document is not found')
})

/** A contract change in one line: `level id METHOD path location pointer`. */
const finding = (c: any): string => [c.level, c.id, c.method, c.path, c.location, c.pointer].join(' ').trimEnd()

t.test('the changelog, as JSON and as Markdown, newest first, with the contract changes between consecutive versions', async t => {
  const app = await moves()
  const json = (await app.inject('/api-versions/changelog.json')).json()
  t.same(json.versions.map((v: any) => [v.version, v.status, v.changes, v.contract.from]), [
    ['2027-01-15', 'preview', [], '2024-03-01'],
    ['2024-03-01', 'active', ['`name` split into `firstName` and `lastName`', 'Moves can no longer be deleted'], '2023-01-01'],
    ['2023-01-01', 'active', ['Moves can be created'], '2022-01-01'],
    ['2022-01-01', 'deprecated', ['First release'], null]
  ])
  t.same(json.versions.map((v: any) => v.contract.changes.map(finding)), [
    [],
    [
      'breaking api-removed-without-deprecation DELETE /moves/{id} operation',
      'compatible response-required-property-added GET /moves/{id} response.200.body /firstName',
      'compatible response-required-property-added GET /moves/{id} response.200.body /lastName',
      'breaking response-required-property-removed GET /moves/{id} response.200.body /name',
      // The 2024 handler declares no 404 response, so its document no longer lists one.
      'breaking response-non-success-status-removed GET /moves/{id} response.404'
    ],
    ['compatible endpoint-added POST /moves operation'],
    []
  ])
  t.same(json.versions[1].contract.changes[3], {
    id: 'response-required-property-removed',
    level: 'breaking',
    method: 'GET',
    path: '/moves/{id}',
    location: 'response.200.body',
    pointer: '/name',
    message: 'response.200.body /name: property removed'
  })
  const markdown = await app.inject('/api-versions/changelog.md')
  t.equal(markdown.headers['content-type'], 'text/markdown; charset=utf-8')
  t.equal(markdown.body, [
    '# Changelog',
    '',
    '## 2027-01-15 (preview)',
    '',
    'No changes listed.',
    '',
    'No change to the contract since 2024-03-01.',
    '',
    '## 2024-03-01 (active)',
    '',
    '- `name` split into `firstName` and `lastName`',
    '- Moves can no longer be deleted',
    '',
    'Contract changes since 2023-01-01: 3 breaking, 2 compatible.',
    '',
    '- **breaking** `DELETE /moves/{id}`: operation: operation removed (`api-removed-without-deprecation`)',
    '- **breaking** `GET /moves/{id}`: response.200.body /name: property removed (`response-required-property-removed`)',
    '- **breaking** `GET /moves/{id}`: response.404: status 404 removed (`response-non-success-status-removed`)',
    '- **compatible** `GET /moves/{id}`: response.200.body /firstName: required property added (`response-required-property-added`)',
    '- **compatible** `GET /moves/{id}`: response.200.body /lastName: required property added (`response-required-property-added`)',
    '',
    '## 2023-01-01 (active)',
    '',
    '- Moves can be created',
    '',
    'Contract changes since 2022-01-01: 1 compatible.',
    '',
    '- **compatible** `POST /moves`: operation: operation added (`endpoint-added`)',
    '',
    '## 2022-01-01 (deprecated)',
    '',
    '- First release',
    ''
  ].join('\n'))
})

t.test('without docs.previews, previews are absent from the changelog and compared with nothing', async t => {
  const app = await moves({ docs: true })
  const json = (await app.inject('/api-versions/changelog.json')).json()
  t.same(json.versions.map((v: any) => v.version), ['2024-03-01', '2023-01-01', '2022-01-01'])
  t.notMatch((await app.inject('/api-versions/changelog.md')).body, '2027-01-15')
})

t.test('shared schemas of an encapsulated scope resolve in the documents', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  await app.register(async scope => {
    scope.addSchema({ $id: 'Move', ...object({ id: text, status: text }) })
    scope.get('/moves/:id', { constraints: { apiVersion: '2022-01-01' }, schema: { response: { 200: { $ref: 'Move#' } } } }, async () => ({}))
  })
  const doc = await document(app, '2022-01-01')
  const ref: string = doc.paths['/moves/{id}'].get.responses['200'].content['application/json'].schema.$ref
  t.match(ref, /^#\/components\/schemas\//, 'a reference inside the document')
  t.same(Object.keys(doc.components.schemas[ref.split('/').at(-1)!].properties), ['id', 'status'])
  await t.resolves(SwaggerParser.validate(structuredClone(doc)))
})

t.test('a schema @fastify/swagger cannot read answers a 500 naming the version and what to check', async t => {
  const app = Fastify()
  // Validation and serialisation by the application's own compilers, which accept a null property schema.
  app.setValidatorCompiler(() => () => true)
  app.setSerializerCompiler(() => data => JSON.stringify(data))
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  app.get('/moves', { constraints: { apiVersion: '2022-01-01' }, schema: { response: { 200: { type: 'object', properties: { a: null } } } } }, async () => ({}))
  // Asked twice: a failure is not kept, the second request builds again and fails the same way.
  for (const [url, version] of [['/api-versions/2023-01-01/openapi.json', '2023-01-01'], ['/api-versions/2023-01-01/openapi.json', '2023-01-01'], ['/api-versions/changelog.json', '2022-01-01']] as const) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 500, url)
    t.match(res.json(), { code: 'ERR_API_VERSION_CONFIG', message: `the OpenAPI document of version ${version} cannot be built` }, url)
    t.match(res.json(), { message: /cannot be built: @fastify\/swagger failed on the schemas of the routes serving it \(.+\)\. Check those route schemas/ }, url)
  }
  t.equal((await app.inject('/api-versions')).statusCode, 200, 'the timeline is still served')
  t.equal((await app.inject({ url: '/moves', headers: { 'api-version': '2023-01-01' } })).statusCode, 200, 'and the API')
})

t.test('the prefix is configurable', async t => {
  const app = await moves({ docs: { prefix: '/meta/versions/' } })
  t.equal((await app.inject('/meta/versions')).statusCode, 200)
  t.equal((await document(app, 'latest', '/meta/versions')).info.version, '2024-03-01')
  t.equal((await app.inject('/meta/versions/changelog.json')).statusCode, 200)
  t.equal((await app.inject('/api-versions')).statusCode, 404)
  const root = await moves({ docs: { prefix: '/' } })
  t.same((await root.inject('/')).json().versions[0].openapi, '/2022-01-01/openapi.json')
  t.equal((await document(root, '2023-01-01', '')).info.version, '2023-01-01')
})

t.test('without the docs option there are no documentation routes', async t => {
  for (const docs of [undefined, false]) {
    const app = await moves({ docs })
    t.equal((await app.inject('/api-versions')).statusCode, 404)
    t.equal((await app.inject('/api-versions/latest/openapi.json')).statusCode, 404)
  }
})

t.test('routes of other scopes are documented with their full path', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  await app.register(async scope => {
    scope.get('/moves', { constraints: { apiVersion: '2023-01-01' } }, async () => [])
  }, { prefix: '/v1' })
  t.same(operations(await document(app, '2023-01-01')), ['get /v1/moves'])
  t.same(operations(await document(app, '2022-01-01')), [])
})

t.test('a misconfigured docs option fails at registration, naming the mistake', async t => {
  const cases: Array<[unknown, RegExp]> = [
    ['yes', /docs must be true, false or an object/],
    [[], /docs must be true, false or an object/],
    [{ path: '/x' }, /docs\.path is not a known option/],
    [{ prefix: 'api-versions' }, /docs\.prefix must be a path starting with "\/"/],
    [{ prefix: 7 }, /docs\.prefix must be a path/],
    [{ openapi: 'openapi.json' }, /docs\.openapi must be an object/]
  ]
  for (const [docs, message] of cases) {
    const app = Fastify()
    await t.rejects(async () => { await app.register(dateVersioning, { versions, docs: docs as DateVersioningOptions['docs'] }) }, { code: 'ERR_API_VERSION_CONFIG', message }, JSON.stringify(docs))
  }
})

t.test('handlers of one method and path told apart by another constraint are documented once', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  app.get('/status', { constraints: { host: 'a.example.com' }, schema: { summary: 'A' } }, async () => 'a')
  app.get('/status', { constraints: { host: 'b.example.com' }, schema: { summary: 'B' } }, async () => 'b')
  const doc = await document(app, '2022-01-01')
  t.same(operations(doc), ['get /status'])
  t.equal(doc.paths['/status'].get.summary, 'A', 'the first declared')
})

t.test('TypeBox schemas and routes of several methods are documented and valid', async t => {
  const { Type } = await import('@sinclair/typebox')
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  const Move = Type.Object({ id: Type.String(), note: Type.Union([Type.String(), Type.Null()]) }, { $id: 'Move' })
  app.addSchema(Move)
  app.route({
    method: ['PUT', 'PATCH'],
    url: '/moves/:id',
    constraints: { apiVersion: '2023-01-01' },
    schema: { body: Type.Ref(Move), response: { 200: Type.Ref(Move) } },
    handler: async () => ({ id: 'm1', note: null })
  })
  const doc = await document(app, '2023-01-01')
  t.same(operations(doc), ['patch /moves/{id}', 'put /moves/{id}'])
  t.equal(doc.paths['/moves/{id}'].patch.parameters[0].name, 'Api-Version')
  t.same(operations(await document(app, '2022-01-01')), [])
  await t.resolves(SwaggerParser.validate(structuredClone(doc)))
})
