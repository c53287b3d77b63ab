import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { classifyChanges, formatDiff } from '../lib/contract/index.js'

/**
 * The package as users receive it: the tarball `npm pack` produces, installed with npm into an
 * empty project next to fastify, then loaded with `require`, `import` and TypeScript. The tarball
 * is built and packed from a copy of the repository, so the `dist/` that other test files load is
 * never rebuilt under them.
 */

// Six TypeScript set-ups are compiled; the first install may download the compilers.
t.setTimeout(1_200_000)

/**
 * The TypeScript compilers a consumer may have: 5.x, and 7.x (the native compiler, published as
 * `typescript` from 7.0 on). Each is installed once, under an alias, with the consumer's packages.
 */
const compilers = [{ name: 'TypeScript 5', alias: 'typescript5', range: '5' }, { name: 'TypeScript 7', alias: 'typescript7', range: '7' }]
const resolutions = ['node16', 'nodenext', 'bundler'] as const

// tap runs every test file from the project root.
const repository = resolve(process.cwd())
const versions = [{ version: '2022-05-18', changes: ['First release'] }, { version: '2024-03-01' }]

interface Packed {
  /** Absolute path of the tarball. */
  tarball: string
  /** Paths inside the tarball, as npm lists them. */
  files: string[]
}

interface Answer {
  status: number
  version: string | null
  vary: string | null
  body: unknown
}

/** Test runners and coverage tools hook child Node processes through these; the package must load without them. */
function cleanEnvironment (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_V8_COVERAGE' || key.startsWith('_TAPJS_') || key.startsWith('TAP')) delete env[key]
  }
  return env
}

interface Exit {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to its end, whatever its exit code. */
function exit (command: string, args: string[], cwd: string): Promise<Exit> {
  return new Promise(resolve => {
    execFile(command, args, { cwd, env: cleanEnvironment(), maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }))
  })
}

async function run (command: string, args: string[], cwd: string): Promise<string> {
  const { code, stdout, stderr } = await exit(command, args, cwd)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`)
  return stdout
}

const node = (args: string[], cwd: string) => run(process.execPath, args, cwd)

let work: string
let packed: Packed
let consumer: string

/** Copies the repository without its installs and build output, builds it and packs it. */
async function pack (): Promise<Packed> {
  const staging = join(work, 'package')
  const skip = new Set(['node_modules', '.git', 'dist', 'coverage', '.tap'])
  await mkdir(staging)
  for (const entry of await readdir(repository)) {
    if (!skip.has(entry)) await cp(join(repository, entry), join(staging, entry), { recursive: true })
  }
  await symlink(join(repository, 'node_modules'), join(staging, 'node_modules'), 'junction')
  const { scripts = {} } = JSON.parse(await readFile(join(staging, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  if (scripts.prepack === undefined && scripts.prepare === undefined) await run('npm', ['run', 'build'], staging)
  // Output of a prepack script, if any, comes before npm's JSON report.
  const output = await run('npm', ['pack', '--json', '--pack-destination', work], staging)
  const report = JSON.parse(output.slice(output.search(/^\[/m))) as Array<{ filename: string, files: Array<{ path: string }> }>
  const [{ filename, files }] = report as [typeof report[number]]
  return { tarball: join(work, filename), files: files.map(file => file.path) }
}

t.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fastify-date-versioning-pack-'))
  packed = await pack()
  consumer = join(work, 'consumer')
  await mkdir(consumer)
  await run('npm', ['init', '-y'], consumer)
  // @fastify/swagger and tsx for the contract CLI run on a TypeScript application.
  await run('npm', ['install', packed.tarball, 'fastify@5', '@fastify/swagger@9', 'tsx@4', '@types/node@20',
    ...compilers.map(({ alias, range }) => `${alias}@npm:typescript@${range}`), '--no-audit', '--no-fund', '--prefer-offline'], consumer)
})

t.teardown(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true })
})

t.test('the tarball holds the built package and no sources or tests', async t => {
  // dist/package.json marks the build as CommonJS inside a package of ES modules.
  for (const file of ['package.json', 'README.md', 'index.cjs', 'index.mjs', 'index.d.mts', 'dist/index.js', 'dist/index.d.ts', 'dist/package.json',
    'contract.cjs', 'contract.mjs', 'contract.d.mts', 'dist/contract/index.js', 'dist/contract/index.d.ts', 'bin/fastify-date-versioning.mjs']) {
    t.ok(packed.files.includes(file), `${file} is in the tarball`)
  }
  t.same(packed.files.filter(file => /^(lib|test|types|examples|bench|coverage|\.tap)\//.test(file)), [],
    'no source, test, example or tool directory is in the tarball')
  t.same(packed.files.filter(file => /\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file)), [], 'no TypeScript source is in the tarball')
})

/** The names dist/index.d.ts exports as values (not `export type`), as a user of the types sees them. */
async function valueExports (): Promise<string[]> {
  const declarations = await readFile(join(consumer, 'node_modules', 'fastify-date-versioning', 'dist', 'index.d.ts'), 'utf8')
  const names = new Set<string>()
  for (const [, list] of declarations.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const item of (list as string).split(',')) {
      const name = item.trim().split(/\s+as\s+/).pop()?.trim()
      if (name !== undefined && name !== '' && !item.trim().startsWith('type ')) names.add(name)
    }
  }
  for (const [, name] of declarations.matchAll(/^export declare (?:const|let|var|function|class|enum) (\w+)/gm)) names.add(name as string)
  return [...names].sort()
}

t.test('every value export of the type declarations exists in both entries', async t => {
  const names = await valueExports()
  // The declarations name these; a regression that drops one from the entries must show here.
  for (const name of ['dateVersioning', 'retired', 'openFeaturePreviewFlags', 'ApiVersionError', 'toProblem', 'errorCatalog']) {
    t.ok(names.includes(name), `dist/index.d.ts exports ${name}`)
  }
  await writeFile(join(consumer, 'exports.cjs'), `'use strict'
const entry = require('fastify-date-versioning')
const names = JSON.parse(process.argv[2])
process.stdout.write(JSON.stringify({
  entry: typeof entry,
  pluginName: entry[Symbol.for('fastify.display-name')],
  missing: names.filter(name => entry[name] === undefined)
}))
`)
  await writeFile(join(consumer, 'exports.mjs'), `import { createRequire } from 'node:module'
import * as entry from 'fastify-date-versioning'
const names = JSON.parse(process.argv[2])
const required = createRequire(import.meta.url)('fastify-date-versioning')
process.stdout.write(JSON.stringify({
  default: typeof entry.default,
  pluginName: entry.default[Symbol.for('fastify.display-name')],
  missing: names.filter(name => entry[name] === undefined),
  differentFromRequire: names.filter(name => entry[name] !== required[name])
}))
`)
  t.same(JSON.parse(await node(['exports.cjs', JSON.stringify(names)], consumer)),
    { entry: 'function', pluginName: 'fastify-date-versioning', missing: [] },
    'require() returns the plugin, carrying every named export')
  t.same(JSON.parse(await node(['exports.mjs', JSON.stringify(names)], consumer)),
    { default: 'function', pluginName: 'fastify-date-versioning', missing: [], differentFromRequire: [] },
    'import gives the plugin as default and every named export, the very values require() gives')
})

/** What each consumer prints: the answers to the same four requests. */
const expectedAnswers = (header: string): Answer[] => [
  { status: 200, version: '2022-05-18', vary: header, body: { name: 'A B', served: '2022-05-18' } },
  { status: 200, version: '2024-03-01', vary: header, body: { firstName: 'A', lastName: 'B' } },
  { status: 200, version: '2022-05-18', vary: header, body: { deleted: true } },
  { status: 404, version: null, vary: null, body: null }
]

/**
 * The app every consumer builds, in the syntax of that consumer; `header` is the version header,
 * `routes` more routes.
 */
const app = (header: string, routes = '') => `
  const app = Fastify()
  await app.register(dateVersioning, { header: '${header}', versions: ${JSON.stringify(versions)} })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => ({ name: 'A B', served: request.apiVersion?.version }))
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => ({ firstName: 'A', lastName: 'B' }))
  app.delete('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ deleted: true }))
  app.delete('/moves', { constraints: { apiVersion: '2024-03-01' } }, retired)
  ${routes}
  const requests = [['GET', '2023-06-01'], ['GET', '2024-05-01'], ['DELETE', '2023-06-01'], ['DELETE', '2024-05-01']]
  const answers = []
  for (const [method, version] of requests) {
    const res = await app.inject({ method, url: '/moves', headers: { '${header}': version } })
    const served = res.statusCode === 200
    answers.push({
      status: res.statusCode,
      version: served ? res.headers['${header.toLowerCase()}'] : null,
      vary: served ? res.headers.vary : null,
      body: served ? res.json() : null
    })
  }
`

t.test('CommonJS: require()', async t => {
  await writeFile(join(consumer, 'index.cjs'), `'use strict'
const Fastify = require('fastify')
const dateVersioning = require('fastify-date-versioning')
const retired = require('fastify-date-versioning').retired

async function main () {
  ${app('Api-Version')}
  await app.close()
  process.stdout.write(JSON.stringify(answers))
}
main().catch(error => { console.error(error); process.exitCode = 1 })
`)
  t.same(JSON.parse(await node(['index.cjs'], consumer)), expectedAnswers('Api-Version'), 'each request is served by its version')
})

t.test('ESM: import', async t => {
  await writeFile(join(consumer, 'index.mjs'), `import Fastify from 'fastify'
import dateVersioning, { retired, ApiVersionError } from 'fastify-date-versioning'

${app('Api-Version')}
// An application's error handler receives the plugin's errors as instances of the exported class.
const handled = Fastify()
handled.setErrorHandler((error, request, reply) => {
  reply.code(error.statusCode).send({ isApiVersionError: error instanceof ApiVersionError, code: error.code })
})
await handled.register(dateVersioning, { versions: ${JSON.stringify(versions)} })
handled.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({}))
const invalid = await handled.inject({ url: '/moves', headers: { 'api-version': 'yesterday' } })
answers.push({ status: invalid.statusCode, body: invalid.json() })
await Promise.all([app.close(), handled.close()])
process.stdout.write(JSON.stringify(answers))
`)
  t.same(JSON.parse(await node(['index.mjs'], consumer)), [
    ...expectedAnswers('Api-Version'),
    { status: 400, body: { isApiVersionError: true, code: 'InvalidApiVersion' } }
  ], 'each request is served by its version; the error handler sees an ApiVersionError')
})

/** What the TypeScript consumers' `/typed` route answers: `request.apiVersion`. */
const typedAnswer = { version: '2024-03-01', requested: '2024-05-01', source: 'header', status: 'active' }

/** The TypeScript consumer: `app` plus what only the type checker sees. */
const typescriptConsumer = `import Fastify from 'fastify'
import dateVersioning, { retired, type RequestApiVersion, type VersionStatus } from 'fastify-date-versioning'

async function main (): Promise<void> {
  ${app('Harness-Version', `app.get('/typed', { constraints: { apiVersion: '2024-03-01' } }, async (request) => {
    const served: RequestApiVersion | null = request.apiVersion
    if (served === null) throw new Error('a versioned route is always served by a version')
    const version: string = served.version
    const requested: string | null = served.requested
    const source: 'header' | 'default' | 'pin' = served.source
    const status: VersionStatus = served.status
    return { version, requested, source, status }
  })`).replace('const answers = []', 'const answers: unknown[] = []')
    .replace('const requests = ', "const requests: Array<['GET' | 'DELETE', string]> = ")}
  answers.push((await app.inject({ url: '/typed', headers: { 'Harness-Version': '2024-05-01' } })).json())
  await app.close()
  process.stdout.write(JSON.stringify(answers))
}

// Type-checked, never run: registering it would fail at start-up.
export function misdeclared (): void {
  const app = Fastify()
  // @ts-expect-error the apiVersion constraint is a version date written as a string
  app.get('/moves', { constraints: { apiVersion: 20240301 } }, async () => ({}))
  // @ts-expect-error versions is required
  app.register(dateVersioning, { header: 'Harness-Version' })
}

main().catch(error => { console.error(error); process.exitCode = 1 })
`

/** A contract that loses its only endpoint in the next version. */
const contractBefore = { openapi: '3.1.0', info: {}, paths: { '/moves': { get: { responses: { 200: { description: 'ok' } } } } } }

/** The contract tools from their own entry, typed: what a CI script written in TypeScript uses. */
const typescriptContractConsumer = `import Fastify from 'fastify'
import { checkContracts, classifyChanges, formatDiff, runCli, type CheckResult, type ContractChange, type DiffResult } from 'fastify-date-versioning/contract'

const before = ${JSON.stringify(contractBefore)}
const changes: ContractChange[] = classifyChanges(before, { ...before, paths: {} })
const diff: DiffResult = { from: '2022-05-18', to: '2024-03-01', changes }
process.stdout.write(JSON.stringify({ ids: changes.map(change => change.id), text: formatDiff(diff, 'text'), cli: typeof runCli }))

// Type-checked, never run.
export async function guard (): Promise<boolean> {
  const result: CheckResult = await checkContracts(Fastify(), 'contracts', { allowNew: true })
  // @ts-expect-error update is a boolean
  await checkContracts(Fastify(), 'contracts', { update: 'yes' })
  // @ts-expect-error the formats are text, json and markdown
  formatDiff(diff, 'yaml')
  return result.ok
}
`

/** What the contract consumer prints: what the sources (lib/) give, here from the packed build. */
function contractAnswer (): unknown {
  const changes = classifyChanges(contractBefore, { ...contractBefore, paths: {} })
  return { ids: changes.map(change => change.id), text: formatDiff({ from: '2022-05-18', to: '2024-03-01', changes }, 'text'), cli: 'function' }
}

type Resolution = typeof resolutions[number]

/**
 * The compiler's script, which its `bin/tsc` imports: the test runner hooks child Node processes with
 * a CommonJS loader, which cannot load TypeScript 7's extension-less ES module `bin/tsc`.
 */
const tsc = (alias: string): string => join('node_modules', alias, 'lib', 'tsc.js')

/**
 * Compiles `files` (one program) with the compiler `alias` into build/<name>, strict, checking the package's
 * declarations too; `bundler` is moduleResolution for Vite, tsup and other bundlers' projects.
 */
async function compile (alias: string, resolution: Resolution, name: string, files: string[]): Promise<string> {
  const outDir = join('build', name)
  await writeFile(join(consumer, `tsconfig.${name}.json`), JSON.stringify({
    compilerOptions: {
      module: resolution === 'bundler' ? 'ESNext' : resolution,
      moduleResolution: resolution,
      target: 'ES2022',
      strict: true,
      types: ['node'],
      // The package's declarations and those of its dependencies must compile for a strict consumer too.
      skipLibCheck: false,
      outDir
    },
    files
  }))
  await node([tsc(alias), '-p', `tsconfig.${name}.json`], consumer)
  return outDir
}

t.test('TypeScript consumers: default and named imports typed under node16, nodenext and bundler, with TypeScript 5 and 7', async t => {
  await writeFile(join(consumer, 'index.ts'), typescriptConsumer)
  await writeFile(join(consumer, 'esm.mts'), typescriptConsumer.replace('main().catch', 'await main().catch'))
  await writeFile(join(consumer, 'contract.mts'), typescriptContractConsumer)
  await writeFile(join(consumer, 'contract-cjs.ts'), typescriptContractConsumer)
  const versions = Object.fromEntries(await Promise.all(compilers.map(async ({ alias }) =>
    [alias, (await node([tsc(alias), '--version'], consumer)).trim()])))
  for (const { name, alias, range } of compilers) {
    t.match(versions[alias], new RegExp(`^Version ${range}\\.`), `${name} is installed`)
    for (const resolution of resolutions) {
      t.test(`${name}, moduleResolution ${resolution}`, async t => {
        const id = `${alias}-${resolution}`
        // A bundler project writes ES modules; node16 and nodenext projects may write either.
        const esm = await compile(alias, resolution, `${id}-esm`, ['esm.mts', 'contract.mts'])
        t.same(JSON.parse(await node([join(esm, 'esm.mjs')], consumer)), [...expectedAnswers('Harness-Version'), typedAnswer],
          'ESM (.mts): it type-checks, the default import is the typed plugin, and each request is served by its version')
        t.same(JSON.parse(await node([join(esm, 'contract.mjs')], consumer)), contractAnswer(), 'ESM: fastify-date-versioning/contract is typed')
        if (resolution === 'bundler') return
        const cjs = await compile(alias, resolution, `${id}-cjs`, ['index.ts', 'contract-cjs.ts'])
        t.same(JSON.parse(await node([join(cjs, 'index.js')], consumer)), [...expectedAnswers('Harness-Version'), typedAnswer],
          'CommonJS: it type-checks, and each request is served by its version')
        t.same(JSON.parse(await node([join(cjs, 'contract-cjs.js')], consumer)), contractAnswer(), 'CommonJS: fastify-date-versioning/contract is typed')
      })
    }
  }
})

t.test('fastify-date-versioning/contract: the same tools from require() and import, which the plugin\'s entry does not load', async t => {
  await writeFile(join(consumer, 'subpath.mjs'), `import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const plugin = await import('fastify-date-versioning')
const loadedWithPlugin = Object.keys(require.cache).filter(file => file.includes('/fastify-date-versioning/dist/contract/'))
const contract = await import('fastify-date-versioning/contract')
const required = require('fastify-date-versioning/contract')
const names = ['classifyChanges', 'contractOf', 'snapshotContracts', 'checkContracts', 'diffContracts', 'formatSnapshot', 'formatCheck', 'formatDiff', 'runCli']
process.stdout.write(JSON.stringify({
  loadedWithPlugin,
  inPluginEntry: names.filter(name => name in plugin || name in require('fastify-date-versioning')),
  functions: names.filter(name => typeof contract[name] === 'function'),
  differentFromRequire: names.filter(name => contract[name] !== required[name])
}))
`)
  await writeFile(join(consumer, 'subpath.cjs'), `'use strict'
const Fastify = require('fastify')
const dateVersioning = require('fastify-date-versioning')
async function main () {
  const app = Fastify()
  await app.register(dateVersioning, { versions: ${JSON.stringify(versions)} })
  await app.ready()
  const loaded = () => Object.keys(require.cache).filter(file => file.includes('/fastify-date-versioning/dist/contract/'))
  const withPlugin = loaded()
  const { classifyChanges } = require('fastify-date-versioning/contract')
  process.stdout.write(JSON.stringify({ withPlugin, classifier: typeof classifyChanges, afterRequire: loaded().length > 0 }))
  await app.close()
}
main().catch(error => { console.error(error); process.exitCode = 1 })
`)
  const names = ['classifyChanges', 'contractOf', 'snapshotContracts', 'checkContracts', 'diffContracts', 'formatSnapshot', 'formatCheck', 'formatDiff', 'runCli']
  t.same(JSON.parse(await node(['subpath.mjs'], consumer)), { loadedWithPlugin: [], inPluginEntry: [], functions: names, differentFromRequire: [] },
    'import: every tool, the very values require() gives; none of them in, or loaded by, the plugin\'s entry')
  t.same(JSON.parse(await node(['subpath.cjs'], consumer)), { withPlugin: [], classifier: 'function', afterRequire: true },
    'require: a started application has not loaded the contract tools; requiring the subpath does')
})

/** A TypeScript application in an ES module project, as a user's src/app.ts. */
const typescriptApp = `import Fastify, { type FastifyInstance } from 'fastify'
import dateVersioning from 'fastify-date-versioning'

export async function buildApp (): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify()
  await app.register(dateVersioning, { versions: ${JSON.stringify(versions)}, now: () => Date.parse('2025-01-01') })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' }, schema: { response: { 200: { type: 'object', properties: { name: { type: 'string' } } } } } }, async () => ({ name: 'A B' }))
  return app
}
`

t.test('the CLI runs a TypeScript application through the tsx the application has, and says what to do without it', async t => {
  const project = join(consumer, 'ts-app')
  await mkdir(join(project, 'src'), { recursive: true })
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'ts-app', type: 'module', private: true }))
  await writeFile(join(project, 'src', 'app.ts'), typescriptApp)
  const bin = join(consumer, 'node_modules', 'fastify-date-versioning', 'bin', 'fastify-date-versioning.mjs')

  const unfrozen = await exit(process.execPath, [bin, 'contract', 'check', '--app', 'src/app.ts#buildApp'], project)
  t.equal(unfrozen.code, 1, unfrozen.stderr)
  t.match(unfrozen.stdout, /^Contract check against contracts: FAILED\n {2}2022-05-18 {2}NO SNAPSHOT: released, but its contract is not frozen\n/)
  const snapshot = await exit(process.execPath, [bin, 'contract', 'snapshot', '--app', 'src/app.ts#buildApp'], project)
  t.equal(snapshot.code, 0, snapshot.stderr)
  t.same((await readdir(join(project, 'contracts'))).sort(), ['2022-05-18.json', '2024-03-01.json'])
  const check = await exit(process.execPath, [bin, 'contract', 'check', '--app', 'src/app.ts#buildApp'], project)
  t.equal(check.code, 0, check.stderr)
  t.match(check.stdout, /^Contract check against contracts: passed\n {2}2022-05-18 {2}unchanged\n {2}2024-03-01 {2}unchanged\n/)

  // Outside any project that has tsx.
  const bare = join(work, 'bare')
  await mkdir(bare)
  await writeFile(join(bare, 'app.ts'), typescriptApp)
  const refused = await exit(process.execPath, [bin, 'contract', 'check', '--app', 'app.ts#buildApp'], bare)
  t.equal(refused.code, 2)
  t.equal(refused.stderr, 'error: cannot load app.ts: Node cannot run TypeScript by itself, and tsx is not installed in the application or the working directory. ' +
    'Install it (npm install --save-dev tsx), or run the CLI under a TypeScript loader: node --import tsx node_modules/.bin/fastify-date-versioning …\n')
})
