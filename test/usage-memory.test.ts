import t from 'tap'
import { memoryUsageStore, type ClientFacts } from '../lib/index.js'
import { settledHeap } from './helpers.js'

/**
 * The memory store stays bounded however many clients call: 1,000,000 distinct client ids go
 * through it, and the heap it holds stays that of its `maxClients` most recent clients. Prints the
 * figures (bytes per client kept, heap after a full store and after a million ids).
 */

const MAX = 100_000
const TOTAL = 1_000_000
const BATCH = 10_000

/** The facts of one request of client number `n`, as a flush hands them over (hashed ids are 22 characters). */
function facts (n: number): ClientFacts {
  const seen = 1_750_000_000_000 + n
  return { client: `client-${String(n).padStart(15, '0')}`, firstSeen: seen, lastSeen: seen, lastVersion: '2024-03-01', versions: { '2024-03-01': 1 }, warnings: {} }
}

function writeClients (store: ReturnType<typeof memoryUsageStore>, from: number, to: number): void {
  for (let start = from; start < to; start += BATCH) {
    const clients: ClientFacts[] = []
    for (let n = start; n < Math.min(start + BATCH, to); n++) clients.push(facts(n))
    store.write({ clients, days: {}, pins: Object.fromEntries(clients.map(c => [c.client, '2024-03-01'])) })
  }
}

t.test('the heap stays bounded over 1,000,000 distinct client ids', async t => {
  const before = await settledHeap()
  const store = memoryUsageStore({ maxClients: MAX })
  writeClients(store, 0, MAX)
  const full = await settledHeap() - before
  writeClients(store, MAX, TOTAL)
  const after = await settledHeap() - before
  t.equal((store.clients() as ClientFacts[]).length, MAX, 'the store keeps maxClients clients')
  t.equal(store.pinOf(facts(0).client), undefined, 'the oldest client and its pin are gone')
  t.equal(store.pinOf(facts(TOTAL - 1).client), '2024-03-01')
  const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1)
  t.comment(`memory store, ${MAX} clients with pins: ${mb(full)} MB (${Math.round(full / MAX)} bytes per client); after ${TOTAL} distinct ids: ${mb(after)} MB`)
  t.ok(after < full * 1.25, `ten times the clients, about the same heap (${mb(full)} MB full, ${mb(after)} MB after a million ids)`)
})
