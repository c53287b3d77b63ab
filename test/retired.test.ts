import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { ApiVersionConfigError, ApiVersionEndpointNotFoundError, retired } from '../lib/index.js'
import { build, http, versions } from './helpers.js'

// Retired and not-yet-introduced endpoints answer a 404 problem document of the catalog with the
// version headers, so a client can tell them from a typo. Clock: 2025-06-01; 2023-01-10 is
// deprecated since 2024-01-01 with a sunset at 2026-06-30T23:59:59Z.

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('a retired endpoint names its retirement and its successor, with the served version’s headers', async t => {
  const app = await build({ links: { successorVersion: 'https://docs.example.com/versions/{version}' } })
  t.teardown(() => app.close())
  const seen: unknown[] = []
  app.addHook('onResponse', async (request) => { seen.push(request.apiVersion) })
  app.post('/moves/:id/cancel', { constraints: { apiVersion: '2023-01-10' } }, async () => 'cancelled')
  app.delete('/moves/:id', { constraints: { apiVersion: '2022-05-18' } }, async () => 'deleted')
  app.delete('/moves/:id', { constraints: { apiVersion: '2023-01-10' } },
    retired({ successor: 'POST /moves/{id}/cancel', link: 'https://docs.example.com/moves#cancel' }))

  t.equal((await http(app, '/moves/7', { 'api-version': '2022-06-01' }, 'DELETE')).body, 'deleted', 'older clients keep the endpoint')
  const res = await http(app, '/moves/7', { 'api-version': '2023-06-01' }, 'DELETE')
  t.equal(res.status, 404)
  t.equal(res.headers['content-type'], PROBLEM)
  t.same(res.json(), {
    type: 'urn:fastify-date-versioning:problem:ApiVersionEndpointNotFound',
    title: 'Endpoint not in this API version',
    status: 404,
    detail: 'The endpoint DELETE /moves/:id does not exist in API version 2023-01-10: it was retired in API version 2023-01-10; use POST /moves/{id}/cancel instead.',
    code: 'ApiVersionEndpointNotFound',
    requestedVersion: '2023-06-01',
    supportedVersions: ['2022-05-18', '2023-01-10', '2024-03-01'],
    latestVersion: '2024-03-01'
  })
  t.equal(res.headers['api-version'], '2023-01-10', 'the version the date resolved to')
  t.equal(res.headers.vary, 'Api-Version')
  t.equal(res.headers.deprecation, `@${Date.parse('2024-01-01T00:00:00Z') / 1000}`, 'the deprecation headers of that version')
  t.equal(res.headers.sunset, 'Tue, 30 Jun 2026 23:59:59 GMT')
  t.equal(res.headers.link, '<https://docs.example.com/versions/2024-03-01>; rel="successor-version", <https://docs.example.com/moves#cancel>; rel="successor-version"',
    'the successor version of the API, then the replacing endpoint')
  t.same(seen.at(-1), { version: '2023-01-10', requested: '2023-06-01', source: 'header', status: 'deprecated' }, 'request.apiVersion says who still calls it')

  const latest = await http(app, '/moves/7', {}, 'DELETE')
  t.equal(latest.status, 404, 'the default (latest) is past the retirement')
  t.equal(latest.headers['api-version'], '2024-03-01')
  t.equal(latest.headers.link, '<https://docs.example.com/moves#cancel>; rel="successor-version"', 'an active version has no Link of its own')
})

t.test('plain retired still retires, without a successor', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/bill-runs/legacy', { constraints: { apiVersion: '2022-05-18' } }, async () => 'legacy')
  app.get('/bill-runs/legacy', { constraints: { apiVersion: '2024-03-01' } }, retired)
  const res = await http(app, '/bill-runs/legacy', { 'api-version': '2024-03-01' })
  t.equal(res.status, 404)
  t.equal(res.json().detail, 'The endpoint GET /bill-runs/legacy does not exist in API version 2024-03-01: it was retired in API version 2024-03-01.')
  t.equal(res.headers['api-version'], '2024-03-01')
  t.equal(res.headers.link, undefined)
})

t.test('an endpoint that did not exist yet names the version that introduced it', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/reports/:id', { constraints: { apiVersion: '2024-03-01' } }, async () => 'report')
  const res = await http(app, '/reports/1', { 'api-version': '2023-01-10' })
  t.equal(res.status, 404)
  t.equal(res.headers['content-type'], PROBLEM)
  t.equal(res.json().detail, 'The endpoint GET /reports/:id does not exist in API version 2023-01-10: it was introduced in API version 2024-03-01.')
  t.equal(res.headers['api-version'], '2023-01-10')
  t.equal(res.headers.deprecation, `@${Date.parse('2024-01-01T00:00:00Z') / 1000}`)
  t.equal(res.headers.vary, 'Api-Version')
  t.equal((await http(app, '/reports/1', { 'api-version': '2024-03-01' })).body, 'report')
})

t.test('a version-neutral handler of the same path still serves the versions the versioned one misses', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.get('/quotes', async () => 'neutral')
  app.get('/quotes', { constraints: { apiVersion: '2023-01-10' } }, async () => 'versioned')
  app.get('/quotes', { constraints: { apiVersion: '2024-03-01' } }, retired)
  t.equal((await http(app, '/quotes', { 'api-version': '2022-06-01' })).body, 'neutral')
  t.equal((await http(app, '/quotes', { 'api-version': '2023-06-01' })).body, 'versioned')
  t.equal((await http(app, '/quotes', { 'api-version': '2024-03-01' })).body, 'neutral')
})

t.test('the error reaches the application’s error handler as a catalog error', async t => {
  const app = await build()
  t.teardown(() => app.close())
  app.setErrorHandler((error, _request, reply) => {
    reply.code(404).send({ mine: error instanceof ApiVersionEndpointNotFoundError, code: (error as { code: string }).code })
  })
  app.get('/reports', { constraints: { apiVersion: '2024-03-01' } }, async () => 'report')
  const res = await http(app, '/reports', { 'api-version': '2023-01-10' })
  t.same(res.json(), { mine: true, code: 'ApiVersionEndpointNotFound' })
  t.equal(res.headers['api-version'], '2023-01-10')
})

t.test('a route missing from a preview version answers 404 whatever the flag', async t => {
  const app = await build({ isPreviewEnabled: (_version, request) => request.headers['x-flag'] === 'on' })
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  app.get('/moves', { constraints: { apiVersion: '2027-01-15' } }, retired)
  for (const flag of ['off', 'on']) {
    const res = await http(app, '/moves', { 'api-version': '2027-01-15', 'x-flag': flag })
    t.equal(res.status, 404, `flag ${flag}`)
    t.equal(res.json().code, 'ApiVersionEndpointNotFound')
  }
  t.equal((await http(app, '/moves', { 'api-version': '2026-01-01' })).status, 400, 'a future date is still refused')
})

t.test('retired without an apiVersion constraint fails at start-up', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(dateVersioning, { versions })
  t.throws(() => app.get('/moves', retired), new ApiVersionConfigError('route GET /moves uses retired without an apiVersion constraint: retired marks the version from which a route is no longer served. Add constraints: { apiVersion: \'<the version of the retirement>\' } next to an older handler, or remove the route.'))
  t.throws(() => app.get('/moves', retired({ successor: 'GET /journeys' })), /uses retired without an apiVersion constraint/)
})

t.test('retired in a scope without the plugin answers the application’s 404', async t => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.setNotFoundHandler((request, reply) => { reply.code(404).send({ notFound: request.url }) })
  app.get('/plain', retired)
  app.get('/described', retired({ successor: 'GET /other' }))
  t.same((await http(app, '/plain')).json(), { notFound: '/plain' })
  t.same((await http(app, '/described')).json(), { notFound: '/described' })
})

t.test('retired options are checked when declared', async t => {
  const cases: Array<[unknown, RegExp]> = [
    [null, /retired\(options\) takes an object such as \{ successor: "POST \/moves\/\{id\}\/cancel"/],
    [{ replacement: 'GET /x' }, /retired\(\) has no option "replacement"; use successor or link/],
    [{ successor: '' }, /retired\(\{ successor \}\) must name the replacing endpoint/],
    [{ successor: 5 }, /received 5/],
    [{ link: '/relative' }, /retired\(\{ link \}\) must be an absolute URL; received "\/relative"/],
    [{ link: 7 }, /must be an absolute URL; received 7/]
  ]
  for (const [options, message] of cases) t.throws(() => retired(options as never), message, JSON.stringify(options))
  t.equal(typeof retired({ link: 'https://docs.example.com/a b' }), 'function')
})
