import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Fastify from 'fastify'
import t from 'tap'
import dateVersioning from '../lib/index.js'
import { runCli, type CliIo } from '../lib/contract/index.js'

/**
 * `fastify-date-versioning types`: the TypeScript types of each version of the example API,
 * written by openapi-typescript from the version's OpenAPI document. The types committed under
 * types/moves-api (which types/client.test-d.ts checks) are the command's output, as it is now.
 */

const committed = resolve('types/moves-api')

async function cli (argv: string[], modules: Record<string, Record<string, unknown>> = {}, inCwd = true) {
  const out = await mkdtemp(join(tmpdir(), 'typegen-'))
  t.teardown(() => rm(out, { recursive: true, force: true }))
  const run = { code: -1, stdout: '', stderr: '', out }
  const io: CliIo = {
    stdout: text => { run.stdout += text },
    stderr: text => { run.stderr += text },
    ...inCwd ? { cwd: out } : {},
    ...Object.keys(modules).length === 0 ? {} : { importModule: async (url: string) => modules[url.slice(url.lastIndexOf('/') + 1)] as Record<string, unknown> }
  }
  run.code = await runCli(argv, io)
  return run
}

t.test('writes one file per released version, the very files committed under types/moves-api', async t => {
  const run = await cli(['types', '--app', resolve('examples/app.ts') + '#buildApp', '--out', 'generated'])
  t.equal(run.stderr, '')
  t.equal(run.code, 0)
  const versions = ['2022-03-01', '2024-09-01', '2025-11-05']
  t.same(run.stdout.trim().split('\n'), versions.map(version => join('generated', `${version}.d.ts`)), 'active and deprecated versions, not the sunset one nor the preview')
  t.same((await readdir(join(run.out, 'generated'))).sort(), (await readdir(committed)).sort())
  for (const version of versions) {
    const written = await readFile(join(run.out, 'generated', `${version}.d.ts`), 'utf8')
    t.equal(written, await readFile(join(committed, `${version}.d.ts`), 'utf8'),
      `${version}: up to date (regenerate: node --import tsx bin/fastify-date-versioning.mjs types --app examples/app.ts#buildApp --out types/moves-api)`)
    t.match(written, `Types of the API at version ${version} (send Api-Version: ${version})`)
  }
})

t.test('--version writes one version, a preview included; --scope chooses the registration', async t => {
  const app = async () => {
    const server = Fastify()
    await server.register(async scope => {
      await scope.register(dateVersioning, { versions: [{ version: '2024-01-01' }, { version: '2030-01-01', preview: true }] })
      scope.get('/items', { constraints: { apiVersion: '2024-01-01' }, schema: { response: { 200: { type: 'object', properties: { label: { type: 'string' } } } } } }, async () => ({}))
      scope.get('/items', { constraints: { apiVersion: '2030-01-01' }, schema: { response: { 200: { type: 'object', properties: { title: { type: 'string' } } } } } }, async () => ({}))
    }, { prefix: '/v2' })
    await server.register(async scope => {
      await scope.register(dateVersioning, { versions: [{ version: '2020-01-01' }] })
    }, { prefix: '/v1' })
    return server
  }
  const run = await cli(['types', '--app', 'app.mjs', '--scope', '/v2', '--version', '2030-01-01'], { 'app.mjs': { default: app } })
  t.equal(run.code, 0, run.stderr)
  t.same(run.stdout, `${join('api-types', '2030-01-01.d.ts')}\n`, 'the default folder is api-types')
  const absolute = await cli(['types', '--app', 'app.mjs', '--scope', '/v2', '--version', '2030-01-01', '--out', run.out], { 'app.mjs': { default: app } }, false)
  t.same([absolute.code, absolute.stdout], [0, `${join(run.out, '2030-01-01.d.ts')}\n`], 'an absolute --out, wherever the command runs')
  const written = await readFile(join(run.out, 'api-types', '2030-01-01.d.ts'), 'utf8')
  t.match(written, /"\/v2\/items": \{/)
  t.match(written, /title\?: string;/)
  t.notMatch(written, /label/)
})

t.test('help, usage errors and failures exit with the reason', async t => {
  const help = await cli(['types', '--help'])
  t.same([help.code, help.stderr], [0, ''])
  t.match(help.stdout, /^Usage: fastify-date-versioning types --app <module>\[#export\]/)
  for (const [argv, reason] of [
    [['types'], 'error: --app <module>[#export] is required.'],
    [['types', '--app', ''], 'error: --app <module>[#export] is required.'],
    [['types', '--app', 'app.mjs', '--format', 'json'], "error: Unknown option '--format'"],
    [['types', 'app.mjs'], 'error: Unexpected argument \'app.mjs\'']
  ] as Array<[string[], string]>) {
    const run = await cli(argv)
    t.equal(run.code, 2, argv.join(' '))
    t.match(run.stderr, reason)
    t.match(run.stderr, /Usage: fastify-date-versioning types/)
  }
  const unknown = await cli(['types', '--app', resolve('examples/app.ts') + '#buildApp', '--version', '2023-01-01'])
  t.same([unknown.code, unknown.stdout], [2, ''])
  t.match(unknown.stderr, /^error: fastify-date-versioning: "2023-01-01" is not a declared version\. Declared versions: 2020-06-12, /)
  const broken = await cli(['types', '--app', 'app.mjs'], { 'app.mjs': { default: async () => { throw new Error('no database') } } })
  t.same([broken.code, broken.stderr], [2, 'error: the application failed to start: no database\n'])
})
