import t from 'tap'
import Fastify from 'fastify'
import dateVersioning, { type DateVersioningOptions } from '../lib/index.js'
import { http } from './helpers.js'

// A request is resolved once, during routing: when the clock crosses a status change while the
// request is under way, the handler, request.apiVersion and the response headers all describe the
// instant of the resolution. Both forms of default (a fixed one, and a pinning function) alike.

const DEPRECATION = '2025-06-01T12:00:00Z'
const SUNSET = '2025-06-01T12:00:00Z'

const defaults: Array<[string, Partial<DateVersioningOptions>]> = [
  ['a fixed default', {}],
  ['a pinning function', { defaultVersion: () => undefined }]
]

for (const [name, defaultVersion] of defaults) {
  t.test(`${name}: the clock crosses a deprecation while the handler runs`, async t => {
    let instant = Date.parse(DEPRECATION) - 1
    const app = Fastify()
    await app.register(dateVersioning, {
      versions: [{ version: '2022-05-18' }, { version: '2024-03-01', deprecated: DEPRECATION }],
      now: () => instant,
      deprecationHeader: 'boolean',
      warning: true,
      reportVersions: true,
      ...defaultVersion
    })
    app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => {
      instant = Date.parse(DEPRECATION)
      return request.apiVersion
    })
    t.teardown(() => app.close())
    const res = await http(app, '/moves', { 'api-version': '2024-03-01' })
    t.equal(res.status, 200)
    t.equal(res.json().status, 'active', 'the handler served an active version')
    t.equal(res.headers.deprecation, undefined, 'so the response does not call it deprecated')
    t.equal(res.headers.warning, undefined)
    t.equal(res.headers['api-deprecated-versions'], undefined)
    const next = await http(app, '/moves', { 'api-version': '2024-03-01' })
    t.equal(next.headers.deprecation, 'true', 'the next request sees the deprecation')
    t.equal(next.json().status, 'deprecated')
  })

  t.test(`${name}: the clock crosses a sunset between routing and the route's hooks`, async t => {
    let instant = Date.parse(SUNSET) - 1
    const app = Fastify()
    await app.register(dateVersioning, {
      versions: [{ version: '2022-05-18', deprecated: '2024-01-01', sunset: SUNSET }, { version: '2024-03-01' }],
      now: () => instant,
      reportVersions: true,
      ...defaultVersion
    })
    // An application hook runs after routing and before the route's own hooks.
    app.addHook('onRequest', async () => { instant = Date.parse(SUNSET) })
    app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => request.apiVersion)
    t.teardown(() => app.close())
    const res = await http(app, '/moves', { 'api-version': '2023-01-01' })
    t.equal(res.status, 200, 'routed to a served version, served by it')
    t.same(res.json(), { version: '2022-05-18', requested: '2023-01-01', source: 'header', status: 'deprecated' })
    t.equal(res.headers['api-version'], '2022-05-18')
    t.equal(res.headers['api-supported-versions'], '2022-05-18, 2024-03-01', 'the supported versions of the same instant')
    const next = await http(app, '/moves', { 'api-version': '2023-01-01' })
    t.equal(next.status, 410, 'the next request is past the sunset')
  })
}
