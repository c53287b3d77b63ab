import Fastify from 'fastify'
import t from 'tap'
import dateVersioning from '../lib/index.js'

// In America/Santiago, daylight saving time starts at midnight: on 2023-09-03 and 2030-09-08 the
// clock jumps from 23:59:59 to 01:00, so those days begin at 01:00 (-03). The days after them begin
// at midnight again. test/model.test.ts generates such zones; these are the two cases it found.

const zone = 'America/Santiago'

t.test('the day after a day that began at 01:00 begins at midnight: its date is today from 00:00', async t => {
  const clock = { now: Date.parse('2023-09-03T15:00:00Z') }
  const app = Fastify()
  await app.register(dateVersioning, { versions: [{ version: '2023-01-01' }], timeZone: zone, now: () => clock.now })
  app.get('/moves', { constraints: { apiVersion: '2023-01-01' } }, async () => 'moves')
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/moves', headers: { 'api-version': '2023-09-03' } })).statusCode, 200, 'at noon on 2023-09-03, that date is today')
  clock.now = Date.parse('2023-09-04T03:30:00Z') // 00:30 on 2023-09-04 in Santiago (-03)
  const res = await app.inject({ url: '/moves', headers: { 'api-version': '2023-09-04' } })
  t.same([res.statusCode, res.headers['api-version']], [200, '2023-01-01'], 'at 00:30 on 2023-09-04, that date is today, not a future date')
})

t.test('a lifecycle date counted from a release on a day that began at 01:00 begins at the start of its own day', async t => {
  const app = Fastify()
  await app.register(dateVersioning, {
    versions: [{ version: '2029-01-01' }, { version: '2030-09-08' }],
    lifecycle: { sunsetAfter: 'P1Y' },
    timeZone: zone,
    now: () => Date.parse('2030-10-01T12:00:00Z')
  })
  app.get('/moves', { constraints: { apiVersion: '2029-01-01' } }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/moves', headers: { 'api-version': '2029-06-01' } })
  // One year after 2030-09-08 is 2031-09-08, which begins at midnight (-03): 03:00 UTC, not 01:00 local.
  t.equal(res.headers.sunset, 'Mon, 08 Sep 2031 03:00:00 GMT')
})

// In America/Havana daylight saving time ends at 01:00, which becomes 00:00 again: on 2031-11-02
// midnight comes twice, at 04:00 UTC (-04) and 05:00 UTC (-05). The date begins at the first one.
t.test('a date whose midnight comes twice begins at the first one', async t => {
  const clock = { now: Date.parse('2031-11-02T04:30:00Z') } // 00:30 (-04), the first half hour of 2031-11-02
  const app = Fastify()
  await app.register(dateVersioning, {
    versions: [{ version: '2031-01-01', deprecated: '2031-11-02' }, { version: '2031-11-02' }],
    timeZone: 'America/Havana',
    now: () => clock.now
  })
  app.get('/moves', { constraints: { apiVersion: '2031-01-01' } }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/moves', headers: { 'api-version': '2031-11-02' } })
  t.same([res.statusCode, res.headers['api-version']], [200, '2031-11-02'], 'the version released on 2031-11-02 is served from the first midnight')
  t.equal(app.apiVersions.get('2031-01-01')?.deprecated, '2031-11-02T04:00:00.000Z', 'a deprecation dated 2031-11-02 starts at the first midnight')
  clock.now = Date.parse('2031-11-01T12:00:00Z')
  const before = await app.inject({ url: '/moves', headers: { 'api-version': '2031-11-02' } })
  t.equal(before.statusCode, 501, 'the day before, the version of 2031-11-02 is not released yet (a preview)')
  clock.now = Date.parse('2031-11-02T04:00:00Z')
  t.equal((await app.inject({ url: '/moves', headers: { 'api-version': '2031-11-02' } })).statusCode, 200, 'at the first midnight, crossed from the day before, it is today')
})
