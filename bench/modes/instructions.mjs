/**
 * Instruction counts per request, under callgrind: the steadiest cost figure there is, free of the
 * machine's load and of clock noise. Each scenario's server runs as
 *   valgrind --tool=callgrind node --single-threaded bench/servers/<server> …
 * (--single-threaded keeps V8's compiler and garbage collector on the main thread, so their work is
 * counted too, as it is paid). After the warm-up (with a full garbage collection a quarter of the
 * way through it: see `measure`), `callgrind_control --zero` before and `--dump`
 * after each counted pattern of requests: one connection sequential, then bursts over many
 * connections. The figure is the dump's instruction total divided by the requests.
 *
 *   npm run bench -- --mode=instructions [--only=a,b] [--requests=2000] [--warmup=10000]
 *                    [--connections=50] [--repeat=1] [--jobs=2] [--functions] [--compare=<dir>,…]
 *
 * --functions keeps the callgrind files (bench/.callgrind/) with JavaScript frames named from
 * node's --perf-basic-prof map, ready for `callgrind_annotate --inclusive=yes`.
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import os from 'node:os'
import { load } from '../client.mjs'
import { check, choose, flags, withCompared, pool, positiveFlag, spawnServer, spread } from '../harness.mjs'
import { scenarios } from '../scenarios.mjs'
import { nameJsFrames } from './callgrind-names.mjs'

const run = promisify(execFile)
const here = new URL('../', import.meta.url)
const OUT = fileURLToPath(new URL('.callgrind/', here))

async function ensureValgrind () {
  try {
    await run('valgrind', ['--version'])
    await run('callgrind_control', ['-h']).catch(error => { if (error.code === 'ENOENT') throw error })
  } catch {
    throw new Error('--mode=instructions needs valgrind (callgrind and callgrind_control), which this benchmark does not install. On Debian or Ubuntu: sudo apt-get install valgrind; on Fedora: sudo dnf install valgrind; on macOS it is not available: run this mode on Linux.')
  }
}

/**
 * Inclusive instructions of V8's compilers and garbage collector in a dump: with --single-threaded
 * they run on the main thread, inside the counted window. Optimising compilation still landing
 * there after a warm-up is what makes a plain total change from run to run; the figure without it
 * ("steady") is the one to compare. `major` is the work of a major collection: its incremental
 * marking steps, taken between requests, and its mark-compact pause (part of `gc`), which a count
 * should not contain: see `measure`.
 */
const SPLITS = {
  compile: [/v8::internal::Runtime_CompileOptimized\(/, /v8::internal::Runtime_CompileLazy\(/, /BaselineBatchCompiler::CompileBatch\(/],
  gc: [/v8::internal::Heap::CollectGarbage\(/],
  major: [/v8::internal::MarkCompactCollector::CollectGarbage\(/, /v8::internal::IncrementalMarking::Step\(/]
}

async function split (file) {
  const { stdout } = await run('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], { maxBuffer: 256 * 1024 * 1024 })
  const out = { compile: 0, gc: 0, major: 0 }
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \(/.exec(line)
    if (match === null) continue
    for (const [key, patterns] of Object.entries(SPLITS)) {
      if (patterns.some(p => p.test(line))) out[key] += Number(match[1].replaceAll(',', ''))
    }
  }
  return out
}

/** The instruction total of a callgrind dump file. */
async function instructionsOf (file) {
  const text = await readFile(file, 'utf8')
  const match = /^summary: (\d+)/m.exec(text) ?? /^totals: (\d+)/m.exec(text)
  if (match === null) throw new Error(`no summary in ${file}`)
  return Number(match[1])
}

/** Asks callgrind in process `pid` to zero its counters or dump them, and returns the new dump file then. */
async function control (pid, what, prefix) {
  const before = new Set(await readdir(OUT))
  await run('callgrind_control', [what === 'zero' ? '--zero' : '--dump', String(pid)])
  if (what === 'zero') return undefined
  const added = (await readdir(OUT)).filter(f => f.startsWith(prefix) && !before.has(f))
  if (added.length !== 1) throw new Error(`expected one new dump of ${prefix}, found ${added.join(', ') || 'none'}`)
  return `${OUT}${added[0]}`
}

async function measure (scenario, settings, attempt) {
  const prefix = `${scenario.name}.${attempt}.`
  // A fixed GC schedule: heap growth, idle-time and memory-reducer collections otherwise follow the
  // wall clock, which valgrind and a loaded machine slow down by varying amounts.
  const nodeArgs = ['--single-threaded', '--predictable-gc-schedule', '--expose-gc', '--no-flush-bytecode']
  if (settings.functions) nodeArgs.push('--perf-basic-prof', '--interpreted-frames-native-stack')
  const wrapper = ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${OUT}${prefix}%p.out`]
  // The server's working directory is the output one: V8's profiling flags leave files there.
  const { child, port, collect } = await spawnServer(scenario, { wrapper, nodeArgs, stderr: 'ignore', cwd: OUT })
  const exited = new Promise(resolve => child.once('exit', resolve))
  try {
    await check(scenario, port)
    const base = { port, headers: scenario.headers }
    const figures = {}
    const patterns = [
      ['sequential', { connections: 1, bursts: false }],
      ['bursts', { connections: settings.connections, bursts: true }]
    ]
    // Warm-up in both patterns, so that the code both take is compiled before anything is counted.
    const warmUp = async (requests) => { for (const [, pattern] of patterns) await load({ ...base, ...pattern, requests }) }
    // A full collection early in the warm-up, in every scenario alike. The warm-up's growth of the
    // old generation (compiled code, feedback, and whatever a large app's start-up left there) would
    // otherwise start an incremental marking a few thousand requests in, which under valgrind runs
    // on over thousands of requests, paced by the wall clock, and ends inside one count and not
    // another. After the collection the old generation is far below its next limit. A full
    // collection also lets go of optimised code that only short-lived closures held, so the longer
    // part of the warm-up comes after it.
    await warmUp(settings.warmup / 4)
    if (collect !== undefined) await collect()
    await warmUp(settings.warmup / 2)
    for (const [name, pattern] of patterns) {
      // The server closes the previous load's connections (50 after the bursts) before the count
      // starts, or their teardown lands in one count and not another.
      await sleep(1000)
      await control(child.pid, 'zero')
      await load({ ...base, ...pattern, requests: settings.requests })
      const file = await control(child.pid, 'dump', prefix)
      const total = await instructionsOf(file)
      const { compile, gc, major } = await split(file)
      figures[name] = { total: total / settings.requests, steady: (total - compile) / settings.requests, compile: compile / settings.requests, gc: gc / settings.requests, major: major / settings.requests }
      if (settings.functions) await nameJsFrames(file, `/tmp/perf-${child.pid}.map`, `${OUT}${scenario.name}.${name}.${attempt}.callgrind`)
      await rm(file)
    }
    return figures
  } finally {
    child.kill('SIGKILL')
    await exited
    for (const f of (await readdir(OUT)).filter(f => f.startsWith(prefix) || f.includes(`-${child.pid}-v8`))) await rm(`${OUT}${f}`)
    if (settings.functions) await rm(`/tmp/perf-${child.pid}.map`, { force: true })
  }
}

const K = (n) => (n / 1000).toFixed(1) + 'k'

export async function instructions (argv) {
  const options = flags(argv)
  await ensureValgrind()
  const settings = {
    requests: Math.round(positiveFlag(options, 'requests', 2000)),
    warmup: Math.round(positiveFlag(options, 'warmup', 10000)),
    connections: Math.round(positiveFlag(options, 'connections', 50)),
    repeat: Math.round(positiveFlag(options, 'repeat', 1)),
    jobs: Math.round(positiveFlag(options, 'jobs', 2)),
    functions: options.functions === true
  }
  const chosen = withCompared(choose(scenarios, options.only, scenarios.filter(s => s.name !== 'nest-header' && s.name !== 'fastify-semver' && s.name !== 'plugin-lifecycle')), options.compare)
  await mkdir(OUT, { recursive: true })
  console.log(`# Instructions per request (callgrind), ${process.version}, ${os.cpus()[0]?.model}; ${settings.warmup} warm-up requests, ${settings.requests} counted per pattern, bursts of ${settings.connections}, ${settings.repeat} run(s) per scenario\n`)

  const tasks = []
  for (let attempt = 1; attempt <= settings.repeat; attempt++) {
    for (const scenario of chosen) {
      tasks.push(async () => {
        let figures
        try {
          figures = await measure(scenario, settings, attempt)
        } catch (error) {
          // One server that fails (or starts too slowly on a loaded machine) leaves the others' figures.
          console.log(`run ${attempt}  ${scenario.name.padEnd(22)} failed: ${error.message}`)
          return { name: scenario.name, attempt, failed: error.message }
        }
        const show = (f) => `${K(f.steady).padStart(7)} (total ${K(f.total)}, JIT ${K(f.compile)}, GC ${K(f.gc)}, major ${K(f.major)})`
        console.log(`run ${attempt}  ${scenario.name.padEnd(22)} sequential ${show(figures.sequential)}  bursts ${show(figures.bursts)}`)
        return { name: scenario.name, attempt, ...figures }
      })
    }
  }
  const runs = await pool(tasks, settings.jobs)

  const byName = new Map(chosen.map(s => [s.name, runs.filter(r => r.name === s.name && r.failed === undefined)]))
  const summary = chosen.filter(s => byName.get(s.name).length > 0).map(s => ({
    name: s.name,
    label: s.label,
    against: s.against ?? [],
    sequential: spread(byName.get(s.name).map(r => r.sequential.steady)),
    bursts: spread(byName.get(s.name).map(r => r.bursts.steady)),
    total: { sequential: spread(byName.get(s.name).map(r => r.sequential.total)), bursts: spread(byName.get(s.name).map(r => r.bursts.total)) }
  }))
  const find = (name) => summary.find(s => s.name === name)
  console.log('\nInstructions per request without JIT compilation (garbage collection included):')
  console.log('\n| scenario | sequential (min / median / max) | bursts (min / median / max) | vs comparator: sequential, bursts (comparator ÷ scenario, medians) |')
  console.log('|---|---:|---:|---|')
  for (const s of summary) {
    const ratios = s.against.filter(find).map(c => `${c} ${(find(c).sequential.median / s.sequential.median).toFixed(3)}, ${(find(c).bursts.median / s.bursts.median).toFixed(3)}`)
    const cell = (x) => `${K(x.min)} / ${K(x.median)} / ${K(x.max)}`
    console.log(`| ${s.name}: ${s.label} | ${cell(s.sequential)} | ${cell(s.bursts)} | ${ratios.join('; ') || '–'} |`)
  }
  // A count that still caught a major collection (a warm-up too short for the collection to come
  // after the old generation's growth, say) is named rather than averaged in unseen.
  const caught = runs.filter(r => r.failed === undefined).flatMap(r => ['sequential', 'bursts']
    .filter(p => r[p].major >= 1000).map(p => `${r.name} run ${r.attempt} ${p} (${K(r[p].major)})`))
  if (caught.length > 0) console.log(`\nCounts that include major GC work (marking, mark-compact), per request: ${caught.join('; ')}`)
  const file = new URL('instructions.json', here)
  await writeFile(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, settings, summary, runs }, null, 2) + '\n')
  console.log(`\nfigures written to ${fileURLToPath(file)}`)
}
