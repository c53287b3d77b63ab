import t from 'tap'
import { memoryUsageStore, type ClientFacts } from '../lib/index.js'
import { settledHeap } from './helpers.js'

/**
 * The memory store stays bounded however many clients call: ten times its `maxClients` distinct
 * client ids go through it, and the heap it holds stays that of its most recent clients. Prints the
 * figures. The same measure over 1,000,000 ids is `node --expose-gc bench/usage-memory.mjs` (a
 * million writes take too long for the test suite on a loaded machine).
 */

const MAX = 20_000
const TOTAL = 200_000
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

t.test('the heap stays bounded over ten times maxClients distinct client ids', async t => {
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
  t.ok(after < full * 1.25, `ten times the clients, about the same heap (${mb(full)} MB full, ${mb(after)} MB after ${TOTAL} ids)`)
})
