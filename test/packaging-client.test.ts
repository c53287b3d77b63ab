import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'
import { build } from './helpers.js'

/**
 * `fastify-date-versioning/client` as users receive it: the tarball `npm pack` produces, installed
 * into an empty project, loaded with `require`, `import` and TypeScript, the last compiled without
 * Node's types (as for a browser) to prove the client's declarations need none. Each consumer
 * fetches from a server of the plugin started by this test. The package is packed from a copy of
 * the repository, so the `dist/` other test files load is never rebuilt under them.
 */

t.setTimeout(600_000)

const repository = resolve(process.cwd())

/** Test runners and coverage tools hook child Node processes through these; the package must load without them. */
function cleanEnvironment (): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_V8_COVERAGE' || key.startsWith('_TAPJS_') || key.startsWith('TAP')) delete env[key]
  }
  return env
}

interface Outcome { code: number, stdout: string, stderr: string }

function run (command: string, args: string[], cwd: string): Promise<Outcome> {
  return new Promise(resolve => {
    execFile(command, args, { cwd, env: cleanEnvironment(), maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, stdout, stderr) => { resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }) })
  })
}

async function succeed (command: string, args: string[], cwd: string): Promise<string> {
  const outcome = await run(command, args, cwd)
  if (outcome.code !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${outcome.stdout}\n${outcome.stderr}`)
  return outcome.stdout
}

let work: string
let files: string[]
let consumer: string
let base: string

t.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'fastify-date-versioning-client-pack-'))
  const staging = join(work, 'package')
  const skip = new Set(['node_modules', '.git', 'dist', 'coverage', '.tap'])
  await mkdir(staging)
  for (const entry of await readdir(repository)) {
    if (!skip.has(entry)) await cp(join(repository, entry), join(staging, entry), { recursive: true })
  }
  await symlink(join(repository, 'node_modules'), join(staging, 'node_modules'), 'junction')
  const output = await succeed('npm', ['pack', '--json', '--pack-destination', work], staging)
  const [report] = JSON.parse(output.slice(output.search(/^\[/m))) as Array<{ filename: string, files: Array<{ path: string }> }>
  files = report?.files.map(file => file.path) ?? []
  consumer = join(work, 'consumer')
  await mkdir(consumer)
  await succeed('npm', ['init', '-y'], consumer)
  // No openapi-typescript: the client and the plugin work without it; only the types command needs it.
  await succeed('npm', ['install', join(work, report?.filename as string), 'fastify@5', 'typescript@5', '--no-audit', '--no-fund', '--prefer-offline'], consumer)

  const app = await build({ links: { successorVersion: 'https://api.example.com/changelog#{version}' } })
  for (const version of ['2022-05-18', '2024-03-01']) app.get('/moves', { constraints: { apiVersion: version } }, async () => ({ version }))
  base = await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
})

t.teardown(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true })
})

t.test('the tarball holds the client entries and its build', async t => {
  for (const file of ['client.cjs', 'client.mjs', 'client.d.mts', 'dist/client/index.js', 'dist/client/index.d.ts']) {
    t.ok(files.includes(file), `${file} is in the tarball`)
  }
})

/** What every consumer prints: a deprecated version read and announced, a preview refused then served by the fallback. */
const expected = {
  served: '2023-01-10',
  deprecation: '2024-01-01T00:00:00.000Z',
  successor: 'https://api.example.com/changelog#2024-03-01',
  warnings: ['API_VERSION_DEPRECATED', 'API_VERSION_SUNSET'],
  problem: { isVersionProblemError: true, code: 'ApiVersionNotImplemented', latestVersion: '2024-03-01' },
  fellBack: { status: 200, body: { version: '2024-03-01' }, from: '2027-01-15' }
}

const consumerBody = `
  const warnings = []
  process.on('warning', warning => { warnings.push(warning.code) })
  const url = process.argv[2] + '/moves'
  const deprecated = await createVersionedFetch({ version: '2023-06-01' })(url)
  const read = versioningOf(deprecated)
  const refused = await createVersionedFetch({ version: '2027-01-15' })(url)
  const problem = versioningOf(refused).problem
  const fellBack = await createVersionedFetch({ version: '2027-01-15', fallbackVersion: '2024-03-01' })(url)
  await new Promise(resolve => setImmediate(resolve))
  process.stdout.write(JSON.stringify({
    served: read.served,
    deprecation: read.deprecation.toISOString(),
    successor: read.links.successorVersion,
    warnings,
    problem: { isVersionProblemError: problem instanceof VersionProblemError, code: problem.code, latestVersion: problem.latestVersion },
    fellBack: { status: fellBack.status, body: await fellBack.json(), from: versioningOf(fellBack).fallback.from }
  }))
`

t.test('CommonJS: require(\'fastify-date-versioning/client\')', async t => {
  await writeFile(join(consumer, 'client.cjs'), `'use strict'
const { createVersionedFetch, versioningOf, VersionProblemError } = require('fastify-date-versioning/client')
async function main () {
  ${consumerBody}
}
main().catch(error => { console.error(error); process.exitCode = 1 })
`)
  t.same(JSON.parse(await succeed(process.execPath, ['client.cjs', base], consumer)), expected)
})

t.test('ESM: import from \'fastify-date-versioning/client\', the same classes as require()', async t => {
  await writeFile(join(consumer, 'client.mjs'), `import { createRequire } from 'node:module'
import { createVersionedFetch, versioningOf, VersionProblemError } from 'fastify-date-versioning/client'
const required = createRequire(import.meta.url)('fastify-date-versioning/client')
if (required.VersionProblemError !== VersionProblemError) throw new Error('two classes')
${consumerBody}
`)
  t.same(JSON.parse(await succeed(process.execPath, ['client.mjs', base], consumer)), expected)
})

t.test('TypeScript without Node\'s types (DOM and ES2022 only), strict, ESM and CommonJS', async t => {
  const source = `import { createVersionedFetch, versioningOf, VersionProblemError, type ResponseVersioning, type VersionNotice } from 'fastify-date-versioning/client'

export async function check (url: string): Promise<string> {
  const notices: VersionNotice[] = []
  const versionedFetch = createVersionedFetch({ version: '2023-06-01', onNotice: notice => { notices.push(notice) } })
  const response: Response = await versionedFetch(url)
  const read: ResponseVersioning | undefined = versioningOf(response)
  const served: string | null = read?.served ?? null
  const problem: VersionProblemError | null = read?.problem ?? null
  return JSON.stringify({ served, problem: problem?.code ?? null, notices: notices.map(notice => notice.code) })
}
`
  for (const [name, file, module] of [['esm', 'typed.mts', 'NodeNext'], ['cjs', 'typed.cts', 'NodeNext']] as const) {
    await writeFile(join(consumer, file), source)
    await writeFile(join(consumer, `tsconfig.${name}.json`), JSON.stringify({
      compilerOptions: { module, moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: false, outDir: `build-${name}` },
      files: [file]
    }))
    const compiled = await run(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${name}.json`], consumer)
    t.same(compiled, { code: 0, stdout: '', stderr: '' }, `${name}: it type-checks`)
  }
  const ran = await succeed(process.execPath, ['--input-type=module', '-e', `import { check } from './build-esm/typed.mjs'; process.stdout.write(await check(${JSON.stringify(base + '/moves')}))`], consumer)
  t.same(JSON.parse(ran), { served: '2023-01-10', problem: null, notices: ['API_VERSION_DEPRECATED', 'API_VERSION_SUNSET'] })
})

t.test('the types command says how to install openapi-typescript when it is missing', async t => {
  await writeFile(join(consumer, 'app.mjs'), `import Fastify from 'fastify'
import dateVersioning from 'fastify-date-versioning'
export default async () => { const app = Fastify(); await app.register(dateVersioning, { versions: [{ version: '2024-03-01' }] }); return app }
`)
  const outcome = await run(process.execPath, [join('node_modules', '.bin', 'fastify-date-versioning'), 'types', '--app', 'app.mjs'], consumer)
  t.same(outcome, { code: 2, stdout: '', stderr: 'error: the types command needs openapi-typescript: npm install --save-dev openapi-typescript\n' })
})
