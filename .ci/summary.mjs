#!/usr/bin/env node
// The closing lines of .ci/run, from the output of `npm test` and the exit status of each step:
//   failed: <reason>                          (when the run fails for a reason other than a test)
//   tests: N passed, N failed, N skipped
// and the exit status of the whole run. Usage:
//   node .ci/summary.mjs <log file> npm-ci=<status> npm-test=<status> contract=<status>
// A step that did not run is left out. Tested by test/ci-summary.test.ts.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** tap closes each run with `# { total: N, pass: N, fail: N, todo: N, skip: N }` (counts of 0 left out). */
function tapSummary (log) {
  const lines = log.split('\n').filter(line => /^# \{ total: \d+/.test(line))
  const last = lines.at(-1)
  if (last === undefined) return undefined
  const count = key => Number(new RegExp(`\\b${key}: (\\d+)`).exec(last)?.[1] ?? 0)
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') }
}

/** The npm script that was running when `npm test` stopped: npm prints `> name@version script` as each starts. */
function lastScript (log) {
  const started = [...log.matchAll(/^> \S+@\S+ (\S+)$/gm)].map(match => match[1])
  return started.at(-1)
}

/** Why `npm test` failed when no test did: the step that stopped it. */
function testStepReason (log, summary) {
  if (summary !== undefined) {
    return /does not meet (global )?threshold/.test(log) ? 'coverage below 100%' : 'npm test exited with an error after the tests passed'
  }
  if (/^TAP version|^# Subtest|^(not )?ok \d/m.test(log)) return 'tap stopped without its summary'
  const script = lastScript(log)
  if (script === 'build') return 'build'
  if (script === 'lint') return 'lint'
  // tsc reports `error TSnnnn`; after typecheck, only tsd (the type tests) runs before tap.
  if (script === 'typecheck') return /error TS\d+/.test(log) ? 'typecheck' : 'type tests (tsd)'
  return 'npm test exited with an error before the tests ran'
}

/**
 * `statuses`: the exit status of each step that ran (`npm-ci`, `npm-test`, `contract`).
 * Returns the lines to print and the exit status of the run.
 */
export function summarise (log, statuses) {
  const reasons = []
  const summary = tapSummary(log)
  if ((statuses['npm-ci'] ?? 0) !== 0) reasons.push('npm ci')
  else if (statuses['npm-test'] === undefined) reasons.push('npm test did not run')
  else if (statuses['npm-test'] !== 0) {
    if ((summary?.failed ?? 0) === 0) reasons.push(testStepReason(log, summary))
  } else if (summary === undefined) {
    reasons.push('tap printed no summary, so no test can be counted')
  } else if (summary.failed === 0 && /^not ok/m.test(log)) {
    reasons.push('a test file failed outside the counted tests')
  }
  if ((statuses.contract ?? 0) !== 0) reasons.push('contract check')
  const counts = summary ?? { passed: 0, failed: 0, skipped: 0 }
  const failed = reasons.length > 0 || counts.failed > 0
  const lines = [
    ...(reasons.length === 0 ? [] : [`failed: ${reasons.join('; ')}`]),
    `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
  ]
  return { lines, status: failed ? 1 : 0 }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, ...steps] = process.argv.slice(2)
  const statuses = Object.fromEntries(steps.map(step => step.split('=')).map(([name, status]) => [name, Number(status)]))
  const { lines, status } = summarise(file === undefined ? '' : readFileSync(file, 'utf8'), statuses)
  process.stdout.write(lines.join('\n') + '\n')
  process.exitCode = status
}
