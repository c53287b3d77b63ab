/**
 * CPU profile of one scenario under load: which functions the server spends its time in.
 *
 *   node bench/profile.mjs [scenario]       # default plugin-header; e.g. fastify for the baseline
 *   node bench/profile.mjs --file <path>    # the top list of any .cpuprofile
 *
 * The scenario's server runs in a child process started with
 *   node --cpu-prof --cpu-prof-dir=bench/.cpuprofile --cpu-prof-interval=200 bench/servers/<server>
 * so the profile holds the server alone, without the load generator's own work; the child exits
 * normally when the load ends, which writes the profile, and the top 25 functions by self time,
 * counted over the loaded window only, are printed. Frames from this package (dist/*.js) are
 * marked. Environment: PROFILE_DURATION (seconds of load, default 5).
 */
import { fork } from 'node:child_process'
import { mkdir, readFile, readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import { mismatch, scenarios } from './scenarios.mjs'

const here = new URL('./', import.meta.url)
const PROFILE_DIR = fileURLToPath(new URL('.cpuprofile/', here))
const DIST = fileURLToPath(new URL('../dist/', here))
const INTERVAL_US = 200
const TOP = 25

/** Where a frame comes from: this package, a dependency, Node itself, or V8. */
function origin (url) {
  if (url === '') return 'v8'
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  if (path.startsWith(DIST)) return 'plugin'
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)
  if (dependency !== null) return dependency[1]
  if (path.startsWith('node:')) return 'node'
  return path.startsWith(fileURLToPath(here)) ? 'bench' : path
}

/**
 * Self time per function in µs, counted between `from` and `to` (µs, the profile's clock) when
 * given. Each sample is charged the interval that preceded it, as DevTools does.
 */
function selfTimes (profile, from, to) {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]))
  const times = new Map()
  let time = profile.startTime
  let counted = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i]
    time += delta
    if (from !== undefined && (time < from || time > to)) continue
    counted++
    times.set(profile.samples[i], (times.get(profile.samples[i]) ?? 0) + delta)
  }
  // The two clocks disagree (another platform): count the whole profile rather than nothing.
  if (from !== undefined && counted < 10) return selfTimes(profile)
  const byFunction = new Map()
  for (const [id, us] of times) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame
    const key = `${functionName}\u0000${url}\u0000${lineNumber}`
    const entry = byFunction.get(key) ?? { functionName: functionName || '(anonymous)', url, line: lineNumber + 1, origin: origin(url), us: 0 }
    entry.us += us
    byFunction.set(key, entry)
  }
  return { entries: [...byFunction.values()].sort((a, b) => b.us - a.us), samples: counted }
}

function shortUrl (url) {
  if (url === '') return ''
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  const modules = path.lastIndexOf('node_modules/')
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length)
  return path.replace(fileURLToPath(new URL('../', here)), '')
}

/** Prints the top functions by self time and the self time by origin; per request when `requests` is known. */
function report (profile, { from, to, requests } = {}) {
  const { entries, samples } = selfTimes(profile, from, to)
  const busy = entries.filter(e => e.functionName !== '(idle)')
  const total = busy.reduce((sum, e) => sum + e.us, 0)
  const pct = (us) => (100 * us / total).toFixed(1)
  const perRequest = (us) => requests === undefined ? '' : ` | ${(us / requests).toFixed(2)}`
  console.log(`\n${samples.toLocaleString('en-US')} samples, ${(total / 1000).toFixed(0)} ms busy (idle excluded)${requests === undefined ? '' : ` for ${requests.toLocaleString('en-US')} requests`}; ◆ marks this package's frames (dist/)\n`)
  console.log(`| # | self % | self ms${requests === undefined ? '' : ' | µs/request'} | function | where |`)
  console.log(`|---:|---:|---:${requests === undefined ? '' : '|---:'}|---|---|`)
  busy.slice(0, TOP).forEach((e, i) => {
    const mark = e.origin === 'plugin' ? '◆ ' : ''
    const where = e.url === '' ? '' : `${shortUrl(e.url)}:${e.line}`
    console.log(`| ${i + 1} | ${pct(e.us)} | ${(e.us / 1000).toFixed(0)}${perRequest(e.us)} | ${mark}${e.functionName} | ${where} |`)
  })
  const byOrigin = new Map()
  for (const e of busy) {
    const key = e.url === '' ? (e.functionName.startsWith('(') ? e.functionName : 'native') : e.origin
    byOrigin.set(key, (byOrigin.get(key) ?? 0) + e.us)
  }
  console.log(`\n| origin | self % | self ms${requests === undefined ? '' : ' | µs/request'} |`)
  console.log(`|---|---:|---:${requests === undefined ? '' : '|---:'}|`)
  for (const [key, us] of [...byOrigin].sort((a, b) => b[1] - a[1])) {
    console.log(`| ${key === 'plugin' ? '◆ plugin (dist/)' : key} | ${pct(us)} | ${(us / 1000).toFixed(0)}${perRequest(us)} |`)
  }
}

async function profileScenario (name) {
  const scenario = scenarios.find(s => s.name === name)
  if (scenario === undefined) throw new Error(`unknown scenario ${name}; known: ${scenarios.map(s => s.name).join(', ')}`)
  const duration = Number(process.env.PROFILE_DURATION ?? 5)
  await mkdir(PROFILE_DIR, { recursive: true })
  const child = fork(fileURLToPath(new URL(`servers/${scenario.server}`, here)), scenario.args ?? [], {
    execArgv: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-interval=${INTERVAL_US}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const exited = new Promise(resolve => child.once('exit', resolve))
  const port = await new Promise((resolve, reject) => {
    child.once('message', message => resolve(message.port))
    exited.then(code => reject(new Error(`server exited (code ${code}) before listening`)))
  })
  const url = `http://127.0.0.1:${port}/item`
  const response = await fetch(url, { headers: scenario.headers })
  const problem = mismatch(scenario, response.status, response.headers, await response.text())
  if (problem !== undefined) throw new Error(`${name}: unexpected response: ${problem}`)

  // Warm-up outside the counted window, so that start-up and JIT compilation stay out of the top list.
  await autocannon({ url, headers: scenario.headers, duration: 1, connections: 50 })
  // CLOCK_MONOTONIC on both sides: V8's profile timestamps and process.hrtime, in µs.
  const from = Number(process.hrtime.bigint() / 1000n)
  const result = await autocannon({ url, headers: scenario.headers, duration, connections: 50 })
  const to = Number(process.hrtime.bigint() / 1000n)
  child.send('stop')
  await exited

  const file = (await readdir(PROFILE_DIR)).filter(f => f.includes(`.${child.pid}.`) && f.endsWith('.cpuprofile')).sort().at(-1)
  if (file === undefined) throw new Error(`no profile of process ${child.pid} in ${PROFILE_DIR}`)
  const path = `${PROFILE_DIR}${file}`
  console.log(`# CPU profile: ${name} (${scenario.label})`)
  console.log(`${Math.round(result.requests.average).toLocaleString('en-US')} req/s under the profiler, ${duration} s; profile ${path}`)
  report(JSON.parse(await readFile(path, 'utf8')), { from, to, requests: result.requests.total })
}

const args = process.argv.slice(2)
if (args[0] === '--file') {
  if (args[1] === undefined) throw new Error('--file needs the path of a .cpuprofile')
  console.log(`# CPU profile: ${pathToFileURL(args[1]).pathname}`)
  report(JSON.parse(await readFile(args[1], 'utf8')))
} else {
  await profileScenario(args[0] ?? 'plugin-header')
}
