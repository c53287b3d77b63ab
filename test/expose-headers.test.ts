import cors from '@fastify/cors'
import t, { type Test } from 'tap'
import type { DateVersioningOptions } from '../lib/index.js'
import { build, http } from './helpers.js'

/**
 * A browser on another origin reads only the response headers listed in
 * Access-Control-Expose-Headers: with CORS on, the plugin lists the version headers it sends.
 */

const ORIGIN = 'http://app.example.com'

async function app (t: Test, corsOptions: Parameters<typeof cors>[1] | null, options: Partial<DateVersioningOptions> = {}) {
  const server = await build({ warning: true, links: { successorVersion: 'https://api.example.com/changelog#{version}' }, ...options })
  if (corsOptions !== null) await server.register(cors, corsOptions)
  server.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ ok: true }))
  t.teardown(() => server.close())
  return server
}

const exposed = (value: string | string[] | undefined) => value === undefined ? undefined : String(value).split(',').map(name => name.trim())

t.test('with @fastify/cors, a deprecated version\'s headers are exposed to the other origin', async t => {
  const server = await app(t, { origin: true })
  const answer = await http(server, '/moves', { origin: ORIGIN, 'api-version': '2023-06-01' })
  t.equal(answer.headers['access-control-allow-origin'], ORIGIN)
  t.same(exposed(answer.headers['access-control-expose-headers']), ['Api-Version', 'Deprecation', 'Sunset', 'Link', 'Warning'])
})

t.test('the application\'s own exposed headers are kept, and each name is listed once', async t => {
  const server = await app(t, { origin: '*', exposedHeaders: ['X-Request-Id', 'link', 'Api-Version'] }, { reportVersions: true })
  const answer = await http(server, '/moves', { origin: ORIGIN, 'api-version': '2023-06-01' })
  t.same(exposed(answer.headers['access-control-expose-headers']),
    ['X-Request-Id', 'link', 'Api-Version', 'Deprecation', 'Sunset', 'Warning', 'Api-Supported-Versions', 'Api-Deprecated-Versions'])
})

t.test('an active version exposes the headers it sends: the version', async t => {
  const server = await app(t, { origin: true })
  const answer = await http(server, '/moves', { origin: ORIGIN, 'api-version': '2025-01-01' })
  t.same(exposed(answer.headers['access-control-expose-headers']), ['Api-Version'])
})

t.test('without CORS headers on the response, nothing is exposed', async t => {
  const without = await app(t, null)
  t.equal((await http(without, '/moves', { origin: ORIGIN, 'api-version': '2023-06-01' })).headers['access-control-expose-headers'], undefined, 'no CORS plugin')
  const sameOrigin = await app(t, { origin: false })
  const answer = await http(sameOrigin, '/moves', { origin: ORIGIN, 'api-version': '2023-06-01' })
  t.equal(answer.headers['access-control-allow-origin'], undefined)
  t.equal(answer.headers['access-control-expose-headers'], undefined, 'an origin CORS does not allow')
})

t.test('a request without Origin is no browser\'s cross-origin request: nothing is added to the list', async t => {
  const server = await app(t, { origin: '*', exposedHeaders: ['X-Request-Id'] })
  const answer = await http(server, '/moves', { 'api-version': '2023-06-01' })
  t.equal(answer.headers['access-control-allow-origin'], '*', 'the CORS plugin answers it anyway')
  t.same(exposed(answer.headers['access-control-expose-headers']), ['X-Request-Id'], 'the application\'s own list, as it set it')
})
