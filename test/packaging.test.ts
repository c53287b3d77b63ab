import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'

/**
 * The package as users receive it: the tarball `npm pack` produces, installed with npm into an
 * empty project next to fastify, then loaded with `require`, `import` and TypeScript. The tarball
 * is built and packed from a copy of the repository, so the `dist/` that other test files load is
 * never rebuilt under them.
 */

t.setTimeout(600_000)

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

function run (command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: cleanEnvironment(), maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`))
        else resolve(stdout)
      })
  })
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
  await run('npm', ['install', packed.tarball, 'fastify@5', 'typescript@5', '@types/node@20',
    '--no-audit', '--no-fund', '--prefer-offline'], consumer)
})

t.teardown(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true })
})

t.test('the tarball holds the built package and no sources or tests', async t => {
  // dist/package.json marks the build as CommonJS inside a package of ES modules.
  for (const file of ['package.json', 'README.md', 'index.cjs', 'index.mjs', 'index.d.mts', 'dist/index.js', 'dist/index.d.ts', 'dist/package.json']) {
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
    const source: 'header' | 'default' = served.source
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

async function compile (name: string, file: string): Promise<void> {
  await writeFile(join(consumer, `tsconfig.${name}.json`), JSON.stringify({
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      strict: true,
      types: ['node'],
      // The package's declarations and those of its dependencies must compile for a strict consumer too.
      skipLibCheck: false,
      outDir: 'build'
    },
    files: [file]
  }))
  await node([join('node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${name}.json`], consumer)
}

t.test('TypeScript, compiled to CommonJS (module NodeNext, strict)', async t => {
  await writeFile(join(consumer, 'index.ts'), typescriptConsumer)
  await compile('commonjs', 'index.ts')
  t.same(JSON.parse(await node([join('build', 'index.js')], consumer)), [...expectedAnswers('Harness-Version'), typedAnswer],
    'it type-checks, and each request is served by its version')
})

t.test('TypeScript, compiled to ESM (.mts, module NodeNext, strict)', async t => {
  await writeFile(join(consumer, 'esm.mts'), typescriptConsumer.replace('main().catch', 'await main().catch'))
  await compile('esm', 'esm.mts')
  t.same(JSON.parse(await node([join('build', 'esm.mjs')], consumer)), [...expectedAnswers('Harness-Version'), typedAnswer],
    'it type-checks, and each request is served by its version')
})
