/**
 * Server CPU time per request, measured the steady way on a shared machine: every server started at
 * once, each pinned to one core (`taskset`, where it exists) and the load generator to another,
 * loaded in many short rounds interleaved across the scenarios (so that drift hits all alike), and
 * each scenario's figure is its minimum over the rounds (noise only ever adds time), with the median
 * and maximum printed beside it. Requests per second are kept beside the CPU figure; they depend
 * on this client as much as on the server.
 *
 *   npm run bench -- --mode=cpu [--only=a,b] [--rounds=12] [--requests=5000] [--warmup=5000]
 *                    [--connections=50] [--server-core=0] [--client-core=1] [--compare=<dir>,…]
 */
import { execFileSync, fork } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import os from 'node:os'
import { load } from '../client.mjs'
import { check, choose, flags, serverFile, withCompared, positiveFlag, spread } from '../harness.mjs'
import { scenarios } from '../scenarios.mjs'

const here = new URL('../', import.meta.url)

/** Pins every thread of `pid` to `core`; false where taskset is missing or refuses. */
function pin (pid, core) {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function start (scenario) {
  return new Promise((resolve, reject) => {
    const child = fork(serverFile(scenario), scenario.args ?? [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    child.once('message', ({ port }) => resolve({ child, port }))
    child.once('exit', code => reject(new Error(`${scenario.name}: server exited (code ${code}) before listening`)))
  })
}

/** The server's own CPU time so far (user + system), in µs, from process.cpuUsage() in the server. */
function cpuTime (child) {
  return new Promise(resolve => {
    child.once('message', ({ cpu }) => resolve(cpu.user + cpu.system))
    child.send('cpu')
  })
}

export async function cpu (argv) {
  const options = flags(argv)
  const settings = {
    rounds: Math.round(positiveFlag(options, 'rounds', 12)),
    requests: Math.round(positiveFlag(options, 'requests', 5000)),
    warmup: Math.round(positiveFlag(options, 'warmup', 5000)),
    connections: Math.round(positiveFlag(options, 'connections', 50)),
    serverCore: Number(options['server-core'] ?? 0),
    clientCore: Number(options['client-core'] ?? Math.min(1, os.cpus().length - 1))
  }
  const chosen = withCompared(choose(scenarios, options.only, scenarios.filter(s => s.name !== 'nest-header' && s.name !== 'plugin-lifecycle')), options.compare)
  const pinned = pin(process.pid, settings.clientCore)
  console.log(`# Server CPU per request, ${process.version}, ${os.cpus()[0]?.model}, ${os.cpus().length} cores, load ${os.loadavg().map(n => n.toFixed(2)).join(' ')}`)
  console.log(`${settings.rounds} interleaved rounds × ${settings.requests} requests over ${settings.connections} connections; ${pinned ? `servers pinned to core ${settings.serverCore}, load generator to core ${settings.clientCore}` : 'taskset unavailable: nothing pinned (install util-linux for steadier figures)'}\n`)

  const servers = new Map()
  try {
    for (const scenario of chosen) {
      const server = await start(scenario)
      servers.set(scenario.name, server)
      if (pinned) pin(server.child.pid, settings.serverCore)
      await check(scenario, server.port)
      await load({ port: server.port, headers: scenario.headers, requests: settings.warmup, connections: settings.connections })
    }
    const rounds = new Map(chosen.map(s => [s.name, []]))
    for (let round = 0; round < settings.rounds; round++) {
      const order = chosen.map((_, i) => chosen[(i + round) % chosen.length])
      for (const scenario of order) {
        const { child, port } = servers.get(scenario.name)
        const before = await cpuTime(child)
        const t0 = process.hrtime.bigint()
        await load({ port, headers: scenario.headers, requests: settings.requests, connections: settings.connections })
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9
        const used = await cpuTime(child) - before
        rounds.get(scenario.name).push({ cpuMicrosecondsPerRequest: used / settings.requests, reqPerSec: settings.requests / seconds })
      }
      process.stdout.write(`round ${round + 1}/${settings.rounds} done\n`)
    }
    const summary = chosen.map(s => ({
      name: s.name,
      label: s.label,
      against: s.against ?? [],
      cpu: spread(rounds.get(s.name).map(r => r.cpuMicrosecondsPerRequest)),
      reqPerSec: spread(rounds.get(s.name).map(r => r.reqPerSec))
    }))
    const find = (name) => summary.find(s => s.name === name)
    console.log('\n| scenario | server CPU µs/request min / median / max | req/s median | vs comparator (comparator min ÷ scenario min) |')
    console.log('|---|---:|---:|---|')
    for (const s of summary) {
      const ratios = s.against.filter(find).map(c => `${c} ${(find(c).cpu.min / s.cpu.min).toFixed(2)}`)
      console.log(`| ${s.name}: ${s.label} | ${s.cpu.min.toFixed(2)} / ${s.cpu.median.toFixed(2)} / ${s.cpu.max.toFixed(2)} | ${Math.round(s.reqPerSec.median).toLocaleString('en-US')} | ${ratios.join('; ') || '–'} |`)
    }
    const file = new URL('cpu.json', here)
    await writeFile(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, settings, pinned, summary, rounds: Object.fromEntries(rounds) }, null, 2) + '\n')
    console.log(`\nfigures written to ${fileURLToPath(file)}`)
  } finally {
    for (const { child } of servers.values()) child.kill()
  }
}
