import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { memoryUsageStore, type DateVersioningOptions, type UsageStore } from '../lib/index.js'
import { CLIENT, clientId, collectLogs, http } from './helpers.js'

/**
 * Automatic pinning (Stripe's model) over real HTTP: a client is pinned to the version its first
 * request without the header is served; later requests without the header get the pin, the header
 * still wins per request, and the pin can be read and moved. A store that hangs or throws never
 * fails a request, nor slows it beyond the default version's time limit.
 */

const timeline: DateVersioningOptions['versions'] = [
  { version: '2022-05-18' },
  { version: '2024-03-01' },
  { version: '2025-09-01' }
]

async function pinningApp (usage: Partial<NonNullable<DateVersioningOptions['usage']>>, clock: () => number, logger?: unknown) {
  const app = Fastify({ logger: logger as boolean | undefined })
  await app.register(dateVersioning, { versions: timeline, now: clock, defaultVersionTimeout: 200, usage: { clientId, pin: true, ...usage } })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async request => request.apiVersion)
  return app
}

t.test('a client is pinned at its first request; the header overrides; the pin can be moved', async t => {
  let now = Date.parse('2025-06-01T12:00:00Z')
  const app = await pinningApp({}, () => now)
  t.teardown(() => app.close())
  const get = async (client?: string, version?: string) => (await http(app, '/moves', {
    ...(client === undefined ? {} : { [CLIENT]: client }),
    ...(version === undefined ? {} : { 'api-version': version })
  })).json()

  t.match(await get('acme'), { version: '2024-03-01', source: 'default' }, 'the first request gets the latest release')
  t.match(await get('acme'), { version: '2024-03-01', source: 'pin' }, 'the next one its pin, even before the store has it')
  await app.apiVersions.usage!.flush()
  t.equal(await app.apiVersions.usage!.pinOf('acme'), '2024-03-01')

  now = Date.parse('2025-10-01T12:00:00Z')
  t.match(await get('acme'), { version: '2024-03-01', source: 'pin', requested: null }, 'a release later, acme keeps its version')
  t.match(await get('globex'), { version: '2025-09-01', source: 'default' }, 'a new client gets the new release')
  t.match(await get('acme', '2025-09-01'), { version: '2025-09-01', source: 'header' }, 'the header overrides the pin for that request')
  t.match(await get('acme'), { version: '2024-03-01', source: 'pin' }, 'and only for that request')
  t.match(await get(), { version: '2025-09-01', source: 'default' }, 'a request without a client is never pinned')

  await app.apiVersions.usage!.pin('acme', '2025-09-01')
  t.match(await get('acme'), { version: '2025-09-01', source: 'pin' }, 'the upgrade button moves the pin')
  await t.rejects(app.apiVersions.usage!.pin('acme', '2030-01-01'), { code: 'ERR_API_VERSION_USAGE', message: /pinned to a released version that is not sunset \(now 2022-05-18, 2024-03-01, 2025-09-01\)/ })
  await app.apiVersions.usage!.unpin('acme')
  t.equal(await app.apiVersions.usage!.pinOf('acme'), null)
  t.match(await get('acme'), { version: '2025-09-01', source: 'default' }, 'unpinned, it gets the default and is pinned again')
  t.equal(await app.apiVersions.usage!.pinOf('acme'), '2025-09-01')
})

t.test('pins written by the batch never overwrite a pin already in the store', async t => {
  const store = memoryUsageStore()
  store.setPin('acme', '2022-05-18')
  const app = await pinningApp({ store, clientIds: 'as-given' }, () => Date.parse('2025-06-01T12:00:00Z'))
  t.teardown(() => app.close())
  t.match((await http(app, '/moves', { [CLIENT]: 'acme' })).json(), { version: '2022-05-18', source: 'pin' })
  store.write({ clients: [], days: {}, pins: { acme: '2024-03-01' } })
  t.equal(store.pinOf('acme'), '2022-05-18')
})

t.test('a request without a client id pins nobody', async t => {
  const pins: Array<Record<string, string>> = []
  const store = memoryUsageStore()
  const spy: UsageStore = {
    write: batch => { pins.push(batch.pins); store.write(batch) },
    clients: () => store.clients(),
    days: days => store.days(days),
    pinOf: client => store.pinOf(client),
    setPin: (client, version) => store.setPin(client, version)
  }
  const app = await pinningApp({ store: spy }, () => Date.parse('2025-06-01T12:00:00Z'))
  t.teardown(() => app.close())
  t.match((await http(app, '/moves')).json(), { version: '2024-03-01', source: 'default' })
  t.match((await http(app, '/moves', { [CLIENT]: '' })).json(), { version: '2024-03-01', source: 'default' }, 'an empty id is no id')
  await app.apiVersions.usage!.flush()
  t.same(pins, [{}])
})

/** A store whose every method hangs (`hang`) or throws (`throw`). */
function brokenStore (how: 'hang' | 'throw' | 'reject'): UsageStore & { calls: number } {
  const broken = (): never => {
    store.calls++
    if (how === 'throw') throw new Error('store down')
    return (how === 'hang' ? new Promise(() => {}) : Promise.reject(new Error('store down'))) as never
  }
  const store = { calls: 0, write: broken, clients: broken, days: broken, pinOf: broken, setPin: broken }
  return store
}

for (const how of ['hang', 'throw', 'reject'] as const) {
  t.test(`a store that ${how}s: requests are served the default within the time limit, in parallel`, async t => {
    const { lines, logger } = collectLogs()
    const store = brokenStore(how)
    const app = await pinningApp({ store, storeTimeout: 100, flushInterval: 50 }, () => Date.parse('2025-06-01T12:00:00Z'), logger)
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => http(app, '/moves', { [CLIENT]: `client-${i}` })))
    t.same(answers.map(a => a.status), Array(20).fill(200))
    t.same(new Set(answers.map(a => JSON.stringify(a.json()))), new Set([JSON.stringify({ version: '2024-03-01', requested: null, source: 'default', status: 'active' })]))
    t.same((await http(app, '/moves', { [CLIENT]: 'x', 'api-version': '2022-05-18' })).json().source, 'header', 'a request with the header never reads the store')
    await app.close()
    t.ok(store.calls >= 21, 'the store was asked for every pin and written on close')
    const warnings = lines.filter(l => l.msg.startsWith('fastify-date-versioning: the usage store failed or answered late'))
    t.equal(warnings.length, 1, 'reported once a minute at most, not once per request')
    t.match(warnings[0]!.err!.message, how === 'hang' ? /the usage store did not answer within 200 ms/ : /store down/)
  })
}

t.test('a pin in the store that is not a date is reported and the default applies; nothing is pinned over it', async t => {
  const { lines, logger } = collectLogs()
  const store = memoryUsageStore()
  store.setPin('acme', 'soon')
  const app = await pinningApp({ store, clientIds: 'as-given' }, () => Date.parse('2025-06-01T12:00:00Z'), logger)
  t.teardown(() => app.close())
  t.match((await http(app, '/moves', { [CLIENT]: 'acme' })).json(), { version: '2024-03-01', source: 'default' })
  await app.apiVersions.usage!.flush()
  t.equal(store.pinOf('acme'), 'soon')
  t.match(lines[0]!.err!.message, /holds the pin "soon", which is not a date/)
})
