import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { summarise as summariseLog } from '../.ci/summary.mjs'

// The closing lines of .ci/run come from .ci/summary.mjs, given the output of `npm test` (samples
// below, shaped as npm, tsc, eslint, c8 and tap print them) and each step's exit status; the last
// test runs the script as .ci/run does. The line counts skipped tests, a failure that is not a test's is named on the line
// before it, and a run whose tap summary is missing fails.

const script = fileURLToPath(new URL('../.ci/summary.mjs', import.meta.url))

/** What .ci/run prints last and its exit status, for a log and the steps' statuses (`npm-test=1`). */
async function summarise (log: string, steps: string[]): Promise<{ stdout: string, status: number }> {
  const { lines, status } = summariseLog(log, Object.fromEntries(steps.map(step => step.split('=')).map(([name, value]) => [name, Number(value)])))
  return { stdout: lines.join('\n') + '\n', status }
}

const banner = (script: string, command: string) => `\n> fastify-date-versioning@0.1.0 ${script}\n> ${command}\n\n`
const before = banner('test', 'npm run build && npm run lint && npm run typecheck && tsd && c8 tap') +
  banner('build', 'rm -rf dist && tsc -p tsconfig.build.json') + banner('lint', 'eslint .') + banner('typecheck', 'tsc --noEmit')
const tap = (summary: string, failures = '') => `TAP version 14\n# Subtest: test/smoke.test.ts\n    ok 1 - answers\n    1..1\nok 1 - test/smoke.test.ts # time=12ms\n${failures}\n# ${summary}\n# time=6400ms\n`
const coverage = '-----------|---------|\nFile       | % Stmts |\nAll files  |   100   |\n'
const passed = ['npm-ci=0', 'npm-test=0', 'contract=0']

t.test('a run where every test passes, one skipped: the line counts the skipped test, the run passes', async t => {
  const run = await summarise(before + tap('{ total: 801, pass: 800, skip: 1 }') + coverage, passed)
  t.same(run, { stdout: 'tests: 800 passed, 0 failed, 1 skipped\n', status: 0 })
})

t.test('a run with failing tests: the counts say it, with no other reason, and the run fails', async t => {
  const failures = 'not ok 2 - test/model.test.ts # time=900ms\n'
  const run = await summarise(before + tap('{ total: 800, pass: 797, fail: 2, skip: 1 }', failures), ['npm-ci=0', 'npm-test=1', 'contract=0'])
  t.same(run, { stdout: 'tests: 797 passed, 2 failed, 1 skipped\n', status: 1 })
})

t.test('tests pass but coverage is short: the reason is named and the run fails', async t => {
  const log = before + tap('{ total: 800, pass: 800 }') + 'ERROR: Coverage for lines (99.82%) does not meet global threshold (100%)\n' + coverage
  const run = await summarise(log, ['npm-ci=0', 'npm-test=1', 'contract=0'])
  t.same(run, { stdout: 'failed: coverage below 100%\ntests: 800 passed, 0 failed, 0 skipped\n', status: 1 })
})

t.test('tests pass but the contract check fails: the reason is named and the run fails', async t => {
  const run = await summarise(before + tap('{ total: 800, pass: 800 }') + coverage, ['npm-ci=0', 'npm-test=0', 'contract=1'])
  t.same(run, { stdout: 'failed: contract check\ntests: 800 passed, 0 failed, 0 skipped\n', status: 1 })
})

t.test("tap's summary is missing while npm test exits 0: the run fails, saying so", async t => {
  const run = await summarise(before + 'TAP version 14\n# Subtest: test/smoke.test.ts\n', passed)
  t.same(run, { stdout: 'failed: tap printed no summary, so no test can be counted\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
})

t.test('a step before the tests fails: the step is named', async t => {
  const lint = banner('test', 'npm run build && npm run lint') + banner('build', 'tsc') + banner('lint', 'eslint .') +
    '/repo/lib/plugin.ts\n  3:1  error  Unexpected var  no-var\n\n✖ 1 problem (1 error, 0 warnings)\n'
  t.same(await summarise(lint, ['npm-ci=0', 'npm-test=1', 'contract=0']), { stdout: 'failed: lint\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
  const typecheck = before + "lib/plugin.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n"
  t.same(await summarise(typecheck, ['npm-ci=0', 'npm-test=2', 'contract=0']), { stdout: 'failed: typecheck\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
  const tsd = before + '\n  types/index.test-d.ts:12:3\n  ✖  12:3  Argument of type number is not assignable.\n\n  1 error\n'
  t.same(await summarise(tsd, ['npm-ci=0', 'npm-test=1', 'contract=0']), { stdout: 'failed: type tests (tsd)\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
  const build = banner('test', 'npm run build') + banner('build', 'tsc') + "lib/a.ts(1,1): error TS1005: ';' expected.\n"
  t.same(await summarise(build, ['npm-ci=0', 'npm-test=2', 'contract=0']), { stdout: 'failed: build\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
  t.same(await summarise('npm error code EUSAGE\n', ['npm-ci=1']), { stdout: 'failed: npm ci\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
})

t.test('tap stops without its summary while npm test fails: the reason is named', async t => {
  const run = await summarise(before + 'TAP version 14\n# Subtest: test/smoke.test.ts\n', ['npm-ci=0', 'npm-test=1', 'contract=0'])
  t.same(run, { stdout: 'failed: tap stopped without its summary\ntests: 0 passed, 0 failed, 0 skipped\n', status: 1 })
})

t.test('run as .ci/run runs it, the script prints the lines and exits with the status of the run', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-summary-'))
  const log = join(dir, 'npm-test.log')
  writeFileSync(log, before + tap('{ total: 800, pass: 800 }') + 'ERROR: Coverage for lines (99.82%) does not meet global threshold (100%)\n')
  const run = await new Promise<{ stdout: string, code: number | null }>(resolve => {
    execFile(process.execPath, [script, log, 'npm-ci=0', 'npm-test=1', 'contract=0'], { encoding: 'utf8' }, (error, stdout) => {
      resolve({ stdout, code: error === null ? 0 : Number(error.code) })
    })
  })
  t.same(run, { stdout: 'failed: coverage below 100%\ntests: 800 passed, 0 failed, 0 skipped\n', code: 1 })
})
