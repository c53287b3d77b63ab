// A real server under 50 concurrent connections for about three seconds, with every kind of
// request mixed: each answer is checked against what that very request must get (its own id is
// echoed, so an answer meant for another request would be caught), with no errors, and a heap that
// grows by less than 1 MB plus 1 KB per request (PER_REQUEST_BYTES): a leak of 10 KB per request
// exceeds that bound once more than about 115 requests are measured (several thousand are).

import t from 'tap'
import type { IncomingMessage } from 'node:http'
import { Pool } from 'undici'
import type { FastifyRequest } from 'fastify'
import { build, gcFunction, settledHeap } from './helpers.js'

const CONNECTIONS = 50
const DURATION = Number(process.env.LOAD_MS ?? 3000)
/** Heap growth allowed whatever the number of requests: pools, caches and compiled code that settle. */
const FIXED_BYTES = 1_000_000
/** Heap growth allowed per request: well below a 10 KB leak, well above the few hundred bytes of noise measured. */
const PER_REQUEST_BYTES = 1024

/** A delay of 0–2 ms, so that asynchronous flags and pins settle out of order. */
const jitter = (): Promise<void> => new Promise(resolve => {
  const ms = Math.floor(Math.random() * 3)
  if (ms === 0) setImmediate(resolve)
  else setTimeout(resolve, ms)
})

interface Case {
  name: string
  path?: string
  headers: (id: number) => Record<string, string>
  status: number
  served?: string
  handler?: string
  code?: string
  /** The requestedVersion a problem document must echo, or the apiVersion.requested of a success. */
  requested?: (id: number) => string | null
  source?: 'header' | 'default'
}

// The timeline of helpers.ts at 2025-06-01T12:00Z: 2021-01-01 sunset, 2022-05-18, 2023-01-10
// deprecated, 2024-03-01 latest, 2027-01-15 preview.
const cases: Case[] = [
  { name: 'a released version', headers: () => ({ 'api-version': '2022-05-18' }), status: 200, served: '2022-05-18', handler: '2022-05-18', requested: () => '2022-05-18', source: 'header' },
  { name: 'a date between versions', headers: () => ({ 'api-version': '2023-06-01' }), status: 200, served: '2023-01-10', handler: '2022-05-18', requested: () => '2023-06-01', source: 'header' },
  { name: 'the latest', headers: () => ({ 'api-version': '2024-03-01' }), status: 200, served: '2024-03-01', handler: '2024-03-01', requested: () => '2024-03-01', source: 'header' },
  { name: 'today', headers: () => ({ 'api-version': '2025-06-01' }), status: 200, served: '2024-03-01', handler: '2024-03-01', requested: () => '2025-06-01', source: 'header' },
  { name: 'padded', headers: id => ({ 'api-version': `${' '.repeat(id % 5)}2022-06-01` }), status: 200, served: '2022-05-18', handler: '2022-05-18', requested: () => '2022-06-01', source: 'header' },
  { name: 'no header, no pin', headers: () => ({}), status: 200, served: '2024-03-01', handler: '2024-03-01', requested: () => null, source: 'default' },
  { name: 'no header, a pin', headers: () => ({ 'x-pin': '2023-02-01' }), status: 200, served: '2023-01-10', handler: '2022-05-18', requested: () => null, source: 'default' },
  { name: 'no header, a pin to the preview, flag on', headers: () => ({ 'x-pin': '2027-01-15', 'x-flag': 'yes' }), status: 200, served: '2027-01-15', handler: '2027-01-15', requested: () => null, source: 'default' },
  { name: 'no header, a pin to the preview, flag off', headers: () => ({ 'x-pin': '2027-01-15' }), status: 501, served: '2027-01-15', code: 'ApiVersionNotImplemented', requested: () => null },
  { name: 'no header, a broken pin', headers: () => ({ 'x-pin': 'bogus' }), status: 503, code: 'ApiVersionDefaultFailed', requested: () => null },
  { name: 'the preview, flag on', headers: () => ({ 'api-version': '2027-01-15', 'x-flag': 'yes' }), status: 200, served: '2027-01-15', handler: '2027-01-15', requested: () => '2027-01-15', source: 'header' },
  { name: 'after the preview, flag on', headers: () => ({ 'api-version': '2027-03-01', 'x-flag': 'yes' }), status: 200, served: '2027-01-15', handler: '2027-01-15', requested: () => '2027-03-01', source: 'header' },
  { name: 'the preview, flag off', headers: () => ({ 'api-version': '2027-01-15', 'x-flag': 'no' }), status: 501, served: '2027-01-15', code: 'ApiVersionNotImplemented', requested: () => '2027-01-15' },
  { name: 'the preview, no flag', headers: () => ({ 'api-version': '2027-03-01' }), status: 501, served: '2027-01-15', code: 'ApiVersionNotImplemented', requested: () => '2027-03-01' },
  { name: 'a sunset version', headers: () => ({ 'api-version': '2021-06-01' }), status: 410, served: '2021-01-01', code: 'ApiVersionSunset', requested: () => '2021-06-01' },
  { name: 'before the first version', headers: () => ({ 'api-version': '2020-01-01' }), status: 400, code: 'UnsupportedApiVersion', requested: () => '2020-01-01' },
  { name: 'the future', headers: () => ({ 'api-version': '2026-01-01' }), status: 400, code: 'UnsupportedApiVersion', requested: () => '2026-01-01' },
  { name: 'an impossible date', headers: () => ({ 'api-version': '2023-02-30' }), status: 400, code: 'InvalidApiVersion', requested: () => '2023-02-30' },
  { name: 'a distinct malformed value', headers: id => ({ 'api-version': `junk-${id}` }), status: 400, code: 'InvalidApiVersion', requested: id => `junk-${id}` },
  { name: 'two values', headers: () => ({ 'api-version': '2023-01-10, 2024-03-01' }), status: 400, code: 'InvalidApiVersion', requested: () => '2023-01-10, 2024-03-01' },
  { name: 'a version-neutral route', path: '/health', headers: id => ({ 'api-version': id % 2 === 0 ? 'junk' : '2022-05-18' }), status: 200, handler: 'health' }
]

t.test(`${CONNECTIONS} concurrent connections: every answer is the one its request must get`, async t => {
  const app = await build({
    isPreviewEnabled: async (_version: string, request: FastifyRequest) => { await jitter(); return request.headers['x-flag'] === 'yes' },
    defaultVersion: async (request: IncomingMessage) => { await jitter(); return request.headers['x-pin'] as string | undefined }
  })
  const echo = (handler: string) => async (request: FastifyRequest) => {
    if (Number(request.headers['x-id']) % 3 === 0) await jitter()
    return { handler, id: request.headers['x-id'], apiVersion: request.apiVersion }
  }
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, echo('2022-05-18'))
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, echo('2024-03-01'))
  app.get('/moves', { constraints: { apiVersion: '2027-01-15' } }, echo('2027-01-15'))
  app.get('/health', echo('health'))
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const pool = new Pool(address, { connections: CONNECTIONS, headersTimeout: 5000, bodyTimeout: 5000 })
  t.teardown(async () => { await pool.close(); await app.close() })

  const gc = gcFunction()
  const heap = settledHeap

  let next = 0
  let errors = 0
  let mismatches = 0
  /** The first few failures, for the report. */
  const wrong: string[] = []
  const byCase = new Map<string, number>()

  async function one (): Promise<void> {
    const id = next++
    const c = cases[id % cases.length] as Case
    const headers = { 'x-id': String(id), ...c.headers(id) }
    let res
    try {
      res = await pool.request({ method: 'GET', path: c.path ?? '/moves', headers })
    } catch (error) {
      errors++
      if (wrong.length < 10) wrong.push(`${c.name} #${id}: ${(error as Error).message}`)
      return
    }
    const text = await res.body.text()
    byCase.set(c.name, (byCase.get(c.name) ?? 0) + 1)
    const problems: string[] = []
    const body = (() => { try { return JSON.parse(text) } catch { return undefined } })()
    if (res.statusCode !== c.status) problems.push(`status ${res.statusCode}`)
    if (res.headers['api-version'] !== c.served) problems.push(`Api-Version ${String(res.headers['api-version'])}`)
    if (c.status === 200) {
      if (body?.id !== String(id)) problems.push(`answer of request ${String(body?.id)}`)
      if (body?.handler !== c.handler) problems.push(`handler ${String(body?.handler)}`)
      if (c.served !== undefined && (body?.apiVersion?.version !== c.served || body?.apiVersion?.requested !== c.requested?.(id) || body?.apiVersion?.source !== c.source)) {
        problems.push(`apiVersion ${JSON.stringify(body?.apiVersion)}`)
      }
      if (c.served === undefined && body?.apiVersion !== null) problems.push('apiVersion on a neutral route')
    } else if (body?.code !== c.code || body?.requestedVersion !== c.requested?.(id)) {
      problems.push(`problem ${text.slice(0, 200)}`)
    }
    if (problems.length === 0) return
    mismatches++
    if (wrong.length < 10) wrong.push(`${c.name} #${id}: ${problems.join('; ')}`)
  }

  // Warm up (compilation, caches), then measure.
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => { for (let i = 0; i < 20; i++) await one() }))
  const warmup = next
  const before = await heap()
  const started = Date.now()
  const deadline = started + DURATION
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < deadline) await one()
  }))
  const elapsed = Date.now() - started
  const sent = next - warmup
  const after = await heap()

  t.comment(`${sent} requests in ${elapsed} ms over ${CONNECTIONS} connections (${Math.round(sent / (elapsed / 1000))}/s), plus ${warmup} to warm up; heap ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB${gc === undefined ? ' (no gc available)' : ''}`)
  t.equal(errors, 0, 'no request failed')
  t.equal(mismatches, 0, 'every answer is the one its request must get')
  t.same(wrong, [], 'the first failures, if any')
  t.equal(byCase.size, cases.length, 'every kind of request was sent')
  t.ok(sent > cases.length * 10, 'each kind many times')
  const allowed = FIXED_BYTES + PER_REQUEST_BYTES * sent
  t.ok(after - before < allowed, `heap grew by ${((after - before) / 1e6).toFixed(2)} MB (${Math.round((after - before) / sent)} bytes per request), less than 1 MB + 1 KB × ${sent} requests = ${(allowed / 1e6).toFixed(2)} MB`)
})
