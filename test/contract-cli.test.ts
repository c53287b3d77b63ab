import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Fastify from 'fastify'
import t from 'tap'
import { runCli, type CliIo } from '../lib/contract/index.js'
import dateVersioning from '../lib/index.js'
import { shop, versions } from './contract-apps.js'
import { at } from './helpers.js'

// `fastify-date-versioning contract …` as a user runs it: arguments in, exit code and output out.

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Modules the CLI can load, by file name, as their exports. */
type Modules = Record<string, Record<string, unknown>>

const released = { default: async () => shop() }

async function folder (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'contract-cli-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function cli (argv: string[], modules: Modules = { 'app.mjs': released }, cwd?: string): Promise<Run> {
  const run = { code: -1, stdout: '', stderr: '' }
  const io: CliIo = {
    stdout: text => { run.stdout += text },
    stderr: text => { run.stderr += text },
    cwd: cwd ?? await folder(),
    importModule: async url => {
      const found = modules[basename(fileURLToPath(url))]
      if (found === undefined) throw new Error(`Cannot find module '${fileURLToPath(url)}'\n    at somewhere`)
      return found
    }
  }
  run.code = await runCli(argv, io)
  return run
}

t.test('--help prints the usage and the exit codes', async t => {
  for (const argv of [['--help'], ['contract', 'check', '-h']]) {
    const run = await cli(argv)
    t.equal(run.code, 0)
    t.match(run.stdout, /^Usage: fastify-date-versioning contract <command> --app <module>\[#export\]/)
    t.match(run.stdout, /Exit codes:\n {2}0 {2}done; check found no breaking change\n {2}1 {2}check found a breaking change/)
    t.match(run.stdout, /node --import tsx node_modules\/\.bin\/fastify-date-versioning/)
    t.equal(run.stderr, '')
  }
})

t.test('usage errors exit 2 with the reason and the usage', async t => {
  const cases: Array<[string[], string]> = [
    [[], 'expected "contract snapshot", "contract check" or "contract diff"; received "".'],
    [['contract', 'publish', '--app', 'app.mjs'], 'expected "contract snapshot", "contract check" or "contract diff"; received "contract publish".'],
    [['contract', 'check', 'extra', '--app', 'app.mjs'], 'expected "contract snapshot", "contract check" or "contract diff"; received "contract check extra".'],
    [['contract', 'check'], '--app <module>[#export] is required.'],
    [['contract', 'check', '--app', 'app.mjs', '--format', 'yaml'], '--format must be text, json or markdown; received "yaml".'],
    [['contract', 'snapshot', '--app', 'app.mjs', '--update'], '--update applies to check only.'],
    [['contract', 'diff', '--app', 'app.mjs', '--allow-new'], '--allow-new applies to check only.'],
    [['contract', 'check', '--app', 'app.mjs', '--from', '2023-01-01'], '--from and --to apply to diff only.'],
    [['contract', 'check', '--app', 'app.mjs', '--colour'], "Unknown option '--colour'"]
  ]
  for (const [argv, reason] of cases) {
    const run = await cli(argv)
    t.equal(run.code, 2, argv.join(' '))
    t.ok(run.stderr.startsWith(`error: ${reason}`), 'the reason first')
    t.match(run.stderr, /\n\nUsage: /)
    t.equal(run.stdout, '')
  }
})

t.test('snapshot then check: exit 0, files under --dir, relative to the working directory', async t => {
  const cwd = await folder()
  const snapshot = await cli(['contract', 'snapshot', '--app', 'app.mjs', '--dir', 'api/contracts'], undefined, cwd)
  t.equal(snapshot.code, 0)
  t.equal(snapshot.stdout, [
    'Contract snapshots in api/contracts: 2 released version(s)',
    '  2023-01-01  written  api/contracts/2023-01-01.json',
    '  2024-03-01  written  api/contracts/2024-03-01.json',
    ''
  ].join('\n'))
  t.same((await readdir(join(cwd, 'api/contracts'))).sort(), ['2023-01-01.json', '2024-03-01.json'])
  const check = await cli(['contract', 'check', '--app', 'app.mjs', '--dir', 'api/contracts'], undefined, cwd)
  t.equal(check.code, 0)
  t.equal(check.stdout, [
    'Contract check against api/contracts: passed',
    '  2020-01-01  skipped (sunset)',
    '  2023-01-01  unchanged',
    '  2024-03-01  unchanged',
    '  2027-01-15  skipped (preview)',
    'No breaking change.',
    ''
  ].join('\n'))
  t.equal(check.stderr, '')
})

t.test('check exits 1 on a breaking change, with a readable report', async t => {
  const cwd = await folder()
  await cli(['contract', 'snapshot', '--app', 'app.mjs'], undefined, cwd)
  const modules = { 'app.mjs': { default: async () => shop('breaking') } }
  const run = await cli(['contract', 'check', '--app', 'app.mjs', '--update'], modules, cwd)
  t.equal(run.code, 1)
  t.equal(run.stdout, [
    'Contract check against contracts: FAILED',
    '  2020-01-01  skipped (sunset)',
    '  2023-01-01  BREAKING: 1 breaking',
    '      breaking   response-required-property-removed: GET /items/{id} response.200.body /name: property removed',
    '  2024-03-01  unchanged',
    '  2027-01-15  skipped (preview)',
    '1 version(s) break their released contract: serve the change from a new version instead.',
    ''
  ].join('\n'))
  const markdown = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'markdown'], modules, cwd)
  t.equal(markdown.code, 1)
  t.match(markdown.stdout, /\n## 2023-01-01\n\n- \*\*breaking\*\* `response-required-property-removed` `GET \/items\/\{id\}` response\.200\.body \/name: property removed\n/)
})

t.test('check accepts a compatible change; --update rewrites the snapshot', async t => {
  const cwd = await folder()
  await cli(['contract', 'snapshot', '--app', 'app.mjs'], undefined, cwd)
  const modules = { 'app.mjs': { default: () => shop('compatible') } }
  const run = await cli(['contract', 'check', '--app', 'app.mjs'], modules, cwd)
  t.equal(run.code, 0)
  t.match(run.stdout, /\n {2}2024-03-01 {2}changed: 1 compatible\n {6}compatible response-optional-property-added: GET \/items\/\{id\} response\.200\.body \/colour: optional property added\n/)
  const updated = await cli(['contract', 'check', '--app', 'app.mjs', '--update'], modules, cwd)
  t.equal(updated.code, 0)
  t.match(updated.stdout, /2024-03-01 {2}changed: 1 compatible \(snapshot written\)/)
  t.match(await readFile(join(cwd, 'contracts', '2024-03-01.json'), 'utf8'), /"colour"/)
  const after = await cli(['contract', 'check', '--app', 'app.mjs'], modules, cwd)
  t.match(after.stdout, /2024-03-01 {2}unchanged/)
})

t.test('a released version without a snapshot fails the check, naming the command that freezes it', async t => {
  const cwd = await folder()
  const missing = await cli(['contract', 'check', '--app', 'app.mjs'], undefined, cwd)
  t.equal(missing.code, 1, 'a release nobody froze is a release nobody guards')
  t.match(missing.stdout, /^Contract check against contracts: FAILED\n/)
  t.match(missing.stdout, /\n {2}2023-01-01 {2}NO SNAPSHOT: released, but its contract is not frozen\n/)
  t.match(missing.stdout, /No breaking change\. 2 released version\(s\) have no snapshot, so nothing guards their contract: freeze them with `fastify-date-versioning contract snapshot` \(or `contract check --update`\) and commit the files, or pass --allow-new to accept them unfrozen\.\n$/)
  t.same(await readdir(cwd), [], 'nothing written')

  const json = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'json'], undefined, cwd)
  t.equal(json.code, 1)
  t.match(JSON.parse(json.stdout), { ok: false, allowNew: false })

  const allowed = await cli(['contract', 'check', '--app', 'app.mjs', '--allow-new'], undefined, cwd)
  t.equal(allowed.code, 0, '--allow-new accepts them')
  t.match(allowed.stdout, /^Contract check against contracts: passed\n/)
  t.match(allowed.stdout, /\n {2}2023-01-01 {2}no snapshot \(accepted by --allow-new\)\n/)
  t.match(allowed.stdout, /No breaking change\. 2 released version\(s\) have no snapshot, accepted by --allow-new: freeze them with `fastify-date-versioning contract snapshot`/)
  t.same(await readdir(cwd), [], '--allow-new writes nothing')

  const frozen = await cli(['contract', 'snapshot', '--app', 'app.mjs'], undefined, cwd)
  t.equal(frozen.code, 0)
  const guarded = await cli(['contract', 'check', '--app', 'app.mjs'], undefined, cwd)
  t.equal(guarded.code, 0, 'once frozen by the command the report names, the check passes')
})

t.test('previews change freely; missing snapshots are written by --update', async t => {
  const cwd = await folder()
  const modules = { 'app.mjs': { default: () => shop('preview') } }
  const written = await cli(['contract', 'check', '--app', 'app.mjs', '--update'], modules, cwd)
  t.match(written.stdout, /2023-01-01 {2}no snapshot \(snapshot written\)\n/)
  t.match(written.stdout, /No breaking change\.\n$/)
  const preview = await cli(['contract', 'check', '--app', 'app.mjs'], undefined, cwd)
  t.equal(preview.code, 0)
  t.match(preview.stdout, /2027-01-15 {2}skipped \(preview\)/)
})

t.test('check formats: json for tools, markdown for a pull request', async t => {
  const cwd = await folder()
  await cli(['contract', 'snapshot', '--app', 'app.mjs'], undefined, cwd)
  await writeFile(join(cwd, 'contracts', '2022-06-01.json'), '{}\n')
  const modules = { 'app.mjs': { default: () => shop('no-scheme') } }

  const json = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'json'], modules, cwd)
  t.equal(json.code, 1)
  const result = JSON.parse(json.stdout)
  t.equal(result.ok, false)
  t.same(result.versions.map((v: { version: string, outcome: string }) => [v.version, v.outcome]), [
    ['2020-01-01', 'skipped'], ['2022-06-01', 'undeclared'], ['2023-01-01', 'breaking'], ['2024-03-01', 'breaking'], ['2027-01-15', 'skipped']
  ])
  t.equal(result.versions[2].changes[0].id, 'api-security-component-removed')

  const markdown = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'markdown'], modules, cwd)
  t.equal(markdown.code, 1)
  t.match(markdown.stdout, /^# Contract check: failed\n\n\| version \| status \| result \|\n\|---\|---\|---\|\n/)
  t.match(markdown.stdout, /\| 2022-06-01 \| undeclared \| BREAKING: snapshot of a version the application no longer declares \|/)
  t.match(markdown.stdout, /\| 2023-01-01 \| active \| BREAKING: 1 breaking \|/)
  t.match(markdown.stdout, /\n## 2023-01-01\n\n- \*\*breaking\*\* `api-security-component-removed` components\.securitySchemes \/apiKey: security scheme removed\n/)
  t.match(markdown.stdout, /\n3 version\(s\) break their released contract/)

  const unfrozen = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'markdown'], { 'app.mjs': { default: () => shop('compatible') } }, await folder())
  t.match(unfrozen.stdout, /^# Contract check: failed\n/)
  t.match(unfrozen.stdout, /\| 2023-01-01 \| active \| NO SNAPSHOT: released, but its contract is not frozen \|/)
  const passing = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'markdown', '--allow-new'], { 'app.mjs': { default: () => shop('compatible') } }, await folder())
  t.match(passing.stdout, /^# Contract check: passed\n/)
  t.match(passing.stdout, /\| 2023-01-01 \| active \| no snapshot \(accepted by --allow-new\) \|/)
})

t.test('a change no rule classifies is reported as such', async t => {
  const cwd = await folder()
  await cli(['contract', 'snapshot', '--app', 'app.mjs'], undefined, cwd)
  const run = await cli(['contract', 'check', '--app', 'app.mjs', '--format', 'markdown'], { 'app.mjs': { default: () => shop('description') } }, cwd)
  t.equal(run.code, 0)
  t.match(run.stdout, /\| 2024-03-01 \| active \| changed: no classified change \|/)
})

t.test('snapshot formats', async t => {
  const json = await cli(['contract', 'snapshot', '--app', 'app.mjs', '--dir', 'c', '--format', 'json'])
  t.same(JSON.parse(json.stdout).versions.map((v: { outcome: string }) => v.outcome), ['written', 'written'])
  t.equal(JSON.parse(json.stdout).dir, 'c')
  const markdown = await cli(['contract', 'snapshot', '--app', 'app.mjs', '--dir', 'c', '--format', 'markdown'])
  t.equal(markdown.stdout, '# Contract snapshots in `c`\n\n| version | file | outcome |\n|---|---|---|\n| 2023-01-01 | `c/2023-01-01.json` | written |\n| 2024-03-01 | `c/2024-03-01.json` | written |\n')
})

t.test('diff: the latest released version against the one before, or the versions named', async t => {
  const latest = await cli(['contract', 'diff', '--app', 'app.mjs'])
  t.equal(latest.code, 0)
  t.equal(latest.stdout, 'Changes from 2023-01-01 to 2024-03-01: 1 compatible\n  compatible response-required-property-added: GET /items/{id} response.200.body /price: required property added\n')
  const markdown = await cli(['contract', 'diff', '--app', 'app.mjs', '--to', '2027-01-15', '--format', 'markdown'], { 'app.mjs': { default: () => shop('preview') } })
  t.equal(markdown.stdout, [
    '## Changes from 2024-03-01 to 2027-01-15', '',
    '### Breaking', '',
    '- `GET /items/{id}`: response.200.body /name: property removed (`response-required-property-removed`)',
    '- `GET /items/{id}`: response.200.body /price: property removed (`response-required-property-removed`)',
    ''
  ].join('\n'))
  const json = await cli(['contract', 'diff', '--app', 'app.mjs', '--from', '2020-01-01', '--to', '2024-03-01', '--format', 'json'])
  t.same(JSON.parse(json.stdout).changes.map((c: { id: string }) => c.id), ['endpoint-added'])
  const same = await cli(['contract', 'diff', '--app', 'app.mjs', '--from', '2024-03-01', '--format', 'markdown'])
  t.equal(same.stdout, '## Changes from 2024-03-01 to 2024-03-01\n\nNo change to the contract.\n')
})

t.test('diff errors: no version before, no released version, an undeclared version', async t => {
  const first = await cli(['contract', 'diff', '--app', 'app.mjs', '--to', '2020-01-01'])
  t.same([first.code, first.stderr], [2, 'error: no version is declared before 2020-01-01; name one with --from.\n'])
  const sunsetOnly = async () => {
    const app = Fastify()
    await app.register(dateVersioning, { versions: [{ version: '2020-01-01', sunset: '2021-01-01' }], now: at() })
    return app
  }
  const none = await cli(['contract', 'diff', '--app', 'app.mjs'], { 'app.mjs': { default: sunsetOnly } })
  t.same([none.code, none.stderr], [2, 'error: the application has no released version; name one with --to.\n'])
  const undeclared = await cli(['contract', 'diff', '--app', 'app.mjs', '--from', '2021-01-01'])
  t.equal(undeclared.code, 2)
  t.match(undeclared.stderr, /^error: fastify-date-versioning: "2021-01-01" is not a declared version\. Declared versions: 2020-01-01, 2023-01-01, 2024-03-01, 2027-01-15\.\n$/)
})

t.test('loading the application: exports, instances and failures, each a one-line reason with exit 2', async t => {
  const instance = await shop()
  const named = await cli(['contract', 'check', '--app', 'app.mjs#api', '--allow-new'], { 'app.mjs': { api: instance } })
  t.equal(named.code, 0, 'a named export holding a Fastify instance')
  t.match(named.stdout, /passed/)

  const failing: Array<[string, Modules, string]> = [
    ['missing.mjs', {}, "error: cannot load missing.mjs: Cannot find module '"],
    ['app.mjs#build', { 'app.mjs': { default: released.default, versions } }, 'error: app.mjs has no export named "build"; its exports: default, versions. Name one with --app app.mjs#<export>.\n'],
    ['empty.mjs', { 'empty.mjs': {} }, 'error: empty.mjs has no export named "default"; its exports: none. Name one with --app empty.mjs#<export>.\n'],
    ['app.mjs', { 'app.mjs': { default: { port: 3000 } } }, 'error: export "default" of app.mjs is neither a Fastify instance nor a function returning one.\n'],
    ['app.mjs', { 'app.mjs': { default: () => null } }, 'error: export "default" of app.mjs is neither a Fastify instance nor a function returning one.\n'],
    // eslint-disable-next-line prefer-promise-reject-errors
    ['app.mjs', { 'app.mjs': { default: async () => Promise.reject('no database') } }, 'error: the application failed to start: no database\n'],
    ['app.mjs', {
      'app.mjs': {
        default: () => {
          const app = Fastify()
          app.register(async () => { throw new Error('cannot reach the database\nat connect') })
          return app
        }
      }
    }, 'error: the application failed to start: cannot reach the database\n'],
    ['app.mjs#app', { 'app.mjs': { app: Fastify().register(async () => { throw new Error('bad plugin') }) } }, 'error: the application failed to start: bad plugin\n'],
    ['app.mjs', { 'app.mjs': { default: () => Fastify() } }, 'error: fastify-date-versioning: the application does not register fastify-date-versioning on this instance; pass the instance (or scope) the plugin is registered on.\n']
  ]
  for (const [app, modules, reason] of failing) {
    const run = await cli(['contract', 'check', '--app', app], modules)
    t.equal(run.code, 2, app)
    t.ok(run.stderr.startsWith(reason), 'the reason')
    t.equal(run.stderr.split('\n').length, 2, 'one line')
    t.equal(run.stdout, '')
  }
})

t.test('the application is started with ready(), never listen(), and closed', async t => {
  const app = await shop()
  let listened = false
  app.addHook('onListen', async () => { listened = true })
  const run = await cli(['contract', 'diff', '--app', 'app.mjs#app'], { 'app.mjs': { app } })
  t.equal(run.code, 0)
  t.equal(listened, false)
  t.equal(app.server.listening, false)
  await t.rejects(app.inject('/health'), 'closed afterwards')
})

t.test('by default, modules are imported by path from the working directory: the example API and its committed snapshots', async t => {
  t.equal(process.cwd(), fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, ''), 'run from the package root')
  const run = { stdout: '', stderr: '' }
  const io: CliIo = { stdout: text => { run.stdout += text }, stderr: text => { run.stderr += text } }
  const code = await runCli(['contract', 'check', '--app', 'examples/app.ts#buildApp', '--dir', 'examples/contracts'], io)
  t.equal(code, 0, run.stderr)
  t.match(run.stdout, /^Contract check against examples\/contracts: passed\n {2}2020-06-12 {2}skipped \(sunset\)\n {2}2022-03-01 {2}unchanged\n/)
  const missing = await runCli(['contract', 'check', '--app', 'examples/no-such-app.ts'], io)
  t.equal(missing, 2)
  t.match(run.stderr, /^error: cannot load examples\/no-such-app\.ts: /)
})

/**
 * A folder where `tsx` is installed as npm installs it: a package whose main export is the loader
 * that `node --import tsx` runs. Importing the loader is what the CLI does; the importer of the test
 * below plays Node, which then runs TypeScript.
 */
async function withTsx (): Promise<string> {
  const root = await folder()
  const tsx = join(root, 'node_modules', 'tsx')
  await mkdir(join(tsx, 'dist'), { recursive: true })
  await writeFile(join(tsx, 'package.json'), JSON.stringify({ name: 'tsx', type: 'module', exports: { '.': './dist/loader.mjs' } }))
  await writeFile(join(tsx, 'dist', 'loader.mjs'), '')
  return root
}

/** Runs the CLI with an importer that behaves as Node does with TypeScript: refused until tsx is loaded. */
async function typescriptCli (argv: string[], cwd: string, app: Record<string, unknown> | Error = released): Promise<Run & { imported: string[] }> {
  const run = { code: -1, stdout: '', stderr: '', imported: [] as string[] }
  let tsx = false
  const io: CliIo = {
    stdout: text => { run.stdout += text },
    stderr: text => { run.stderr += text },
    cwd,
    importModule: async url => {
      run.imported.push(url)
      if (url.endsWith('/node_modules/tsx/dist/loader.mjs')) {
        tsx = true
        return {}
      }
      if (!tsx) throw Object.assign(new TypeError(`Unknown file extension ".ts" for ${fileURLToPath(url)}`), { code: 'ERR_UNKNOWN_FILE_EXTENSION' })
      if (app instanceof Error) throw app
      return app
    }
  }
  run.code = await runCli(argv, io)
  return run
}

t.test('a TypeScript application loads through tsx, found beside the application or in the working directory', async t => {
  const project = await withTsx()
  const inCwd = await typescriptCli(['contract', 'check', '--app', 'src/app.ts', '--allow-new'], project)
  t.equal(inCwd.code, 0, inCwd.stderr)
  t.match(inCwd.stdout, /^Contract check against contracts: passed\n/)
  const app = pathToFileURL(join(project, 'src', 'app.ts')).href
  t.same(inCwd.imported, [app, pathToFileURL(join(project, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, `${app}?tsx`],
    'refused, then tsx is loaded and the application imported again')

  const elsewhere = await folder()
  const beside = await typescriptCli(['contract', 'check', '--app', join(project, 'src', 'app.ts'), '--allow-new'], elsewhere)
  t.equal(beside.code, 0, 'tsx installed in the application, the CLI run from another folder')

  const broken = await typescriptCli(['contract', 'check', '--app', 'src/app.ts'], project, new SyntaxError('Unexpected token (3:7)\n  at transform'))
  t.equal(broken.code, 2)
  t.equal(broken.stderr, 'error: cannot load src/app.ts: Unexpected token (3:7)\n', 'what tsx says of the application, in one line')
})

t.test('a TypeScript application without tsx exits 2, saying how to run it', async t => {
  const bare = await folder()
  const run = await typescriptCli(['contract', 'check', '--app', 'src/app.ts'], bare)
  t.equal(run.code, 2)
  t.equal(run.stderr, 'error: cannot load src/app.ts: Node cannot run TypeScript by itself, and tsx is not installed in the application or the working directory. ' +
    'Install it (npm install --save-dev tsx), or run the CLI under a TypeScript loader: node --import tsx node_modules/.bin/fastify-date-versioning …\n')
  t.equal(run.stdout, '')

  const javascript = await typescriptCli(['contract', 'check', '--app', 'src/app.js'], bare)
  t.match(javascript.stderr, /^error: cannot load src\/app\.js: Unknown file extension "\.ts"/, 'only TypeScript files are retried')
})

/** An application with the plugin registered twice, in /v1 and in /v2, each with its own timeline. */
async function primaryVersions (): Promise<ReturnType<typeof Fastify>> {
  const app = Fastify()
  const timelines = { '/v1': ['2020-01-01'], '/v2': ['2023-01-01', '2024-03-01'] }
  for (const [prefix, dates] of Object.entries(timelines)) {
    await app.register(async scope => {
      await scope.register(dateVersioning, { versions: dates.map(version => ({ version })), now: at() })
      for (const version of dates) {
        scope.get('/items', { constraints: { apiVersion: version }, schema: { response: { 200: { type: 'object', properties: { [`at${version.slice(0, 4)}`]: { type: 'string' } } } } } }, async () => ({}))
      }
    }, { prefix })
  }
  return app
}

t.test('--scope chooses one of several registrations by its prefix', async t => {
  const modules = { 'app.mjs': { default: primaryVersions } }
  const ambiguous = await cli(['contract', 'snapshot', '--app', 'app.mjs'], modules)
  t.equal(ambiguous.code, 2)
  t.equal(ambiguous.stderr, 'error: the application registers fastify-date-versioning in 2 scopes (/v1, /v2); choose one with --scope <prefix>, each with its own --dir.\n')

  const cwd = await folder()
  const v2 = await cli(['contract', 'snapshot', '--app', 'app.mjs', '--scope', '/v2', '--dir', 'contracts/v2'], modules, cwd)
  t.equal(v2.code, 0, v2.stderr)
  t.same(await readdir(join(cwd, 'contracts/v2')), ['2023-01-01.json', '2024-03-01.json'])
  const document = JSON.parse(await readFile(join(cwd, 'contracts/v2/2024-03-01.json'), 'utf8'))
  t.same(Object.keys(document.paths), ['/v2/items'], 'the scope\'s own routes, with their prefix')
  const v1 = await cli(['contract', 'check', '--app', 'app.mjs', '--scope', '/v1', '--dir', 'contracts/v2'], modules, cwd)
  t.equal(v1.code, 1, 'v2\'s snapshots are not v1\'s versions')
  t.match(v1.stdout, /2023-01-01 {2}BREAKING: snapshot of a version the application no longer declares/)

  const unknown = await cli(['contract', 'diff', '--app', 'app.mjs', '--scope', '/v3'], modules)
  t.equal(unknown.code, 2)
  t.equal(unknown.stderr, 'error: --scope /v3 names no registration of fastify-date-versioning; the application registers it at: /v1, /v2.\n')
  const none = await cli(['contract', 'diff', '--app', 'app.mjs', '--scope', '/v1'], { 'app.mjs': { default: () => Fastify() } })
  t.equal(none.stderr, 'error: --scope /v1 names no registration of fastify-date-versioning; the application registers it at: none.\n')
  const root = await cli(['contract', 'diff', '--app', 'app.mjs', '--scope', '/', '--from', '2023-01-01', '--to', '2024-03-01'], { 'app.mjs': released })
  t.equal(root.code, 0, 'a registration at the root is named /')
})
