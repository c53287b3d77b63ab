import t from 'tap'
import Fastify from 'fastify'
import dateVersioning, {
  ApiVersionError, InvalidApiVersionError, UnsupportedApiVersionError, ApiVersionUnspecifiedError,
  ApiVersionSunsetError, ApiVersionNotImplementedError, ApiVersionDefaultFailedError, ApiVersionEndpointNotFoundError, ApiVersionMigrationFailedError, errorCatalog, toProblem,
  ApiVersionConfigError, ApiVersionUsageError
} from '../lib/index.js'
import { at, build, http, versions } from './helpers.js'

// The error catalog (docs/design.md §5): stable codes, problem+json by default, the application's error
// handler in charge when it has one.

t.test('problem+json documents of the catalog', async t => {
  const app = await build({ isPreviewEnabled: () => false })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': '2023-02-30' })
  t.equal(res.status, 400)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.same(res.json(), {
    type: 'urn:fastify-date-versioning:problem:InvalidApiVersion',
    title: 'Invalid API version',
    status: 400,
    detail: 'The Api-Version header must be one date in the form YYYY-MM-DD naming a real calendar day; received "2023-02-30".',
    code: 'InvalidApiVersion',
    requestedVersion: '2023-02-30',
    supportedVersions: ['2022-05-18', '2023-01-10', '2024-03-01'],
    latestVersion: '2024-03-01'
  })
  const cases: Array<[Record<string, string>, string, number, string, RegExp]> = [
    [{ 'api-version': '2020-01-01' }, 'UnsupportedApiVersion', 400, 'Unsupported API version', /2020-01-01 is not supported/],
    [{ 'api-version': '2021-02-02' }, 'ApiVersionSunset', 410, 'API version sunset', /2021-01-01 has reached its sunset.*Supported versions: 2022-05-18, 2023-01-10, 2024-03-01/],
    [{ 'api-version': '2027-01-15' }, 'ApiVersionNotImplemented', 501, 'API version not implemented', /2027-01-15 is not released yet/]
  ]
  for (const [headers, code, status, title, detail] of cases) {
    const problem = (await http(app, '/moves', headers)).json()
    t.equal(problem.code, code)
    t.equal(problem.status, status)
    t.match(problem.detail, detail)
    t.equal(problem.title, title, `${code}: title`)
  }
})

t.test('a very long header value is echoed shortened', async t => {
  const app = await build()
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  const problem = (await http(app, '/moves', { 'api-version': 'x'.repeat(5000) })).json()
  t.equal(problem.requestedVersion, `${'x'.repeat(64)}…`)
})

t.test('problemType sets the problem type URI', async t => {
  const app = await build({ problemType: (code: string) => `https://api.example/problems/${code}` })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  t.equal((await http(app, '/moves', { 'api-version': 'no' })).json().type, 'https://api.example/problems/InvalidApiVersion')
})

t.test("the application's error handler receives the errors and may render them", async t => {
  const app = await build()
  const seen: unknown[] = []
  app.setErrorHandler((error, _request, reply) => {
    seen.push(error)
    if (error instanceof ApiVersionError) {
      reply.code(error.statusCode).send({ mine: error.code, problem: toProblem(error) })
      return
    }
    reply.code(500).send({ mine: 'other' })
  })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => { throw new Error('handler failed') })
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': '2020-01-01' })
  t.equal(res.status, 400)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.json().mine, 'UnsupportedApiVersion')
  t.equal(res.json().problem.type, 'urn:fastify-date-versioning:problem:UnsupportedApiVersion')
  t.equal(res.headers.vary, 'Api-Version', 'the version headers stay')
  t.ok(seen[0] instanceof UnsupportedApiVersionError)
  t.equal((seen[0] as ApiVersionError).requestedVersion, '2020-01-01')
  const other = await http(app, '/moves', { 'api-version': '2022-05-18' })
  t.same(other.json(), { mine: 'other' }, "the handler's own errors reach it too")
})

t.test('an error handler set in a parent scope applies to versioned routes of child scopes', async t => {
  const app = Fastify()
  app.setErrorHandler((error, _request, reply) => { reply.code(418).send({ parent: (error as { code?: string }).code }) })
  await app.register(async scope => {
    await scope.register(dateVersioning, { versions, now: at() })
    scope.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  })
  t.teardown(() => app.close())
  t.same((await http(app, '/moves', { 'api-version': 'bad' })).json(), { parent: 'InvalidApiVersion' })
})

t.test("a route's own error handler wins", async t => {
  const app = await build()
  app.get('/moves', {
    constraints: { apiVersion: '2022-05-18' },
    errorHandler: (error, _request, reply) => { reply.code(422).send({ route: (error as { code?: string }).code }) }
  }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': 'bad' })
  t.equal(res.status, 422)
  t.same(res.json(), { route: 'InvalidApiVersion' })
})

t.test("an application's error handler that throws: Fastify's fallback answers and the server keeps serving", async t => {
  const app = await build()
  app.setErrorHandler(() => { throw new Error('error handler broke') })
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  t.teardown(() => app.close())
  const res = await http(app, '/moves', { 'api-version': 'bad' })
  t.equal(res.status, 500)
  t.equal((await http(app, '/moves', { 'api-version': '2022-05-18' })).body, 'moves')
})

t.test('error classes and codes', async t => {
  const classes = {
    InvalidApiVersion: InvalidApiVersionError,
    UnsupportedApiVersion: UnsupportedApiVersionError,
    ApiVersionUnspecified: ApiVersionUnspecifiedError,
    ApiVersionSunset: ApiVersionSunsetError,
    ApiVersionNotImplemented: ApiVersionNotImplementedError,
    ApiVersionDefaultFailed: ApiVersionDefaultFailedError,
    ApiVersionEndpointNotFound: ApiVersionEndpointNotFoundError,
    ApiVersionMigrationFailed: ApiVersionMigrationFailedError
  }
  t.same(Object.keys(classes).sort(), Object.keys(errorCatalog).sort(), 'one class per catalog entry')
  t.same(Object.fromEntries(Object.entries(errorCatalog).map(([code, entry]) => [code, entry.status])), {
    InvalidApiVersion: 400,
    UnsupportedApiVersion: 400,
    ApiVersionUnspecified: 400,
    ApiVersionSunset: 410,
    ApiVersionNotImplemented: 501,
    ApiVersionDefaultFailed: 503,
    ApiVersionEndpointNotFound: 404,
    ApiVersionMigrationFailed: 500
  })
})

t.test('a mistaken call after start-up is a usage error, not a configuration error', async t => {
  const app = await build()
  t.teardown(() => app.close())
  let error: unknown
  try {
    await app.apiVersions.document('not-a-version')
  } catch (e) { error = e }
  t.ok(error instanceof ApiVersionUsageError, 'an ApiVersionUsageError')
  t.notOk(error instanceof ApiVersionConfigError, 'the configuration is not at fault')
  t.match(error, {
    code: 'ERR_API_VERSION_USAGE',
    message: 'fastify-date-versioning: "not-a-version" is not a declared version. Declared versions: 2021-01-01, 2022-05-18, 2023-01-10, 2024-03-01, 2027-01-15.'
  })
  await t.rejects(async () => { await app.register(dateVersioning, { versions: [] }) }, { code: 'ERR_API_VERSION_CONFIG' }, 'a configuration mistake keeps its own code')
})
