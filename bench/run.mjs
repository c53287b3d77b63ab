/**
 * HTTP benchmark: each scenario's server runs in its own child process; this process loads them
 * with autocannon, round-robin over several rounds so that drift on the machine hits every
 * scenario alike, then prints medians and writes every figure to bench/results.json. The
 * resolution micro-benchmark (bench/resolution.mjs) runs afterwards. Besides throughput and
 * latency, each server reports its own CPU time (user + system), so the cost per request holds
 * even when the load generator, sharing the machine, is what sets the pace.
 *
 *   npm run bench                                  # build, then everything with the defaults
 *   BENCH_DURATION=1 BENCH_ROUNDS=1 node bench/run.mjs   # a quick run
 *
 * Environment: BENCH_DURATION (seconds per scenario per round, default 5), BENCH_WARMUP (seconds
 * before each measurement, default 1), BENCH_ROUNDS (default 5), BENCH_CONNECTIONS (default 50),
 * BENCH_ONLY (comma-separated scenario names), BENCH_RESOLUTION=0 to skip the micro-benchmark.
 */
import { fork, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { mismatch, scenarios } from './scenarios.mjs'

const here = new URL('./', import.meta.url)
const require = createRequire(import.meta.url)

/** Versions of what is measured: NestJS's Fastify adapter depends on a Fastify of its own. */
function packageVersions () {
  const nestAdapter = require.resolve('@nestjs/platform-fastify')
  return {
    fastify: require('fastify/package.json').version,
    fastifyUnderNest: createRequire(nestAdapter)('fastify/package.json').version,
    nestCore: require('@nestjs/core/package.json').version,
    nestPlatformFastify: require('@nestjs/platform-fastify/package.json').version,
    autocannon: require('autocannon/package.json').version
  }
}

function positive (name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number; received ${raw}`)
  return value
}

const settings = {
  duration: positive('BENCH_DURATION', 5),
  warmup: positive('BENCH_WARMUP', 1),
  rounds: Math.round(positive('BENCH_ROUNDS', 5)),
  connections: Math.round(positive('BENCH_CONNECTIONS', 50)),
  pipelining: 1
}

function selected () {
  const only = process.env.BENCH_ONLY
  // The comparators with hand-set headers belong to the counted modes (--mode=cpu, --mode=instructions).
  if (only === undefined || only === '') return scenarios.filter(s => s.comparator !== true)
  const names = only.split(',').map(name => name.trim()).filter(Boolean)
  const unknown = names.filter(name => !scenarios.some(s => s.name === name))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown scenarios: ${unknown.join(', ')}; known: ${scenarios.map(s => s.name).join(', ')}`)
  return scenarios.filter(s => names.includes(s.name))
}

/** Forks a scenario's server and resolves once it reports its port. */
function start (scenario, execArgv = []) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(`servers/${scenario.server}`, here)), scenario.args ?? [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${scenario.name}: no port after 60 s`)) }, 60_000)
    child.once('message', ({ port }) => {
      clearTimeout(timer)
      resolve({ child, url: `http://127.0.0.1:${port}/item` })
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`${scenario.name}: server exited (code ${code}) before listening`))
    })
  })
}

/** Asks a server to close and waits for its process to end. */
function stop ({ child }) {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    child.removeAllListeners('exit')
    child.once('exit', resolve)
    child.send('stop')
  })
}

/** One request, checked against the scenario's expectations before any load. */
async function check (scenario, url) {
  const response = await fetch(url, { headers: scenario.headers })
  const problem = mismatch(scenario, response.status, response.headers, await response.text())
  if (problem !== undefined) throw new Error(`${scenario.name}: unexpected response: ${problem}`)
}

/** The server process's CPU time so far, in µs (user + system). */
function cpuTime ({ child }) {
  return new Promise(resolve => {
    child.once('message', ({ cpu }) => resolve(cpu.user + cpu.system))
    child.send('cpu')
  })
}

function load (url, headers, duration) {
  return autocannon({ url, headers, duration, connections: settings.connections, pipelining: settings.pipelining })
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const round1 = (n) => Math.round(n * 10) / 10
const round2 = (n) => Math.round(n * 100) / 100

/** `npm run bench -- --mode=cpu|instructions …`: the counted modes live in bench/modes/. */
const modeArg = process.argv.slice(2).find(a => a.startsWith('--mode='))
const mode = modeArg === undefined ? 'throughput' : modeArg.slice('--mode='.length)
const rest = process.argv.slice(2).filter(a => a !== modeArg)

async function main () {
  const chosen = selected()
  const cpus = os.cpus()
  const machine = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    packages: packageVersions(),
    loadAverageAtStart: os.loadavg().map(round2)
  }
  console.log(`# HTTP benchmark — ${machine.node}, ${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`)
  console.log(`fastify ${machine.packages.fastify} (under NestJS: ${machine.packages.fastifyUnderNest}), @nestjs/core ${machine.packages.nestCore}, autocannon ${machine.packages.autocannon}`)
  console.log(`${settings.rounds} rounds × ${settings.duration} s per scenario (warm-up ${settings.warmup} s), ${settings.connections} connections, pipelining ${settings.pipelining}\n`)

  const servers = new Map()
  try {
    for (const scenario of chosen) {
      const server = await start(scenario)
      servers.set(scenario.name, server)
      await check(scenario, server.url)
    }

    const results = new Map(chosen.map(s => [s.name, []]))
    for (let round = 0; round < settings.rounds; round++) {
      // Each round starts one scenario further on, so no scenario always runs first or last.
      const order = chosen.map((_, i) => chosen[(i + round) % chosen.length])
      for (const scenario of order) {
        const server = servers.get(scenario.name)
        await load(server.url, scenario.headers, settings.warmup)
        const cpuBefore = await cpuTime(server)
        const result = await load(server.url, scenario.headers, settings.duration)
        const cpu = await cpuTime(server) - cpuBefore
        const figures = {
          round: round + 1,
          reqPerSec: round1(result.requests.average),
          latencyP50: result.latency.p50,
          latencyP99: result.latency.p99,
          latencyAverage: round2(result.latency.average),
          requests: result.requests.total,
          serverCpuMicrosecondsPerRequest: round2(cpu / result.requests.total),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts
        }
        results.get(scenario.name).push(figures)
        const faults = figures.non2xx + figures.errors + figures.timeouts
        console.log(`round ${round + 1}  ${scenario.name.padEnd(22)} ${String(figures.reqPerSec).padStart(9)} req/s  p99 ${figures.latencyP99} ms  server CPU ${figures.serverCpuMicrosecondsPerRequest} µs/req${faults > 0 ? `  (${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.timeouts} timeouts)` : ''}`)
      }
    }

    const baseline = results.has('fastify') ? median(results.get('fastify').map(r => r.reqPerSec)) : undefined
    const baselineCpu = results.has('fastify') ? median(results.get('fastify').map(r => r.serverCpuMicrosecondsPerRequest)) : undefined
    const summary = chosen.map(scenario => {
      const rounds = results.get(scenario.name)
      const reqPerSec = median(rounds.map(r => r.reqPerSec))
      const cpu = median(rounds.map(r => r.serverCpuMicrosecondsPerRequest))
      return {
        name: scenario.name,
        label: scenario.label,
        request: scenario.headers,
        median: { reqPerSec: round1(reqPerSec), latencyP99: median(rounds.map(r => r.latencyP99)), serverCpuMicrosecondsPerRequest: cpu },
        ratioToFastify: baseline === undefined ? null : round2(reqPerSec / baseline),
        // CPU time rather than inverse throughput: on a small machine the load generator, not the
        // server, may set the pace, and the server's CPU per request is what a scenario costs.
        serverCpuMicrosecondsOverFastify: baselineCpu === undefined ? null : round2(cpu - baselineCpu),
        rounds
      }
    })

    console.log('\n| scenario | req/s (median) | p99 latency ms (median) | req/s vs Fastify | server CPU µs/request (median) | CPU µs/request over Fastify |')
    console.log('|---|---:|---:|---:|---:|---:|')
    for (const s of summary) {
      const ratio = s.ratioToFastify === null ? '–' : s.ratioToFastify.toFixed(2)
      const added = s.serverCpuMicrosecondsOverFastify === null ? '–' : s.name === 'fastify' ? '0' : s.serverCpuMicrosecondsOverFastify.toFixed(1)
      console.log(`| ${s.name}: ${s.label} | ${Math.round(s.median.reqPerSec).toLocaleString('en-US')} | ${s.median.latencyP99} | ${ratio} | ${s.median.serverCpuMicrosecondsPerRequest.toFixed(1)} | ${added} |`)
    }

    machine.loadAverageAtEnd = os.loadavg().map(round2)
    console.log(`\nload average at the end: ${machine.loadAverageAtEnd.join(' ')}`)
    const file = new URL('results.json', here)
    await writeFile(file, JSON.stringify({ ...machine, settings, scenarios: summary }, null, 2) + '\n')
    console.log(`figures written to ${fileURLToPath(file)}`)
  } finally {
    await Promise.all([...servers.values()].map(stop))
  }

  if (process.env.BENCH_RESOLUTION !== '0') {
    console.log('')
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL('resolution.mjs', here))], { stdio: 'inherit' })
    const code = await new Promise(resolve => child.once('exit', resolve))
    if (code !== 0) process.exitCode = 1
  }
}

if (mode === 'throughput') await main()
else if (mode === 'instructions') await (await import('./modes/instructions.mjs')).instructions(rest)
else if (mode === 'cpu') await (await import('./modes/cpu.mjs')).cpu(rest)
else throw new Error(`unknown --mode=${mode}; use throughput (the default), cpu or instructions`)
