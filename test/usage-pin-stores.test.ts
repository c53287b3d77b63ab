import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { memoryUsageStore, type DateVersioningOptions, type UsageStore } from '../lib/index.js'
import { CLIENT, clientId, collectLogs, http } from './helpers.js'

/**
 * Pins as each kind of store answers them, over real HTTP. The built-in memory store answers at
 * once, and routing reads its pins without waiting; any other store (an application's own, a
 * subclass of the memory store, a memory store whose pinOf was replaced) may answer with a
 * promise, and its pins are waited for. Whichever it is, a client sees the same versions.
 */

const timeline: DateVersioningOptions['versions'] = [
  { version: '2022-05-18' },
  { version: '2024-03-01' },
  { version: '2025-09-01' }
]
const NOW = Date.parse('2025-06-01T12:00:00Z')

async function pinningApp (store: UsageStore | undefined, logger?: unknown) {
  const app = Fastify({ logger: logger as boolean | undefined })
  await app.register(dateVersioning, {
    versions: timeline,
    now: () => NOW,
    defaultVersionTimeout: 200,
    usage: { clientId, clientIds: 'as-given', pin: true, ...(store === undefined ? {} : { store }) }
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async request => request.apiVersion)
  app.get('/plain', async () => 'plain')
  return app
}

const later = <T>(value: T): Promise<T> => new Promise(resolve => setTimeout(() => { resolve(value) }, 5))

/** A memory store behind an application's own object whose pinOf answers with a promise. */
function promisedStore (): UsageStore {
  const memory = memoryUsageStore()
  return {
    write: batch => memory.write(batch),
    clients: () => memory.clients(),
    days: days => memory.days(days),
    pinOf: async client => await later(memory.pinOf(client)),
    setPin: (client, version) => memory.setPin(client, version)
  }
}

/** A subclass of the memory store whose pinOf answers with a promise. */
function subclassedStore (): UsageStore {
  const Memory = Object.getPrototypeOf(memoryUsageStore()).constructor as new (max: number) => { pinOf (client: string): unknown }
  class Remote extends Memory {
    override pinOf (client: string): Promise<unknown> {
      return later(super.pinOf(client))
    }
  }
  return new Remote(100) as unknown as UsageStore
}

/** A memory store whose pinOf was replaced, on the instance, by one that answers with a promise. */
function replacedStore (): UsageStore {
  const store = memoryUsageStore()
  const pinOf = store.pinOf.bind(store)
  store.pinOf = async client => await later(pinOf(client))
  return store
}

const stores: Record<string, () => UsageStore | undefined> = {
  'the default memory store': () => undefined,
  'a memory store passed in': () => memoryUsageStore(),
  'an application store whose pinOf answers with a promise': promisedStore,
  'a subclass of the memory store whose pinOf answers with a promise': subclassedStore,
  'a memory store whose pinOf was replaced by an async one': replacedStore
}

for (const [name, make] of Object.entries(stores)) {
  t.test(`${name}: pins are written, read and moved`, async t => {
    const app = await pinningApp(make())
    t.teardown(() => app.close())
    const usage = app.apiVersions.usage!
    const get = async (client?: string, version?: string) => {
      const answer = await http(app, '/moves', {
        ...(client === undefined ? {} : { [CLIENT]: client }),
        ...(version === undefined ? {} : { 'api-version': version })
      })
      t.equal(answer.status, 200)
      return answer.json()
    }

    t.same(await get('acme'), { version: '2024-03-01', requested: null, source: 'default', status: 'active' }, 'a store miss: the default, and a pin')
    t.same(await get('acme'), { version: '2024-03-01', requested: null, source: 'pin', status: 'active' }, 'the pin waiting to be written')
    await usage.flush()
    t.same(await get('acme'), { version: '2024-03-01', requested: null, source: 'pin', status: 'active' }, 'the pin read from the store')
    t.match(await get('acme', '2022-05-18'), { version: '2022-05-18', source: 'header' }, 'the header wins')
    t.match(await get(), { version: '2024-03-01', source: 'default' }, 'no client, no pin')

    // Clients pinned to each released version, asked all at once.
    const released = ['2022-05-18', '2024-03-01']
    const clients = Array.from({ length: 30 }, (_, i) => [`client-${i}`, released[i % released.length]!] as const)
    for (const [client, version] of clients) await usage.pin(client, version)
    const answers = await Promise.all(clients.map(([client]) => get(client)))
    t.same(answers.map(a => [a.version, a.source]), clients.map(([, version]) => [version, 'pin']), 'each client its own pin, in parallel')

    await usage.unpin('acme')
    t.match(await get('acme'), { version: '2024-03-01', source: 'default' }, 'unpinned: the default again')
    t.equal((await http(app, '/plain', { [CLIENT]: 'acme' })).body, 'plain', 'a route without versions is untouched')
  })
}

t.test('a memory store holding a pin that is not a date: reported once a minute, the default applies, nothing is pinned over it', async t => {
  const { lines, logger } = collectLogs()
  const store = memoryUsageStore()
  store.setPin('acme', '2024-13-45')
  store.setPin('initech', 'soon')
  const app = await pinningApp(store, logger)
  t.teardown(() => app.close())
  for (const client of ['acme', 'acme', 'initech']) {
    t.same((await http(app, '/moves', { [CLIENT]: client })).json(), { version: '2024-03-01', requested: null, source: 'default', status: 'active' })
  }
  await app.apiVersions.usage!.flush()
  t.equal(store.pinOf('acme'), '2024-13-45')
  t.equal(store.pinOf('initech'), 'soon')
  const warnings = lines.filter(l => l.msg.startsWith('fastify-date-versioning: the usage store failed or answered late'))
  t.equal(warnings.length, 1)
  t.match(warnings[0]!.err!.message, /holds the pin "2024-13-45", which is not a date/)
})

t.test('a memory store whose pinOf was replaced by one that throws: the default applies and the failure is reported', async t => {
  const { lines, logger } = collectLogs()
  const store = memoryUsageStore()
  store.pinOf = () => { throw new Error('pins unavailable') }
  const app = await pinningApp(store, logger)
  t.teardown(() => app.close())
  t.same((await http(app, '/moves', { [CLIENT]: 'acme' })).json(), { version: '2024-03-01', requested: null, source: 'default', status: 'active' })
  t.match(lines.find(l => l.msg.startsWith('fastify-date-versioning: the usage store failed'))?.err?.message, /pins unavailable/)
})
