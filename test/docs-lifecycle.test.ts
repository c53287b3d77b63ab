import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import dateVersioning, { type DateVersioningOptions } from '../lib/index.js'

// What the documentation routes tell the reader of a deprecated version: a banner on its page and
// `deprecated: true` on the operations of its served document, both following the clock.

const versions: DateVersioningOptions['versions'] = [
  { version: '2020-01-01', sunset: '2021-01-01' },
  { version: '2022-01-01', deprecated: '2024-01-01', sunset: '2026-01-01T12:30:00Z' },
  { version: '2023-01-01', deprecated: '2025-05-01' },
  { version: '2024-03-01' }
]

const text = { type: 'string' }

async function moves (now: () => number): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now, docs: true })
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/moves/:id', { constraints: { apiVersion: '2020-01-01' }, schema: { params: { type: 'object', properties: { id: text } } } }, async () => ({}))
  app.post('/moves', { constraints: { apiVersion: '2022-01-01' }, schema: { body: { type: 'object', properties: { from: text } } } }, async () => ({}))
  return app
}

const clock = (iso: string) => {
  const state = { now: Date.parse(iso) }
  return { state, now: () => state.now }
}

/** `METHOD path: deprecated` for every operation of a served document. */
async function marks (app: FastifyInstance, version: string): Promise<string[]> {
  const res = await app.inject(`/api-versions/${version}/openapi.json`)
  if (res.statusCode !== 200) throw new Error(`${version}: ${res.statusCode}`)
  const paths = res.json().paths as Record<string, Record<string, { deprecated?: boolean }>>
  return Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path}: ${op.deprecated ?? '-'}`))
}

async function banner (app: FastifyInstance, version: string): Promise<string | null> {
  const res = await app.inject(`/api-versions/docs?version=${version}`)
  if (res.statusCode !== 200) throw new Error(`${version}: ${res.statusCode}`)
  const found = /<div class="banner [a-z]+" role="note" data-banner="[a-z]+">(.*?)<\/div>/.exec(res.body)
  return found === null ? null : (found[1] as string).replace(/<[^>]+>/g, '')
}

t.test('the served document of a deprecated version marks every operation deprecated', async t => {
  const app = await moves(clock('2025-06-01T12:00:00Z').now)
  t.same(await marks(app, '2022-01-01'), ['GET /health: true', 'GET /moves/{id}: true', 'POST /moves: true'])
  t.same(await marks(app, '2020-01-01'), ['GET /health: true', 'GET /moves/{id}: true'], 'a sunset version too')
  t.same(await marks(app, '2024-03-01'), ['GET /health: -', 'GET /moves/{id}: -', 'POST /moves: -'], 'an active version has none')
})

t.test('the marks follow the clock, and the contract of the version never carries them', async t => {
  const { state, now } = clock('2024-12-31T23:59:59Z')
  const app = await moves(now)
  await app.ready()
  t.same(await marks(app, '2023-01-01'), ['GET /health: -', 'GET /moves/{id}: -', 'POST /moves: -'], 'before its deprecation date')
  const contract = JSON.stringify(await app.apiVersions.document('2023-01-01'))
  state.now = Date.parse('2025-05-01T00:00:00Z')
  t.same(await marks(app, '2023-01-01'), ['GET /health: true', 'GET /moves/{id}: true', 'POST /moves: true'], 'from its deprecation date')
  t.equal(JSON.stringify(await app.apiVersions.document('2023-01-01')), contract, 'apiVersions.document() is the same contract before and after')
  t.notMatch(contract, '"deprecated"')
  state.now = Date.parse('2024-12-31T23:59:59Z')
  t.same(await marks(app, '2023-01-01'), ['GET /health: -', 'GET /moves/{id}: -', 'POST /moves: -'], 'the built document was not changed by marking it')
})

t.test("a deprecated version's page carries a banner with its sunset and its successor", async t => {
  const app = await moves(clock('2025-06-01T12:00:00Z').now)
  t.equal(await banner(app, '2022-01-01'), 'Version 2022-01-01 is deprecated and reaches its sunset on 2026-01-01 12:30 UTC. Move to version 2023-01-01.')
  t.equal(await banner(app, '2023-01-01'), 'Version 2023-01-01 is deprecated; no sunset date is set yet. Move to version 2024-03-01.')
  t.equal(await banner(app, '2020-01-01'), 'Version 2020-01-01 is sunset since 2021-01-01. Move to version 2022-01-01.')
  t.equal(await banner(app, '2024-03-01'), null, 'an active version has none')
  const page = (await app.inject('/api-versions/docs?version=2022-01-01')).body
  t.match(page, '<a href="/api-versions/docs?version=2023-01-01">version 2023-01-01</a>', 'the successor is a link to its page')
  t.match(page, '<code class="path">/moves</code> <span class="deprecated-mark">deprecated</span></h3>', 'each operation says it is deprecated')
})

t.test('a deprecated version with no released successor says where it ends, and nothing more', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions: [{ version: '2024-01-01', deprecated: '2025-01-01', sunset: '2027-01-01' }], now: clock('2025-06-01').now, docs: true })
  t.equal(await banner(app, '2024-01-01'), 'Version 2024-01-01 is deprecated and reaches its sunset on 2027-01-01.')
})
