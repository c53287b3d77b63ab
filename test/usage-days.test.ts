import Fastify from 'fastify'
import t from 'tap'
import dateVersioning, { memoryUsageStore, type DateVersioningOptions } from '../lib/index.js'

/**
 * Each request counts on the day (in the configured zone) of the moment its response is sent, while
 * the clock moves across midnight, across a version's release, and back, between two writes to the
 * store and across them.
 */

const timeline: DateVersioningOptions['versions'] = [
  { version: '2022-05-18' },
  { version: '2025-06-02' }
]

async function countingApp (clock: () => number, pin: boolean) {
  const store = memoryUsageStore()
  const app = Fastify()
  await app.register(dateVersioning, {
    versions: timeline,
    now: clock,
    timeZone: 'Europe/Paris',
    usage: { clientId: request => request.headers['x-client-id'] as string | undefined, clientIds: 'as-given', pin, store }
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async request => request.apiVersion)
  return { app, store }
}

for (const pin of [false, true]) {
  t.test(`requests count on the day their response is sent${pin ? ', with pinning' : ''}`, async t => {
    let now = Date.parse('2025-06-01T21:59:00Z') // 23:59 in Paris
    const { app, store } = await countingApp(() => now, pin)
    t.teardown(() => app.close())
    const send = async (version?: string) => app.inject({ url: '/moves', headers: { 'x-client-id': 'acme', ...(version === undefined ? {} : { 'api-version': version }) } })

    await send('2022-05-18')
    await send('2022-05-18')
    now = Date.parse('2025-06-01T22:01:00Z') // 00:01 on 2 June in Paris: 2025-06-02 is released
    await send('2022-05-18')
    await send('2025-06-02')
    now = Date.parse('2025-06-01T21:59:30Z') // the clock steps back before midnight
    await send('2022-05-18')
    await app.apiVersions.usage!.flush()
    now = Date.parse('2025-06-02T10:00:00Z')
    await send('2025-06-02')
    await app.apiVersions.usage!.flush()

    t.same(store.days(['2025-06-01', '2025-06-02']), {
      '2025-06-01': { '2022-05-18': 3 },
      '2025-06-02': { '2022-05-18': 1, '2025-06-02': 2 }
    })
    t.match(store.clients(), [{ client: 'acme', lastVersion: '2025-06-02', versions: { '2022-05-18': 4, '2025-06-02': 2 } }])
  })
}
