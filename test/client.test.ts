import { once } from 'node:events'
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import {
  createVersionedFetch, noticeCodes, versioningOf, VersionProblemError, versionProblemCodes,
  type ResponseVersioning, type VersionNotice, type VersionedFetchOptions
} from '../lib/client/index.js'
import { errorCatalog, type DateVersioningOptions } from '../lib/index.js'
import { build, versions } from './helpers.js'

/**
 * The versioned fetch against a listening server with the plugin: the version header sent, the
 * answer's version headers read, the plugin's problem documents typed, announcements told once,
 * and a refused version retried with the fallback.
 */

const links = {
  successorVersion: 'https://api.example.com/changelog#{version}',
  deprecation: 'https://api.example.com/deprecations#{version}',
  sunset: 'https://api.example.com/sunsets#{version}'
}

interface Served { version: string | undefined, method: string, header: string | undefined, body: unknown }

/** An app of the plugin on 127.0.0.1 whose routes echo what served them; `received` counts the requests it answered. */
async function serve (t: Test, options: Partial<DateVersioningOptions> = {}): Promise<{ base: string, app: FastifyInstance, received: string[] }> {
  const app = await build({ links, warning: true, ...options })
  const received: string[] = []
  app.addHook('onRequest', async (request) => { received.push(`${request.method} ${String(request.headers['api-version'])}`) })
  const echo = async (request: { apiVersion: { version: string } | null, method: string, headers: Record<string, unknown>, body: unknown }): Promise<Served> =>
    ({ version: request.apiVersion?.version, method: request.method, header: request.headers['api-version'] as string | undefined, body: request.body ?? null })
  const declared = (options.versions ?? versions).map(v => v.version)
  for (const version of ['2022-05-18', '2024-03-01', '2027-01-15'].filter(v => declared.includes(v))) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], url: '/moves', constraints: { apiVersion: version }, handler: echo as never })
  }
  // An endpoint introduced in 2024-03-01: older clients get its 404 problem.
  if (declared.includes('2024-03-01')) app.get('/reports', { constraints: { apiVersion: '2024-03-01' } }, echo as never)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  return { base, app, received }
}

function client (options: Partial<VersionedFetchOptions> & { version: string }, notices: VersionNotice[] = []) {
  return createVersionedFetch({ onNotice: notice => { notices.push(notice) }, ...options })
}

const info = (response: Response): ResponseVersioning => {
  const read = versioningOf(response)
  if (read === undefined) throw new Error('the client did not read this response')
  return read
}

const seconds = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000)

t.test('sends the configured version and reads an active version: nothing announced', async t => {
  const { base } = await serve(t)
  const notices: VersionNotice[] = []
  const response = await client({ version: '2024-05-01' }, notices)(`${base}/moves`)
  t.same(await response.json(), { version: '2024-03-01', method: 'GET', header: '2024-05-01', body: null })
  t.same({ ...info(response) }, {
    served: '2024-03-01',
    deprecated: false,
    deprecation: null,
    sunset: null,
    links: { successorVersion: null, deprecation: null, sunset: null },
    warnings: [],
    unparsable: [],
    requested: '2024-05-01',
    problem: null,
    fallback: null
  })
  t.same(notices, [])
})

t.test('reads a deprecated version: Deprecation date, Sunset, the three links, Warning 299', async t => {
  const { base } = await serve(t)
  const notices: VersionNotice[] = []
  const response = await client({ version: '2023-06-01' }, notices)(`${base}/moves`)
  const read = info(response)
  t.equal(read.served, '2023-01-10')
  t.equal(read.deprecated, true)
  t.same(read.deprecation, seconds('2024-01-01T00:00:00Z'), 'Deprecation: @<seconds> is the declared date')
  t.same(read.sunset, seconds('2026-06-30T23:59:59Z'), 'Sunset is the declared date')
  t.same(read.links, {
    successorVersion: 'https://api.example.com/changelog#2024-03-01',
    deprecation: 'https://api.example.com/deprecations#2023-01-10',
    sunset: 'https://api.example.com/sunsets#2023-01-10'
  })
  t.same(read.warnings, ['API version 2023-01-10 is deprecated and will stop being served on Tue, 30 Jun 2026 23:59:59 GMT'])
  t.same(read.unparsable, [])
  t.same(notices.map(({ kind, version, code, deprecation, sunset, successor, link }) => ({ kind, version, code, deprecation, sunset, successor, link })), [
    { kind: 'deprecation', version: '2023-01-10', code: 'API_VERSION_DEPRECATED', deprecation: read.deprecation, sunset: read.sunset, successor: read.links.successorVersion, link: read.links.deprecation },
    { kind: 'sunset', version: '2023-01-10', code: 'API_VERSION_SUNSET', deprecation: read.deprecation, sunset: read.sunset, successor: read.links.successorVersion, link: read.links.sunset }
  ])
  t.equal(notices[0]?.message, 'API version 2023-01-10 is deprecated since Mon, 01 Jan 2024 00:00:00 GMT; it stops being served on Tue, 30 Jun 2026 23:59:59 GMT. ' +
    'Details: https://api.example.com/deprecations#2023-01-10. Successor: https://api.example.com/changelog#2024-03-01.')
  t.equal(notices[1]?.message, 'API version 2023-01-10 stops being served on Tue, 30 Jun 2026 23:59:59 GMT. ' +
    'Details: https://api.example.com/sunsets#2023-01-10. Successor: https://api.example.com/changelog#2024-03-01.')
})

t.test('reads the legacy Deprecation: true, and a deprecation announced for a later date', async t => {
  const { base } = await serve(t, { deprecationHeader: 'boolean', links: {} })
  const notices: VersionNotice[] = []
  const legacy = await client({ version: '2023-06-01' }, notices)(`${base}/moves`)
  t.same([info(legacy).deprecated, info(legacy).deprecation], [true, null])
  t.equal(notices[0]?.message, 'API version 2023-01-10 is deprecated; it stops being served on Tue, 30 Jun 2026 23:59:59 GMT.')

  const future = await serve(t, { versions: [{ version: '2022-05-18', deprecated: '2099-01-01' }, { version: '2024-03-01' }], links: {}, warning: false })
  const later: VersionNotice[] = []
  const response = await client({ version: '2023-01-01' }, later)(`${future.base}/moves`)
  t.same(info(response).deprecation, new Date('2099-01-01T00:00:00Z'))
  t.same(later.map(notice => notice.message), ['API version 2022-05-18 will be deprecated on Thu, 01 Jan 2099 00:00:00 GMT.'])
})

/** A server without the plugin that answers the headers it is given, as raw (possibly repeated) lines. */
async function rawServer (t: Test, answer: (request: IncomingMessage) => OutgoingHttpHeaders | Array<[string, string]>): Promise<string> {
  const server: Server = createServer((request, response) => {
    const headers = answer(request)
    if (Array.isArray(headers)) response.writeHead(200, headers.flat())
    else response.writeHead(200, headers)
    response.end('{}')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('malformed or repeated headers from a server are reported as unparsable, never thrown', async t => {
  const cases: Array<{ name: string, headers: Array<[string, string]>, expect: Partial<ResponseVersioning> }> = [
    { name: 'none at all', headers: [], expect: { served: null, deprecated: false, sunset: null, unparsable: [] } },
    { name: 'a version that is not a date', headers: [['Api-Version', 'latest']], expect: { served: null, unparsable: ['Api-Version'] } },
    { name: 'a repeated version header', headers: [['Api-Version', '2024-03-01'], ['Api-Version', '2023-01-10']], expect: { served: null, unparsable: ['Api-Version'] } },
    { name: 'Deprecation neither @seconds nor true', headers: [['Deprecation', 'Sat, 01 Jun 2024 00:00:00 GMT']], expect: { deprecated: false, deprecation: null, unparsable: ['Deprecation'] } },
    { name: 'Deprecation beyond any date', headers: [['Deprecation', '@999999999999999']], expect: { deprecated: false, unparsable: ['Deprecation'] } },
    { name: 'a repeated Deprecation', headers: [['Deprecation', '@1700000000'], ['Deprecation', '@1800000000']], expect: { deprecated: false, unparsable: ['Deprecation'] } },
    { name: 'Sunset that is not an IMF-fixdate', headers: [['Sunset', '2026-06-30']], expect: { sunset: null, unparsable: ['Sunset'] } },
    { name: 'Sunset on a day that does not exist', headers: [['Sunset', 'Mon, 31 Feb 2026 00:00:00 GMT']], expect: { sunset: null, unparsable: ['Sunset'] } },
    { name: 'Sunset with the wrong weekday', headers: [['Sunset', 'Mon, 30 Jun 2026 23:59:59 GMT']], expect: { sunset: null, unparsable: ['Sunset'] } },
    { name: 'a repeated Sunset', headers: [['Sunset', 'Tue, 30 Jun 2026 23:59:59 GMT'], ['Sunset', 'Wed, 01 Jul 2026 00:00:00 GMT']], expect: { sunset: null, unparsable: ['Sunset'] } },
    {
      name: 'Link with a broken element keeps the good ones',
      headers: [['Link', '<https://a.example/next>; rel="successor-version", <https://a.example/x'], ['Link', 'junk; rel=sunset']],
      expect: { links: { successorVersion: 'https://a.example/next', deprecation: null, sunset: null }, unparsable: ['Link'] }
    },
    {
      name: 'repeated Link headers, unquoted and multi-valued rel, commas in URLs, other relations',
      headers: [['Link', '<https://a.example/a,b>; rel="deprecation sunset"; type="text/html"'], ['Link', '<https://a.example/next>; rel=successor-version, </docs>; rel="help"']],
      expect: { links: { successorVersion: 'https://a.example/next', deprecation: 'https://a.example/a,b', sunset: 'https://a.example/a,b' }, unparsable: [] }
    },
    { name: 'Link with a parameter that is not one', headers: [['Link', '<https://a.example/>; rel="sunset"; what ever']], expect: { unparsable: ['Link'] } },
    {
      name: 'repeated Warning headers: 299 texts with commas and escaped quotes, other codes ignored',
      headers: [['Warning', '299 - "Deprecated, see \\"docs\\""'], ['Warning', '199 proxy "Miscellaneous", 299 api.example.com "Second" "Sat, 01 Jun 2024 00:00:00 GMT"']],
      expect: { warnings: ['Deprecated, see "docs"', 'Second'], unparsable: [] }
    },
    { name: 'a Warning whose quoted text never ends', headers: [['Warning', '299 - "Deprecated \\']], expect: { warnings: [], unparsable: ['Warning'] } },
    { name: 'a Warning that is not one', headers: [['Warning', 'careful']], expect: { warnings: [], unparsable: ['Warning'] } },
    {
      name: 'everything malformed at once',
      headers: [['Api-Version', '2024-3-1'], ['Deprecation', 'yes'], ['Sunset', 'soon'], ['Link', '<x'], ['Warning', '299']],
      expect: { served: null, deprecated: false, sunset: null, unparsable: ['Api-Version', 'Deprecation', 'Sunset', 'Link', 'Warning'] }
    }
  ]
  const byName = new Map(cases.map(c => [c.name, c.headers]))
  const base = await rawServer(t, request => byName.get(decodeURIComponent(request.url?.slice(1) ?? '')) as Array<[string, string]>)
  for (const { name, expect } of cases) {
    const notices: VersionNotice[] = []
    const response = await client({ version: '2024-03-01' }, notices)(`${base}/${encodeURIComponent(name)}`)
    t.equal(response.status, 200, `${name}: the response is handed over`)
    const read = info(response)
    t.same(Object.fromEntries(Object.keys(expect).map(key => [key, read[key as keyof ResponseVersioning]])), expect, name)
    if (!read.deprecated) t.same(notices, [], `${name}: nothing unreadable is announced`)
  }
})

t.test('each problem code of the catalog becomes a typed error carrying the server\'s versions', async t => {
  t.same([...versionProblemCodes].sort(), Object.keys(errorCatalog).sort(), 'the client knows every code of the catalog')
  const main = await serve(t)
  const supported = main.app.apiVersions.versions.filter(v => v.status === 'active' || v.status === 'deprecated').map(v => v.version)
  const strict = await serve(t, { requireHeader: true })
  const pinned = await serve(t, { defaultVersion: () => { throw new Error('no pin store') } })
  const cases: Array<{ code: string, base: string, version: string, header?: string, path?: string }> = [
    { code: 'InvalidApiVersion', base: main.base, version: '2023-02-30' },
    { code: 'UnsupportedApiVersion', base: main.base, version: '2019-01-01' },
    { code: 'ApiVersionUnspecified', base: strict.base, version: '2024-03-01', header: 'Other-Version' },
    { code: 'ApiVersionSunset', base: main.base, version: '2021-06-01' },
    { code: 'ApiVersionNotImplemented', base: main.base, version: '2027-01-15' },
    { code: 'ApiVersionDefaultFailed', base: pinned.base, version: '2024-03-01', header: 'Other-Version' },
    { code: 'ApiVersionEndpointNotFound', base: main.base, version: '2022-05-18', path: '/reports' }
  ]
  for (const { code, base, version, header, path = '/moves' } of cases) {
    const response = await client({ version, ...header === undefined ? {} : { header } })(base + path)
    const problem = info(response).problem
    t.equal(response.status, errorCatalog[code as keyof typeof errorCatalog].status, `${code}: the response is returned, not thrown`)
    t.ok(problem instanceof VersionProblemError && problem instanceof Error, `${code}: a VersionProblemError`)
    t.match(problem, { code, status: response.status, supportedVersions: supported, latestVersion: '2024-03-01', title: errorCatalog[code as keyof typeof errorCatalog].title }, code)
    t.equal(problem?.message, (await response.json() as { detail: string }).detail, `${code}: its message is the problem's detail, and the body is still readable`)
  }
})

t.test('other answers carry no problem: the application\'s own errors, non-JSON and non-object problem bodies', async t => {
  const answers: Record<string, [string, string]> = {
    '/own': ['application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Out of stock', status: 409, code: 'OutOfStock' })],
    '/broken': ['application/problem+json; charset=utf-8', '{"code": "ApiVersionSunset"'],
    '/null': ['application/problem+json', 'null'],
    '/plain': ['application/json', JSON.stringify({ code: 'ApiVersionSunset' })],
    '/sparse': ['application/problem+json', JSON.stringify({ code: 'ApiVersionSunset', supportedVersions: ['2024-03-01', 7] })],
    '/listless': ['application/problem+json', JSON.stringify({ code: 'UnsupportedApiVersion', title: 'Unsupported', supportedVersions: '2024-03-01' })]
  }
  const base = await rawServer(t, request => ({ 'content-type': (answers[request.url as string] as [string, string])[0], 'x-body': (answers[request.url as string] as [string, string])[1] }))
  const fetchBody = createVersionedFetch({
    version: '2024-03-01',
    // The raw server sends the body in a header; this fetch moves it into the body, as sent.
    fetch: async (input, init) => {
      const response = await fetch(input, init)
      return new Response(response.headers.get('x-body'), { status: 400, headers: response.headers })
    }
  })
  for (const path of ['/own', '/broken', '/null', '/plain']) t.equal(info(await fetchBody(base + path)).problem, null, path)
  t.match(info(await fetchBody(`${base}/listless`)).problem, { code: 'UnsupportedApiVersion', message: 'Unsupported', supportedVersions: [] })
  t.match(info(await fetchBody(`${base}/sparse`)).problem, { code: 'ApiVersionSunset', message: 'ApiVersionSunset', supportedVersions: ['2024-03-01'], latestVersion: null, requestedVersion: null, type: null, title: null })
})

t.test('fallback: a refused version is retried once with the fallback version, for methods that may repeat', async t => {
  const { base, received } = await serve(t)
  const cases = [
    { refused: '2027-01-15', status: 501, code: 'ApiVersionNotImplemented' },
    { refused: '2019-01-01', status: 400, code: 'UnsupportedApiVersion' },
    { refused: '2021-06-01', status: 410, code: 'ApiVersionSunset' }
  ]
  for (const { refused, status, code } of cases) {
    // A HEAD answer has no body: a 400 does not say which of the three 400 codes it is.
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].filter(m => m !== 'HEAD' || status !== 400)) {
      received.length = 0
      const body = method === 'PUT' ? JSON.stringify({ id: 'M-1' }) : undefined
      const headers = body === undefined ? undefined : { 'content-type': 'application/json' }
      const response = await client({ version: refused, fallbackVersion: '2022-06-01' })(`${base}/moves`, { method, body, headers })
      const read = info(response)
      t.equal(response.status, 200, `${code}, ${method}: the fallback's answer`)
      t.same([read.requested, read.served], ['2022-06-01', '2022-05-18'], `${code}, ${method}: served by the fallback`)
      t.match(read.fallback, { from: refused, retried: true, skipped: null, refusal: { code, status } })
      t.same(received, [`${method} ${refused}`, `${method} 2022-06-01`], `${code}, ${method}: two requests reached the server`)
      if (method === 'PUT') t.same((await response.json() as Served).body, { id: 'M-1' }, 'the body was sent again')
    }
  }
  received.length = 0
  const head = await client({ version: '2019-01-01', fallbackVersion: '2022-06-01' })(`${base}/moves`, { method: 'HEAD' })
  t.same([head.status, info(head).problem, info(head).fallback], [400, null, null], 'HEAD answered 400: which refusal is unknown, so no retry')
  t.same(received, ['HEAD 2019-01-01'])
})

t.test('fallback: POST and PATCH are retried only with retryUnsafe', async t => {
  const { base, received } = await serve(t)
  for (const method of ['POST', 'PATCH']) {
    received.length = 0
    const init = { method, body: JSON.stringify({ id: 'M-2' }), headers: { 'content-type': 'application/json' } }
    const refused = await client({ version: '2027-01-15', fallbackVersion: '2024-03-01' })(`${base}/moves`, init)
    t.equal(refused.status, 501, `${method}: the refusal is returned`)
    t.match(info(refused).fallback, { from: '2027-01-15', retried: false, skipped: 'method', refusal: { code: 'ApiVersionNotImplemented' } })
    t.same(received, [`${method} 2027-01-15`], `${method}: one request reached the server`)
    t.equal((await refused.json() as { code: string }).code, 'ApiVersionNotImplemented', 'the refusal\'s body is readable')

    received.length = 0
    const retried = await client({ version: '2027-01-15', fallbackVersion: '2024-03-01', retryUnsafe: true })(new Request(`${base}/moves`, init))
    t.same(await retried.json(), { version: '2024-03-01', method, header: '2024-03-01', body: { id: 'M-2' } }, `${method} with retryUnsafe: the Request, body included, sent again`)
    t.same(received, [`${method} 2027-01-15`, `${method} 2024-03-01`])
  }
})

t.test('fallback: a body given as a stream is not sent twice; other refusals and clients without fallback are not retried', async t => {
  const { base, received } = await serve(t)
  const stream = new ReadableStream({ start (controller) { controller.enqueue(new TextEncoder().encode('{"id":"M-3"}')); controller.close() } })
  const refused = await client({ version: '2027-01-15', fallbackVersion: '2024-03-01' })(`${base}/moves`,
    { method: 'PUT', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit)
  t.equal(refused.status, 501)
  t.match(info(refused).fallback, { retried: false, skipped: 'body' })
  t.same(received, ['PUT 2027-01-15'])

  received.length = 0
  const invalid = await client({ version: '2023-02-30', fallbackVersion: '2024-03-01' })(`${base}/moves`)
  t.same([invalid.status, info(invalid).problem?.code, info(invalid).fallback], [400, 'InvalidApiVersion', null], 'InvalidApiVersion is no reason to fall back')
  const alone = await client({ version: '2027-01-15' })(`${base}/moves`)
  t.same([alone.status, info(alone).fallback], [501, null], 'without fallbackVersion, the refusal is the answer')
  t.same(received, ['GET 2023-02-30', 'GET 2027-01-15'])
})

t.test('headers given by the caller are kept; the version header is the client\'s', async t => {
  const { base } = await serve(t)
  const versioned = client({ version: '2024-03-01' })
  const fromInit = await versioned(`${base}/moves`, { headers: { 'api-version': '2022-05-18', 'content-type': 'application/json' }, method: 'POST', body: '{"a":1}' })
  t.same(await fromInit.json(), { version: '2024-03-01', method: 'POST', header: '2024-03-01', body: { a: 1 } })
  const fromRequest = await versioned(new Request(`${base}/moves`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"b":2}' }))
  t.same(await fromRequest.json(), { version: '2024-03-01', method: 'POST', header: '2024-03-01', body: { b: 2 } })
  t.equal(versioningOf(await fetch(`${base}/moves`)), undefined, 'a response the client did not fetch has no reading')
})

t.test('notices: once per version and kind for each client, under 100 concurrent requests', async t => {
  const { base } = await serve(t)
  const notices: VersionNotice[] = []
  const versioned = client({ version: '2023-06-01' }, notices)
  const responses = await Promise.all(Array.from({ length: 100 }, () => versioned(`${base}/moves`)))
  t.same(responses.map(response => info(response).served), Array(100).fill('2023-01-10'))
  t.same(notices.map(notice => `${notice.kind} ${notice.version}`), ['deprecation 2023-01-10', 'sunset 2023-01-10'])
  await Promise.all(Array.from({ length: 100 }, () => versioned(`${base}/moves`)))
  t.equal(notices.length, 2, 'not told again')

  const other: VersionNotice[] = []
  await Promise.all(Array.from({ length: 100 }, () => client({ version: '2023-06-01' }, other)(`${base}/moves`)))
  t.equal(other.length, 200, 'each new client instance is told again')
})

t.test('notices: a Node process warning with its code by default, console.warn where there is no process', async t => {
  const { base } = await serve(t)
  const warnings: Array<{ name: string, code: string | undefined, message: string }> = []
  const listener = (warning: Error & { code?: string }) => { warnings.push({ name: warning.name, code: warning.code, message: warning.message }) }
  process.on('warning', listener)
  t.teardown(() => { process.off('warning', listener) })
  await createVersionedFetch({ version: '2023-06-01' })(`${base}/moves`)
  await new Promise(resolve => setImmediate(resolve))
  t.same(warnings.map(({ name, code }) => ({ name, code })), [
    { name: 'ApiVersionWarning', code: noticeCodes.deprecation },
    { name: 'ApiVersionWarning', code: noticeCodes.sunset }
  ])
  t.match(warnings[0]?.message, /^API version 2023-01-10 is deprecated since/)

  const emitWarning = process.emitWarning
  const warn = console.warn
  const printed: unknown[] = []
  t.teardown(() => { process.emitWarning = emitWarning; console.warn = warn })
  process.emitWarning = undefined as never
  console.warn = (...args: unknown[]) => { printed.push(args) }
  await createVersionedFetch({ version: '2023-06-01' })(`${base}/moves`)
  process.emitWarning = emitWarning
  console.warn = warn
  t.equal(printed.length, 2)
  t.match(printed[0], [/^API version 2023-01-10 is deprecated since/])
})

t.test('configuration mistakes fail when the client is created, saying what to fix', async t => {
  t.throws(() => createVersionedFetch({ version: 'latest' }), new TypeError('fastify-date-versioning/client: version must be a version date written YYYY-MM-DD; received "latest".'))
  t.throws(() => createVersionedFetch(undefined as never), /version must be a version date/)
  t.throws(() => createVersionedFetch({ version: '2024-03-01', fallbackVersion: '2024' }), /fallbackVersion must be a version date written YYYY-MM-DD; received "2024"/)
  t.throws(() => createVersionedFetch({ version: '2024-03-01', header: 'Api Version' }), /header must be an HTTP header name; received "Api Version"/)
})

t.test('the wrapped fetch is the one given, and the global fetch is looked up at each call', async t => {
  const { base } = await serve(t)
  const seen: string[] = []
  const given = createVersionedFetch({ version: '2024-03-01', fetch: (input, init) => { seen.push(new Headers(init?.headers).get('api-version') as string); return fetch(input, init) } })
  t.equal((await given(`${base}/moves`)).status, 200)
  t.same(seen, ['2024-03-01'])
  const global = globalThis.fetch
  t.teardown(() => { globalThis.fetch = global })
  const versioned = createVersionedFetch({ version: '2024-03-01' })
  globalThis.fetch = async (input, init) => { seen.push('replaced'); return global(input, init) }
  await versioned(`${base}/moves`)
  t.same(seen, ['2024-03-01', 'replaced'])
})
