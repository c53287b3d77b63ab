/**
 * What the counted modes share: command-line flags, starting a scenario's server (optionally under
 * a wrapper such as valgrind), checking its answer once, and small statistics.
 */
import { spawn } from 'node:child_process'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mismatch } from './scenarios.mjs'

const here = new URL('./', import.meta.url)

/** `--name=value` flags (and bare `--name` as true) from argv. */
export function flags (argv = process.argv.slice(2)) {
  const out = {}
  for (const arg of argv) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg)
    if (match === null) throw new Error(`unexpected argument ${arg}; flags are written --name=value`)
    out[match[1]] = match[2] ?? true
  }
  return out
}

export function positiveFlag (options, name, fallback) {
  const raw = options[name]
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number; received ${raw}`)
  return value
}

/** The scenarios named by --only (comma-separated), else `fallback`. */
export function choose (all, only, fallback) {
  if (only === undefined || only === true) return fallback
  const names = String(only).split(',').map(n => n.trim()).filter(Boolean)
  const unknown = names.filter(n => !all.some(s => s.name === n))
  if (unknown.length > 0) throw new Error(`--only names unknown scenarios: ${unknown.join(', ')}; known: ${all.map(s => s.name).join(', ')}`)
  return all.filter(s => names.includes(s.name))
}

/**
 * `--compare=<dir>[,<dir>]`: the plugin scenarios once more, each from another checkout of the
 * package (say a git worktree with a change applied, built), named `<scenario>@<dir's last part>`,
 * so that a change is measured against the comparators in the same run.
 */
export function withCompared (chosen, compare) {
  if (compare === undefined || compare === true) return chosen
  const roots = String(compare).split(',').filter(Boolean).map(dir => resolve(dir))
  const extra = []
  for (const root of roots) {
    for (const s of chosen.filter(s => s.server === 'plugin.mjs')) {
      extra.push({ ...s, name: `${s.name}@${basename(root)}`, label: `${s.label} (${root})`, root })
    }
  }
  return [...chosen, ...extra]
}

/** The file of a scenario's server, in this checkout or in the one it is compared from. */
export function serverFile (scenario) {
  return scenario.root === undefined
    ? fileURLToPath(new URL(`servers/${scenario.server}`, here))
    : join(scenario.root, 'bench', 'servers', scenario.server)
}

/**
 * Spawns a scenario's server as `[...wrapper, node, ...nodeArgs, server, ...args]` without IPC, so
 * that it prints its port; resolves once it does, with `collect` when the server offers a full
 * garbage collection on request (node --expose-gc). `child.pid` is the wrapper's (valgrind runs the
 * program in its own process).
 */
export function spawnServer (scenario, { wrapper = [], nodeArgs = [], timeout = 900_000, stderr = 'inherit', cwd, env } = {}) {
  const command = [...wrapper, process.execPath, ...nodeArgs, serverFile(scenario), ...(scenario.args ?? [])]
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', stderr], cwd, env })
    let text = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${scenario.name}: no port after ${timeout / 1000} s`)) }, timeout)
    child.stdout.on('data', chunk => {
      text += chunk
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text)
      if (match !== null && timer !== null) {
        clearTimeout(timer)
        resolve({ child, port: Number(match[1]), collect: text.includes('collects on SIGUSR2') ? () => collect(child) : undefined })
      }
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`${scenario.name}: server exited (code ${code}) before listening`))
    })
  })
}

/** Asks a server to run a full garbage collection (see servers/common.mjs); resolves once it has. */
function collect (child) {
  return new Promise(resolve => {
    const done = (chunk) => {
      if (!String(chunk).includes('collected')) return
      child.stdout.off('data', done)
      resolve()
    }
    child.stdout.on('data', done)
    child.kill('SIGUSR2')
  })
}

/** One request, checked against the scenario's expectations before anything is measured. */
export async function check (scenario, port) {
  const response = await fetch(`http://127.0.0.1:${port}/item`, { headers: scenario.headers })
  const problem = mismatch(scenario, response.status, response.headers, await response.text())
  if (problem !== undefined) throw new Error(`${scenario.name}: unexpected response: ${problem}`)
}

export function spread (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return {
    min: sorted[0],
    median: sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2,
    max: sorted.at(-1)
  }
}

/** Runs `tasks` (functions returning promises) at most `jobs` at a time, in order. */
export async function pool (tasks, jobs) {
  const results = new Array(tasks.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]()
    }
  }))
  return results
}
