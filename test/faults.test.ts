// Faults in the application's callbacks: feature flags, default-version functions, error handlers,
// handlers, link builders and the clock. Each gives its catalogued answer (or Fastify's fallback when
// the application's own error handler is broken), is logged, and the server keeps serving.

import t, { type Test } from 'tap'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { DateVersioningOptions } from '../lib/index.js'
import { build, collectLogs, http, type HttpAnswer, type LogLine } from './helpers.js'

const PREVIEW = { 'api-version': '2027-01-15' }
const TIMEOUT = 30

interface Server { app: FastifyInstance, ran: string[], lines: LogLine[] }

async function server (t: Test, options: Partial<DateVersioningOptions>, setup?: (app: FastifyInstance) => void, level = 'warn'): Promise<Server> {
  const ran: string[] = []
  const logs = collectLogs(level)
  const app = await build({ previewFlagTimeout: TIMEOUT, defaultVersionTimeout: TIMEOUT, ...options }, { logger: logs.logger })
  setup?.(app)
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => { ran.push('2022-05-18'); return 'moves 2022' })
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => { ran.push('2024-03-01'); return 'moves 2024' })
  app.get('/moves', { constraints: { apiVersion: '2027-01-15' } }, async (request) => {
    ran.push('2027-01-15')
    if (request.headers['x-fail'] === 'throw') throw new Error('preview handler failed')
    return 'moves preview'
  })
  t.teardown(async () => {
    // A request left hanging by a defect must not keep the server from closing.
    app.server.closeAllConnections?.()
    await app.close()
  })
  return { app, ran, lines: logs.lines }
}

/** A request that must be answered within ten seconds: a hang is a failure, not a stuck test (and a loaded machine is not a hang). */
async function send (app: FastifyInstance, headers: Record<string, string> = {}, path = '/moves'): Promise<HttpAnswer> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(headers)} within 10 s`)), 10_000) })
  try {
    return await Promise.race([http(app, path, headers), hang])
  } finally {
    clearTimeout(timer)
  }
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** The server still serves: a released version, the default, and a version-neutral request. */
async function keepsServing (t: Test, s: Server): Promise<void> {
  t.equal((await send(s.app, { 'api-version': '2024-03-01' })).body, 'moves 2024', 'the next request is served')
  t.equal((await send(s.app, { 'api-version': '2022-06-01' })).body, 'moves 2022', 'and the one after')
}

/** Collects what escapes to the process (a crash without tap's handlers) while `fn` runs. */
async function escapes (fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  const onRejection = (error: unknown): void => { seen.push(`unhandledRejection: ${String((error as Error)?.message ?? error)}`) }
  const onException = (error: Error): void => { seen.push(`uncaughtException: ${error.message}`) }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  try {
    await fn()
    await sleep(TIMEOUT * 3)
  } finally {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
  }
  return seen
}

// -------------------------------------------------------------------------------------------------
// Feature flags fail closed: 501, logged, the preview handler never runs.
// -------------------------------------------------------------------------------------------------

const never = new Promise<boolean>(() => {})
/**
 * What the log line must carry as `err`: an Error whose message matches, or, when the callback
 * threw or rejected with something else, that very value.
 */
type Logged = RegExp | { thrown: unknown }

function checkLogged (t: Test, line: LogLine | undefined, logged: Logged): void {
  if (logged instanceof RegExp) {
    t.type(line?.err?.message, 'string', 'the log line carries the error')
    t.match(line?.err?.message, logged)
  } else {
    t.same(line?.err, logged.thrown, 'the log line carries the value thrown')
  }
}

/** Keeps the event loop busy for `ms`, as a loaded server is: no timer can fire meanwhile. */
function busy (ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

const flagFaults: Array<[string, DateVersioningOptions['isPreviewEnabled'], Logged]> = [
  ['throws an Error', () => { throw new Error('flag service down') }, /flag service down/],
  // Callbacks written by others throw and reject with anything.
  // eslint-disable-next-line no-throw-literal
  ['throws a string', () => { throw 'flag service down' as unknown as Error }, { thrown: 'flag service down' }],
  ['rejects', async () => { throw new Error('flag rejected') }, /flag rejected/],
  // Nothing to show: the log line carries no err, only the message.
  // eslint-disable-next-line prefer-promise-reject-errors
  ['rejects with undefined', () => Promise.reject(undefined), { thrown: undefined }],
  ['hangs past the timeout', () => never, /did not answer within 30 ms/],
  ['answers yes after the timeout', () => sleep(TIMEOUT * 2).then(() => true), /did not answer within 30 ms/],
  // The server is too busy for its timer to fire before the late yes arrives: the yes is still late.
  ['answers yes after the timeout, the server too busy to notice', () => Promise.resolve().then(() => { busy(TIMEOUT * 2); return true }), /did not answer within 30 ms/],
  ['rejects after the timeout', () => sleep(TIMEOUT * 2).then(() => { throw new Error('late') }), /did not answer within 30 ms/],
  ['returns undefined', () => undefined as unknown as boolean, /returned undefined, not a boolean/],
  ["returns 'true'", () => 'true' as unknown as boolean, /returned true, not a boolean/],
  ['returns 1', () => 1 as unknown as boolean, /returned 1, not a boolean/],
  ['returns null', () => null as unknown as boolean, /returned null, not a boolean/],
  ['returns an object', () => ({ enabled: true }) as unknown as boolean, /not a boolean/],
  ['resolves a string', async () => 'yes' as unknown as boolean, /returned yes, not a boolean/],
  ['returns a thenable that never settles', () => ({ then () {} }) as unknown as boolean, /did not answer within 30 ms/],
  ['returns a thenable resolving true twice, then false', () => ({ then (ok: (v: unknown) => void) { ok('true'); ok(true); ok(false) } }) as unknown as boolean, /not a boolean/]
]

for (const [what, isPreviewEnabled, logged] of flagFaults) {
  t.test(`a flag that ${what}: 501, logged, the preview handler never runs, the server keeps serving`, async t => {
    const s = await server(t, { isPreviewEnabled })
    const escaped = await escapes(async () => {
      for (const headers of [PREVIEW, { 'api-version': '2027-06-01' }]) {
        const res = await send(s.app, headers)
        t.equal(res.status, 501)
        t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
        t.equal(res.json().code, 'ApiVersionNotImplemented')
        t.equal(res.headers['api-version'], '2027-01-15')
      }
    })
    t.same(escaped, [], 'nothing escapes to the process')
    const line = s.lines.find(l => l.msg.includes('preview flag check failed'))
    t.ok(line, 'a log line says the flag check failed')
    t.equal(line?.apiVersion, '2027-01-15')
    checkLogged(t, line, logged)
    await keepsServing(t, s)
    // Well past the timeout, so a late "yes" would have had its chance to start the handler.
    await sleep(TIMEOUT * 4)
    t.same(s.ran.filter(v => v === '2027-01-15'), [], 'the preview handler never ran')
  })
}

t.test('a flag answering yes after the timeout, many requests at once: none runs the preview later', async t => {
  let calls = 0
  // Each yes comes well after the time limit, so that a loaded machine cannot bring it back in time.
  const s = await server(t, { isPreviewEnabled: async () => { calls++; await sleep(TIMEOUT * 3 + (calls % 5) * 10); return true } })
  const answers = await Promise.all(Array.from({ length: 40 }, () => send(s.app, PREVIEW)))
  t.same([...new Set(answers.map(a => a.status))], [501])
  await sleep(TIMEOUT * 8)
  t.equal(calls, 40, 'the flag was asked for each request')
  t.same(s.ran, [], 'no preview handler ran, then or later')
})

t.test('a flag that throws for one request does not leak into the next', async t => {
  const s = await server(t, {
    isPreviewEnabled: (_v: string, request: FastifyRequest) => {
      if (request.headers['x-flag'] === 'broken') throw new Error('flag service down')
      return request.headers['x-flag'] === 'yes'
    }
  })
  t.equal((await send(s.app, { ...PREVIEW, 'x-flag': 'broken' })).status, 501)
  t.equal((await send(s.app, { ...PREVIEW, 'x-flag': 'yes' })).body, 'moves preview')
  t.equal((await send(s.app, { ...PREVIEW, 'x-flag': 'broken' })).status, 501)
  t.same(s.ran, ['2027-01-15'])
})

t.test('a flag returning a thenable whose then() throws: 501, logged, no hang', async t => {
  const s = await server(t, { isPreviewEnabled: () => ({ then () { throw new Error('then threw') } }) as unknown as boolean })
  const escaped = await escapes(async () => {
    const res = await send(s.app, PREVIEW).catch((error: Error) => ({ status: 0, body: error.message }) as HttpAnswer)
    t.equal(res.status, 501, res.body)
  })
  t.same(escaped, [], 'nothing escapes to the process')
  t.ok(s.lines.some(l => l.msg.includes('preview flag check failed')), 'logged')
})

t.test("a flag returning an object whose 'then' getter throws: 501 and logged as a failed flag check", async t => {
  const s = await server(t, { isPreviewEnabled: () => ({ get then () { throw new Error('getter threw') } }) as unknown as boolean })
  const res = await send(s.app, PREVIEW)
  t.equal(res.status, 501)
  t.ok(s.lines.some(l => l.msg.includes('preview flag check failed')), 'logged as a failed flag check')
  t.same(s.ran, [])
})

// -------------------------------------------------------------------------------------------------
// Default-version functions fail with 503, never with another version than the client's pin.
// -------------------------------------------------------------------------------------------------

type Pin = (request: IncomingMessage) => unknown
const pinFaults: Array<[string, Pin, Logged]> = [
  ['throws', () => { throw new Error('account store down') }, /account store down/],
  // eslint-disable-next-line no-throw-literal
  ['throws a non-error', () => { throw 42 as unknown as Error }, { thrown: 42 }],
  ['rejects', async () => { throw new Error('lookup rejected') }, /lookup rejected/],
  ['hangs past the timeout', () => new Promise(() => {}), /did not answer within 30 ms/],
  ['answers after the timeout', () => sleep(TIMEOUT * 2).then(() => '2022-06-01'), /did not answer within 30 ms/],
  ['returns a number', () => 20230110, /20230110, which is not a date/],
  ['returns null', () => null, /null, which is not a date/],
  ['returns true', () => true, /true, which is not a date/],
  ['returns an object', () => ({ version: '2023-01-10' }), /which is not a date/],
  ['returns an empty string', () => '', /"", which is not a date/],
  ["returns 'latest'", () => 'latest', /"latest", which is not a date/],
  ['returns a padded date', () => ' 2023-01-10', /" 2023-01-10", which is not a date/],
  ['returns an impossible date', () => '2023-02-30', /"2023-02-30", which is not a date/],
  ['resolves a number', async () => 7, /7, which is not a date/],
  ['returns a thenable that never settles', () => ({ then () {} }), /did not answer within 30 ms/]
]

for (const [what, fn, logged] of pinFaults) {
  t.test(`a defaultVersion function that ${what}: 503, logged, the server keeps serving`, async t => {
    // Broken only for requests marked so: the same function then serves the next requests.
    const pin = (request: IncomingMessage): unknown => (request.headers['x-broken'] === 'yes' ? fn(request) : undefined)
    const s = await server(t, { defaultVersion: pin as DateVersioningOptions['defaultVersion'] })
    const escaped = await escapes(async () => {
      const res = await send(s.app, { 'x-broken': 'yes' })
      t.equal(res.status, 503)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.equal(res.json().code, 'ApiVersionDefaultFailed')
      t.equal(res.json().requestedVersion, null)
      t.equal(res.headers['api-version'], undefined, 'no version was served')
    })
    t.same(escaped, [], 'nothing escapes to the process')
    const line = s.lines.find(l => l.msg.includes('defaultVersion failed'))
    t.ok(line, 'a log line says the default version failed')
    checkLogged(t, line, logged)
    t.ok(s.lines.some(l => l.level >= 50), 'and the 503 is logged as an error')
    t.same(s.ran, [], 'no handler ran for the failed request')
    await keepsServing(t, s)
    t.equal((await send(s.app)).body, 'moves 2024', 'a request without a pin gets the latest')
    await sleep(TIMEOUT * 3)
    t.same(s.ran, ['2024-03-01', '2022-05-18', '2024-03-01'], 'a late answer does not start a handler')
  })
}

t.test('a defaultVersion function returning a thenable whose then() throws: 503, no hang', async t => {
  const s = await server(t, { defaultVersion: (() => ({ then () { throw new Error('then threw') } })) as unknown as DateVersioningOptions['defaultVersion'] })
  const escaped = await escapes(async () => {
    const res = await send(s.app).catch((error: Error) => ({ status: 0, body: error.message }) as HttpAnswer)
    t.equal(res.status, 503, res.body)
  })
  t.same(escaped, [], 'nothing escapes to the process')
})

t.test("a defaultVersion function returning an object whose 'then' getter throws: 503, no crash", async t => {
  const s = await server(t, { defaultVersion: (() => ({ get then () { throw new Error('getter threw') } })) as unknown as DateVersioningOptions['defaultVersion'] })
  const escaped = await escapes(async () => {
    const res = await send(s.app).catch((error: Error) => ({ status: 0, body: error.message }) as HttpAnswer)
    t.equal(res.status, 503, res.body)
  })
  t.same(escaped, [], 'nothing escapes to the process')
})

// -------------------------------------------------------------------------------------------------
// The application's error handler, and handlers that fail.
// -------------------------------------------------------------------------------------------------

const brokenHandlers: Array<[string, (app: FastifyInstance) => void]> = [
  ['throws', app => app.setErrorHandler(() => { throw new Error('error handler broke') })],
  ['is async and rejects', app => app.setErrorHandler(async () => { throw new Error('error handler rejected') })]
]

for (const [what, setup] of brokenHandlers) {
  t.test(`an application error handler that ${what}: Fastify's fallback answers, logged, the server keeps serving`, async t => {
    const s = await server(t, { isPreviewEnabled: (_v: string, r: FastifyRequest) => r.headers['x-flag'] === 'yes' }, setup)
    const cases: Array<Record<string, string>> = [
      { 'api-version': 'bad' },
      { 'api-version': '2021-06-01' },
      PREVIEW,
      { ...PREVIEW, 'x-flag': 'yes', 'x-fail': 'throw' }
    ]
    for (const headers of cases) {
      const res = await send(s.app, headers)
      t.equal(res.status, 500, `${JSON.stringify(headers)}: Fastify's fallback`)
      t.equal(res.json().statusCode, 500)
      t.equal(res.headers.vary, 'Api-Version', 'the version headers are still merged')
    }
    t.ok(s.lines.some(l => l.level >= 50 && /error handler (broke|rejected)/.test(l.err?.message ?? '')), "the broken error handler's failure is logged")
    await keepsServing(t, s)
  })
}

t.test("an application error handler that is async and answers: the plugin's errors reach it", async t => {
  const s = await server(t, {}, app => app.setErrorHandler(async (error: { code?: string, statusCode?: number }, _request, reply) => {
    await sleep(5)
    reply.code(error.statusCode ?? 500)
    return { mine: error.code }
  }))
  const res = await send(s.app, { 'api-version': 'bad' })
  t.equal(res.status, 400)
  t.same(res.json(), { mine: 'InvalidApiVersion' })
  await keepsServing(t, s)
})

for (const kind of ['throws', 'rejects'] as const) {
  t.test(`a preview handler that ${kind} after its flag said yes: 500, logged, the server keeps serving`, async t => {
    const s = await server(t, { isPreviewEnabled: async (_v: string, r: FastifyRequest) => r.headers['x-flag'] === 'yes' }, app => {
      app.get('/sync', { constraints: { apiVersion: '2027-01-15' } }, () => { throw new Error('preview handler failed') })
    })
    const path = kind === 'throws' ? '/sync' : '/moves'
    const res = await send(s.app, { ...PREVIEW, 'x-flag': 'yes', 'x-fail': 'throw' }, path)
    t.equal(res.status, 500)
    t.equal(res.json().message, 'preview handler failed')
    t.equal(res.headers['api-version'], '2027-01-15', 'the served version is still named')
    t.ok(s.lines.some(l => l.level >= 50 && l.err?.message === 'preview handler failed'), 'logged as an error')
    t.equal((await send(s.app, { ...PREVIEW, 'x-flag': 'yes' })).body, 'moves preview', 'the preview serves the next request')
    t.equal((await send(s.app, PREVIEW)).status, 501, 'and stays closed without the flag')
    await keepsServing(t, s)
  })
}

t.test('a problemType function that throws: an error answer with the same status, the server keeps serving', async t => {
  const s = await server(t, { problemType: () => { throw new Error('problem type broke') } }, undefined, 'info')
  const res = await send(s.app, { 'api-version': 'bad' })
  t.equal(res.status, 400)
  t.equal(res.json().statusCode, 400, "Fastify's fallback answer")
  // Fastify logs a failed error handler at the level of the answer's status: info for a 4xx.
  t.ok(s.lines.some(l => l.err?.message === 'problem type broke'), 'logged')
  await keepsServing(t, s)
})

// -------------------------------------------------------------------------------------------------
// Callbacks that run while the request is routed.
// -------------------------------------------------------------------------------------------------

t.test('a link function that throws fails at start-up, naming the relation and the version', async t => {
  const docs: Record<string, string> = { '2024-03-01': 'https://api.example/2024-03-01' }
  await t.rejects(server(t, { links: { successorVersion: (v: string) => (docs[v] as string).toUpperCase() } }),
    /links\.successorVersion threw for version 2021-01-01: .*Make it return a URL, or undefined for no link/)
})

t.test('a clock that breaks while a client\'s version is awaited: a 500 answer, not a crash, not a hang', async t => {
  let broken = false
  const s = await server(t, {
    now: () => { if (broken) throw new Error('clock broke'); return Date.parse('2025-06-01T12:00:00Z') },
    defaultVersion: async () => { broken = true; return '2024-03-01' }
  })
  const escaped = await escapes(async () => {
    const res = await send(s.app, {})
    t.equal(res.status, 500, `answered: ${res.status} ${res.body.slice(0, 80)}`)
  })
  t.same(escaped, [], 'nothing escapes to the process')
})

t.test('a clock that throws: an answer (not a crash, not a hang)', async t => {
  let broken = false
  const s = await server(t, { now: () => { if (broken) throw new Error('clock broke'); return Date.parse('2025-06-01T12:00:00Z') } })
  broken = true
  const escaped = await escapes(async () => {
    const res = await send(s.app, { 'api-version': '2023-06-01' }).catch((error: Error) => ({ status: 0, body: error.message }) as HttpAnswer)
    t.ok(res.status >= 400, `answered: ${res.status} ${res.body.slice(0, 80)}`)
  })
  t.same(escaped, [], 'nothing escapes to the process')
})
