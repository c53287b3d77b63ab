/**
 * Bytes allocated per request, by function: where a scenario's garbage comes from.
 *
 *   node bench/allocations.mjs plugin-single,plain-header [--requests=20000] [--warmup=6000] [--top=15]
 *                              [--compare=<dir>]   (the plugin scenarios from another built checkout too)
 *
 * Each server runs with `bench/modes/allocation-sampler.mjs` preloaded; after the warm-up, V8's
 * sampling heap profiler (every 256 bytes on average, collected objects included) records the
 * counted requests, sent over one keep-alive connection. Sampling makes the per-function figures
 * estimates: compare scenarios measured with the same number of requests, and read differences
 * of a few dozen bytes as noise.
 */
import { once } from 'node:events'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from './client.mjs'
import { check, choose, flags, positiveFlag, spawnServer, withCompared } from './harness.mjs'
import { scenarios } from './scenarios.mjs'

const options = flags(process.argv.slice(2).filter(a => a.startsWith('--')))
const names = process.argv.slice(2).find(a => !a.startsWith('--')) ?? 'plugin-header,semver-header,plain-header'
const requests = positiveFlag(options, 'requests', 20_000)
const warmup = positiveFlag(options, 'warmup', 6_000)
const top = positiveFlag(options, 'top', 15)
const sampler = fileURLToPath(new URL('modes/allocation-sampler.mjs', import.meta.url))

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Resolves when the server has written `text` on its stderr. */
function waitFor (child, text) {
  return new Promise(resolve => {
    let seen = ''
    const listen = chunk => {
      seen += chunk
      if (!seen.includes(text)) return
      child.stderr.off('data', listen)
      resolve()
    }
    child.stderr.on('data', listen)
  })
}

/** Self bytes per function (name, file, line) over the profile's tree. */
function bytesByFunction (profile) {
  const out = new Map()
  const visit = (node) => {
    const { functionName, url, lineNumber } = node.callFrame
    const self = node.selfSize ?? 0
    if (self > 0) {
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/')}:${lineNumber + 1}`
      out.set(key, (out.get(key) ?? 0) + self)
    }
    for (const child of node.children) visit(child)
  }
  visit(profile.head)
  return out
}

for (const scenario of withCompared(choose(scenarios, names, []), options.compare)) {
  const file = join(tmpdir(), `allocation-${process.pid}-${scenario.name}.heapprofile`)
  const { child, port } = await spawnServer(scenario, { nodeArgs: ['--import', sampler], stderr: 'pipe', env: { ...process.env, ALLOCATION_PROFILE: file } })
  try {
    await check(scenario, port)
    await load({ port, headers: scenario.headers, requests: warmup })
    child.kill('SIGUSR2')
    await waitFor(child, 'sampling on')
    await load({ port, headers: scenario.headers, requests })
    child.kill('SIGUSR2')
    await waitFor(child, 'profile written')
    await sleep(50)
    const byFunction = bytesByFunction(JSON.parse(await readFile(file, 'utf8')))
    const total = [...byFunction.values()].reduce((a, b) => a + b, 0)
    console.log(`\n${scenario.name}: ${(total / requests).toFixed(0)} bytes allocated per request (${requests} requests)`)
    for (const [where, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${(bytes / requests).toFixed(0).padStart(8)}  ${where}`)
    }
  } finally {
    child.kill()
    await once(child, 'exit').catch(() => {})
    await rm(file, { force: true })
  }
}
