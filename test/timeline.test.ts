import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { type ApiVersions, type DateVersioningOptions } from '../lib/index.js'
import { build, http, versions } from './helpers.js'

// The timeline as `fastify.apiVersions` shows it, read under a clock the tests move forward and
// backward: every read must reflect the clock at the time of the read.

/** A clock set to `iso`, which the test moves both ways. */
function clock (iso: string) {
  let current = Date.parse(iso)
  return {
    now: () => current,
    set (to: string) { current = Date.parse(to) },
    shift (milliseconds: number) { current += milliseconds }
  }
}

async function timeline (options: DateVersioningOptions): Promise<ApiVersions> {
  const app = Fastify()
  await app.register(dateVersioning, options)
  return app.apiVersions
}

const statusOf = (api: ApiVersions, version: string) => api.get(version)?.status

t.test('lists every declared version, oldest first, with its lifecycle now', async t => {
  const api = await timeline({ versions, now: clock('2025-06-01T12:00:00Z').now })
  t.equal(api.header, 'Api-Version')
  t.same(api.versions, [
    { version: '2021-01-01', status: 'sunset', changes: [], deprecated: null, sunset: '2022-01-01T00:00:00.000Z', successor: '2022-05-18' },
    { version: '2022-05-18', status: 'active', changes: ['First release'], deprecated: null, sunset: null, successor: '2023-01-10' },
    { version: '2023-01-10', status: 'deprecated', changes: [], deprecated: '2024-01-01T00:00:00.000Z', sunset: '2026-06-30T23:59:59.000Z', successor: '2024-03-01' },
    { version: '2024-03-01', status: 'active', changes: ['`name` split into `firstName` and `lastName`'], deprecated: null, sunset: null, successor: null },
    { version: '2027-01-15', status: 'preview', changes: [], deprecated: null, sunset: null, successor: null }
  ])
  t.equal(api.latest, '2024-03-01')
  t.equal(api.oldest, '2022-05-18')
})

t.test('get', async t => {
  const api = await timeline({ versions, now: clock('2025-06-01T12:00:00Z').now })
  t.same(api.get('2022-05-18'), { version: '2022-05-18', status: 'active', changes: ['First release'], deprecated: null, sunset: null, successor: '2023-01-10' })
  t.equal(api.get('2023-06-01'), null, 'a date between two versions is not a version')
  t.equal(api.get('2020-01-01'), null)
  t.equal(api.get('2030-01-01'), null)
  t.equal(api.get('2023-1-10'), null, 'a malformed date')
  t.equal(api.get(''), null)
})

t.test('changes are exposed as declared', async t => {
  const changes = ['`amount` is an integer number of cents', 'GET /refunds is paginated']
  const api = await timeline({ versions: [{ version: '2022-01-01' }, { version: '2023-01-01', changes }], now: clock('2025-06-01T00:00:00Z').now })
  t.same(api.get('2023-01-01')?.changes, changes)
  t.same(api.get('2022-01-01')?.changes, [], 'none declared: an empty list')
  t.same(api.versions.map(v => v.changes.length), [0, 2])
})

t.test('previews', async t => {
  t.test('a declared preview stays a preview after its date', async t => {
    const time = clock('2025-06-01T12:00:00Z')
    const api = await timeline({ versions, now: time.now })
    t.equal(statusOf(api, '2027-01-15'), 'preview')
    time.set('2030-01-01T00:00:00Z')
    t.equal(statusOf(api, '2027-01-15'), 'preview')
    t.equal(api.latest, '2024-03-01', 'latest skips the preview')
  })

  t.test('a version dated in the future is a preview until the start of its day (UTC)', async t => {
    const time = clock('2025-06-30T23:59:59.999Z')
    const api = await timeline({ versions: [{ version: '2024-01-01' }, { version: '2025-07-01' }], now: time.now })
    t.equal(statusOf(api, '2025-07-01'), 'preview')
    t.equal(api.latest, '2024-01-01')
    time.shift(1)
    t.equal(statusOf(api, '2025-07-01'), 'active', 'released at 2025-07-01T00:00:00Z')
    t.equal(api.latest, '2025-07-01')
    time.shift(-1)
    t.equal(statusOf(api, '2025-07-01'), 'preview', 'and a preview again when the clock goes back')
    t.equal(api.latest, '2024-01-01')
  })

  t.test('a version dated in the future is released at the start of its day in timeZone', async t => {
    // 2024-03-10 is the day New York moves to summer time, at 02:00 local: its midnight is still EST (UTC-5).
    const time = clock('2024-03-10T04:59:59.999Z')
    const api = await timeline({ versions: [{ version: '2024-01-01' }, { version: '2024-03-10' }], timeZone: 'America/New_York', now: time.now })
    t.equal(statusOf(api, '2024-03-10'), 'preview', 'still 2024-03-09 in New York')
    time.shift(1)
    t.equal(statusOf(api, '2024-03-10'), 'active', 'midnight in New York: 2024-03-10T05:00:00Z')
    t.equal(api.latest, '2024-03-10')

    const utc = await timeline({ versions: [{ version: '2024-01-01' }, { version: '2024-03-10' }], now: clock('2024-03-10T04:59:59.999Z').now })
    t.equal(statusOf(utc, '2024-03-10'), 'active', 'the same instant is already 2024-03-10 in UTC')
  })
})

t.test('deprecation and sunset', async t => {
  t.test('a version is deprecated from exactly its deprecation instant', async t => {
    const time = clock('2024-06-01T11:59:59.999Z')
    const api = await timeline({ versions: [{ version: '2022-01-01', deprecated: '2024-06-01T12:00:00Z' }, { version: '2023-01-01' }], now: time.now })
    t.equal(statusOf(api, '2022-01-01'), 'active', '1 ms before')
    time.shift(1)
    t.equal(statusOf(api, '2022-01-01'), 'deprecated', 'at the instant')
    t.equal(api.oldest, '2022-01-01', 'a deprecated version is still supported')
    time.shift(-1)
    t.equal(statusOf(api, '2022-01-01'), 'active', 'back before the instant')
  })

  t.test('a version is sunset from exactly its sunset instant', async t => {
    const time = clock('2026-06-30T23:59:58.999Z')
    const api = await timeline({ versions, now: time.now })
    t.equal(statusOf(api, '2023-01-10'), 'deprecated', '1 ms before')
    t.equal(api.resolve('2023-06-01').outcome, 'serve')
    time.shift(1)
    t.equal(statusOf(api, '2023-01-10'), 'sunset', 'at the instant')
    t.match(api.resolve('2023-06-01'), { outcome: 'error', code: 'ApiVersionSunset', version: { version: '2023-01-10', status: 'sunset' } })
    time.shift(-1)
    t.equal(statusOf(api, '2023-01-10'), 'deprecated', 'back before the instant')
    t.equal(api.resolve('2023-06-01').outcome, 'serve')
  })

  t.test('YYYY-MM-DD lifecycle dates begin at midnight in timeZone, across daylight saving changes', async t => {
    // New York: 2024-03-10 00:00 is EST (UTC-5), 2024-11-03 00:00 is still EDT (UTC-4).
    const time = clock('2024-03-10T04:59:59.999Z')
    const api = await timeline({
      versions: [{ version: '2023-01-01', deprecated: '2024-03-10', sunset: '2024-11-03' }, { version: '2024-03-10' }],
      timeZone: 'America/New_York',
      now: time.now
    })
    t.match(api.get('2023-01-01'), { deprecated: '2024-03-10T05:00:00.000Z', sunset: '2024-11-03T04:00:00.000Z' })
    t.equal(statusOf(api, '2023-01-01'), 'active')
    t.equal(api.latest, '2023-01-01')
    time.set('2024-03-10T05:00:00.000Z')
    t.equal(statusOf(api, '2023-01-01'), 'deprecated')
    t.equal(statusOf(api, '2024-03-10'), 'active')
    t.equal(api.latest, '2024-03-10')
    time.set('2024-11-03T03:59:59.999Z')
    t.equal(statusOf(api, '2023-01-01'), 'deprecated')
    t.equal(api.oldest, '2023-01-01')
    time.shift(1)
    t.equal(statusOf(api, '2023-01-01'), 'sunset')
    t.equal(api.oldest, '2024-03-10')
    time.set('2024-03-10T04:00:00.000Z')
    t.same(api.versions.map(v => v.status), ['active', 'preview'], 'all the way back')
  })

  t.test('instants with an offset, and Dates, are taken as written whatever the timeZone', async t => {
    const api = await timeline({
      versions: [{ version: '2023-01-01', deprecated: new Date('2024-05-01T10:00:00Z'), sunset: '2024-11-03T01:30:00-04:00' }],
      timeZone: 'Asia/Tokyo',
      now: clock('2024-01-01T00:00:00Z').now
    })
    t.match(api.get('2023-01-01'), { deprecated: '2024-05-01T10:00:00.000Z', sunset: '2024-11-03T05:30:00.000Z' })
  })

  t.test('a now option returning a Date works', async t => {
    let current = new Date('2026-06-30T23:59:58.999Z')
    const api = await timeline({ versions, now: () => current })
    t.equal(statusOf(api, '2023-01-10'), 'deprecated')
    current = new Date('2026-06-30T23:59:59.000Z')
    t.equal(statusOf(api, '2023-01-10'), 'sunset')
    t.equal(api.oldest, '2022-05-18')
  })
})

t.test('lifecycle policy', async t => {
  const lifecycle = { deprecateAfter: 'P2Y', sunsetAfter: 'P3Y' }

  t.test('fills deprecated and sunset from the successor\'s release; the latest version gets none', async t => {
    const api = await timeline({
      versions: [{ version: '2020-01-01' }, { version: '2022-02-01' }, { version: '2023-03-01' }],
      lifecycle,
      now: clock('2025-06-01T00:00:00Z').now
    })
    t.same(api.versions.map(({ version, status, deprecated, sunset }) => ({ version, status, deprecated, sunset })), [
      { version: '2020-01-01', status: 'sunset', deprecated: '2024-02-01T00:00:00.000Z', sunset: '2025-02-01T00:00:00.000Z' },
      { version: '2022-02-01', status: 'deprecated', deprecated: '2025-03-01T00:00:00.000Z', sunset: '2026-03-01T00:00:00.000Z' },
      { version: '2023-03-01', status: 'active', deprecated: null, sunset: null }
    ])
  })

  t.test('explicit dates win over the policy, field by field', async t => {
    const api = await timeline({
      versions: [
        { version: '2020-01-01', deprecated: '2021-01-01' },
        { version: '2020-06-01', sunset: '2030-01-01' },
        { version: '2022-01-01' }
      ],
      lifecycle,
      now: clock('2025-06-01T00:00:00Z').now
    })
    t.match(api.get('2020-01-01'), { deprecated: '2021-01-01T00:00:00.000Z', sunset: '2023-06-01T00:00:00.000Z' })
    t.match(api.get('2020-06-01'), { deprecated: '2024-01-01T00:00:00.000Z', sunset: '2030-01-01T00:00:00.000Z' })
  })

  t.test('a declared preview is not a successor', async t => {
    const api = await timeline({
      versions: [{ version: '2020-01-01' }, { version: '2021-06-15', preview: true }, { version: '2022-02-01' }],
      lifecycle,
      now: clock('2023-01-01T00:00:00Z').now
    })
    t.match(api.get('2020-01-01'), { successor: '2022-02-01', deprecated: '2024-02-01T00:00:00.000Z', sunset: '2025-02-01T00:00:00.000Z' })
    t.match(api.get('2022-02-01'), { successor: null, deprecated: null, sunset: null })
  })

  t.test('a declared preview gets no lifecycle dates from the policy', async t => {
    const api = await timeline({
      versions: [{ version: '2020-01-01' }, { version: '2021-06-15', preview: true }, { version: '2022-02-01' }],
      lifecycle,
      now: clock('2023-01-01T00:00:00Z').now
    })
    t.match(api.get('2021-06-15'), { status: 'preview', deprecated: null, sunset: null })
  })

  t.test('durations are added in the calendar of timeZone', async t => {
    // 2024-03-10 begins at 05:00Z (EST); 18 months later, 2025-09-10 begins at 04:00Z (EDT).
    const api = await timeline({
      versions: [{ version: '2024-01-01' }, { version: '2024-03-10' }],
      lifecycle: { deprecateAfter: 'P18M' },
      timeZone: 'America/New_York',
      now: clock('2025-01-01T00:00:00Z').now
    })
    t.match(api.get('2024-01-01'), { deprecated: '2025-09-10T04:00:00.000Z', sunset: null })
  })

  t.test('a scheduled successor announces the deprecation ahead of its release', async t => {
    const time = clock('2025-06-01T00:00:00Z')
    const api = await timeline({ versions: [{ version: '2024-01-01' }, { version: '2026-01-01' }], lifecycle, now: time.now })
    t.match(api.get('2024-01-01'), { status: 'active', deprecated: '2028-01-01T00:00:00.000Z', sunset: '2029-01-01T00:00:00.000Z' })
    time.set('2028-01-01T00:00:00Z')
    t.equal(statusOf(api, '2024-01-01'), 'deprecated')
  })
})

t.test('successor', async t => {
  t.test('a scheduled version is not reported as the successor before its release', async t => {
    const time = clock('2025-06-01T00:00:00Z')
    const api = await timeline({ versions: [{ version: '2024-01-01' }, { version: '2026-01-01' }], now: time.now })
    t.equal(api.get('2024-01-01')?.successor, null)
    time.set('2026-01-01T00:00:00Z')
    t.equal(api.get('2024-01-01')?.successor, '2026-01-01')
  })
})

t.test('latest and oldest', async t => {
  t.test('skip previews and sunset versions', async t => {
    const time = clock('2025-06-01T12:00:00Z')
    const api = await timeline({ versions, now: time.now })
    t.equal(api.latest, '2024-03-01')
    t.equal(api.oldest, '2022-05-18')
    time.set('2021-06-01T00:00:00Z')
    t.equal(api.latest, '2021-01-01')
    t.equal(api.oldest, '2021-01-01')
    time.set('2026-07-01T00:00:00Z')
    t.equal(api.oldest, '2022-05-18')
  })

  t.test('are null while nothing is released', async t => {
    const time = clock('2025-06-01T00:00:00Z')
    const api = await timeline({ versions: [{ version: '2026-01-01' }, { version: '2027-01-01', preview: true }], now: time.now })
    t.equal(api.latest, null)
    t.equal(api.oldest, null)
    t.same(api.versions.map(v => v.status), ['preview', 'preview'])
    time.set('2026-01-01T00:00:00Z')
    t.equal(api.latest, '2026-01-01')
    t.equal(api.oldest, '2026-01-01')
  })

  t.test('are null once everything is sunset', async t => {
    const api = await timeline({ versions: [{ version: '2020-01-01', sunset: '2021-01-01' }, { version: '2021-01-01', sunset: '2022-01-01' }], now: clock('2025-06-01T00:00:00Z').now })
    t.equal(api.latest, null)
    t.equal(api.oldest, null)
  })
})

t.test('resolve applies the resolution table', async t => {
  const time = clock('2025-06-01T12:00:00Z')
  const api = await timeline({ versions, now: time.now })

  t.test('serves the floor version', async t => {
    t.match(api.resolve('2023-06-01'), { outcome: 'serve', version: { version: '2023-01-10', status: 'deprecated' } })
    t.match(api.resolve('2022-05-18'), { outcome: 'serve', version: { version: '2022-05-18', status: 'active' } })
    t.match(api.resolve('2025-06-01'), { outcome: 'serve', version: { version: '2024-03-01' } }, 'today')
    t.match(api.resolve(' 2024-03-01 '), { outcome: 'serve', version: { version: '2024-03-01' } }, 'surrounding whitespace aside')
  })

  t.test('a floor that is a preview resolves to preview', async t => {
    t.match(api.resolve('2027-01-15'), { outcome: 'preview', version: { version: '2027-01-15', status: 'preview' } })
    t.match(api.resolve('2031-01-01'), { outcome: 'preview', version: { version: '2027-01-15' } }, 'a later date still floors to the preview')
    const scheduled = await timeline({ versions: [{ version: '2024-01-01' }, { version: '2025-07-01' }], now: clock('2025-06-01T00:00:00Z').now })
    t.match(scheduled.resolve('2025-07-01'), { outcome: 'preview', version: { version: '2025-07-01', status: 'preview' } }, 'a scheduled version')
  })

  t.test('a malformed date is InvalidApiVersion', async t => {
    for (const value of ['2023-02-30', '2023-13-01', '2023-1-5', 'latest', '', '20230601', '2023-06-01, 2024-03-01', '2023-06-01T00:00:00Z']) {
      t.same(api.resolve(value), { outcome: 'error', code: 'InvalidApiVersion', version: null }, JSON.stringify(value))
    }
  })

  t.test('a date before the first version is UnsupportedApiVersion', async t => {
    t.same(api.resolve('2020-12-31'), { outcome: 'error', code: 'UnsupportedApiVersion', version: null })
  })

  t.test('a future date whose floor is not a preview is UnsupportedApiVersion', async t => {
    t.same(api.resolve('2025-06-02'), { outcome: 'error', code: 'UnsupportedApiVersion', version: null })
    t.same(api.resolve('2027-01-14'), { outcome: 'error', code: 'UnsupportedApiVersion', version: null })
  })

  t.test('"today" is the date in timeZone', async t => {
    // 2024-11-03T03:30Z is still 2 November in New York.
    const time = clock('2024-11-03T03:30:00Z')
    const newYork = await timeline({ versions: [{ version: '2024-01-01' }], timeZone: 'America/New_York', now: time.now })
    t.match(newYork.resolve('2024-11-03'), { outcome: 'error', code: 'UnsupportedApiVersion' })
    t.match(newYork.resolve('2024-11-02'), { outcome: 'serve' })
    time.set('2024-11-03T04:00:00Z')
    t.match(newYork.resolve('2024-11-03'), { outcome: 'serve', version: { version: '2024-01-01' } })
  })

  t.test('a floor that is sunset is ApiVersionSunset', async t => {
    t.match(api.resolve('2021-06-01'), { outcome: 'error', code: 'ApiVersionSunset', version: { version: '2021-01-01', status: 'sunset' } })
  })

  t.test('with onSunset: upgrade, a sunset floor serves the first supported version after it', async t => {
    const time = clock('2025-06-01T12:00:00Z')
    const upgrading = await timeline({ versions, onSunset: 'upgrade', now: time.now })
    t.match(upgrading.resolve('2021-06-01'), { outcome: 'serve', version: { version: '2022-05-18', status: 'active' } })
    time.set('2026-07-01T00:00:00Z')
    t.match(upgrading.resolve('2023-06-01'), { outcome: 'serve', version: { version: '2024-03-01' } }, 'an upgrade never goes back to the older 2022-05-18')
    const allSunset = await timeline({ versions: [{ version: '2020-01-01', sunset: '2021-01-01' }], onSunset: 'upgrade', now: time.now })
    t.match(allSunset.resolve('2020-06-01'), { outcome: 'error', code: 'ApiVersionSunset', version: { version: '2020-01-01' } }, 'nothing left to upgrade to')
  })

  t.test('while nothing is released, any past date is before the first version: UnsupportedApiVersion', async t => {
    const unreleased = await timeline({ versions: [{ version: '2026-01-01' }], now: clock('2025-06-01T00:00:00Z').now })
    t.same(unreleased.resolve('2025-06-01'), { outcome: 'error', code: 'UnsupportedApiVersion', version: null })
  })
})

t.test('over HTTP, a request at the exact sunset instant answers 410; 1 ms earlier 200 with Deprecation and Sunset', async t => {
  const time = clock('2026-06-30T23:59:58.999Z')
  const app = await build({ now: time.now })
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ name: 'A B' }))

  const before = await http(app, '/moves', { 'api-version': '2023-06-01' })
  t.equal(before.status, 200)
  t.equal(before.headers['api-version'], '2023-01-10')
  t.equal(before.headers.deprecation, '@1704067200', '2024-01-01T00:00:00Z')
  t.equal(before.headers.sunset, 'Tue, 30 Jun 2026 23:59:59 GMT')
  t.same(before.json(), { name: 'A B' })

  time.shift(1)
  const at = await http(app, '/moves', { 'api-version': '2023-06-01' })
  t.equal(at.status, 410)
  t.match(at.headers['content-type'], /^application\/problem\+json/)
  t.match(at.json(), { status: 410, code: 'ApiVersionSunset', requestedVersion: '2023-06-01', supportedVersions: ['2022-05-18', '2024-03-01'], latestVersion: '2024-03-01' })

  time.shift(-1)
  const again = await http(app, '/moves', { 'api-version': '2023-06-01' })
  t.equal(again.status, 200, 'and 200 again when the clock goes back')
})
