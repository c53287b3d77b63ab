/**
 * Where the instructions of one `--mode=instructions --functions` dump go, per request: V8's
 * compilers and garbage collector apart (incremental marking included, which the mode's own split
 * leaves in), then self instructions grouped by origin (this package's dist/, Fastify's hook runners,
 * the rest of Fastify, find-my-way, Node's internals, V8's builtins, native code), then the
 * functions of interest with their inclusive and self counts. With a second file, the functions
 * whose self count differs most between the two: what one server does that the other does not.
 *
 *   node bench/callgrind-components.mjs bench/.callgrind/plugin-single.bursts.1.callgrind [--requests=1000]
 *   node bench/callgrind-components.mjs <comparator file> <scenario file> [--requests=1000] [--top=30]
 *
 * Optimised code inlines small functions into their callers, whose self count then holds them: the
 * grouping by origin is a lower bound for the code that stays out of line, and a difference between
 * a scenario and its floor comparator is the reliable figure.
 */
import { execFileSync } from 'node:child_process'
import { flags } from './harness.mjs'

const files = process.argv.slice(2).filter(a => !a.startsWith('--'))
const options = flags(process.argv.slice(2).filter(a => a.startsWith('--')))
const requests = Number(options.requests ?? 1000)
const top = Number(options.top ?? 30)
if (files.length === 0 || files.length > 2) throw new Error('usage: node bench/callgrind-components.mjs <file> [<file>] [--requests=1000] [--top=30]')

/** Rows [instructions, name] of callgrind_annotate, inclusive or self. */
function annotate (file, inclusive) {
  const text = execFileSync('callgrind_annotate', [`--inclusive=${inclusive ? 'yes' : 'no'}`, '--auto=no', '--threshold=100', file], { maxBuffer: 512 * 1024 * 1024 }).toString()
  return text.split('\n')
    .map(line => /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line))
    .filter(match => match !== null)
    .map(([, count, name]) => [Number(count.replaceAll(',', '')), name.replace(/^\?\?\?:/, '').replace(/ \[[^\]]*\]$/, '').replace(process.cwd() + '/', '')])
}

const perRequest = (n) => (n / requests / 1000).toFixed(2) + 'k'

/** Tier markers (* optimised, ^ baseline, ~ interpreted) dropped, so one function is one name. */
const plain = (name) => name.replace(/^JS:[*^~]/, 'JS:')

/** A frame of this package's built code (the checkout's path is cut off, so `dist/` may follow `_`). */
const isOwn = (name) => !name.includes('node_modules') && /(^|[_/])dist\//.test(name)

function origin (name) {
  if (!name.startsWith('JS:')) return name.startsWith('Builtins_') ? 'V8 builtins' : 'native (V8 runtime, GC, compiler, Node C++, libc)'
  if (isOwn(name)) return 'this package (dist/)'
  if (name.includes('fastify/lib/hooks.js')) return 'Fastify hook runners (lib/hooks.js)'
  if (name.includes('node_modules/fastify/')) return 'Fastify, the rest'
  if (name.includes('find-my-way')) return 'find-my-way'
  if (name.includes('/bench/')) return 'the benchmark server'
  if (/_node:/.test(name)) return 'Node internals (JavaScript)'
  return 'generated code (new Function: find-my-way matchers, serializers)'
}

function selfByName (file) {
  const rows = annotate(file, false)
  const total = rows.find(([, name]) => name.includes('PROGRAM TOTALS'))[0]
  const byName = new Map()
  // callgrind_annotate lists the process's entry frames with the whole total as self: not a cost.
  for (const [count, name] of rows) if (!name.includes('PROGRAM TOTALS') && count < 0.99 * total) byName.set(plain(name), (byName.get(plain(name)) ?? 0) + count)
  return { total, byName }
}

function summary (file) {
  const inclusive = annotate(file, true)
  const sum = (pattern) => inclusive.filter(([, name]) => pattern.test(name)).reduce((a, [count]) => a + count, 0)
  const { total, byName } = selfByName(file)
  const jit = sum(/Runtime_CompileOptimized\(|Runtime_CompileLazy\(|BaselineBatchCompiler::CompileBatch\(/)
  const gc = sum(/Heap::CollectGarbage\(/)
  const marking = sum(/IncrementalMarking::Step\(/)
  console.log(`${file}\n  total ${perRequest(total)}, JIT ${perRequest(jit)}, scavenges ${perRequest(gc)}, incremental marking ${perRequest(marking)}: the rest ${perRequest(total - jit - gc - marking)}`)
  const groups = new Map()
  for (const [name, count] of byName) groups.set(origin(name), (groups.get(origin(name)) ?? 0) + count)
  console.log('  self instructions by origin:')
  for (const [group, count] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`    ${perRequest(count).padStart(8)}  ${group}`)
  console.log('  functions of this package, Fastify\'s hook runners and find-my-way (inclusive / self):')
  for (const [count, name] of inclusive.filter(([, name]) => isOwn(name) || /hooks\.js|find-my-way|^JS:[*^~]?_:1:|bench\/servers/.test(name))) {
    console.log(`    ${perRequest(count).padStart(8)} / ${perRequest(byName.get(plain(name)) ?? 0).padStart(7)}  ${name}`)
  }
}

if (files.length === 1) {
  summary(files[0])
} else {
  const [a, b] = files.map(selfByName)
  console.log(`${files[1]} − ${files[0]}: total ${perRequest(b.total - a.total)}; self instructions per request that differ most:`)
  const names = new Set([...a.byName.keys(), ...b.byName.keys()])
  const deltas = [...names].map(name => [name, (b.byName.get(name) ?? 0) - (a.byName.get(name) ?? 0)])
  for (const [name, delta] of deltas.sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, top)) {
    console.log(`  ${(delta >= 0 ? '+' : '') + perRequest(delta)}`.padEnd(12) + name.slice(0, 160))
  }
}
