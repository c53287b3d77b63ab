import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { memoryUsageStore, type ClientFacts, type DailyCounts, type DateVersioningOptions, type UsageStore } from '../lib/index.js'
import { createAlerts } from '../lib/usage/alerts.js'
import { UsageRecorder } from '../lib/usage/recorder.js'
import { Timeline } from '../lib/timeline.js'
import { at, http } from './helpers.js'

/**
 * The usage report and the Usage section from what a store holds: trends, migration per old
 * version, the order of the clients to contact, and what the page shows of each.
 */

const DAY = 86_400_000
const now = Date.parse('2025-06-01T12:00:00Z')
const versions: DateVersioningOptions['versions'] = [
  { version: '2019-01-01', sunset: '2019-06-01' },
  { version: '2020-01-01', sunset: '2021-01-01' },
  { version: '2022-01-01', deprecated: '2024-01-01' },
  { version: '2023-01-01', deprecated: '2025-01-01', sunset: '2025-07-01' },
  { version: '2024-06-01' },
  { version: '2026-01-01', preview: true }
]

const client = (id: string, lastVersion: string, versions: Record<string, number>, warnings: ClientFacts['warnings'] = {}): ClientFacts =>
  ({ client: id, firstSeen: now - 40 * DAY, lastSeen: now - DAY, lastVersion, versions, warnings })

/** 30 days ending 2025-06-01: 2024-06-01 grows, 2023-01-01 declines, 2022-01-01 holds its share, the preview is tried once. */
function daily (): DailyCounts {
  const days: Record<string, Record<string, number>> = {}
  for (let i = 0; i < 30; i++) {
    const day = new Date(now - (29 - i) * DAY).toISOString().slice(0, 10)
    if (i === 3) continue
    days[day] = i < 23 ? { '2022-01-01': 10, '2023-01-01': 20, '2024-06-01': 10 } : { '2022-01-01': 10, '2023-01-01': 5, '2024-06-01': 25 }
  }
  days['2025-06-01'] = { ...days['2025-06-01'], '2026-01-01': 1 }
  return days
}

function craftedStore (clients: ClientFacts[], days: DailyCounts): UsageStore {
  return { write: () => {}, clients: () => clients, days: () => days, pinOf: () => undefined, setPin: () => {} }
}

async function reportApp (store: UsageStore, timeline = versions) {
  const app = Fastify()
  await app.register(import('@fastify/swagger'))
  await app.register(dateVersioning, { versions: timeline, now: at('2025-06-01T12:00:00Z'), docs: true, usage: { store, authorize: () => true } })
  return app
}

t.test('trends, migration and the clients to contact first', async t => {
  const warned = { at: now - 10 * DAY, kind: 'deprecation' as const }
  const store = craftedStore([
    client('<b>old</b>', '2022-01-01', { '2022-01-01': 7 }, { '2022-01-01': warned }),
    client('c-old', '2022-01-01', { '2022-01-01': 9 }),
    client('z-soon', '2023-01-01', {}),
    client('a-soon', '2023-01-01', { '2023-01-01': 3 }),
    client('m-soon', '2023-01-01', { '2023-01-01': 3 }),
    client('b-soon', '2023-01-01', { '2023-01-01': 3 }),
    client('gone', '2020-01-01', { '2020-01-01': 2 }, { '2020-01-01': { at: now - 2 * DAY, kind: 'sunset' } }),
    client('moved', '2024-06-01', { '2023-01-01': 4, '2024-06-01': 9 }, { '2023-01-01': warned }),
    client('unknown', '1999-01-01', { '1999-01-01': 1 })
  ], daily())
  const app = await reportApp(store)
  t.teardown(() => app.close())
  const report = (await http(app, '/api-versions/usage.json')).json()
  t.same(report.clients, { total: 9, migrated: 2, pending: 7 }, 'a version no longer declared counts as moved on')
  t.same(report.versions.map((v: { version: string, trend: string }) => [v.version, v.trend]), [
    ['2020-01-01', 'steady'], ['2022-01-01', 'steady'], ['2023-01-01', 'declining'], ['2024-06-01', 'growing'], ['2026-01-01', 'steady']
  ], 'a sunset version without requests or clients is left out; a tried preview is shown')
  t.equal(report.versions.find((v: { version: string }) => v.version === '2022-01-01').daily[3], 0, 'a day without requests')
  t.same(report.migration.map((m: { version: string, daysToSunset: number | null, successor: string | null }) => [m.version, m.daysToSunset, m.successor]), [
    ['2019-01-01', 0, '2020-01-01'], ['2020-01-01', 0, '2022-01-01'], ['2022-01-01', null, '2023-01-01'], ['2023-01-01', 30, '2024-06-01']
  ])
  t.match(report.migration[3], { clients: 4, warned: 1, moved: 1, warnedNotMoved: 0 })
  t.same(report.contactFirst.map((c: { client: string }) => c.client), ['gone', 'a-soon', 'b-soon', 'm-soon', 'z-soon', 'c-old', '<b>old</b>'],
    'the sunset first, then by days to the sunset, the busiest first, then by name; no sunset set last, the busiest first')
  t.match(report.contactFirst[4], { requests: 0, warnedAt: null, daysToSunset: 30 })

  const page = (await http(app, '/api-versions/docs')).body
  t.match(page, /<code>&lt;b&gt;old&lt;\/b&gt;<\/code>/, 'client keys are escaped')
  t.match(page, /<td>not set<\/td>/)
  t.match(page, /<td>passed<\/td>/)
  t.match(page, /<td>30 days<\/td><td><code>2024-06-01<\/code><\/td>/)
  t.match(page, /<td>never<\/td>/)
  t.match(page, /<span class="trend growing">↑ growing<\/span>/)
  t.match(page, /<span class="trend declining">↓ declining<\/span>/)
  t.match(page, /<span class="clients">1 client<\/span>/)
  t.match(page, /<rect class="bar series-3" data-version="2024-06-01" data-day="2025-06-01" [^>]*><title>2025-06-01 · 2024-06-01: 25 of 41 requests \(61%\)<\/title>/)
  t.equal((page.match(/<text class="axis day"/g) ?? []).length, 5, 'a day label every week, the last one today')
})

t.test('a deprecated latest version has nowhere to move to; nothing used yet shows empty parts', async t => {
  const app = await reportApp(craftedStore([client('acme', '2022-01-01', { '2022-01-01': 1 })], {}), [{ version: '2022-01-01', deprecated: '2024-01-01' }])
  t.teardown(() => app.close())
  const report = (await http(app, '/api-versions/usage.json')).json()
  t.match(report.migration, [{ version: '2022-01-01', successor: null }])
  t.match(report.versions, [{ version: '2022-01-01', share: 0, trend: 'steady', requests: 0 }])
  t.match((await http(app, '/api-versions/docs')).body, /<td>–<\/td>/)

  const fresh = await reportApp(memoryUsageStore(), [{ version: '2022-01-01' }])
  t.teardown(() => fresh.close())
  const page = (await http(fresh, '/api-versions/docs')).body
  t.match(page, /No version is deprecated or sunset: nobody has to move\./)
  t.match(page, /No client is on a deprecated or sunset version\./)
  t.match(page, /Clients: <strong data-count="total">0<\/strong> · migrated <strong data-count="migrated">0<\/strong> \(0%\)/)
})

t.test('the memory store merges facts: earliest first warning, latest version, 62 days kept', async t => {
  const store = memoryUsageStore()
  store.write({ clients: [client('acme', '2024-06-01', { '2024-06-01': 1 }, { '2023-01-01': { at: 5, kind: 'deprecation' } })], days: {}, pins: {} })
  // Written later by another instance, about earlier requests.
  store.write({ clients: [{ ...client('acme', '2023-01-01', { '2023-01-01': 2 }, { '2023-01-01': { at: 3, kind: 'sunset' }, '2022-01-01': { at: 9, kind: 'deprecation' } }), firstSeen: 1, lastSeen: 2 }], days: {}, pins: {} })
  t.match((store.clients() as ClientFacts[])[0], { firstSeen: 1, lastSeen: now - DAY, lastVersion: '2024-06-01', versions: { '2024-06-01': 1, '2023-01-01': 2 }, warnings: { '2023-01-01': { at: 3, kind: 'sunset' }, '2022-01-01': { at: 9 } } })
  const days = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10), { '2024-06-01': 1 }]))
  store.write({ clients: [], days, pins: {} })
  t.same(Object.keys(store.days(Object.keys(days))), Object.keys(days).slice(-62))
})

t.test('alerts remember a bounded number of clients', async t => {
  const alerts: Array<string | null> = []
  const timeline = new Timeline([{ version: '2022-01-01', index: 0, changes: [], versionChanges: [], preview: false, releasedAt: 0, deprecatedAt: 1, sunsetAt: undefined }], 'UTC')
  const alert = createAlerts({ onAlert: a => { alerts.push(a.client) }, alertInterval: DAY, alertBeforeSunset: 30, onFailure: () => {} })
  const version = timeline.versions[0]!
  const snapshot = timeline.snapshotAt(now)
  for (let i = 0; i <= 100_000; i++) alert(`c${i}`, version, snapshot, now)
  alert('c0', version, snapshot, now)
  // The callback runs once the response is written, in the next turn of the event loop.
  await new Promise(resolve => setImmediate(resolve))
  t.equal(alerts.length, 100_002, 'past 100,000 pairs the memory starts over, so c0 is alerted again')
  t.match(alerts.at(-1), 'c0')
})

t.test('pending usage past its bound is flushed without waiting for the timer', async t => {
  const written: number[] = []
  const recorder = new UsageRecorder({ store: { ...craftedStore([], {}), write: batch => { written.push(batch.clients.length) } }, flushInterval: 3_600_000, storeTimeout: 100, maxPending: 2, onStoreFailure: () => {} })
  recorder.record('a', '2024-06-01', 'active', '2025-06-01', now)
  t.same(written, [])
  recorder.record('b', '2024-06-01', 'active', '2025-06-01', now)
  await recorder.close()
  t.same(written, [2])
})
