import { once } from 'node:events'
import { request as httpRequest, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import dateVersioning, { memoryUsageStore, type ClientFacts, type DateVersioningOptions, type UsageStore } from '../lib/index.js'
import { at, CLIENT, clientId, collectLogs, http, versions } from './helpers.js'

/**
 * When a request counts in usage: as its response is sent through Fastify (docs/usage.md, "When a
 * request counts"), once, whatever the hooks after the plugin's do.
 */

async function usageApp (t: Test, usage: Partial<NonNullable<DateVersioningOptions['usage']>> = {}, options: Partial<DateVersioningOptions> & { logger?: unknown } = {}): Promise<{ app: FastifyInstance, store: UsageStore }> {
  const store = memoryUsageStore()
  const { logger, ...rest } = options
  const app = Fastify({ logger: logger as boolean | undefined })
  await app.register(dateVersioning, { versions, now: at(), ...rest, usage: { clientId, clientIds: 'as-given', store, ...usage } })
  t.teardown(() => app.close())
  return { app, store }
}

/** Requests per version counted for `client`, once what is pending is written. */
async function countsOf (app: FastifyInstance, store: UsageStore, client: string): Promise<Record<string, number> | undefined> {
  await app.apiVersions.usage!.flush()
  const facts = (await store.clients()).find((c: ClientFacts) => c.client === client)
  return facts?.versions
}

t.test('a response whose later onSend hook fails counts once, as the error response is sent instead', async t => {
  const { app, store } = await usageApp(t)
  // Fastify runs the onSend hooks again for the error response: the plugin's hook sees the request twice.
  app.addHook('onSend', async (_request, reply) => {
    if (reply.statusCode === 200) throw new Error('signing failed')
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ v: 1 }))
  t.equal((await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })).status, 500)
  t.same(await countsOf(app, store, 'acme'), { '2023-01-10': 1 })
})

t.test('a clock that fails as the response is sent does not fail the response', async t => {
  const { lines, logger } = collectLogs()
  let broken = false
  const { app, store } = await usageApp(t, {}, {
    logger,
    now: () => {
      if (broken) throw new Error('clock lost')
      return Date.parse('2025-06-01T12:00:00Z')
    }
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => {
    // After routing, before the response: only usage reads the clock from here on.
    broken = true
    return { v: 1 }
  })
  const res = await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })
  t.equal(res.status, 200)
  t.same(res.json(), { v: 1 })
  t.same(lines.map(l => [l.msg, l.err?.message]), [['fastify-date-versioning: usage could not count a request', 'clock lost']])
  broken = false
  t.equal(await countsOf(app, store, 'acme'), undefined, 'the request is not counted')
})

t.test('onAlert is called once the response is written', async t => {
  let response: ServerResponse | undefined
  const written: boolean[] = []
  const { app } = await usageApp(t, { onAlert: () => { written.push(response?.writableEnded === true) } })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (_request, reply) => {
    response = reply.raw
    return { v: 1 }
  })
  t.equal((await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })).status, 200)
  t.same(written, [true], 'one alert (a deprecated version), raised after the response ended')
})

t.test('a route that writes its response itself (reply.hijack) is not counted', async t => {
  const { app, store } = await usageApp(t)
  app.get('/stream', { constraints: { apiVersion: '2022-05-18' } }, (_request, reply) => {
    reply.hijack()
    reply.raw.writeHead(200, { 'content-type': 'text/plain' })
    reply.raw.end('written by hand')
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ v: 1 }))
  t.equal((await http(app, '/stream', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })).body, 'written by hand')
  t.equal((await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2024-03-01' })).status, 200)
  t.same(await countsOf(app, store, 'acme'), { '2024-03-01': 1 }, 'the response sent through Fastify only')
})

t.test('a request whose client left before the answer counts once its handler answers', async t => {
  const { app, store } = await usageApp(t)
  let arrived!: () => void
  const arrival = new Promise<void>(resolve => { arrived = resolve })
  let answered!: () => void
  const answer = new Promise<void>(resolve => { answered = resolve })
  app.get('/slow', { constraints: { apiVersion: '2022-05-18' } }, async (request) => {
    const gone = once(request.raw.socket, 'close')
    arrived()
    await gone
    return { v: 1 }
  })
  app.addHook('onSend', async () => { answered() })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const req = httpRequest({ port, path: '/slow', headers: { [CLIENT]: 'acme', 'api-version': '2023-01-10' } })
  req.on('error', () => {})
  req.end()
  await arrival
  req.destroy()
  await answer
  t.same(await countsOf(app, store, 'acme'), { '2023-01-10': 1 })
})
