import swagger from '@fastify/swagger'
import Fastify, { type FastifyServerOptions } from 'fastify'
import t from 'tap'
import dateVersioning, { type DateVersioningOptions } from '../lib/index.js'
import { at, collectLogs, versions } from './helpers.js'

// An application that registers @fastify/swagger itself gets one operation per method and path,
// the handler declared last: the plugin says so at start-up, with the fix.

const WARNING = /the application's own @fastify\/swagger documents one handler per method and path/

async function start (options: Partial<DateVersioningOptions>, withSwagger: boolean, logger: FastifyServerOptions['logger']) {
  const app = Fastify({ logger })
  if (withSwagger) await app.register(swagger, { openapi: { info: { title: 'Moves', version: '1' } } })
  await app.register(dateVersioning, { versions, now: at(), ...options })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'old')
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => 'new')
  app.post('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'created')
  app.get('/health', async () => 'ok')
  await app.ready()
  return app
}

t.test('with its own @fastify/swagger, the application is told which routes lose versions and what to use', async t => {
  const { lines, logger } = collectLogs()
  const app = await start({}, true, logger)
  t.teardown(() => app.close())
  const warnings = lines.filter(line => WARNING.test(line.msg))
  t.equal(warnings.length, 1)
  t.equal(warnings[0]?.msg, 'fastify-date-versioning: the application\'s own @fastify/swagger documents one handler per method and path, the one declared last, so it misses versions of GET /moves (2022-05-18, 2024-03-01). Use the plugin\'s docs option (one OpenAPI document per version) or apiVersions.document(version) instead, and hide versioned routes from your @fastify/swagger (schema: { hide: true }) or remove it.')
  const documented = (app as unknown as { swagger: () => { paths: Record<string, Record<string, unknown>> } }).swagger()
  t.same(Object.keys(documented.paths['/moves'] ?? {}).sort(), ['get', 'post'], 'what it warns about: one GET for two handlers')
})

t.test('with the docs option the warning points to its documents', async t => {
  const { lines, logger } = collectLogs()
  const app = await start({ docs: { prefix: '/versions' } }, true, logger)
  t.teardown(() => app.close())
  t.match(lines.find(line => WARNING.test(line.msg))?.msg, /Use the plugin's documents at \/versions\/<version>\/openapi\.json or apiVersions\.document\(version\)/)
})

t.test('without its own @fastify/swagger, nothing to say', async t => {
  const { lines, logger } = collectLogs()
  const app = await start({ docs: true }, false, logger)
  t.teardown(() => app.close())
  t.same(lines.filter(line => WARNING.test(line.msg)), [])
})

t.test('routes with one handler each lose nothing: no warning; many affected routes are counted', async t => {
  const single = collectLogs()
  const plain = Fastify({ logger: single.logger })
  await plain.register(swagger, { openapi: {} })
  await plain.register(dateVersioning, { versions, now: at() })
  plain.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  await plain.ready()
  t.teardown(() => plain.close())
  t.same(single.lines.filter(line => WARNING.test(line.msg)), [])

  const many = collectLogs()
  const app = Fastify({ logger: many.logger })
  await app.register(swagger, { openapi: {} })
  await app.register(dateVersioning, { versions, now: at() })
  for (const path of ['/a', '/b', '/c', '/d']) {
    app.get(path, { constraints: { apiVersion: '2022-05-18' } }, async () => 'old')
    app.get(path, { constraints: { apiVersion: '2023-01-10' } }, async () => 'new')
  }
  await app.ready()
  t.teardown(() => app.close())
  t.match(many.lines.find(line => WARNING.test(line.msg))?.msg, /misses versions of GET \/a \(2022-05-18, 2023-01-10\); GET \/b \(.+\); GET \/c \(.+\); and 1 more\. Use/)
})
