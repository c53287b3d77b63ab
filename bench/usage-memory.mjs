// Heap of the in-memory usage store over 1,000,000 distinct client ids (after `npm run build`):
//   node --expose-gc bench/usage-memory.mjs [--clients=1000000] [--max=100000]
// Prints the heap held with `max` clients (and their pins), then after every id went through;
// exits with 1 if the second is more than 1.25 times the first (the store would not be bounded).
import { memoryUsageStore } from '../dist/index.js'

const option = (name, fallback) => Number(process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const TOTAL = option('clients', 1_000_000)
const MAX = option('max', 100_000)
const BATCH = 10_000

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc')
  process.exit(2)
}

const heap = async () => {
  await new Promise(resolve => setTimeout(resolve, 100))
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

/** The facts of one request of client number `n`, as a flush hands them over. */
const facts = n => ({ client: `client-${String(n).padStart(15, '0')}`, firstSeen: n, lastSeen: n, lastVersion: '2024-03-01', versions: { '2024-03-01': 1 }, warnings: {} })

function write (store, from, to) {
  for (let start = from; start < to; start += BATCH) {
    const clients = []
    for (let n = start; n < Math.min(start + BATCH, to); n++) clients.push(facts(n))
    store.write({ clients, days: {}, pins: Object.fromEntries(clients.map(c => [c.client, '2024-03-01'])) })
  }
}

const before = await heap()
const store = memoryUsageStore({ maxClients: MAX })
write(store, 0, MAX)
const full = await heap() - before
const started = Date.now()
write(store, MAX, TOTAL)
const seconds = (Date.now() - started) / 1000
const after = await heap() - before
const mb = bytes => (bytes / 1_048_576).toFixed(1)
console.log(`memory store, ${MAX} clients with pins: ${mb(full)} MB (${Math.round(full / MAX)} bytes per client)`)
console.log(`after ${TOTAL} distinct client ids: ${mb(after)} MB (${store.clients().length} clients kept; ${Math.round((TOTAL - MAX) / seconds)} clients written per second)`)
process.exit(after > full * 1.25 ? 1 : 0)
