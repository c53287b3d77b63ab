import t, { type Test } from 'tap'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { DateVersioningOptions } from '../lib/index.js'
import { build, collectLogs, http } from './helpers.js'

// Per-client pinning: a defaultVersion function decides the version of requests without the
// header. It never silently serves another version than the pin: failures answer 503.

const pins: Record<string, string> = { 'key-2022': '2022-06-01', 'key-deprecated': '2023-01-10', 'key-sunset': '2021-01-01', 'key-future': '2026-01-01', 'key-bad': '2023-02-30' }

function pinOf (request: IncomingMessage): string | undefined {
  return pins[String(request.headers['x-api-key'])]
}

async function server (t: Test, defaultVersion: DateVersioningOptions['defaultVersion'], extra: Partial<DateVersioningOptions> = {}, logs = collectLogs()): Promise<FastifyInstance> {
  const app = await build({ defaultVersion, ...extra }, { logger: logs.logger })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => ({ handler: '2022-05-18', apiVersion: request.apiVersion }))
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async (request) => ({ handler: '2024-03-01', apiVersion: request.apiVersion }))
  app.get('/health', async () => 'ok')
  t.teardown(() => app.close())
  return app
}

for (const [kind, fn] of [['synchronous', pinOf], ['asynchronous', async (request: IncomingMessage) => pinOf(request)]] as const) {
  t.test(`a ${kind} pin serves the client's version`, async t => {
    const app = await server(t, fn)
    const pinned = await http(app, '/moves', { 'x-api-key': 'key-2022' })
    t.equal(pinned.headers['api-version'], '2022-05-18')
    t.same(pinned.json(), { handler: '2022-05-18', apiVersion: { version: '2022-05-18', requested: null, source: 'default', status: 'active' } })
    const unpinned = await http(app, '/moves', { 'x-api-key': 'someone' })
    t.equal(unpinned.headers['api-version'], '2024-03-01', 'undefined means no pin: the latest')
    const header = await http(app, '/moves', { 'x-api-key': 'key-2022', 'api-version': '2024-03-01' })
    t.equal(header.json().apiVersion.source, 'header', 'the header wins over the pin')
    const deprecated = await http(app, '/moves', { 'x-api-key': 'key-deprecated' })
    t.equal(deprecated.headers.deprecation, `@${Date.parse('2024-01-01T00:00:00Z') / 1000}`)
    const sunset = await http(app, '/moves', { 'x-api-key': 'key-sunset' })
    t.equal(sunset.status, 410, 'a pin is resolved as if sent: a sunset pin is gone')
    const future = await http(app, '/moves', { 'x-api-key': 'key-future' })
    t.equal(future.status, 400)
  })
}

t.test('the header wins without calling the function', async t => {
  let calls = 0
  const app = await server(t, () => { calls++; return '2022-06-01' })
  await http(app, '/moves', { 'api-version': '2024-03-01' })
  t.equal(calls, 0)
})

const failures: Array<[string, DateVersioningOptions['defaultVersion'], RegExp]> = [
  ['throws', () => { throw new Error('account store down') }, /account store down/],
  ['rejects', async () => { throw new Error('lookup rejected') }, /lookup rejected/],
  ['returns a malformed date', (request: IncomingMessage) => pinOf(request), /"2023-02-30", which is not a date/],
  ['returns a number', () => 20230110 as unknown as string, /20230110, which is not a date/],
  ['hangs past the timeout', () => new Promise<string>(() => {}), /did not answer within 50 ms/]
]

for (const [what, fn, logged] of failures) {
  t.test(`a defaultVersion function that ${what}: 503, logged, and the server keeps serving`, async t => {
    const logs = collectLogs()
    const app = await server(t, fn, { defaultVersionTimeout: 50 }, logs)
    const res = await http(app, '/moves', { 'x-api-key': 'key-bad' })
    t.equal(res.status, 503)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(res.json().code, 'ApiVersionDefaultFailed')
    t.equal(res.headers['api-version'], undefined, 'no version was served')
    const line = logs.lines.find(l => l.msg.includes('defaultVersion failed'))
    t.match(line?.err?.message, logged)
    t.equal((await http(app, '/moves', { 'api-version': '2024-03-01' })).status, 200, 'requests with the header are served')
    t.equal((await http(app, '/health')).body, 'ok', 'version-neutral routes are served')
  })
}
