import t, { type Test } from 'tap'
import { request } from 'undici'
import { build, http } from './helpers.js'
import type { FastifyInstance } from 'fastify'

// Every row of the resolution table (docs/design.md §3), over real HTTP. The clock is 2025-06-01 and the
// timeline is the one in helpers.ts: 2021-01-01 (sunset), 2022-05-18, 2023-01-10 (deprecated),
// 2024-03-01 (latest), 2027-01-15 (preview).

function routes (app: FastifyInstance): void {
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => ({ handler: '2022-05-18', apiVersion: request.apiVersion }))
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async (request) => ({ handler: '2024-03-01', apiVersion: request.apiVersion }))
  app.get('/moves', { constraints: { apiVersion: '2027-01-15' } }, async (request) => ({ handler: '2027-01-15', apiVersion: request.apiVersion }))
}

async function server (t: Test, options = {}): Promise<FastifyInstance> {
  const app = await build(options)
  routes(app)
  t.teardown(() => app.close())
  return app
}

t.test('header absent: the latest released version by default', async t => {
  const res = await http(await server(t), '/moves')
  t.equal(res.status, 200)
  t.equal(res.headers['api-version'], '2024-03-01')
  t.same(res.json(), { handler: '2024-03-01', apiVersion: { version: '2024-03-01', requested: null, source: 'default', status: 'active' } })
})

t.test("header absent, defaultVersion 'oldest': the oldest supported version", async t => {
  const res = await http(await server(t, { defaultVersion: 'oldest' }), '/moves')
  t.equal(res.headers['api-version'], '2022-05-18')
  t.equal(res.json().handler, '2022-05-18')
})

t.test('header absent, a fixed defaultVersion: resolved as if sent', async t => {
  const res = await http(await server(t, { defaultVersion: '2023-06-01' }), '/moves')
  t.equal(res.headers['api-version'], '2023-01-10')
  t.same(res.json().apiVersion, { version: '2023-01-10', requested: null, source: 'default', status: 'deprecated' })
})

t.test('header absent, requireHeader: 400 ApiVersionUnspecified', async t => {
  const res = await http(await server(t, { requireHeader: true }), '/moves')
  t.equal(res.status, 400)
  t.equal(res.json().code, 'ApiVersionUnspecified')
  t.match(res.json().detail, /Api-Version header is required.*YYYY-MM-DD/)
})

t.test('a malformed date: 400 InvalidApiVersion', async t => {
  const app = await server(t)
  for (const value of ['2023-02-30', '2023-1-5', 'latest', '2023-01-10, 2024-03-01', '20230110', '2023-01-10T00:00:00Z', '+2023-01-10', '2023-01-1O', '0000-00-00', '']) {
    const res = await http(app, '/moves', { 'api-version': value })
    t.equal(res.status, 400, JSON.stringify(value))
    t.equal(res.json().code, 'InvalidApiVersion', JSON.stringify(value))
    t.equal(res.headers['api-version'], undefined, 'no version to echo')
  }
})

t.test('the header sent twice, under names of any case: 400 InvalidApiVersion naming both values', async t => {
  const app = await server(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  // Other headers of the same length must not be taken for it.
  const res = await request(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/moves`, {
    headers: ['X-Other-One', '2022-06-01', 'API-Version', '2022-06-01', 'api-version', '2024-06-01']
  })
  const problem = await res.body.json() as { code: string, detail: string }
  t.equal(res.statusCode, 400)
  t.equal(problem.code, 'InvalidApiVersion')
  t.match(problem.detail, '2022-06-01, 2024-06-01')
})

t.test('surrounding whitespace is ignored', async t => {
  const res = await http(await server(t), '/moves', { 'api-version': ' 2022-06-01\t' })
  t.equal(res.status, 200)
  t.equal(res.headers['api-version'], '2022-05-18')
})

t.test('no declared version on or before the date: 400 UnsupportedApiVersion', async t => {
  const res = await http(await server(t), '/moves', { 'api-version': '2020-12-31' })
  t.equal(res.status, 400)
  t.equal(res.json().code, 'UnsupportedApiVersion')
  t.match(res.json().detail, /no version was released on or before that date/)
})

t.test('a future date whose floor is released: 400 UnsupportedApiVersion, never "the latest"', async t => {
  const app = await server(t)
  const res = await http(app, '/moves', { 'api-version': '2025-06-02' })
  t.equal(res.status, 400)
  t.equal(res.json().code, 'UnsupportedApiVersion')
  t.match(res.json().detail, /in the future/)
  const today = await http(app, '/moves', { 'api-version': '2025-06-01' })
  t.equal(today.status, 200, 'today is not the future')
})

t.test('a preview floor: 501 unless the flag is on for the request', async t => {
  const app = await server(t, { isPreviewEnabled: (_version: string, request: any) => request.headers['x-flag'] === 'on' })
  const off = await http(app, '/moves', { 'api-version': '2027-02-01' })
  t.equal(off.status, 501)
  t.equal(off.json().code, 'ApiVersionNotImplemented')
  const on = await http(app, '/moves', { 'api-version': '2027-02-01', 'x-flag': 'on' })
  t.equal(on.status, 200)
  t.same(on.json(), { handler: '2027-01-15', apiVersion: { version: '2027-01-15', requested: '2027-02-01', source: 'header', status: 'preview' } })
})

t.test('a sunset floor: 410 ApiVersionSunset', async t => {
  const res = await http(await server(t), '/moves', { 'api-version': '2021-06-01' })
  t.equal(res.status, 410)
  t.equal(res.json().code, 'ApiVersionSunset')
  t.equal(res.headers['api-version'], '2021-01-01', 'the version that reached its sunset')
  t.equal(res.headers.sunset, 'Sat, 01 Jan 2022 00:00:00 GMT')
})

t.test("a sunset floor with onSunset 'upgrade': served by the oldest supported version", async t => {
  const res = await http(await server(t, { onSunset: 'upgrade' }), '/moves', { 'api-version': '2021-06-01' })
  t.equal(res.status, 200)
  t.equal(res.headers['api-version'], '2022-05-18')
  t.same(res.json().apiVersion, { version: '2022-05-18', requested: '2021-06-01', source: 'header', status: 'active' })
})

async function single (t: Test, version: string, options = {}): Promise<FastifyInstance> {
  const app = await build(options)
  app.get('/moves', { constraints: { apiVersion: version } }, async () => 'served')
  t.teardown(() => app.close())
  return app
}

t.test("onSunset 'upgrade' with nothing supported left: 410", async t => {
  const app = await single(t, '2021-01-01', { onSunset: 'upgrade', versions: [{ version: '2021-01-01', sunset: '2022-01-01' }] })
  const res = await http(app, '/moves', { 'api-version': '2021-06-01' })
  t.equal(res.status, 410)
})

t.test('otherwise: served by the floor, deprecated versions with deprecation headers', async t => {
  const app = await server(t)
  const deprecated = await http(app, '/moves', { 'api-version': '2023-06-01' })
  t.equal(deprecated.status, 200)
  t.equal(deprecated.headers['api-version'], '2023-01-10')
  t.equal(deprecated.headers.deprecation, `@${Date.parse('2024-01-01T00:00:00Z') / 1000}`)
  t.same(deprecated.json(), { handler: '2022-05-18', apiVersion: { version: '2023-01-10', requested: '2023-06-01', source: 'header', status: 'deprecated' } })
  const exact = await http(app, '/moves', { 'api-version': '2024-03-01' })
  t.equal(exact.json().handler, '2024-03-01')
  t.equal(exact.headers.deprecation, undefined)
})

t.test('the header name is configurable and matched case-insensitively', async t => {
  const app = await server(t, { header: 'Harness-Version' })
  for (const name of ['harness-version', 'HARNESS-VERSION', 'Harness-Version']) {
    const res = await http(app, '/moves', { [name]: '2022-06-01' })
    t.equal(res.headers['harness-version'], '2022-05-18', name)
  }
})

t.test('no released version yet: the default cannot be served', async t => {
  const res = await http(await single(t, '2027-01-15', { versions: [{ version: '2027-01-15', preview: true }] }), '/moves')
  t.equal(res.status, 400)
  t.equal(res.json().code, 'UnsupportedApiVersion')
  t.match(res.json().detail, /no version is released/)
})
