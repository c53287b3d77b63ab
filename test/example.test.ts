import t from 'tap'
import { request } from 'undici'
import { buildApp } from '../examples/app.js'

/**
 * The example API over real HTTP, with exactly the requests of the curl commands in
 * examples/README.md, and the statuses, headers and bodies it shows. It runs on the real clock:
 * the example's dates keep these answers true until 2029-12-31.
 */

const supportedVersions = ['2022-03-01', '2024-09-01', '2025-11-05']

const moveWithSplitName = {
  id: 'M-1001',
  reference: 'ASH4721A',
  status: 'booked',
  date: '2026-12-01',
  from: 'HMPA',
  to: 'CRTC',
  person: { firstName: 'Sam', lastName: 'Taylor' }
}

const moveWithName = { ...moveWithSplitName, person: { name: 'Sam Taylor' } }

const problem = (code: string, title: string, status: number, detail: string, requestedVersion: string) => ({
  type: `urn:fastify-date-versioning:problem:${code}`,
  title,
  status,
  detail,
  code,
  requestedVersion,
  supportedVersions,
  latestVersion: '2025-11-05'
})

interface Case {
  name: string
  method?: 'GET' | 'DELETE'
  path: string
  headers?: Record<string, string>
  status: number
  /** Headers the response must carry, with their exact values. */
  has?: Record<string, string>
  /** Headers the response must not carry. */
  lacks?: string[]
  body: unknown
}

const cases: Case[] = [
  {
    name: 'without the header, the latest version answers',
    path: '/moves/M-1001',
    status: 200,
    has: { 'api-version': '2025-11-05', vary: 'Api-Version', 'content-type': 'application/json; charset=utf-8' },
    lacks: ['deprecation', 'sunset', 'link'],
    body: moveWithSplitName
  },
  {
    name: 'an old client is served by the version released on or before its date, with the old field names',
    path: '/moves/M-1001',
    headers: { 'Api-Version': '2025-06-30' },
    status: 200,
    has: { 'api-version': '2024-09-01', vary: 'Api-Version' },
    lacks: ['deprecation', 'sunset'],
    body: moveWithName
  },
  {
    name: 'a deprecated version is still served, and says so',
    path: '/moves',
    headers: { 'Api-Version': '2022-03-01' },
    status: 200,
    has: {
      'api-version': '2022-03-01',
      deprecation: '@1740787200',
      sunset: 'Mon, 31 Dec 2029 23:59:59 GMT',
      link: '<https://moves.example.com/changelog#2024-09-01>; rel="successor-version", <https://moves.example.com/changelog#2022-03-01>; rel="deprecation"',
      vary: 'Api-Version'
    },
    body: {
      data: [
        moveWithName,
        { id: 'M-1002', reference: 'BRK0193C', status: 'requested', date: '2026-12-03', from: 'HMPB', to: 'HMPA', person: { name: 'Jo Evans' } }
      ],
      meta: { count: 2 }
    }
  },
  {
    name: 'a sunset version answers 410',
    path: '/moves',
    headers: { 'Api-Version': '2021-01-01' },
    status: 410,
    has: {
      'content-type': 'application/problem+json; charset=utf-8',
      'api-version': '2020-06-12',
      sunset: 'Sun, 30 Jun 2024 23:59:59 GMT',
      vary: 'Api-Version'
    },
    body: problem('ApiVersionSunset', 'API version sunset', 410,
      'API version 2020-06-12 has reached its sunset and is no longer served. Supported versions: 2022-03-01, 2024-09-01, 2025-11-05.',
      '2021-01-01')
  },
  {
    name: 'an endpoint retired in 2024-09-01 is not found by later clients, who are told what replaces it',
    method: 'DELETE',
    path: '/moves/M-1001',
    headers: { 'Api-Version': '2025-11-05' },
    status: 404,
    has: { 'content-type': 'application/problem+json; charset=utf-8', 'api-version': '2025-11-05', vary: 'Api-Version' },
    body: problem('ApiVersionEndpointNotFound', 'Endpoint not in this API version', 404,
      'The endpoint DELETE /moves/:id does not exist in API version 2025-11-05: it was retired in API version 2024-09-01; use POST /moves/{id}/cancel instead.',
      '2025-11-05')
  },
  {
    name: 'a preview version answers 501 while its flag is off',
    path: '/moves/M-1001',
    headers: { 'Api-Version': '2030-01-01' },
    status: 501,
    has: { 'content-type': 'application/problem+json; charset=utf-8', 'api-version': '2030-01-01', vary: 'Api-Version' },
    body: problem('ApiVersionNotImplemented', 'API version not implemented', 501,
      'API version 2030-01-01 is not released yet and is not enabled for this client.', '2030-01-01')
  },
  {
    name: 'a preview version is served where its flag is on',
    path: '/moves/M-1001',
    headers: { 'Api-Version': '2030-01-01', 'x-preview-token': 'let-me-in' },
    status: 200,
    has: { 'api-version': '2030-01-01', vary: 'Api-Version' },
    body: {
      ...moveWithSplitName,
      from: { code: 'HMPA', title: 'HMP Ashbury' },
      to: { code: 'CRTC', title: 'Castlegate Crown Court' }
    }
  },
  {
    name: 'a date that does not exist answers 400',
    path: '/moves',
    headers: { 'Api-Version': '2024-02-30' },
    status: 400,
    has: { 'content-type': 'application/problem+json; charset=utf-8', vary: 'Api-Version' },
    lacks: ['api-version'],
    body: problem('InvalidApiVersion', 'Invalid API version', 400,
      'The Api-Version header must be one date in the form YYYY-MM-DD naming a real calendar day; received "2024-02-30".',
      '2024-02-30')
  },
  {
    name: 'a future date answers 400 rather than meaning "the latest"',
    path: '/moves',
    headers: { 'Api-Version': '2029-12-31' },
    status: 400,
    has: { 'content-type': 'application/problem+json; charset=utf-8', vary: 'Api-Version' },
    lacks: ['api-version'],
    body: problem('UnsupportedApiVersion', 'Unsupported API version', 400,
      'API version 2029-12-31 is not supported: that date is in the future.',
      '2029-12-31')
  },
  {
    name: 'a version-neutral route carries no version headers',
    path: '/health',
    status: 200,
    lacks: ['api-version', 'vary'],
    body: { status: 'ok' }
  }
]

t.test('the example API answers as examples/README.md shows', async t => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const base = await app.listen({ host: '127.0.0.1', port: 0 })

  for (const c of cases) {
    t.test(c.name, async t => {
      const res = await request(base + c.path, { method: c.method ?? 'GET', headers: c.headers ?? {} })
      t.equal(res.statusCode, c.status, 'status')
      for (const [name, value] of Object.entries(c.has ?? {})) t.equal(res.headers[name], value, name)
      for (const name of c.lacks ?? []) t.notOk(name in res.headers, `no ${name} header`)
      t.same(await res.body.json(), c.body, 'body')
    })
  }

  t.test('an older client can still use the retired endpoint', async t => {
    const res = await request(base + '/moves/M-1002', { method: 'DELETE', headers: { 'Api-Version': '2024-08-31' } })
    t.equal(res.statusCode, 204)
    t.equal(res.headers['api-version'], '2022-03-01')
    await res.body.dump()
    const after = await request(base + '/moves/M-1002')
    t.equal((await after.body.json() as { status: string }).status, 'cancelled', 'the latest version sees the cancelled move')
  })

  t.test('GET /versions lists the timeline with each status', async t => {
    const res = await request(base + '/versions')
    const body = await res.body.json() as { header: string, latest: string, versions: Array<{ version: string, status: string }> }
    t.equal(body.header, 'Api-Version')
    t.equal(body.latest, '2025-11-05')
    t.same(body.versions.map(v => [v.version, v.status]), [
      ['2020-06-12', 'sunset'],
      ['2022-03-01', 'deprecated'],
      ['2024-09-01', 'active'],
      ['2025-11-05', 'active'],
      ['2030-01-01', 'preview']
    ])
  })
})

t.test('the example serves its timeline and one OpenAPI document per version', async t => {
  const app = await buildApp()
  t.teardown(() => app.close())
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const timeline = await (await request(`${base}/api-versions`)).body.json() as { latest: string, versions: Array<{ version: string, openapi: string }> }
  t.equal(timeline.latest, '2025-11-05')
  t.same(timeline.versions.map(v => v.version), ['2020-06-12', '2022-03-01', '2024-09-01', '2025-11-05'], 'the preview is not listed')
  const old = await (await request(`${base}/api-versions/2022-03-01/openapi.json`)).body.json() as { info: Record<string, unknown>, paths: Record<string, Record<string, unknown>> }
  const latest = await (await request(`${base}/api-versions/latest/openapi.json`)).body.json() as typeof old
  t.equal(old.info.title, 'Moves API')
  t.match(old.info['x-api-lifecycle'], { status: 'deprecated', sunset: '2029-12-31T23:59:59.000Z', successor: '2024-09-01' })
  t.ok(old.paths['/moves/{id}']?.delete, 'DELETE /moves/{id} is in 2022-03-01')
  t.notOk(latest.paths['/moves/{id}']?.delete, 'and retired from the latest')
  t.ok(latest.paths['/moves/{id}/cancel']?.post, 'where POST .../cancel replaces it')
})
