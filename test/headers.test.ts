import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, http } from './helpers.js'

// The response headers of docs/design.md §4, over real HTTP. Clock: 2025-06-01; 2023-01-10 is deprecated
// since 2024-01-01 with a sunset at 2026-06-30T23:59:59Z.

const DEPRECATED_AT = Date.parse('2024-01-01T00:00:00Z') / 1000
const SUNSET = 'Tue, 30 Jun 2026 23:59:59 GMT'

async function server (t: Test, options = {}, extra?: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = await build(options)
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  app.get('/failing', { constraints: { apiVersion: '2022-05-18' } }, async () => { throw new Error('boom') })
  extra?.(app)
  t.teardown(() => app.close())
  return app
}

t.test('the served version and Vary on success and error responses', async t => {
  const app = await server(t)
  const ok = await http(app, '/moves', { 'api-version': '2022-06-01' })
  t.equal(ok.headers['api-version'], '2022-05-18')
  t.equal(ok.headers.vary, 'Api-Version')
  const failed = await http(app, '/failing', { 'api-version': '2022-06-01' })
  t.equal(failed.status, 500)
  t.equal(failed.headers['api-version'], '2022-05-18', 'an error of the handler still names the version')
  t.equal(failed.headers.vary, 'Api-Version')
  const invalid = await http(app, '/moves', { 'api-version': 'x' })
  t.equal(invalid.headers['api-version'], undefined, 'nothing resolved, nothing echoed')
  t.equal(invalid.headers.vary, 'Api-Version')
})

t.test('Vary is merged with what the application sets, never duplicated, * left alone', async t => {
  const app = await server(t, {}, app => {
    app.get('/accept', { constraints: { apiVersion: '2022-05-18' } }, async (_request, reply) => reply.header('vary', 'Accept-Encoding').send('a'))
    app.get('/twice', { constraints: { apiVersion: '2022-05-18' } }, async (_request, reply) => reply.header('vary', 'accept, api-version').send('b'))
    app.get('/star', { constraints: { apiVersion: '2022-05-18' } }, async (_request, reply) => reply.header('vary', '*').send('c'))
  })
  t.equal((await http(app, '/accept')).headers.vary, 'Accept-Encoding, Api-Version')
  t.equal((await http(app, '/twice')).headers.vary, 'accept, api-version')
  t.equal((await http(app, '/star')).headers.vary, '*')
})

t.test('the headers are there before the handler runs: it can read them, and replace one on purpose', async t => {
  const seen: unknown[] = []
  const app = await server(t, {}, app => {
    app.get('/read', {
      constraints: { apiVersion: '2022-05-18' },
      preHandler: async (_request, reply) => { seen.push(reply.getHeader('api-version')) }
    }, async (_request, reply) => {
      seen.push(reply.getHeader('deprecation'), reply.getHeader('vary'))
      return 'read'
    })
    app.get('/own', { constraints: { apiVersion: '2022-05-18' } }, async (_request, reply) => reply.headers({ 'api-version': 'custom', vary: 'Origin' }).send('own'))
  })
  t.equal((await http(app, '/read', { 'api-version': '2023-06-01' })).body, 'read')
  t.same(seen, ['2023-01-10', `@${DEPRECATED_AT}`, 'Api-Version'])
  const own = await http(app, '/own', { 'api-version': '2023-06-01' })
  t.equal(own.headers['api-version'], 'custom', 'what the handler set')
  t.equal(own.headers.vary, 'Origin, Api-Version', 'Vary is merged again at send')
  t.equal(own.headers.deprecation, `@${DEPRECATED_AT}`)
})

t.test('Deprecation, Sunset and Link on a deprecated version', async t => {
  const app = await server(t, {
    links: {
      successorVersion: 'https://api.example/changelog#{version}',
      deprecation: 'https://api.example/deprecations/{version}',
      sunset: (version: string) => `https://api.example/sunsets/${version}`
    }
  })
  const res = await http(app, '/moves', { 'api-version': '2023-06-01' })
  t.equal(res.headers.deprecation, `@${DEPRECATED_AT}`)
  t.equal(res.headers.sunset, SUNSET)
  t.equal(res.headers.link, '<https://api.example/changelog#2024-03-01>; rel="successor-version", ' +
    '<https://api.example/deprecations/2023-01-10>; rel="deprecation", <https://api.example/sunsets/2023-01-10>; rel="sunset"')
  const active = await http(app, '/moves', { 'api-version': '2024-03-01' })
  for (const name of ['deprecation', 'sunset', 'link', 'warning']) t.equal(active.headers[name], undefined, `no ${name} on an active version without dates`)
})

t.test('without configured links there is no Link header', async t => {
  const res = await http(await server(t), '/moves', { 'api-version': '2023-06-01' })
  t.equal(res.headers.link, undefined)
  t.equal(res.headers.deprecation, `@${DEPRECATED_AT}`)
})

t.test('a link function may decline a relation', async t => {
  const app = await server(t, { links: { successorVersion: () => undefined, sunset: 'https://api.example/sunset' } })
  const res = await http(app, '/moves', { 'api-version': '2023-06-01' })
  t.equal(res.headers.link, '<https://api.example/sunset>; rel="sunset"')
})

t.test("deprecationHeader 'boolean' sends the legacy Deprecation: true, only once deprecated", async t => {
  const app = await build({
    deprecationHeader: 'boolean',
    versions: [{ version: '2022-05-18', deprecated: '2026-01-01', sunset: '2027-01-01' }, { version: '2023-01-10', deprecated: '2025-01-01' }, { version: '2024-03-01' }]
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  const deprecated = await http(app, '/moves', { 'api-version': '2023-01-10' })
  t.equal(deprecated.headers.deprecation, 'true')
  const scheduled = await http(app, '/moves', { 'api-version': '2022-05-18' })
  t.equal(scheduled.headers.deprecation, undefined, 'not deprecated yet')
  t.equal(scheduled.headers.sunset, 'Fri, 01 Jan 2027 00:00:00 GMT', 'the sunset is announced')
})

t.test('a deprecation still to come is announced with its date (RFC 9745)', async t => {
  const app = await build({ versions: [{ version: '2022-05-18', deprecated: '2026-01-01T00:00:00Z' }, { version: '2024-03-01' }] })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => request.apiVersion?.status)
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': '2022-05-18' })
  t.equal(res.body, 'active')
  t.equal(res.headers.deprecation, `@${Date.parse('2026-01-01T00:00:00Z') / 1000}`)
})

t.test('Warning: 299 when enabled', async t => {
  const res = await http(await server(t, { warning: true }), '/moves', { 'api-version': '2023-06-01' })
  t.equal(res.headers.warning, `299 - "API version 2023-01-10 is deprecated and will stop being served on ${SUNSET}"`)
  const active = await http(await server(t, { warning: true }), '/moves', { 'api-version': '2024-03-01' })
  t.equal(active.headers.warning, undefined)
})

t.test('Warning without a sunset date', async t => {
  const app = await build({ warning: true, versions: [{ version: '2022-05-18', deprecated: '2023-01-01' }, { version: '2024-03-01' }] })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': '2022-05-18' })
  t.equal(res.headers.warning, '299 - "API version 2022-05-18 is deprecated"')
})

t.test('Api-Supported-Versions and Api-Deprecated-Versions when enabled', async t => {
  const app = await server(t, { reportVersions: true })
  const res = await http(app, '/moves', { 'api-version': '2024-03-01' })
  t.equal(res.headers['api-supported-versions'], '2022-05-18, 2023-01-10, 2024-03-01')
  t.equal(res.headers['api-deprecated-versions'], '2023-01-10')
  const without = await http(await server(t), '/moves')
  t.equal(without.headers['api-supported-versions'], undefined, 'off by default')
})

t.test('successor-version names the next version released now, never a preview or a scheduled one', async t => {
  const app = await build({
    links: { successorVersion: '/changelog/{version}' },
    versions: [{ version: '2022-05-18', deprecated: '2024-01-01' }, { version: '2025-01-01', preview: true }, { version: '2026-01-01' }]
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': '2022-05-18' })
  t.equal(res.headers.deprecation, `@${DEPRECATED_AT}`)
  t.equal(res.headers.link, undefined, 'no released successor yet')
})

t.test('the 410 of a sunset version carries its lifecycle headers', async t => {
  const app = await server(t, { links: { successorVersion: '/changelog/{version}' } })
  const res = await http(app, '/moves', { 'api-version': '2021-06-01' })
  t.equal(res.status, 410)
  t.equal(res.headers.sunset, 'Sat, 01 Jan 2022 00:00:00 GMT')
  t.equal(res.headers.link, '</changelog/2022-05-18>; rel="successor-version"')
})
