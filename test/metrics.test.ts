import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { metrics } from '@opentelemetry/api'
import { build, collectLogs, http } from './helpers.js'
import { testSdk, type Series, type TestSdk } from './metrics-sdk.js'
import type { DateVersioningOptions } from '../lib/index.js'

// The metrics of docs/metrics.md, recorded by a real OpenTelemetry SDK over real HTTP. Clock:
// 2025-06-01; 2021-01-01 is sunset, 2022-05-18 active, 2023-01-10 deprecated, 2024-03-01 the latest,
// 2027-01-15 a preview.

const REQUESTS = 'api_version.requests'
const DURATION = 'api_version.request.duration'

interface Setup { app: FastifyInstance, sdk: TestSdk }

async function server (t: Test, options: Partial<DateVersioningOptions> = {}, extra?: (app: FastifyInstance) => void): Promise<Setup> {
  const sdk = testSdk()
  const metricsOptions = typeof options.metrics === 'object' ? options.metrics : {}
  const app = await build({ ...options, metrics: { ...metricsOptions, meterProvider: sdk.meterProvider } })
  app.get('/moves/:id', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ id: 1 }))
  app.get('/moves/:id', { constraints: { apiVersion: '2024-03-01' } }, async () => ({ id: 2 }))
  app.post('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => ({ created: true }))
  app.get('/failing', { constraints: { apiVersion: '2022-05-18' } }, async () => { throw new Error('boom') })
  app.get('/health', async () => 'ok')
  extra?.(app)
  t.teardown(async () => {
    await app.close()
    await sdk.shutdown()
  })
  return { app, sdk }
}

/** The one series recorded, after `count` requests. */
async function only (sdk: TestSdk, count = 1, name = REQUESTS): Promise<Series> {
  const series = await sdk.series(name, count)
  if (series.length !== 1) throw new Error(`expected one series, got ${JSON.stringify(series)}`)
  return series[0] as Series
}

t.test('a served request is counted with its version, status, source, route, method and status code', async t => {
  const { app, sdk } = await server(t)
  t.equal((await http(app, '/moves/7', { 'api-version': '2022-06-01' })).status, 200)
  t.same(await only(sdk), {
    attributes: {
      'api_version.name': '2022-05-18',
      'api_version.status': 'active',
      'api_version.source': 'header',
      'http.route': '/moves/:id',
      'http.request.method': 'GET',
      'http.response.status_code': 200
    },
    value: 1
  })
})

t.test('requests of one kind add up in one series; the default version has source "default"', async t => {
  const { app, sdk } = await server(t)
  for (let i = 0; i < 3; i++) t.equal((await http(app, '/moves', {}, 'POST')).status, 200)
  t.same(await only(sdk, 3), {
    attributes: {
      'api_version.name': '2024-03-01',
      'api_version.status': 'active',
      'api_version.source': 'default',
      'http.route': '/moves',
      'http.request.method': 'POST',
      'http.response.status_code': 200
    },
    value: 3
  })
})

t.test('a deprecated version is counted as deprecated', async t => {
  const { app, sdk } = await server(t)
  const res = await http(app, '/moves/7', { 'api-version': '2023-06-01' })
  t.equal(res.headers['api-version'], '2023-01-10')
  const { attributes } = await only(sdk)
  t.match(attributes, { 'api_version.name': '2023-01-10', 'api_version.status': 'deprecated', 'http.response.status_code': 200 })
})

t.test('refused requests are counted with the catalog code as error.type', async t => {
  const cases: Array<[string, Record<string, string>, number, Record<string, unknown>]> = [
    ['sunset', { 'api-version': '2021-06-01' }, 410,
      { 'api_version.name': '2021-01-01', 'api_version.status': 'sunset', 'api_version.source': 'header', 'error.type': 'ApiVersionSunset' }],
    ['preview without its flag', { 'api-version': '2027-02-01' }, 501,
      { 'api_version.name': '2027-01-15', 'api_version.status': 'preview', 'api_version.source': 'header', 'error.type': 'ApiVersionNotImplemented' }],
    ['malformed', { 'api-version': '2023-02-30' }, 400,
      { 'api_version.source': 'header', 'error.type': 'InvalidApiVersion' }],
    ['before the first version', { 'api-version': '2019-01-01' }, 400,
      { 'api_version.source': 'header', 'error.type': 'UnsupportedApiVersion' }]
  ]
  for (const [what, headers, status, expected] of cases) {
    t.test(what, async t => {
      const { app, sdk } = await server(t)
      t.equal((await http(app, '/moves/7', headers)).status, status)
      t.same(await only(sdk), {
        attributes: { ...expected, 'http.route': '/moves/:id', 'http.request.method': 'GET', 'http.response.status_code': status },
        value: 1
      }, 'version attributes only where a version was resolved')
    })
  }
})

t.test('a route missing from the resolved version: 404 with the version and ApiVersionEndpointNotFound', async t => {
  const { app, sdk } = await server(t)
  t.equal((await http(app, '/moves', { 'api-version': '2022-06-01' }, 'POST')).status, 404)
  t.same((await only(sdk)).attributes, {
    'api_version.name': '2022-05-18',
    'api_version.status': 'active',
    'api_version.source': 'header',
    'error.type': 'ApiVersionEndpointNotFound',
    'http.route': '/moves',
    'http.request.method': 'POST',
    'http.response.status_code': 404
  })
})

t.test('without the header under requireHeader: ApiVersionUnspecified, source "default"', async t => {
  const { app, sdk } = await server(t, { requireHeader: true })
  t.equal((await http(app, '/moves/7')).status, 400)
  t.same((await only(sdk)).attributes, {
    'api_version.source': 'default',
    'error.type': 'ApiVersionUnspecified',
    'http.route': '/moves/:id',
    'http.request.method': 'GET',
    'http.response.status_code': 400
  })
})

t.test('a default-version function that fails: 503 ApiVersionDefaultFailed', async t => {
  const { app, sdk } = await server(t, { defaultVersion: async () => { throw new Error('store down') } })
  t.equal((await http(app, '/moves/7')).status, 503)
  t.match((await only(sdk)).attributes, { 'api_version.source': 'default', 'error.type': 'ApiVersionDefaultFailed', 'http.response.status_code': 503 })
})

t.test('a server error of the handler has its status code as error.type, as OpenTelemetry\'s HTTP conventions have it', async t => {
  const { app, sdk } = await server(t)
  t.equal((await http(app, '/failing', { 'api-version': '2022-06-01' })).status, 500)
  t.match((await only(sdk)).attributes, { 'api_version.name': '2022-05-18', 'error.type': '500', 'http.response.status_code': 500 })
})

t.test('a client error of the handler is no error.type: only the plugin\'s errors and server errors are', async t => {
  const { app, sdk } = await server(t, {}, app => {
    app.get('/missing', { constraints: { apiVersion: '2022-05-18' } }, async (_request, reply) => reply.code(404).send({ message: 'no such move' }))
  })
  t.equal((await http(app, '/missing', { 'api-version': '2022-06-01' })).status, 404)
  t.same((await only(sdk)).attributes, {
    'api_version.name': '2022-05-18',
    'api_version.status': 'active',
    'api_version.source': 'header',
    'http.route': '/missing',
    'http.request.method': 'GET',
    'http.response.status_code': 404
  })
})

t.test('a broken clock: 500 without version attributes', async t => {
  let broken = false
  const { app, sdk } = await server(t, { now: () => { if (broken) throw new Error('no clock'); return Date.parse('2025-06-01T12:00:00Z') } })
  await app.ready()
  broken = true
  t.equal((await http(app, '/moves/7', { 'api-version': '2022-06-01' })).status, 500)
  t.same((await only(sdk)).attributes, { 'error.type': '500', 'http.route': '/moves/:id', 'http.request.method': 'GET', 'http.response.status_code': 500 })
})

t.test('an application error handler does not hide the plugin\'s error from error.type', async t => {
  const { app, sdk } = await server(t, {}, app => {
    app.setErrorHandler((error, _request, reply) => { reply.code(400).send({ message: (error as Error).message }) })
  })
  t.equal((await http(app, '/moves/7', { 'api-version': '2021-06-01' })).status, 400)
  t.match((await only(sdk)).attributes, { 'error.type': 'ApiVersionSunset', 'http.response.status_code': 400 })
})

t.test('only versioned routes are measured', async t => {
  const { app, sdk } = await server(t)
  t.equal((await http(app, '/health')).status, 200)
  t.equal((await http(app, '/nowhere')).status, 404)
  t.equal((await http(app, '/moves/7')).status, 200)
  t.same((await sdk.series(REQUESTS, 1)).map(s => s.attributes['http.route']), ['/moves/:id'])
})

t.test('a route declared for several methods counts each method in its own series, requests of one kind adding up', async t => {
  const { app, sdk } = await server(t, {}, app => {
    app.route({ method: ['PUT', 'PATCH'], url: '/moves/:id', constraints: { apiVersion: '2022-05-18' }, handler: async () => ({ saved: true }) })
  })
  t.equal((await http(app, '/moves/7', { 'api-version': '2022-06-01' }, 'PATCH')).status, 200)
  t.equal((await http(app, '/moves/8', { 'api-version': '2022-06-01' }, 'PUT')).status, 200)
  t.equal((await http(app, '/moves/9', { 'api-version': '2022-07-01' }, 'PATCH')).status, 200)
  const series = await sdk.series(REQUESTS, 3)
  t.same(series.map(s => [s.attributes['http.request.method'], s.attributes['api_version.name'], s.value]).sort(), [['PATCH', '2022-05-18', 2], ['PUT', '2022-05-18', 1]])
})

t.test('a route\'s own onSend, onResponse and onError hooks keep running beside the metrics hooks', async t => {
  const seen: string[] = []
  const { app, sdk } = await server(t, {}, app => {
    app.get('/one', {
      constraints: { apiVersion: '2022-05-18' },
      onSend: (_request, _reply, payload, done) => { seen.push('onSend'); done(null, payload) },
      onError: [(_request, _reply, _error, done) => { seen.push('onError[]'); done() }]
    }, async () => 'one')
    app.get('/many', {
      constraints: { apiVersion: '2022-05-18' },
      onSend: [(_request, _reply, payload, done) => { seen.push('onSend[]'); done(null, payload) }],
      onResponse: (_request, _reply, done) => { seen.push('onResponse'); done() },
      onError: (_request, _reply, _error, done) => { seen.push('onError'); done() }
    }, async () => 'many')
  })
  t.equal((await http(app, '/one', { 'api-version': '2021-06-01' })).status, 410)
  t.equal((await http(app, '/many', { 'api-version': '2021-06-01' })).status, 410)
  const series = await sdk.series(REQUESTS, 2)
  t.same(series.map(s => [s.attributes['http.route'], s.attributes['error.type']]).sort(), [['/many', 'ApiVersionSunset'], ['/one', 'ApiVersionSunset']])
  // onResponse runs once the response is sent, which the client may see first.
  for (let turn = 0; turn < 1000 && seen.length < 5; turn++) await new Promise(resolve => setImmediate(resolve))
  t.same(seen.sort(), ['onError', 'onError[]', 'onResponse', 'onSend', 'onSend[]'])
})

t.test('the counter has its unit and description; no duration unless asked', async t => {
  const { app, sdk } = await server(t)
  await http(app, '/moves/7')
  await sdk.series(REQUESTS, 1)
  const metrics = await sdk.collect()
  t.same([...metrics.keys()], [REQUESTS])
  t.equal(metrics.get(REQUESTS)?.descriptor.unit, '{request}')
  t.match(metrics.get(REQUESTS)?.descriptor.description, /API version/)
})

t.test('duration: true records each request\'s duration in seconds, with the same attributes', async t => {
  const { app, sdk } = await server(t, { metrics: { meterProvider: undefined, duration: true } }, app => {
    app.get('/slow', { constraints: { apiVersion: '2022-05-18' } }, async () => {
      await new Promise(resolve => setTimeout(resolve, 20))
      return 'done'
    })
  })
  await http(app, '/slow', { 'api-version': '2023-06-01' })
  await http(app, '/slow', { 'api-version': '2023-06-01' })
  const histogram = await only(sdk, 2, DURATION)
  const counter = await only(sdk, 2)
  t.same(histogram.attributes, counter.attributes)
  t.equal(histogram.value, 2, 'two requests')
  // At least the handler's 20 ms each, in seconds: a measure of time, not a timed assertion.
  t.ok((histogram.sum ?? 0) >= 0.04, `sum ${String(histogram.sum)} s`)
  t.equal((await sdk.collect()).get(DURATION)?.descriptor.unit, 's')
})

t.test('the MeterProvider registered with @opentelemetry/api is used when none is passed', async t => {
  const sdk = testSdk()
  metrics.setGlobalMeterProvider(sdk.meterProvider)
  t.teardown(async () => { metrics.disable(); await sdk.shutdown() })
  const app = await build({ metrics: true })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  await http(app, '/moves', { 'api-version': '2022-06-01' })
  t.match((await only(sdk)).attributes, { 'api_version.name': '2022-05-18', 'http.route': '/moves' })
})

t.test('with no MeterProvider registered, versioned routes get no hook, and the log says how to start metrics', async t => {
  const { lines, logger } = collectLogs('info')
  const app = await build({ metrics: true }, { logger })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  await app.ready()
  t.notMatch(app.printRoutes({ includeHooks: true }), /countRequest|onResponse|onError/, 'the route has no metrics hook')
  t.match(lines.map(l => l.msg), [/metrics are on, but no OpenTelemetry MeterProvider is registered.*Start the OpenTelemetry SDK before registering the plugin, or pass metrics: \{ meterProvider \}/])
  t.equal((await http(app, '/moves')).status, 200)
})

t.test('with metrics on and a provider, versioned routes (and their HEAD routes) get the hooks, unversioned routes none', async t => {
  const sdk = testSdk()
  const app = await build({ metrics: { meterProvider: sdk.meterProvider } })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  app.get('/health', async () => 'ok')
  t.teardown(async () => { await app.close(); await sdk.shutdown() })
  await app.ready()
  const routes = app.printRoutes({ includeHooks: true, commonPrefix: false })
  const health = routes.indexOf('/health')
  const [versioned, unversioned] = health < routes.indexOf('/moves') ? [routes.slice(routes.indexOf('/moves')), routes.slice(0, routes.indexOf('/moves'))] : [routes.slice(0, health), routes.slice(health)]
  t.match(versioned, /\(GET\)[\s\S]*\(onSend\) \[[^\]]*"countRequest\(\)"[\s\S]*\(onError\) \["noteVersionError\(\)"\][\s\S]*\(HEAD\)[\s\S]*countRequest/)
  t.notMatch(unversioned, /countRequest|noteVersionError|onError/)
})

t.test('two registrations (/v1 and /v2) record into one provider, told apart by their routes', async t => {
  const sdk = testSdk()
  const { default: Fastify } = await import('fastify')
  const { default: dateVersioning } = await import('../lib/index.js')
  const app = Fastify()
  t.teardown(async () => { await app.close(); await sdk.shutdown() })
  for (const [prefix, version] of [['/v1', '2020-01-01'], ['/v2', '2024-01-01']] as const) {
    await app.register(async scope => {
      await scope.register(dateVersioning, { versions: [{ version }], metrics: { meterProvider: sdk.meterProvider } })
      scope.get('/moves', { constraints: { apiVersion: version } }, async () => prefix)
    }, { prefix })
  }
  await http(app, '/v1/moves')
  await http(app, '/v2/moves')
  const series = await sdk.series(REQUESTS, 2)
  t.same(series.map(s => [s.attributes['http.route'], s.attributes['api_version.name']]).sort(), [['/v1/moves', '2020-01-01'], ['/v2/moves', '2024-01-01']])
})
