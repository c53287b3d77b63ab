import { createHash } from 'node:crypto'
import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { memoryUsageStore, type DateVersioningOptions, type UsageAlert, type UsageBatch, type UsageStore } from '../lib/index.js'
import { at, build, CLIENT, clientId, collectLogs, http, versions } from './helpers.js'

/**
 * Per-client usage over real HTTP: what is counted per client, the private usage view, alerts, and
 * that nothing about usage reaches a request that is not allowed to see it.
 */

const allowed = (request: { headers: Record<string, unknown> }): boolean | 'unauthenticated' =>
  request.headers.authorization === undefined ? 'unauthenticated' : request.headers.authorization === 'Bearer admin'
const ADMIN = { authorization: 'Bearer admin' }

async function usageApp (usage: DateVersioningOptions['usage'], options: Partial<DateVersioningOptions> = {}) {
  const app = await build({ usage, ...options })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ v: 1 }))
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => ({ v: 2 }))
  app.get('/health', async () => 'ok')
  return app
}

t.test('each client\'s versions, first warning and migration are counted and reported', async t => {
  const app = await usageApp({ clientId, clientIds: 'as-given', authorize: allowed })
  t.teardown(() => app.close())
  const call = (client: string, version?: string) => http(app, '/moves', { [CLIENT]: client, ...(version === undefined ? {} : { 'api-version': version }) })
  t.equal((await call('acme', '2023-01-10')).status, 200)
  t.equal((await call('acme', '2023-01-10')).status, 200)
  await call('acme', '2024-03-01')
  await call('globex', '2023-01-10')
  await call('initech', '2021-06-01')
  await call('hooli')
  await http(app, '/moves', { 'api-version': '2023-01-10' })
  await http(app, '/health', { [CLIENT]: 'neutral' })
  await app.apiVersions.usage!.flush()

  const res = await http(app, '/api-versions/usage.json', ADMIN)
  t.equal(res.status, 200)
  t.equal(res.headers['cache-control'], 'private, no-store')
  const report = res.json()
  t.same(report.clients, { total: 4, migrated: 2, pending: 2 }, 'the client on a version-neutral route and the anonymous one are not clients')
  t.equal(report.today, '2025-06-01')
  t.equal(report.days.length, 30)
  t.equal(report.days.at(-1), '2025-06-01')
  const byVersion = Object.fromEntries(report.versions.map((v: { version: string }) => [v.version, v]))
  t.equal(byVersion['2023-01-10'].requests, 4, 'anonymous requests count in the distribution')
  t.equal(byVersion['2023-01-10'].daily.at(-1), 4)
  t.equal(byVersion['2024-03-01'].requests, 2)
  t.equal(byVersion['2021-01-01'].requests, 1, 'a refused sunset request counts for its version')
  t.equal(byVersion['2024-03-01'].clients, 2, 'acme moved, hooli is on the latest')
  const deprecated = report.migration.find((m: { version: string }) => m.version === '2023-01-10')
  t.match(deprecated, { status: 'deprecated', clients: 1, warned: 2, moved: 1, warnedNotMoved: 1, successor: '2024-03-01', daysToSunset: 395 })
  t.same(report.contactFirst.map((c: { client: string }) => c.client), ['initech', 'globex'], 'the sunset one first, then the one nearest its sunset')
  t.match(report.contactFirst[1], { version: '2023-01-10', status: 'deprecated', requests: 1, warnedAt: '2025-06-01T12:00:00.000Z' })
})

t.test('client ids are hashed unless kept as given; nothing else about a request is stored', async t => {
  const batches: UsageBatch[] = []
  const store = memoryUsageStore()
  const spy: UsageStore = { ...bind(store), write: batch => { batches.push(structuredClone(batch)); return store.write(batch) } }
  const app = await usageApp({ clientId, store: spy })
  t.teardown(() => app.close())
  await http(app, '/moves?secret=1', { [CLIENT]: 'acme-key-42', 'api-version': '2023-01-10', cookie: 'session=s3cret' })
  await app.apiVersions.usage!.flush()
  const key = app.apiVersions.usage!.clientKey('acme-key-42')
  t.match(key, /^[A-Za-z0-9_-]{22}$/)
  t.not(key, 'acme-key-42')
  const text = JSON.stringify(batches)
  t.notMatch(text, /acme-key-42|secret|s3cret|moves|127\.0\.0\.1/, 'neither the id, the path, the query, a cookie nor the address')
  t.same(Object.keys(batches[0]!), ['clients', 'days', 'pins'])
  t.same(Object.keys(batches[0]!.clients[0]!).sort(), ['client', 'firstSeen', 'lastSeen', 'lastVersion', 'versions', 'warnings'])
  t.equal(batches[0]!.clients[0]!.client, key)
})

t.test('a client id keeps its key however many other ids come between two of its requests', async t => {
  const app = await usageApp({ clientId })
  t.teardown(() => app.close())
  const { clientKey } = app.apiVersions.usage!
  const expected = createHash('sha256').update('acme-key-42').digest('base64url').slice(0, 22)
  t.equal(clientKey('acme-key-42'), expected, 'the first 22 characters of the base64url SHA-256 digest')
  const keys = new Set<string>()
  for (let n = 0; n < 25_000; n++) keys.add(clientKey(`client-${n}`))
  t.equal(keys.size, 25_000, 'a key per id')
  t.equal(clientKey('acme-key-42'), expected)
  t.equal(clientKey('client-3'), createHash('sha256').update('client-3').digest('base64url').slice(0, 22))
})

function bind (store: UsageStore): UsageStore {
  return { write: b => store.write(b), clients: () => store.clients(), days: d => store.days(d), pinOf: c => store.pinOf(c), setPin: (c, v) => store.setPin(c, v) }
}

t.test('usage is flushed on close', async t => {
  const written: UsageBatch[] = []
  const store = { ...bind(memoryUsageStore()), write: (batch: UsageBatch) => { written.push(batch) } }
  const app = await usageApp({ clientId, store, flushInterval: 3_600_000 })
  await http(app, '/moves', { [CLIENT]: 'acme' })
  t.same(written, [], 'not written while the request waits, nor before the interval')
  await app.close()
  t.equal(written.length, 1)
  t.equal(written[0]!.clients[0]!.versions['2024-03-01'], 1)
})

t.test('the usage view is private: 401 and 403 problems, and a documentation page without the section', async t => {
  const app = Fastify()
  await app.register(import('@fastify/swagger'))
  await app.register(dateVersioning, { versions, now: at(), docs: true, usage: { clientId, clientIds: 'as-given', authorize: allowed } })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ v: 1 }))
  t.teardown(() => app.close())
  await http(app, '/moves', { [CLIENT]: 'acme-corp', 'api-version': '2023-01-10' })
  await app.apiVersions.usage!.flush()

  const anonymous = await http(app, '/api-versions/usage.json')
  t.equal(anonymous.status, 401)
  t.equal(anonymous.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.same(anonymous.json(), { type: 'urn:fastify-date-versioning:problem:ApiUsageUnauthorized', title: 'Authentication required', status: 401, detail: 'The usage of this API is private: authenticate to see it.', code: 'ApiUsageUnauthorized' })
  const stranger = await http(app, '/api-versions/usage.json', { authorization: 'Bearer someone' })
  t.equal(stranger.status, 403)
  t.equal(stranger.json().code, 'ApiUsageForbidden')
  for (const answer of [anonymous, stranger]) t.notMatch(answer.body, /acme|2023-01-10|clients/, 'the problem tells nothing of the usage')

  for (const headers of [{}, { authorization: 'Bearer someone' }] as Array<Record<string, string>>) {
    const page = await http(app, '/api-versions/docs', headers)
    t.equal(page.status, 200, 'the page itself is public')
    t.equal(page.headers['cache-control'], 'private, no-store', 'and never cached for someone else')
    // The style sheet is the same for everyone (its hash is in the policy); the body must say nothing.
    t.notMatch(page.body.split('</style>')[1], /acme|id="usage"|usage-chart|usage\.json|Usage/, 'the page without the section names no client and no usage')
  }
  const mine = await http(app, '/api-versions/docs', ADMIN)
  t.match(mine.body, /<h2 id="usage">Usage<\/h2>/)
  t.match(mine.body, /<code>acme-corp<\/code>/)
  t.match(mine.body, /<svg class="usage-chart"/)
  t.equal((await http(app, '/api-versions/usage.json', ADMIN)).json().clients.total, 1)
})

t.test('an authorize check that throws, rejects or hangs refuses the view, and is logged', async t => {
  const { lines, logger } = collectLogs()
  const checks: Array<() => unknown> = [() => { throw new Error('auth down') }, () => Promise.reject(new Error('auth down')), () => new Promise(() => {}), () => 'yes']
  let check = checks[0]!
  const app = Fastify({ logger })
  await app.register(dateVersioning, { versions, now: at(), usage: { authorize: () => check() as boolean, storeTimeout: 50 } })
  t.teardown(() => app.close())
  for (const next of checks) {
    check = next
    const res = await http(app, '/api-versions/usage.json')
    t.equal(res.status, 403)
  }
  t.equal(lines.filter(l => l.msg.includes('usage.authorize failed')).length, 3, 'a wrong answer is refused without a log line; failures are logged')
})

t.test('without authorize there is no usage view at all', async t => {
  const app = await usageApp({ clientId })
  t.teardown(() => app.close())
  t.equal((await http(app, '/api-versions/usage.json', ADMIN)).status, 404)
})

t.test('alerts: deprecated, nearly sunset and sunset versions, once per client and version per interval', async t => {
  let now = Date.parse('2025-06-01T12:00:00Z')
  const alerts: UsageAlert[] = []
  const app = await usageApp({ clientId, clientIds: 'as-given', onAlert: alert => { alerts.push(alert) }, alertInterval: 3_600_000 }, { now: () => now })
  t.teardown(() => app.close())
  await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })
  await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })
  await http(app, '/moves', { [CLIENT]: 'globex', 'api-version': '2023-01-10' })
  await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2024-03-01' })
  await http(app, '/moves', { 'api-version': '2021-06-01' })
  t.same(alerts, [
    { client: 'acme', version: '2023-01-10', reason: 'deprecated', sunset: '2026-06-30T23:59:59.000Z', daysToSunset: 395, successor: '2024-03-01' },
    { client: 'globex', version: '2023-01-10', reason: 'deprecated', sunset: '2026-06-30T23:59:59.000Z', daysToSunset: 395, successor: '2024-03-01' },
    { client: null, version: '2021-01-01', reason: 'sunset', sunset: '2022-01-01T00:00:00.000Z', daysToSunset: 0, successor: '2022-05-18' }
  ])
  now = Date.parse('2026-06-10T12:00:00Z')
  await http(app, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })
  t.match(alerts.at(-1), { client: 'acme', reason: 'nearly-sunset', daysToSunset: 21 }, 'again after the interval, now nearly sunset')
})

t.test('an alert callback that throws or rejects is logged and the request is served', async t => {
  const { lines, logger } = collectLogs()
  let calls = 0
  const onAlert = (): void => {
    calls++
    if (calls === 1) throw new Error('pager down')
    return Promise.reject(new Error('pager unreachable')) as unknown as undefined
  }
  const app = Fastify({ logger })
  await app.register(dateVersioning, { versions, now: at(), usage: { clientId, onAlert } })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ v: 1 }))
  t.teardown(() => app.close())
  t.equal((await http(app, '/moves', { [CLIENT]: 'a', 'api-version': '2023-01-10' })).status, 200)
  t.equal((await http(app, '/moves', { [CLIENT]: 'b', 'api-version': '2023-01-10' })).status, 200)
  await new Promise(resolve => setImmediate(resolve))
  t.equal(calls, 2)
  t.same(lines.filter(l => l.msg === 'fastify-date-versioning: usage.onAlert failed').map(l => l.err?.message), ['pager down', 'pager unreachable'])
})

t.test('a client id function that throws counts the request without a client', async t => {
  const app = await usageApp({ clientId: () => { throw new Error('no key') }, authorize: () => true })
  t.teardown(() => app.close())
  t.equal((await http(app, '/moves')).status, 200)
  await app.apiVersions.usage!.flush()
  const report = (await http(app, '/api-versions/usage.json')).json()
  t.equal(report.clients.total, 0)
  t.equal(report.versions.find((v: { version: string }) => v.version === '2024-03-01').requests, 1)
})

t.test('a day is the day in the configured zone', async t => {
  // 23:30 UTC on 1 June is already 2 June in Auckland (UTC+12).
  const app = await usageApp({ authorize: () => true }, { timeZone: 'Pacific/Auckland', now: at('2025-06-01T23:30:00Z') })
  t.teardown(() => app.close())
  await http(app, '/moves')
  await app.apiVersions.usage!.flush()
  const report = (await http(app, '/api-versions/usage.json')).json()
  t.equal(report.today, '2025-06-02')
  t.equal(report.versions.find((v: { version: string }) => v.version === '2024-03-01').daily.at(-1), 1)
})

t.test('usage options are checked at start-up', async t => {
  const cases: Array<[unknown, RegExp]> = [
    [{ clientid: clientId }, /usage\.clientid is not a known option/],
    ['yes', /usage must be an object/],
    [{ clientIds: 'plain' }, /usage\.clientIds must be "hash" or "as-given"/],
    [{ pin: 'yes' }, /usage\.pin must be true or false/],
    [{ pin: true }, /usage\.pin needs usage\.clientId/],
    [{ clientId: 'x-client-id' }, /usage\.clientId must be a function/],
    [{ store: {} }, /usage\.store must be a usage store .* no write\(\) method/],
    [{ store: 'redis' }, /usage\.store must be a usage store/],
    [{ flushInterval: 0 }, /usage\.flushInterval must be a positive whole number of milliseconds/],
    [{ alertBeforeSunset: 1.5 }, /usage\.alertBeforeSunset must be a positive whole number of days/]
  ]
  for (const [usage, message] of cases) {
    await t.rejects(build({ usage: usage as DateVersioningOptions['usage'] }), { message }, JSON.stringify(usage))
  }
  await t.rejects(build({ usage: { clientId, pin: true }, requireHeader: true }), { message: /usage\.pin has no effect with requireHeader: true/ })
  await t.rejects(build({ usage: { clientId, pin: true }, defaultVersion: () => undefined }), { message: /usage\.pin and a defaultVersion function/ })
  t.throws(() => memoryUsageStore({ maxClients: 0 }), { message: /maxClients must be a positive whole number/ })
  const off = await build({ usage: false as unknown as DateVersioningOptions['usage'] })
  t.equal(off.apiVersions.usage, null, 'usage: false is off')
})
