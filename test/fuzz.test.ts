// Header fuzzing over real HTTP: whatever bytes a client puts in the version header, the answer is
// one of the catalogued ones, never a 5xx, a crash or a hang; a preview handler never runs unless
// its flag said yes; a flood of distinct values leaves memory bounded.
//
// Generated inputs come from fast-check. A failure prints the seed and path; replay it with
//   FC_SEED=<seed> npx tap test/fuzz.test.ts

import t, { type Test } from 'tap'
import { connect } from 'node:net'
import fc from 'fast-check'
import { Pool } from 'undici'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { DateVersioningOptions } from '../lib/index.js'
import { build, gcFunction, settledHeap } from './helpers.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 0x7fffffff)
const TIMEOUT = 5000

// The timeline of helpers.ts at 2025-06-01T12:00Z: 2021-01-01 sunset, 2022-05-18 active,
// 2023-01-10 deprecated, 2024-03-01 latest, 2027-01-15 preview.
const TODAY = '2025-06-01'
const HANDLERS = ['2022-05-18', '2024-03-01', '2027-01-15']

function isRealDate (s: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (match === null) return false
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const lengths = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return m >= 1 && m <= 12 && d >= 1 && d <= (lengths[m - 1] as number)
}

interface Expected { status: number, code?: string, served?: string, handler?: string }

/** What docs/design.md §3 answers to a header value as the server received it, without a preview flag. */
function oracle (received: string | undefined): Expected {
  if (received === undefined) return { status: 200, served: '2024-03-01', handler: '2024-03-01' }
  const date = received.replace(/^[ \t]+|[ \t]+$/g, '')
  if (!isRealDate(date)) return { status: 400, code: 'InvalidApiVersion' }
  if (date < '2021-01-01') return { status: 400, code: 'UnsupportedApiVersion' }
  if (date >= '2027-01-15') return { status: 501, code: 'ApiVersionNotImplemented', served: '2027-01-15' }
  if (date > TODAY) return { status: 400, code: 'UnsupportedApiVersion' }
  if (date < '2022-05-18') return { status: 410, code: 'ApiVersionSunset', served: '2021-01-01' }
  const served = date >= '2024-03-01' ? '2024-03-01' : date >= '2023-01-10' ? '2023-01-10' : '2022-05-18'
  return { status: 200, served, handler: served >= '2024-03-01' ? '2024-03-01' : '2022-05-18' }
}

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** Sends raw bytes on a fresh connection and reads the answer until the server closes it. */
function rawRequest (port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer within ${TIMEOUT} ms`)) }, TIMEOUT)
    socket.on('data', chunk => chunks.push(chunk))
    socket.on('error', error => { clearTimeout(timer); reject(error) })
    socket.on('close', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      const [statusLine = '', ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n')
      const headers: Answer['headers'] = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        const name = line.slice(0, colon).toLowerCase()
        const value = line.slice(colon + 1).trim()
        const previous = headers[name]
        headers[name] = previous === undefined ? value : [previous as string, value].flat()
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: end < 0 ? '' : Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') })
    })
    socket.end(bytes)
  })
}

function requestBytes (id: number, headerLines: Buffer[], method = 'GET', path = '/moves'): Buffer {
  return Buffer.concat([
    Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nX-Id: ${id}\r\n`, 'latin1'),
    ...headerLines.map(line => Buffer.concat([line, Buffer.from('\r\n')])),
    Buffer.from('Connection: close\r\n\r\n', 'latin1')
  ])
}

const headerLine = (value: Buffer, name = 'Api-Version'): Buffer => Buffer.concat([Buffer.from(`${name}: `, 'latin1'), value])

interface Server {
  app: FastifyInstance
  port: number
  pool: Pool
  /** The version header each request carried as the server saw it, by X-Id. */
  received: Map<string, string | undefined>
  /** X-Id of each request whose preview handler ran. */
  previewRan: string[]
}

async function server (t: Test, options: Partial<DateVersioningOptions> = {}, notFound?: string[]): Promise<Server> {
  const received = new Map<string, string | undefined>()
  const previewRan: string[] = []
  const app = await build({ isPreviewEnabled: (_v: string, request: FastifyRequest) => request.headers['x-flag'] === 'yes', ...options })
  app.addHook('onRequest', async (request) => { received.set(String(request.headers['x-id']), request.headers['api-version'] as string | undefined) })
  for (const version of HANDLERS) {
    app.route({
      method: ['GET', 'POST'],
      url: '/moves',
      constraints: { apiVersion: version },
      handler: async (request) => {
        if (version === '2027-01-15') previewRan.push(String(request.headers['x-id']))
        return { handler: version, id: request.headers['x-id'], apiVersion: request.apiVersion }
      }
    })
  }
  if (notFound !== undefined) {
    app.setNotFoundHandler((request, reply) => { notFound.push(String(request.headers['x-id'])); reply.code(404).send({ notFound: true }) })
  }
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as { port: number }).port
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8, headersTimeout: TIMEOUT, bodyTimeout: TIMEOUT })
  t.teardown(async () => { await pool.close(); await app.close() })
  return { app, port, pool, received, previewRan }
}

async function viaUndici (s: Server, id: number, value: string | undefined, extra: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'OPTIONS' | 'POST' = 'GET', path = '/moves'): Promise<Answer> {
  const headers: Record<string, string> = { 'x-id': String(id), ...extra }
  if (value !== undefined) headers['api-version'] = value
  const res = await s.pool.request({ method, path, headers })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

/**
 * Whether `answer` is the catalogued answer to request `id`. Node's HTTP parser may refuse bytes
 * before the application sees them (400 or 431 without a problem document): that is catalogued too,
 * as long as the request never reached the application.
 */
function verdict (s: Server, id: number, answer: Answer): string | undefined {
  const key = String(id)
  if (!s.received.has(key)) {
    return answer.status === 400 || answer.status === 431 ? undefined : `refused by the parser with ${answer.status}`
  }
  const received = s.received.get(key)
  const expected = oracle(received)
  const show = JSON.stringify({ received, status: answer.status, body: answer.body.slice(0, 300) })
  if (answer.status >= 500 && answer.status !== 501) return `a ${answer.status}: ${show}`
  if (answer.status !== expected.status) return `expected ${expected.status}: ${show}`
  if ((answer.headers['api-version'] ?? undefined) !== expected.served) return `expected Api-Version ${String(expected.served)}: ${show}`
  if (answer.headers.vary !== 'Api-Version') return `expected Vary: Api-Version: ${show}`
  const body = JSON.parse(answer.body)
  if (expected.status === 200) {
    if (body.handler !== expected.handler || body.id !== key || body.apiVersion.version !== expected.served) return `wrong handler: ${show}`
    return undefined
  }
  if (answer.headers['content-type'] !== 'application/problem+json; charset=utf-8' || body.code !== expected.code || body.status !== expected.status) {
    return `expected problem ${String(expected.code)}: ${show}`
  }
  return undefined
}

const dateLike = fc.record({
  year: fc.oneof(fc.integer({ min: 2019, max: 2029 }), fc.integer({ min: 0, max: 99999 })),
  month: fc.integer({ min: -1, max: 14 }),
  day: fc.integer({ min: -1, max: 33 }),
  yearDigits: fc.constantFrom(4, 4, 4, 1, 5),
  pad2: fc.boolean(),
  separator: fc.constantFrom('-', '-', '-', '/', '.', '', '--', '_'),
  prefix: fc.constantFrom('', '', '', ' ', '\t', '+', '-', '0', 'v', '  '),
  suffix: fc.constantFrom('', '', '', ' ', '\t', 'T00:00:00Z', 'T12:00:00+02:00', 'Z', '~beta', ', 2023-01-10', ',', ';q=1', '.0', ' 00:00')
}).map(({ year, month, day, yearDigits, pad2, separator, prefix, suffix }) => {
  const two = (n: number): string => (pad2 ? String(n).padStart(2, '0') : String(n))
  return `${prefix}${String(year).padStart(yearDigits, '0')}${separator}${two(month)}${separator}${two(day)}${suffix}`
})

t.test('arbitrary header values over HTTP get a catalogued answer', async t => {
  t.comment(`fast-check seed ${seed}`)
  const s = await server(t)
  let id = 0
  let sent = 0
  const check = (answer: Answer, n: number): void => {
    sent++
    const problem = verdict(s, n, answer)
    if (problem !== undefined) throw new Error(problem)
  }
  // Printable strings and date-like strings: what undici lets a client send.
  await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 40 }), dateLike), async value => {
    const n = ++id
    check(await viaUndici(s, n, value), n)
  }), { seed, numRuns: 700, endOnFailure: process.env.FC_SHRINK === '0' })
  // Any byte, and UTF-8 of any code point: only a raw socket sends these.
  await fc.assert(fc.asyncProperty(fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }).map(v => Buffer.from(v, 'utf8')),
    fc.uint8Array({ maxLength: 24 }).map(bytes => Buffer.from(bytes)),
    dateLike.map(v => Buffer.from(v, 'latin1')),
    // Look-alike dashes and digits, in UTF-8 (Node reads them as latin1 mojibake).
    dateLike.map(v => Buffer.from(v.replaceAll('-', '‐').replaceAll('0', '０'), 'utf8'))
  ), async bytes => {
    const n = ++id
    check(await rawRequest(s.port, requestBytes(n, [headerLine(bytes)])), n)
  }), { seed, numRuns: 300, endOnFailure: process.env.FC_SHRINK === '0' })
  t.comment(`${sent} fuzzed header values, each answered as catalogued`)
  t.same(s.previewRan, [], 'no request had the preview flag')
})

t.test('named hostile values each get their catalogued answer', async t => {
  const s = await server(t)
  const values = [
    '', ' ', '\t', '2023-01-10', ' 2023-01-10 ', '\t2023-01-10\t', '02023-01-10', '2023-001-10', '2023-01-010', '+2023-01-10', '-2023-01-10',
    '2023-01-10T00:00:00Z', '2023-01-10T00:00:00.000+02:00', '2023-01-10 00:00', '20230110', '2023-01-10~beta', '2023-01-10,',
    '2023-01-10, 2024-03-01', '2023-01-10,2023-01-10', '2023-01-10;2024-03-01', '2023-02-29', '2024-02-29', '2100-02-29', '2000-02-29',
    '0000-01-01', '9999-12-31', '1970-01-01', '2023-00-10', '2023-01-00', '2023-01-32', '2023-13-01', 'latest', 'LATEST', 'null',
    'undefined', 'NaN', '0', '-1', '1e3', 'true', '[]', '{}', '%32%30%32%33-01-10', '2023%2D01%2D10', 'x'.repeat(8 * 1024),
    '2023-01-10' + ' '.repeat(4000), '9'.repeat(8000), '2027-01-15', '2099-12-31', '2025-06-01', '2025-06-02', '2021-06-01', '2020-12-31'
  ]
  let n = 0
  const wrong: string[] = []
  for (const value of values) {
    n++
    const problem = verdict(s, n, await viaUndici(s, n, value))
    if (problem !== undefined) wrong.push(`${JSON.stringify(value.slice(0, 40))}: ${problem}`)
  }
  // Look-alike characters, as UTF-8 bytes.
  for (const value of ['2023‐01‐10', '２０２３-０１-１０', '2023−01−10', '٢٠٢٣-٠١-١٠', '\u20282023-01-10', '\ufeff2023-01-10']) {
    n++
    const problem = verdict(s, n, await rawRequest(s.port, requestBytes(n, [headerLine(Buffer.from(value, 'utf8'))])))
    if (problem !== undefined) wrong.push(`${JSON.stringify(value)}: ${problem}`)
  }
  t.same(wrong, [], `${values.length + 6} named values each get their catalogued answer`)
  const long = await viaUndici(s, ++n, 'x'.repeat(8 * 1024))
  t.equal(JSON.parse(long.body).requestedVersion, `${'x'.repeat(64)}…`, 'an 8 KB value is echoed shortened')
  const tooLong = await rawRequest(s.port, requestBytes(++n, [headerLine(Buffer.from('x'.repeat(20 * 1024)))]))
  t.equal(tooLong.status, 431, "a value past Node's header limit is refused by Node with 431")
  t.notOk(s.received.has(String(n)), 'and never reaches the application')

  // The header sent twice: Node joins the values into one, which is not one date.
  const twice = async (a: string, b: string, name = 'Api-Version'): Promise<Answer> =>
    rawRequest(s.port, requestBytes(++n, [headerLine(Buffer.from(a), name), headerLine(Buffer.from(b), name)]))
  for (const [a, b] of [['2023-01-10', '2023-01-10'], ['2023-01-10', '2024-03-01'], ['2023-01-10', ''], ['', '']]) {
    const answer = await twice(a as string, b as string)
    t.equal(answer.status, 400, `sent twice: ${a} and ${b}`)
    t.equal(JSON.parse(answer.body).code, 'InvalidApiVersion')
    t.equal(verdict(s, n, answer), undefined)
  }
  const cased = await twice('2023-01-10', '2024-03-01', 'API-VERSION')
  t.equal(JSON.parse(cased.body).code, 'InvalidApiVersion', 'whatever the casing of the name')
  t.same(s.previewRan, [])
})

t.test('a no-break space around the date is not HTTP whitespace', async t => {
  const s = await server(t)
  const answer = await rawRequest(s.port, requestBytes(1, [headerLine(Buffer.from([0xa0, ...Buffer.from('2024-03-01')]))]))
  t.equal(s.received.get('1'), '\u00a02024-03-01', 'Node hands the byte over as U+00A0')
  t.equal(answer.status, 400, 'RFC 9110 OWS is SP and HTAB only: the value is not a date')
})

t.test('prototype-shaped values are malformed dates and pollute nothing', async t => {
  const s = await server(t)
  const values = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf',
    '{"__proto__":{"polluted":true}}', '__proto__[polluted]=1', 'constructor.prototype.polluted']
  let n = 0
  for (const value of values) {
    for (let i = 0; i < 2; i++) {
      // Twice: the second answer comes from the resolution cache.
      const answer = await viaUndici(s, ++n, value)
      t.equal(answer.status, 400, value)
      t.equal(JSON.parse(answer.body).code, 'InvalidApiVersion', value)
      t.equal(JSON.parse(answer.body).requestedVersion, value)
    }
  }
  const pinned = await build({ defaultVersion: (request) => request.headers['x-pin'] as string | undefined })
  pinned.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => pinned.close())
  for (const value of values) {
    t.equal((await pinned.inject({ url: '/moves', headers: { 'x-pin': value } })).statusCode, 503, `a pin of ${value}`)
  }
  t.equal(s.app.apiVersions.resolve('__proto__').outcome, 'error')
  t.equal(s.app.apiVersions.get('__proto__'), null)
  t.equal(s.app.apiVersions.get('constructor'), null)
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal(Object.getPrototypeOf({}), Object.prototype)
  t.equal(typeof ({}).toString, 'function')
  t.equal((await viaUndici(s, ++n, '2024-03-01')).status, 200, 'and the next request is served')
})

t.test('a preview handler never runs unless the flag said yes for that request', async t => {
  const variants: Array<string | undefined> = [undefined, '2027-01-15', ' 2027-01-15 ', '2027-06-01', '2099-01-01', '2027-01-15, 2027-01-15', '2027-1-15',
    '2027-01-15T00:00:00Z', '2027-01-14', '2024-03-01', 'junk', '']
  const methods = ['GET', 'HEAD', 'OPTIONS', 'POST'] as const
  const paths = ['/moves', '/moves?x=1', '/nowhere']
  const slowTimeout = 20
  const flags: Array<[string, Partial<DateVersioningOptions>, boolean]> = [
    // [name, options, whether the flag can say yes]
    ['a header flag', {}, true],
    ['an async header flag', { isPreviewEnabled: async (_v: string, r: FastifyRequest) => r.headers['x-flag'] === 'yes' }, true],
    ['a default version pinned to the preview', { defaultVersion: () => '2027-01-15' }, true],
    ['an async pin to the preview', { defaultVersion: async () => '2027-02-01' }, true],
    ['a slow flag (yes, after the timeout)', {
      previewFlagTimeout: slowTimeout,
      isPreviewEnabled: () => new Promise<boolean>(resolve => setTimeout(resolve, slowTimeout * 3, true))
    }, false],
    ['a throwing flag', { isPreviewEnabled: () => { throw new Error('flag service down') } }, false],
    ['a rejecting flag', { isPreviewEnabled: async () => { throw new Error('flag service down') } }, false],
    ["a flag answering 'true'", { isPreviewEnabled: () => 'true' as unknown as boolean }, false],
    ['a flag answering 1', { isPreviewEnabled: async () => 1 as unknown as boolean }, false],
    ['a flag answering a thenable object', { isPreviewEnabled: () => ({ then: (ok: (v: unknown) => void) => ok({ yes: true }) }) as unknown as boolean }, false],
    ['no flag function', { isPreviewEnabled: undefined }, false]
  ]
  let sent = 0
  for (const [name, options, canSayYes] of flags) {
    await t.test(name, async t => {
      const notFound: string[] = []
      const s = await server(t, options, notFound)
      const yes = new Set<string>()
      let n = 0
      for (const value of variants) {
        for (const method of methods) {
          for (const path of paths) {
            for (const flag of ['yes', undefined]) {
              const extra: Record<string, string> = flag === undefined ? {} : { 'x-flag': flag }
              if (flag === 'yes') yes.add(String(n + 1))
              const answer = await viaUndici(s, ++n, value, extra, method, path)
              sent++
              if (answer.status >= 500 && answer.status !== 501) t.fail(`${method} ${path} ${String(value)}: ${answer.status}`)
            }
          }
        }
      }
      // Past the timeout of the slow flag: a late "yes" must not start the handler.
      await new Promise(resolve => setTimeout(resolve, slowTimeout * 5))
      const ranWithoutYes = s.previewRan.filter(id => !canSayYes || !yes.has(id))
      t.same(ranWithoutYes, [], 'the preview handler ran only for requests whose flag said yes')
      if (canSayYes) t.ok(s.previewRan.length > 0, 'and it does run when the flag says yes')
      t.ok(notFound.length > 0, 'the 404 handler answered the unknown paths')
      t.notOk(s.previewRan.some(id => notFound.includes(id)), 'never for a request the 404 handler answered')
    })
  }
  t.comment(`${sent} requests checked for preview isolation`)
})

t.test('a flood of distinct header values keeps memory bounded and answers right', async t => {
  const app = await build({ isPreviewEnabled: (_v: string, r: FastifyRequest) => r.headers['x-flag'] === 'yes' })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => request.apiVersion?.version)
  await app.ready()
  t.teardown(() => app.close())
  const gc = gcFunction()
  const heap = settledHeap
  // Values of 200 characters: 100,000 of them kept by an unbounded cache would hold over 20 MB of
  // keys alone; a bounded cache keeps a few hundred kilobytes.
  const filler = 'z'.repeat(180)
  const valueOf = (i: number): string => (i % 4 === 0 ? `${filler}${i}` : i % 4 === 1 ? `2023-01-10${' '.repeat(i % 7)}${filler.slice(0, 40)}${i}` : `${' '.repeat(1 + (i % 150))}2023-01-10${' '.repeat(1 + Math.floor(i / 150) % 40)}`.padEnd(200, i % 4 === 2 ? ' ' : '\t'))

  // Warm up, so lazily compiled code and caches of Fastify itself do not count.
  for (let i = 0; i < 5000; i++) await app.inject({ url: '/moves', headers: { 'api-version': valueOf(1_000_000 + i) } })
  const before = await heap()
  const started = Date.now()
  let wrong = 0
  // Through the router (inject) for part of the flood, and the rest through the public resolver,
  // which shares the per-header cache: 100,000 distinct values in all.
  const injected = 20_000
  for (let i = 0; i < injected; i++) {
    const value = valueOf(i)
    const res = await app.inject({ url: '/moves', headers: { 'api-version': value } })
    const expected = value.trim() === '2023-01-10' ? 200 : 400
    if (res.statusCode !== expected) wrong++
  }
  for (let i = injected; i < 100_000; i++) {
    const value = valueOf(i)
    const outcome = app.apiVersions.resolve(value).outcome
    if (outcome !== (value.trim() === '2023-01-10' ? 'serve' : 'error')) wrong++
  }
  // On a loaded machine the injected requests may still be held by timers a while after their
  // answers: wait up to 10 s for the heap to settle. A leak never settles, so it still fails.
  let after = await heap()
  for (let waited = 0; waited < 20 && after - before >= 10e6; waited++) {
    await new Promise(resolve => setTimeout(resolve, 500))
    after = await heap()
  }
  t.comment(`100,000 distinct values in ${Date.now() - started} ms; heap ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB${gc === undefined ? ' (no gc available)' : ''}`)
  t.equal(wrong, 0, 'every value got its answer during the flood')
  if (gc !== undefined) t.ok(after - before < 10e6, `heap grew by ${((after - before) / 1e6).toFixed(1)} MB, less than 10 MB`)
  const checks: Array<[Record<string, string>, number, string]> = [
    [{ 'api-version': '2023-06-01' }, 200, '2023-01-10'],
    [{ 'api-version': ' 2022-05-18 ' }, 200, '2022-05-18'],
    [{}, 200, '2024-03-01'],
    [{ 'api-version': '2021-06-01' }, 410, ''],
    [{ 'api-version': '2027-01-15' }, 501, ''],
    [{ 'api-version': '2027-01-15', 'x-flag': 'yes' }, 200, '2027-01-15'],
    [{ 'api-version': valueOf(4) }, 400, '']
  ]
  for (const [headers, status, body] of checks) {
    const res = await app.inject({ url: '/moves', headers })
    t.equal(res.statusCode, status, `after the flood: ${JSON.stringify(headers).slice(0, 60)}`)
    if (status === 200) t.equal(res.body, body)
  }
})
