import createClient from 'openapi-fetch'
import t from 'tap'
import { buildApp } from '../examples/app.js'
import { versioningMiddleware, versioningOf, type VersionNotice } from '../lib/client/index.js'
import type { paths as MovesAt20240901 } from '../types/moves-api/2024-09-01.js'
import type { paths as MovesAt20251105 } from '../types/moves-api/2025-11-05.js'

/**
 * The client as openapi-fetch middleware, against the example API listening on 127.0.0.1, typed
 * with the types `fastify-date-versioning types` generated for each version.
 */

let baseUrl: string
t.before(async () => {
  const app = await buildApp()
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
})

t.test('each version answers in its shape: person.name at 2024-09-01, firstName and lastName at 2025-11-05', async t => {
  const older = createClient<MovesAt20240901>({ baseUrl })
  older.use(versioningMiddleware({ version: '2024-09-01' }))
  const before = await older.GET('/moves/{id}', { params: { path: { id: 'M-1001' } } })
  t.equal(before.data?.person.name, 'Sam Taylor')
  t.match(versioningOf(before.response), { requested: '2024-09-01', served: '2024-09-01', deprecated: false, fallback: null })

  const newer = createClient<MovesAt20251105>({ baseUrl })
  newer.use(versioningMiddleware({ version: '2025-11-05' }))
  const after = await newer.GET('/moves/{id}', { params: { path: { id: 'M-1001' } } })
  t.same(after.data?.person, { firstName: 'Sam', lastName: 'Taylor' })
  t.equal(versioningOf(after.response)?.served, '2025-11-05')
})

t.test('a deprecated version is announced once; the preview falls back for GET, not for POST', async t => {
  const notices: VersionNotice[] = []
  const deprecated = createClient<MovesAt20240901>({ baseUrl })
  deprecated.use(versioningMiddleware({ version: '2022-03-01', onNotice: notice => { notices.push(notice) } }))
  await deprecated.GET('/moves/{id}', { params: { path: { id: 'M-1001' } } })
  await deprecated.GET('/moves/{id}', { params: { path: { id: 'M-1002' } } })
  t.same(notices.map(notice => [notice.kind, notice.version, notice.successor]), [
    ['deprecation', '2022-03-01', 'https://moves.example.com/changelog#2024-09-01'],
    ['sunset', '2022-03-01', 'https://moves.example.com/changelog#2024-09-01']
  ])

  const preview = createClient<MovesAt20251105>({ baseUrl })
  preview.use(versioningMiddleware({ version: '2030-01-01', fallbackVersion: '2025-11-05' }))
  const read = await preview.GET('/moves/{id}', { params: { path: { id: 'M-1002' } } })
  t.same(read.data?.person, { firstName: 'Jo', lastName: 'Evans' }, 'served by the fallback')
  t.match(versioningOf(read.response), { requested: '2025-11-05', served: '2025-11-05', fallback: { from: '2030-01-01', retried: true, refusal: { code: 'ApiVersionNotImplemented' } } })

  const cancel = await preview.POST('/moves/{id}/cancel', { params: { path: { id: 'M-1002' } } })
  t.equal(cancel.response.status, 501, 'POST is not sent twice without retryUnsafe')
  t.match(cancel.error, { code: 'ApiVersionNotImplemented' })
  t.match(versioningOf(cancel.response)?.fallback, { retried: false, skipped: 'method' })

  const unsafe = createClient<MovesAt20251105>({ baseUrl })
  unsafe.use(versioningMiddleware({ version: '2030-01-01', fallbackVersion: '2025-11-05', retryUnsafe: true }))
  const cancelled = await unsafe.POST('/moves/{id}/cancel', { params: { path: { id: 'M-1002' } } })
  t.same(cancelled.data, { id: 'M-1002', status: 'cancelled' }, 'with retryUnsafe, it is')
})

t.test('a request that fails to reach the server rejects as without the middleware', async t => {
  const client = createClient<MovesAt20251105>({ baseUrl: 'http://127.0.0.1:1' })
  client.use(versioningMiddleware({ version: '2030-01-01', fallbackVersion: '2025-11-05' }))
  await t.rejects(client.GET('/moves/{id}', { params: { path: { id: 'M-1001' } } }), TypeError)
})
