/**
 * Resolution cost, through the public API: `app.apiVersions.resolve(date)` goes through the same
 * resolver and cache as a request's version header. Then a memory run: a million distinct header
 * values, and the heap growth they leave behind.
 *
 *   node --expose-gc bench/resolution.mjs     (bench/run.mjs runs it so after the HTTP table)
 *
 * Environment: RESOLUTION_SAMPLE_MS (time per sample, default 100).
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import dateVersioning from 'fastify-date-versioning'
import { dailyDates, dayAfter, spreadDates } from './timelines.mjs'

const SAMPLE_MS = Number(process.env.RESOLUTION_SAMPLE_MS ?? 100)
const SAMPLES = 7
/** Distinct malformed values cycled through: far more than the resolver's cache holds. */
const MALFORMED = 1_000_000
const FIRST = '1750-01-01'

// 100,000 daily versions from 1750 end in 2023: every timeline lies in the past, from the same first day.
const LAST = dayAfter(FIRST, 100_000 - 1)
const today = new Date().toISOString().slice(0, 10)

async function appWith (dates, options = {}) {
  const app = Fastify()
  await app.register(dateVersioning, { versions: dates.map(version => ({ version })), ...options })
  await app.ready()
  return app
}

/** Every day from the first version to yesterday: each resolves to a served version, and none repeats within 1,024 lookups. */
function servedDates () {
  const dates = []
  for (let date = FIRST; date < today; date = dayAfter(date, 1)) dates.push(date)
  return dates
}

let sink = 0

/** ns per resolution: the median of SAMPLES timed runs, each about SAMPLE_MS long. */
function measure (apiVersions, inputs) {
  const length = inputs.length
  let next = 0
  const run = (count) => {
    const started = process.hrtime.bigint()
    for (let i = 0; i < count; i++) {
      sink += apiVersions.resolve(inputs[next]).outcome.length
      next = next + 1 === length ? 0 : next + 1
    }
    return Number(process.hrtime.bigint() - started)
  }
  // Warm-up, which also calibrates how many resolutions fill a sample.
  let count = 1000
  while (run(count) < SAMPLE_MS * 1e6 / 4) count *= 2
  count *= 4
  const perResolution = []
  for (let s = 0; s < SAMPLES; s++) perResolution.push(run(count) / count)
  perResolution.sort((a, b) => a - b)
  return { ns: Math.round(perResolution[SAMPLES >> 1]), resolutionsPerSample: count }
}

async function speed () {
  const served = servedDates()
  const malformed = Array.from({ length: MALFORMED }, (_, i) => `v${i}`)
  const timelines = [
    { label: '10 versions', dates: spreadDates(10, FIRST, LAST) },
    { label: '1,000 versions', dates: spreadDates(1000, FIRST, LAST) },
    { label: '100,000 versions', dates: dailyDates(100_000, FIRST) },
    { label: '1,000 versions, reportVersions: true', dates: spreadDates(1000, FIRST, LAST), options: { reportVersions: true } }
  ]
  const rows = []
  for (const { label, dates, options } of timelines) {
    const app = await appWith(dates, options)
    const hotDate = dates[dates.length >> 1]
    if (app.apiVersions.resolve(hotDate).outcome !== 'serve') throw new Error(`${label}: ${hotDate} is not served`)
    rows.push({
      timeline: label,
      hot: measure(app.apiVersions, [hotDate]),
      coldDates: measure(app.apiVersions, served),
      coldMalformed: measure(app.apiVersions, malformed)
    })
    await app.close()
  }
  console.log(`# Resolution cost, ns per app.apiVersions.resolve() (median of ${SAMPLES} samples of ~${SAMPLE_MS} ms)`)
  console.log(`hot: one date, repeated; cold dates: ${served.length.toLocaleString('en-US')} distinct served dates in turn; cold malformed: ${MALFORMED.toLocaleString('en-US')} distinct malformed values in turn\n`)
  console.log('| timeline | hot ns | cold dates ns | cold malformed ns |')
  console.log('|---|---:|---:|---:|')
  for (const row of rows) console.log(`| ${row.timeline} | ${row.hot.ns} | ${row.coldDates.ns} | ${row.coldMalformed.ns} |`)
  return { servedDistinct: served.length, malformedDistinct: MALFORMED, rows }
}

/** The i-th header value of the memory run: alternately a distinct date and a distinct malformed value, some long. */
function headerValue (i) {
  const n = i >> 1
  if ((i & 1) === 0) return dayAfter('1000-01-01', n)
  return n % 10 === 0 ? `${'x'.repeat(100)}${n}` : `not-a-date-${n}`
}

async function memory () {
  if (typeof global.gc !== 'function') {
    console.log('\nmemory run skipped: run with node --expose-gc')
    return null
  }
  const count = 1_000_000
  const app = await appWith(spreadDates(1000, FIRST, LAST))
  const outcomes = { serve: 0, preview: 0, error: 0 }
  app.apiVersions.resolve(headerValue(0))
  global.gc()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < count; i++) outcomes[app.apiVersions.resolve(headerValue(i)).outcome]++
  global.gc()
  const after = process.memoryUsage().heapUsed
  await app.close()
  const growth = after - before
  const mb = growth / 1024 / 1024
  console.log(`\n# Memory: ${count.toLocaleString('en-US')} distinct header values (${outcomes.serve.toLocaleString('en-US')} served, ${outcomes.error.toLocaleString('en-US')} errors)`)
  console.log(`heap growth after gc: ${mb.toFixed(2)} MB (${growth.toLocaleString('en-US')} bytes): ${mb < 10 ? 'under' : 'NOT under'} 10 MB`)
  return { values: count, outcomes, heapUsedBefore: before, heapUsedAfter: after, growthBytes: growth, under10MB: mb < 10 }
}

const results = { date: new Date().toISOString(), node: process.version, speed: await speed(), memory: await memory() }
results.sink = sink
const file = new URL('resolution-results.json', import.meta.url)
await writeFile(file, JSON.stringify(results, null, 2) + '\n')
console.log(`\nfigures written to ${fileURLToPath(file)}`)
