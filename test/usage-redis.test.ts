import { Redis } from 'ioredis'
import t from 'tap'
import { redisUsageStore, type DateVersioningOptions } from '../lib/index.js'
import { build, CLIENT, clientId, http } from './helpers.js'

/**
 * The Redis store against a real redis-server (REDIS_URL; .ci/run starts one): two instances of an
 * API write to one server and share one view of usage and pins. Skipped, and reported so, only
 * outside CI when REDIS_URL is not set; under CI it must run.
 */

const url = process.env.REDIS_URL
const skip = url === undefined && process.env.CI === undefined ? 'REDIS_URL is not set (CI runs .ci/run, which starts redis-server): the Redis store was not tested' : false

t.test('two instances share usage and pins through one Redis server', { skip }, async t => {
  t.ok(url, 'REDIS_URL is set (it must be under CI)')
  const redis = new Redis(url as string)
  const prefix = `fdv-test-${process.pid}-${Date.now()}:`
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  })
  // Each request a second after the one before: the latest request decides a client's version.
  let now = Date.parse('2025-06-01T12:00:00Z')
  const tick = (): number => { now += 1000; return now }
  const instance = async () => {
    const app = await build({ now: () => now, usage: { clientId, clientIds: 'as-given', pin: true, store: redisUsageStore({ client: redis, prefix }), authorize: () => true, flushInterval: 3_600_000 } })
    app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async request => request.apiVersion)
    return app
  }
  const a = await instance()
  const b = await instance()
  t.teardown(() => Promise.all([a.close(), b.close()]))

  const first = tick()
  t.match((await http(a, '/moves', { [CLIENT]: 'acme' })).json(), { version: '2024-03-01', source: 'default' })
  tick()
  await http(a, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })
  tick()
  await http(b, '/moves', { [CLIENT]: 'acme', 'api-version': '2023-01-10' })
  tick()
  await http(b, '/moves', { [CLIENT]: 'globex', 'api-version': '2023-01-10' })
  const last = tick()
  await http(a, '/moves', { [CLIENT]: 'acme', 'api-version': '2024-03-01' })
  await a.apiVersions.usage!.flush()
  await b.apiVersions.usage!.flush()

  t.match((await http(b, '/moves', { [CLIENT]: 'acme' })).json(), { version: '2024-03-01', source: 'pin' }, 'b reads the pin a wrote')
  const report = (await http(b, '/api-versions/usage.json')).json()
  t.same(report.clients, { total: 2, migrated: 1, pending: 1 })
  t.match(report.migration.find((m: { version: string }) => m.version === '2023-01-10'), { clients: 1, warned: 2, moved: 1, warnedNotMoved: 1 })
  const acme = (await a.apiVersions.usage!.report()).contactFirst
  t.same(acme.map(c => c.client), ['globex'])
  t.equal(report.versions.find((v: { version: string }) => v.version === '2023-01-10').daily.at(-1), 3, 'daily counts add up across instances')
  t.equal(report.versions.find((v: { version: string }) => v.version === '2024-03-01').requests, 2)

  const stored = await redis.hgetall(`${prefix}client:acme`)
  t.same(stored, { first: String(first), last: String(last), lv: '2024-03-01', 'v:2024-03-01': '2', 'v:2023-01-10': '2', 'w:2023-01-10': `${first + 1000} deprecation` }, 'the facts kept, and only those')

  await a.apiVersions.usage!.pin('globex', '2022-05-18')
  t.equal(await b.apiVersions.usage!.pinOf('globex'), '2022-05-18', 'a pin moved on one instance is read by the other')
  await b.apiVersions.usage!.unpin('globex')
  t.equal(await a.apiVersions.usage!.pinOf('globex'), null)
})

t.test('the Redis store keeps at most maxClients clients, the least recently seen evicted', { skip }, async t => {
  const redis = new Redis(url as string)
  const prefix = `fdv-test-evict-${process.pid}-${Date.now()}:`
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  })
  const store = redisUsageStore({ client: redis, prefix, maxClients: 2 })
  t.same(await store.clients(), [], 'an empty store')
  const facts = (client: string, seen: number) => ({ client, firstSeen: seen, lastSeen: seen, lastVersion: '2024-03-01', versions: { '2024-03-01': 1 }, warnings: {} })
  await store.write({ clients: [facts('old', 1), facts('mid', 2), facts('new', 3)], days: {}, pins: {} })
  t.same((await store.clients()).map(c => c.client).sort(), ['mid', 'new'])
  t.same(await redis.exists(`${prefix}client:old`), 0, 'the evicted client\'s facts are removed')
  // Evicted by another instance between the read of the set and the read of the hashes.
  await redis.zadd(`${prefix}clients`, 4, 'ghost')
  t.same((await store.clients()).map(c => c.client).sort(), ['mid', 'new'], 'a client without its facts is left out')
  await redis.zrem(`${prefix}clients`, 'ghost')
  await store.write({ clients: [facts('mid', 0)], days: {}, pins: {} })
  t.equal((await store.clients()).find(c => c.client === 'mid')!.lastSeen, 2, 'an older fact never moves last seen back')
})

t.test('redisUsageStore checks its options', async t => {
  t.throws(() => redisUsageStore({} as never), { message: /redisUsageStore needs \{ client \}/ })
  t.throws(() => redisUsageStore(undefined as never), { message: /redisUsageStore needs \{ client \}/ })
  const client = { pipeline: () => ({}) } as never
  t.throws(() => redisUsageStore({ client, prefix: 3 as never }), { message: /prefix must be a string/ })
  t.throws(() => redisUsageStore({ client, maxClients: -1 }), { message: /maxClients must be a positive whole number/ })
})

t.test('a Redis server that is down never fails a request', { skip }, async t => {
  // A port nothing listens on; ioredis retries in the background and fails commands once offline.
  const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false })
  t.teardown(() => redis.disconnect())
  const usage: DateVersioningOptions['usage'] = { clientId, pin: true, store: redisUsageStore({ client: redis }), storeTimeout: 100 }
  const app = await build({ usage, defaultVersionTimeout: 200 })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async request => request.apiVersion)
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { [CLIENT]: 'acme' })
  t.equal(res.status, 200)
  t.match(res.json(), { version: '2024-03-01', source: 'default' })
})
