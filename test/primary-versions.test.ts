import t from 'tap'
import Fastify from 'fastify'
import dateVersioning from '../lib/index.js'
import { at, http } from './helpers.js'

// Seed 002's two levels: the primary version in the path (/v1, /v2), each with its own date
// timeline, header and routes, side by side in one Fastify instance.

async function build () {
  const app = Fastify()
  await app.register(async v1 => {
    await v1.register(dateVersioning, {
      header: 'Harness-Version',
      now: at(),
      versions: [{ version: '2022-05-18' }, { version: '2023-01-10', deprecated: '2024-01-01' }, { version: '2024-03-01' }]
    })
    v1.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => ({ api: 'v1', version: request.apiVersion?.version, timeline: request.server.apiVersions.latest }))
    v1.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async (request) => ({ api: 'v1', version: request.apiVersion?.version, renamed: true }))
  }, { prefix: '/v1' })
  await app.register(async v2 => {
    await v2.register(dateVersioning, {
      now: at(),
      defaultVersion: 'oldest',
      versions: [{ version: '2025-01-01' }, { version: '2025-05-01' }]
    })
    v2.get('/moves', { constraints: { apiVersion: '2025-01-01' } }, async (request) => ({ api: 'v2', version: request.apiVersion?.version, timeline: request.server.apiVersions.latest }))
  }, { prefix: '/v2' })
  app.get('/health', async () => 'ok')
  return app
}

t.test('each primary version resolves with its own header, default and timeline', async t => {
  const app = await build()
  t.teardown(() => app.close())

  const v1 = await http(app, '/v1/moves', { 'harness-version': '2023-06-01' })
  t.same(v1.json(), { api: 'v1', version: '2023-01-10', timeline: '2024-03-01' })
  t.equal(v1.headers['harness-version'], '2023-01-10')
  t.equal(v1.headers.vary, 'Harness-Version')
  t.ok(v1.headers.deprecation)

  const v1Default = await http(app, '/v1/moves')
  t.same(v1Default.json(), { api: 'v1', version: '2024-03-01', renamed: true })

  const v2 = await http(app, '/v2/moves', { 'api-version': '2025-05-02' })
  t.same(v2.json(), { api: 'v2', version: '2025-05-01', timeline: '2025-05-01' })
  t.equal(v2.headers['api-version'], '2025-05-01')

  const v2Default = await http(app, '/v2/moves')
  t.equal(v2Default.headers['api-version'], '2025-01-01', "v2's own default: the oldest")

  const crossed = await http(app, '/v2/moves', { 'harness-version': '2020-01-01' })
  t.equal(crossed.status, 200, "v1's header means nothing to v2")
  const unsupportedInV2 = await http(app, '/v2/moves', { 'api-version': '2024-03-01' })
  t.equal(unsupportedInV2.status, 400, "a v1 date is before v2's first version")

  t.equal((await http(app, '/health', { 'harness-version': 'x', 'api-version': 'y' })).body, 'ok')
})
