import t from 'tap'
import { retired } from '../lib/index.js'
import { build, http } from './helpers.js'

// Per-route dispatch: the route's handler with the greatest version ≤ the served version runs.

t.test('each route has its own handler versions', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves 2022')
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => 'moves 2024')
  app.get('/people/:id', { constraints: { apiVersion: '2023-01-10' } }, async (request) => `person ${(request.params as { id: string }).id} 2023`)
  app.post('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => ({ created: request.body }))

  const cases: Array<[string, string, string, number, string]> = [
    ['GET', '/moves', '2022-05-18', 200, 'moves 2022'],
    ['GET', '/moves', '2024-02-29', 200, 'moves 2022'],
    ['GET', '/moves', '2024-03-01', 200, 'moves 2024'],
    ['GET', '/people/7', '2023-01-10', 200, 'person 7 2023'],
    ['GET', '/people/7', '2024-03-01', 200, 'person 7 2023'],
    ['GET', '/people/7', '2022-12-31', 404, '']
  ]
  for (const [method, path, version, status, body] of cases) {
    const res = await http(app, path, { 'api-version': version }, method)
    t.equal(res.status, status, `${method} ${path} at ${version}`)
    if (status === 200) t.equal(res.body, body, `${method} ${path} at ${version}`)
  }
  const post = await http(app, '/moves', { 'api-version': '2024-03-01', 'content-type': 'application/json' }, 'POST', '{"from":"A"}')
  t.same(post.json(), { created: { from: 'A' } }, 'a handler serves later versions with its request body')
})

t.test('a route that did not exist yet answers a 404 problem; a path of no version the application’s 404', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.setNotFoundHandler((request, reply) => { reply.code(404).send({ notFound: request.url }) })
  app.get('/reports', { constraints: { apiVersion: '2024-03-01' } }, async () => 'reports')
  const res = await http(app, '/reports', { 'api-version': '2023-01-10' })
  t.equal(res.status, 404)
  t.equal(res.json().code, 'ApiVersionEndpointNotFound')
  const unknown = await http(app, '/nowhere', { 'api-version': '2023-01-10' })
  t.equal(unknown.status, 404)
  t.same(unknown.json(), { notFound: '/nowhere' })
})

t.test('a retired route answers 404 from its retirement on and keeps serving older clients', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/bill-runs/legacy', { constraints: { apiVersion: '2022-05-18' } }, async () => 'legacy')
  app.get('/bill-runs/legacy', { constraints: { apiVersion: '2024-03-01' } }, retired)
  t.equal((await http(app, '/bill-runs/legacy', { 'api-version': '2023-01-10' })).body, 'legacy')
  t.equal((await http(app, '/bill-runs/legacy', { 'api-version': '2024-03-01' })).status, 404)
  t.equal((await http(app, '/bill-runs/legacy')).status, 404, 'the default (latest) is past the retirement')
  const invalid = await http(app, '/bill-runs/legacy', { 'api-version': 'nope' })
  t.equal(invalid.status, 400, 'a bad header is still reported on a retired route')
})

t.test('a route retired and brought back later', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/quotes', { constraints: { apiVersion: '2022-05-18' } }, async () => 'quotes v1')
  app.get('/quotes', { constraints: { apiVersion: '2023-01-10' } }, retired)
  app.get('/quotes', { constraints: { apiVersion: '2024-03-01' } }, async () => 'quotes v3')
  t.equal((await http(app, '/quotes', { 'api-version': '2022-06-01' })).body, 'quotes v1')
  t.equal((await http(app, '/quotes', { 'api-version': '2023-06-01' })).status, 404)
  t.equal((await http(app, '/quotes', { 'api-version': '2024-06-01' })).body, 'quotes v3')
})

t.test('version-neutral routes work whatever header is sent', async t => {
  const app = await build({ requireHeader: true })
  t.teardown(() => app.close())
  app.get('/health', async (request) => ({ ok: true, apiVersion: request.apiVersion }))
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  const variants: Array<Record<string, string>> = [{}, { 'api-version': 'garbage' }, { 'api-version': '2099-01-01' }, { 'api-version': '2021-06-01' }, { 'api-version': '2027-02-01' }]
  for (const headers of variants) {
    const res = await http(app, '/health', headers)
    t.equal(res.status, 200, JSON.stringify(headers))
    t.same(res.json(), { ok: true, apiVersion: null })
    t.equal(res.headers.vary, undefined, 'no Vary on a neutral route')
    t.equal(res.headers['api-version'], undefined)
  }
})

t.test('a neutral handler on a versioned path serves versions before the first versioned one', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/invoices', async () => 'neutral')
  app.get('/invoices', { constraints: { apiVersion: '2024-03-01' } }, async () => 'versioned')
  t.equal((await http(app, '/invoices', { 'api-version': '2023-01-10' })).body, 'neutral')
  t.equal((await http(app, '/invoices', { 'api-version': '2024-03-01' })).body, 'versioned')
})

t.test('HEAD requests follow their GET route’s version', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'old body')
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => 'the new body')
  const old = await http(app, '/moves', { 'api-version': '2022-05-18' }, 'HEAD')
  t.equal(old.status, 200)
  t.equal(old.headers['content-length'], String('old body'.length))
  t.equal(old.headers['api-version'], '2022-05-18')
  const latest = await http(app, '/moves', {}, 'HEAD')
  t.equal(latest.headers['content-length'], String('the new body'.length))
})

t.test('other constraints still apply next to apiVersion', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18', host: 'a.example' } }, async () => 'host a')
  app.get('/moves', { constraints: { apiVersion: '2022-05-18', host: 'b.example' } }, async () => 'host b')
  const a = await app.inject({ url: '/moves', headers: { host: 'a.example', 'api-version': '2023-01-10' } })
  const b = await app.inject({ url: '/moves', headers: { host: 'b.example', 'api-version': '2023-01-10' } })
  t.equal(a.body, 'host a')
  t.equal(b.body, 'host b')
})

t.test('31 handlers on one method and path work', async t => {
  const versions = Array.from({ length: 31 }, (_, i) => ({ version: `${1990 + i}-01-01` }))
  const app = await build({ versions })
  t.teardown(() => app.close())
  for (const { version } of versions) app.get('/many', { constraints: { apiVersion: version } }, async () => version)
  t.equal((await http(app, '/many', { 'api-version': '2010-06-01' })).body, '2010-01-01')
  t.equal((await http(app, '/many')).body, '2020-01-01')
})

t.test('the order in which handlers are declared does not matter', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => 'moves 2024')
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves 2022')
  t.equal((await http(app, '/moves', { 'api-version': '2023-01-10' })).body, 'moves 2022')
  t.equal((await http(app, '/moves', { 'api-version': '2024-03-01' })).body, 'moves 2024')
})

t.test('a route declared only as retired answers 404, whatever the header', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/gone', { constraints: { apiVersion: '2022-05-18' } }, retired)
  const variants: Array<Record<string, string>> = [{}, { 'api-version': '2023-01-10' }, { 'api-version': 'bad' }]
  for (const headers of variants) {
    t.equal((await http(app, '/gone', headers)).status, 404, JSON.stringify(headers))
  }
})

t.test("a route's own hooks run after the version is resolved", async t => {
  const app = await build()
  t.teardown(() => app.close())
  const seen: unknown[] = []
  app.get('/single', {
    constraints: { apiVersion: '2022-05-18' },
    onRequest: async (request) => { seen.push(['single', request.apiVersion?.version]) }
  }, async () => 'single')
  app.get('/list', {
    constraints: { apiVersion: '2022-05-18' },
    onRequest: [async (request) => { seen.push(['list', request.apiVersion?.version]) }],
    onSend: [async (_request, reply, payload) => { reply.header('x-route-hook', 'ran'); return payload }]
  }, async () => 'list')
  await http(app, '/single', { 'api-version': '2023-01-10' })
  const list = await http(app, '/list')
  t.same(seen, [['single', '2023-01-10'], ['list', '2024-03-01']])
  t.equal(list.headers['x-route-hook'], 'ran')
  t.equal(list.headers['api-version'], '2024-03-01')
})

t.test('every 404 in the scope varies by the version header: the route may exist in another version', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/reports', { constraints: { apiVersion: '2024-03-01' } }, async () => 'reports')
  const before = await http(app, '/reports', { 'api-version': '2023-01-10' })
  t.equal(before.status, 404)
  t.equal(before.headers.vary, 'Api-Version')
  t.equal((await http(app, '/nowhere')).headers.vary, 'Api-Version')
  t.equal((await http(app, '/reports', { 'api-version': '2024-03-01' })).headers.vary, 'Api-Version', 'once, on the route itself')
})
