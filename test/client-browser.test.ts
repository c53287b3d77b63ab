import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import cors from '@fastify/cors'
import Fastify from 'fastify'
import { chromium } from 'playwright-core'
import t from 'tap'
import ts from 'typescript'
import { build } from './helpers.js'

/**
 * The client in a real browser (headless Chromium), on another origin than the API: the page is
 * served from one loopback port, the API (with @fastify/cors) from another. The client's modules
 * are served as they are built, one ES module per file, with nothing bundled or shimmed in: a
 * Node-only import would fail to load. Runs only where Chromium is installed, and says so otherwise.
 */

const CHROMIUM = '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): the client was not run in a browser`

/** lib/client/*.ts as browser ES modules, by file name (`index.js`…): types erased, imports untouched. */
async function clientModules (): Promise<Map<string, string>> {
  const dir = resolve('lib/client')
  const modules = new Map<string, string>()
  for (const file of (await readdir(dir)).filter(name => name.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(await readFile(join(dir, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false }
    })
    modules.set(file.replace(/\.ts$/, '.js'), outputText)
  }
  return modules
}

t.test('a page on another origin reads the version headers, hears the deprecation and falls back from the preview', { skip }, async t => {
  const page = Fastify()
  const api = await build({ warning: true, links: { successorVersion: 'https://api.example.com/changelog#{version}' } })
  const modules = await clientModules()
  page.get('/', async (_request, reply) => reply.type('text/html').send('<!doctype html><title>client</title>'))
  page.get('/client/:file', async (request, reply) => {
    const source = modules.get((request.params as { file: string }).file)
    return source === undefined ? reply.code(404).send() : reply.type('text/javascript').send(source)
  })
  const pageOrigin = await page.listen({ host: '127.0.0.1', port: 0 })
  await api.register(cors, { origin: pageOrigin })
  for (const version of ['2022-05-18', '2024-03-01', '2027-01-15']) {
    api.get('/moves', { constraints: { apiVersion: version } }, async (request) => ({ servedBy: request.apiVersion?.version }))
  }
  const apiOrigin = await api.listen({ host: '127.0.0.1', port: 0 })

  const profile = await mkdtemp(join(tmpdir(), 'client-browser-'))
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS })
  t.teardown(async () => {
    await browser.close()
    await Promise.all([page.close(), api.close()])
    await rm(profile, { recursive: true, force: true })
  })
  const tab = await browser.newPage()
  const warnings: string[] = []
  tab.on('console', message => { if (message.type() === 'warning') warnings.push(message.text()) })
  const failed: string[] = []
  tab.on('requestfailed', request => { failed.push(request.url()) })
  await tab.goto(`${pageOrigin}/`)

  // Plain JavaScript, as a page would have it (a function here would be rewritten by the test's compiler).
  const script = `(async () => {
    const client = await import('/client/index.js')
    const describe = async (response) => {
      const read = client.versioningOf(response)
      return {
        status: response.status,
        body: await response.json(),
        served: read.served,
        requested: read.requested,
        deprecation: read.deprecation?.toISOString() ?? null,
        sunset: read.sunset?.toISOString() ?? null,
        successor: read.links.successorVersion,
        warnings: read.warnings,
        unparsable: read.unparsable,
        fallback: read.fallback === null ? null : { from: read.fallback.from, retried: read.fallback.retried, code: read.fallback.refusal.code },
        hasProcess: typeof globalThis.process !== 'undefined'
      }
    }
    const deprecated = client.createVersionedFetch({ version: '2023-06-01' })
    const first = await describe(await deprecated('${apiOrigin}/moves'))
    await Promise.all(Array.from({ length: 10 }, () => deprecated('${apiOrigin}/moves')))
    const preview = client.createVersionedFetch({ version: '2027-01-15', fallbackVersion: '2024-03-01' })
    const fellBack = await describe(await preview('${apiOrigin}/moves'))
    return { first, fellBack }
  })()`
  const results = await tab.evaluate(script) as { first: unknown, fellBack: unknown }

  t.same(failed, [], 'every module of the client loaded')
  t.same(results.first, {
    status: 200,
    body: { servedBy: '2023-01-10' },
    served: '2023-01-10',
    requested: '2023-06-01',
    deprecation: '2024-01-01T00:00:00.000Z',
    sunset: '2026-06-30T23:59:59.000Z',
    successor: 'https://api.example.com/changelog#2024-03-01',
    warnings: ['API version 2023-01-10 is deprecated and will stop being served on Tue, 30 Jun 2026 23:59:59 GMT'],
    unparsable: [],
    fallback: null,
    hasProcess: false
  }, 'the version headers crossed origins')
  t.same(results.fellBack, {
    status: 200,
    body: { servedBy: '2024-03-01' },
    served: '2024-03-01',
    requested: '2024-03-01',
    deprecation: null,
    sunset: null,
    successor: null,
    warnings: [],
    unparsable: [],
    fallback: { from: '2027-01-15', retried: true, code: 'ApiVersionNotImplemented' },
    hasProcess: false
  }, 'the preview\'s problem document was read, and the fallback served')
  t.same(warnings, [
    'API version 2023-01-10 is deprecated since Mon, 01 Jan 2024 00:00:00 GMT; it stops being served on Tue, 30 Jun 2026 23:59:59 GMT. Successor: https://api.example.com/changelog#2024-03-01.',
    'API version 2023-01-10 stops being served on Tue, 30 Jun 2026 23:59:59 GMT. Successor: https://api.example.com/changelog#2024-03-01.'
  ], 'console.warn, once per kind for 11 requests')
})
