import t, { type Test } from 'tap'
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { openFeaturePreviewFlags, type DateVersioningOptions } from '../lib/index.js'
import { build, collectLogs, http } from './helpers.js'

// Previews run only when their flag says yes for that very request; every failure of the flag
// check counts as "no" (501), is logged, and the server keeps serving.

async function server (t: Test, options: Partial<DateVersioningOptions>, logs = collectLogs()): Promise<{ app: FastifyInstance, ran: string[] }> {
  const ran: string[] = []
  const app = await build(options, { logger: logs.logger })
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => { ran.push('2024-03-01'); return 'released' })
  app.get('/moves', { constraints: { apiVersion: '2027-01-15' } }, async () => { ran.push('2027-01-15'); return 'preview' })
  app.get('/people', { constraints: { apiVersion: '2022-05-18' } }, async () => { ran.push('people'); return 'people' })
  t.teardown(() => app.close())
  return { app, ran }
}

const PREVIEW = { 'api-version': '2027-01-15' }

t.test('without isPreviewEnabled previews answer 501 and their handlers never run', async t => {
  const { app, ran } = await server(t, {})
  for (const method of ['GET', 'HEAD']) {
    const res = await http(app, '/moves', PREVIEW, method)
    t.equal(res.status, 501, method)
  }
  t.equal((await http(app, '/people', PREVIEW)).status, 501, 'a route unchanged in the preview is still behind the flag')
  t.same(ran, [])
})

t.test('the flag function receives the version and the Fastify request', async t => {
  const calls: Array<[string, string]> = []
  const { app, ran } = await server(t, {
    isPreviewEnabled: (version: string, request: FastifyRequest) => {
      calls.push([version, request.url])
      return request.headers['x-beta'] === 'yes'
    }
  })
  t.equal((await http(app, '/moves', { ...PREVIEW, 'x-beta': 'yes' })).body, 'preview')
  t.equal((await http(app, '/moves', { ...PREVIEW, 'x-beta': 'no' })).status, 501)
  t.equal((await http(app, '/moves', { 'api-version': '2024-03-01' })).body, 'released', 'no flag check for released versions')
  t.same(calls, [['2027-01-15', '/moves'], ['2027-01-15', '/moves']])
  t.same(ran, ['2027-01-15', '2024-03-01'])
})

t.test('an async flag is awaited', async t => {
  const { app } = await server(t, { isPreviewEnabled: async (_v: string, request: FastifyRequest) => request.headers['x-beta'] === 'yes' })
  t.equal((await http(app, '/moves', { ...PREVIEW, 'x-beta': 'yes' })).body, 'preview')
  t.equal((await http(app, '/moves', PREVIEW)).status, 501)
})

t.test('a scheduled version (dated in the future, not declared preview) is a preview until its day', async t => {
  const { app } = await server(t, {
    versions: [{ version: '2022-05-18' }, { version: '2024-03-01' }, { version: '2027-01-15' }],
    isPreviewEnabled: (_v: string, request: FastifyRequest) => request.headers['x-beta'] === 'yes'
  })
  t.equal((await http(app, '/moves', PREVIEW)).status, 501)
  t.equal((await http(app, '/moves', { ...PREVIEW, 'x-beta': 'yes' })).body, 'preview')
})

const failures: Array<[string, DateVersioningOptions['isPreviewEnabled'], RegExp]> = [
  ['throws', () => { throw new Error('flag service down') }, /flag service down/],
  ['rejects', async () => { throw new Error('flag rejected') }, /flag rejected/],
  ['returns a non-boolean', () => 'yes' as unknown as boolean, /returned yes, not a boolean/],
  ['resolves a non-boolean', async () => 1 as unknown as boolean, /returned 1, not a boolean/],
  ['hangs past the timeout', () => new Promise<boolean>(() => {}), /did not answer within 50 ms/]
]

for (const [what, isPreviewEnabled, logged] of failures) {
  t.test(`a flag that ${what}: 501, logged, and the next requests are served`, async t => {
    const logs = collectLogs()
    const { app, ran } = await server(t, { isPreviewEnabled, previewFlagTimeout: 50 }, logs)
    const res = await http(app, '/moves', PREVIEW)
    t.equal(res.status, 501)
    t.equal(res.json().code, 'ApiVersionNotImplemented')
    const line = logs.lines.find(l => l.msg.includes('preview flag check failed'))
    t.ok(line, 'a log line says the check failed')
    t.match(line?.err?.message, logged)
    t.equal(line?.apiVersion, '2027-01-15')
    t.equal((await http(app, '/moves', { 'api-version': '2024-03-01' })).body, 'released')
    t.same(ran, ['2024-03-01'], 'the preview handler never ran')
  })
}

t.test('flags that answer out of order: each request gets its own verdict, and the one that never answers times out alone', async t => {
  const answers = new Map<string, (enabled: boolean) => void>()
  const logs = collectLogs()
  const { app, ran } = await server(t, {
    previewFlagTimeout: 300,
    isPreviewEnabled: async (_v: string, request: FastifyRequest) => await new Promise<boolean>(resolve => {
      answers.set(String(request.headers['x-id']), resolve)
    })
  }, logs)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const sent = ['first', 'second', 'third'].map(id => http(app, '/moves', { ...PREVIEW, 'x-id': id }))
  while (answers.size < 3) await new Promise(resolve => setTimeout(resolve, 5))
  const [first, second, third] = sent as [ReturnType<typeof http>, ReturnType<typeof http>, ReturnType<typeof http>]
  answers.get('second')?.(true)
  t.equal((await second).body, 'preview', 'the middle request, answered first')
  answers.get('third')?.(false)
  t.equal((await third).status, 501, 'the last request, answered next')
  const late = await first
  t.equal(late.status, 501, 'the first request, never answered')
  // Past the deadlines of the two answered checks too: they must not time out after their answer.
  await new Promise(resolve => setTimeout(resolve, 100))
  t.equal(logs.lines.filter(l => /did not answer within 300 ms/.test(l.err?.message ?? '')).length, 1, 'only its check timed out')
  answers.get('first')?.(true)
  t.equal((await http(app, '/moves', { 'api-version': '2024-03-01' })).body, 'released', 'an answer after the deadline changes nothing')
  t.same(ran, ['2027-01-15', '2024-03-01'])
})

t.test('OpenFeature: one boolean flag per preview version, evaluated with the request context', async t => {
  await OpenFeature.setProviderAndWait(new InMemoryProvider({
    'api-version-2027-01-15': {
      variants: { on: true, off: false },
      defaultVariant: 'off',
      disabled: false,
      contextEvaluator: (context) => (context.targetingKey === 'beta-customer' ? 'on' : 'off')
    }
  }))
  t.teardown(() => OpenFeature.close())
  const client = OpenFeature.getClient()
  const { app, ran } = await server(t, {
    isPreviewEnabled: openFeaturePreviewFlags(client, {
      context: (request: FastifyRequest) => ({ targetingKey: String(request.headers['x-customer']) })
    })
  })
  t.equal((await http(app, '/moves', { ...PREVIEW, 'x-customer': 'beta-customer' })).body, 'preview')
  t.equal((await http(app, '/moves', { ...PREVIEW, 'x-customer': 'someone-else' })).status, 501)
  t.same(ran, ['2027-01-15'])
})

t.test('OpenFeature: an unknown flag keeps the preview closed; flag keys can be renamed', async t => {
  await OpenFeature.setProviderAndWait(new InMemoryProvider({
    'preview-2027-01-15': { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false }
  }))
  t.teardown(() => OpenFeature.close())
  const client = OpenFeature.getClient()
  const closed = await server(t, { isPreviewEnabled: openFeaturePreviewFlags(client) })
  t.equal((await http(closed.app, '/moves', PREVIEW)).status, 501, 'api-version-2027-01-15 is not defined')
  const renamed = await server(t, { isPreviewEnabled: openFeaturePreviewFlags(client, { flagKey: (v: string) => `preview-${v}` }) })
  t.equal((await http(renamed.app, '/moves', PREVIEW)).body, 'preview')
})
