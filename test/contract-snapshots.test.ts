import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import { checkContracts, contractOf, diffContracts, formatDiff, snapshotContracts } from '../lib/contract/index.js'
import dateVersioning, { ApiVersionUsageError, type DateVersioningOptions } from '../lib/index.js'
import { shop, versions, type Variant } from './contract-apps.js'
import { at } from './helpers.js'

// The contract guard through its exported functions: snapshots of released versions, checks against them.

async function started (variant?: Variant, options?: Partial<DateVersioningOptions>): Promise<FastifyInstance> {
  const app = await shop(variant, options)
  await app.ready()
  t.teardown(() => app.close())
  return app
}

async function folder (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'contracts-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const read = async (dir: string, version: string): Promise<string> => readFile(join(dir, `${version}.json`), 'utf8')

t.test('contractOf is the document the docs route serves, without the lifecycle that follows the clock', async t => {
  const app = await started()
  const contract = await contractOf(app, '2024-03-01')
  const served = (await app.inject('/api-versions/2024-03-01/openapi.json')).json()
  const { 'x-api-lifecycle': lifecycle, ...info } = served.info
  t.equal(lifecycle.status, 'active')
  t.same(contract, { ...served, info })
  t.equal((contract.info as { version: string }).version, '2024-03-01')
  t.same(Object.keys(contract.paths as object), ['/health', '/items/{id}'])
  t.same(await app.apiVersions.document('2024-03-01'), contract, 'the same document from fastify.apiVersions')
})

t.test('contractOf works without the docs option', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at() })
  app.get('/items', { constraints: { apiVersion: '2023-01-01' } }, async () => [])
  await app.ready()
  t.teardown(() => app.close())
  const contract = await contractOf(app, '2023-01-01')
  t.same(contract.info, { title: '@fastify/swagger', version: '2023-01-01' }, "@fastify/swagger's default title")
  t.ok((contract.paths as Record<string, unknown>)['/items'])
  t.equal((await app.inject('/api-versions')).statusCode, 404, 'no documentation route is added')
})

t.test('before ready(), a document holds the routes declared so far; from ready() on, the routes are final', async t => {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs: true })
  t.teardown(() => app.close())
  app.get('/items', { constraints: { apiVersion: '2023-01-01' } }, async () => [])
  t.same(Object.keys((await contractOf(app, '2023-01-01')).paths as object), ['/items'])
  app.get('/orders', { constraints: { apiVersion: '2023-01-01' } }, async () => [])
  t.same(Object.keys((await contractOf(app, '2023-01-01')).paths as object), ['/items', '/orders'], 'a route declared since is in the next one')
  await app.ready()
  const served = (await app.inject('/api-versions/2023-01-01/openapi.json')).json()
  t.same(Object.keys(served.paths), ['/items', '/orders'])
  t.same(Object.keys((await contractOf(app, '2023-01-01')).paths as object), Object.keys(served.paths), 'the docs route and the contract agree')
})

t.test('a caller changing its document changes neither the next one nor what the docs route serves', async t => {
  const app = await started()
  const mine = await app.apiVersions.document('2024-03-01') as { paths: Record<string, unknown>, info: Record<string, unknown> }
  const served = (await app.inject('/api-versions/2024-03-01/openapi.json')).json()
  const { 'x-api-lifecycle': lifecycle, ...info } = served.info
  t.ok(lifecycle)
  delete mine.paths['/health']
  mine.info.title = 'changed'
  t.same(await contractOf(app, '2024-03-01'), { ...served, info }, 'the next document is whole')
  t.same((await app.inject('/api-versions/2024-03-01/openapi.json')).json(), served, 'the docs route serves what it served')
})

t.test('the tools take any { versions, document() }: app.apiVersions, or a stand-in', async t => {
  const app = await started()
  const dir = await folder()
  await snapshotContracts(app.apiVersions, dir)
  t.same((await snapshotContracts(app, dir)).versions.map(v => v.outcome), ['unchanged', 'unchanged'], 'app.apiVersions wrote what the application has')
  const document = async (version: string) => ({ openapi: '3.1.0', info: { version }, paths: version === '2024-03-01' ? {} : { '/x': { get: { responses: {} } } } })
  const standIn = { versions: [{ version: '2023-01-01', status: 'active' as const }, { version: '2024-03-01', status: 'active' as const }], document }
  t.same((await diffContracts(standIn, '2023-01-01', '2024-03-01')).changes.map(change => change.level), ['breaking'], 'a removed path, from the stand-in\'s documents')
  const checked = await checkContracts(standIn, dir)
  t.same(checked.versions.map(v => [v.version, v.outcome]), [['2023-01-01', 'breaking'], ['2024-03-01', 'breaking']], 'compared with the application\'s snapshots')
})

t.test('contractOf names the declared versions, or the missing plugin', async t => {
  const app = await started()
  await t.rejects(contractOf(app, '2023-06-01'), { code: 'ERR_API_VERSION_USAGE', message: /"2023-06-01" is not a declared version\. Declared versions: 2020-01-01, 2023-01-01, 2024-03-01, 2027-01-15/ })
  const bare = Fastify()
  t.teardown(() => bare.close())
  // The caller's mistake, not the application's configuration: a usage error.
  const expected = new ApiVersionUsageError('the application does not register fastify-date-versioning on this instance; pass the instance (or scope) the plugin is registered on.')
  await t.rejects(contractOf(bare, '2023-01-01'), { code: 'ERR_API_VERSION_USAGE', message: expected.message })
  await t.rejects(snapshotContracts(bare, await folder()), { code: 'ERR_API_VERSION_USAGE' }, 'every contract function')
})

t.test('snapshot writes released versions that are not sunset, as sorted pretty JSON', async t => {
  const dir = join(await folder(), 'nested', 'contracts')
  const result = await snapshotContracts(await started(), dir)
  t.same(result.versions.map(v => [v.version, v.outcome]), [['2023-01-01', 'written'], ['2024-03-01', 'written']])
  t.equal(result.versions[0]?.file, join(dir, '2023-01-01.json'))
  t.same((await readdir(dir)).sort(), ['2023-01-01.json', '2024-03-01.json'], 'no sunset or preview snapshot')
  const saved = await read(dir, '2024-03-01')
  t.ok(saved.endsWith('}\n'), 'a final newline')
  t.match(saved, /^\{\n {2}"components": \{\n/, 'two-space indentation, keys sorted')
  t.same(JSON.parse(saved), await contractOf(await started(), '2024-03-01'))

  const again = await snapshotContracts(await started('released', { now: at('2026-02-01T00:00:00Z') }), dir)
  t.same(again.versions.map(v => v.outcome), ['unchanged', 'unchanged'], 'the clock moving changes nothing')
  t.equal(await read(dir, '2024-03-01'), saved)

  const breaking = await started('breaking')
  await snapshotContracts(breaking, dir)
  t.same(JSON.parse(await read(dir, '2023-01-01')), await contractOf(breaking, '2023-01-01'), 'snapshot accepts every change, breaking ones too')
})

t.test('snapshot reports a snapshot path it cannot read', async t => {
  const dir = await folder()
  await mkdir(join(dir, '2023-01-01.json'))
  await t.rejects(snapshotContracts(await started(), dir), { code: 'EISDIR' })
})

t.test('check passes while every released contract matches its snapshot', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  const result = await checkContracts(await started(), dir)
  t.equal(result.ok, true)
  t.equal(result.dir, dir)
  t.same(result.versions.map(v => [v.version, v.status, v.outcome, v.written]), [
    ['2020-01-01', 'sunset', 'skipped', false],
    ['2023-01-01', 'active', 'unchanged', false],
    ['2024-03-01', 'active', 'unchanged', false],
    ['2027-01-15', 'preview', 'skipped', false]
  ])
})

t.test('check fails on a breaking change to a released version, and update does not accept it', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  const before = await read(dir, '2023-01-01')
  for (const update of [false, true]) {
    const result = await checkContracts(await started('breaking'), dir, { update })
    t.equal(result.ok, false)
    const check = result.versions.find(v => v.version === '2023-01-01')
    t.equal(check?.outcome, 'breaking')
    t.equal(check?.written, false)
    t.same(check?.changes.map(c => [c.level, c.id, c.method, c.path, c.pointer]), [
      ['breaking', 'response-required-property-removed', 'GET', '/items/{id}', '/name']
    ])
    t.equal(await read(dir, '2023-01-01'), before, 'the snapshot is kept')
  }
})

t.test('check accepts a compatible change, and update rewrites the snapshot', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  const released = await read(dir, '2024-03-01')
  const result = await checkContracts(await started('compatible'), dir)
  t.equal(result.ok, true)
  const check = result.versions.find(v => v.version === '2024-03-01')
  t.equal(check?.outcome, 'changed')
  t.same(check?.changes.map(c => [c.level, c.id, c.pointer]), [['compatible', 'response-optional-property-added', '/colour']])
  t.equal(check?.written, false)
  t.equal(await read(dir, '2024-03-01'), released, 'not rewritten without update')

  const updated = await checkContracts(await started('compatible'), dir, { update: true })
  t.equal(updated.versions.find(v => v.version === '2024-03-01')?.written, true)
  t.match(await read(dir, '2024-03-01'), /"colour"/)
  const after = await checkContracts(await started('compatible'), dir)
  t.same(after.versions.map(v => v.outcome), ['skipped', 'unchanged', 'unchanged', 'skipped'])
})

t.test('a change no rule classifies is a change without findings, which update accepts', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  const result = await checkContracts(await started('description'), dir, { update: true })
  const check = result.versions.find(v => v.version === '2024-03-01')
  t.same([check?.outcome, check?.changes, check?.written], ['changed', [], true])
  t.match(await read(dir, '2024-03-01'), /"description": "One item"/)
})

t.test('a preview changes freely until it is released', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  const result = await checkContracts(await started('preview'), dir)
  t.equal(result.ok, true)
  t.same(result.versions.find(v => v.version === '2027-01-15'), {
    version: '2027-01-15', status: 'preview', outcome: 'skipped', changes: [], written: false, file: join(dir, '2027-01-15.json')
  })
})

t.test('a released version without a snapshot fails the check unless accepted, and is written by update', async t => {
  const dir = await folder()
  const result = await checkContracts(await started(), join(dir, 'none-yet'))
  t.equal(result.ok, false, 'nothing guards a release nobody froze')
  t.same(result.versions.map(v => v.outcome), ['skipped', 'missing', 'missing', 'skipped'])
  const accepted = await checkContracts(await started(), join(dir, 'none-yet'), { allowNew: true })
  t.equal(accepted.ok, true, 'allowNew accepts them')
  t.equal(accepted.allowNew, true)
  t.same(accepted.versions.map(v => [v.outcome, v.written]), [['skipped', false], ['missing', false], ['missing', false], ['skipped', false]])
  t.same(await readdir(dir), [], 'allowNew writes nothing')
  const updated = await checkContracts(await started(), dir, { update: true })
  t.equal(updated.ok, true, 'written, so guarded from now on')
  t.same(updated.versions.map(v => [v.outcome, v.written]), [['skipped', false], ['missing', true], ['missing', true], ['skipped', false]])
  t.same((await readdir(dir)).sort(), ['2023-01-01.json', '2024-03-01.json'])
})

t.test('a snapshot of a version the application no longer declares fails the check', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  await writeFile(join(dir, '2022-06-01.json'), '{}\n')
  await writeFile(join(dir, 'README.md'), 'Contracts of the released versions.\n')
  const result = await checkContracts(await started(), dir)
  t.equal(result.ok, false)
  t.same(result.versions.map(v => [v.version, v.outcome]), [
    ['2020-01-01', 'skipped'], ['2022-06-01', 'undeclared'], ['2023-01-01', 'unchanged'], ['2024-03-01', 'unchanged'], ['2027-01-15', 'skipped']
  ])
  t.equal(result.versions[1]?.status, null)
})

t.test('a removed security scheme is a breaking change outside any operation', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  const result = await checkContracts(await started('no-scheme'), dir)
  t.equal(result.ok, false)
  t.same(result.versions.find(v => v.version === '2023-01-01')?.changes.map(c => [c.id, c.method, c.path, c.location]), [
    ['api-security-component-removed', undefined, undefined, 'components.securitySchemes']
  ])
})

t.test('a snapshot that is not a JSON object stops the check with the file named', async t => {
  const dir = await folder()
  await snapshotContracts(await started(), dir)
  for (const content of ['{ "paths": ', '[]']) {
    await writeFile(join(dir, '2023-01-01.json'), content)
    await t.rejects(checkContracts(await started(), dir), {
      message: `fastify-date-versioning: ${join(dir, '2023-01-01.json')} is not a contract snapshot (a JSON object); restore it from version control or delete it and run the snapshot command.`
    })
  }
})

t.test('diff lists the changes between two versions of the application', async t => {
  const app = await started()
  const diff = await diffContracts(app, '2023-01-01', '2024-03-01')
  t.same([diff.from, diff.to], ['2023-01-01', '2024-03-01'])
  t.same(diff.changes.map(c => [c.level, c.id, c.pointer]), [['compatible', 'response-required-property-added', '/price']])
  t.same((await diffContracts(app, '2024-03-01', '2024-03-01')).changes, [])
  await t.rejects(diffContracts(app, '2023-01-01', '2025-01-01'), { message: /"2025-01-01" is not a declared version/ })
})

t.test('a diff report names changes outside any operation by their location', async t => {
  const change = { id: 'api-security-component-removed', level: 'breaking' as const, location: 'components.securitySchemes', pointer: '/apiKey', message: 'components.securitySchemes /apiKey: security scheme removed' }
  const result = { from: '2023-01-01', to: '2024-03-01', changes: [change] }
  t.equal(formatDiff(result, 'markdown'), '## Changes from 2023-01-01 to 2024-03-01\n\n### Breaking\n\n- components.securitySchemes /apiKey: security scheme removed (`api-security-component-removed`)\n')
  t.equal(formatDiff(result, 'text'), 'Changes from 2023-01-01 to 2024-03-01: 1 breaking\n  breaking   api-security-component-removed: components.securitySchemes /apiKey: security scheme removed\n')
})
