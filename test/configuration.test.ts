import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import dateVersioning, { ApiVersionConfigError, retired, type DateVersioningOptions } from '../lib/index.js'
import { at, versions } from './helpers.js'

// Every configuration mistake must stop the application before it serves a request, with a message
// that says what is wrong and how to fix it.

const CODE = 'ERR_API_VERSION_CONFIG'
const two = [{ version: '2022-01-01' }, { version: '2023-01-01' }]

/** Registers the plugin with `options` (deliberately untyped: they are the mistakes under test). */
function register (options: unknown, app: FastifyInstance = Fastify()): PromiseLike<unknown> {
  return app.register(dateVersioning, options as DateVersioningOptions)
}

/** Awaits `attempt` and checks that it failed with the plugin's configuration error saying `message`. */
async function failsWith (t: Test, attempt: PromiseLike<unknown>, message: RegExp): Promise<void> {
  const error = await Promise.resolve(attempt).then(() => undefined, (err: unknown) => err)
  if (!(error instanceof Error)) {
    t.fail(`expected a configuration error matching ${message}, but registration succeeded`)
    return
  }
  t.ok(error instanceof ApiVersionConfigError && error.message.startsWith('fastify-date-versioning: '),
    'the plugin\'s configuration error, its message prefixed with the plugin\'s name')
  t.match(error, { code: CODE, message }, `fails with ${String(message)}`)
}

/** Registers the plugin at the root, then declares routes in a child scope; resolves with `ready()`. */
function withRoutes (declare: (app: FastifyInstance) => void, options: Partial<DateVersioningOptions> = {}): PromiseLike<unknown> {
  const app = Fastify()
  app.register(dateVersioning, { versions: two, ...options })
  app.register(async scope => declare(scope))
  return app.ready()
}

t.test('options', async t => {
  t.test('registering without options fails, asking for versions', async t => {
    await failsWith(t, register(undefined), /versions must be a non-empty array such as \[\{ version: "\d{4}-\d{2}-\d{2}" \}\]/)
  })

  t.test('options that are not an object fail', async t => {
    await failsWith(t, register('2024-01-01'), /options are required: \{ versions: \[\.\.\.\] \}/)
  })

  t.test('an unknown option fails, naming it and listing the known ones', async t => {
    await failsWith(t, register({ versions: two, defaultVerison: 'oldest' }), /unknown option "defaultVerison"\. Known options: .*\bdefaultVersion\b/)
    await failsWith(t, register({ versions: two, sunsetPolicy: 'gone' }), /unknown option "sunsetPolicy"\. Known options: .*\bonSunset\b/)
  })

  t.test('__proto__ and constructor keys from JSON are unknown options and pollute nothing', async t => {
    const polluting = [
      '{"versions":[{"version":"2022-01-01"}],"__proto__":{"polluted":true}}',
      '{"__proto__":{"versions":[{"version":"2022-01-01"}],"polluted":true}}',
      '{"versions":[{"version":"2022-01-01"}],"constructor":{"prototype":{"polluted":true}}}'
    ]
    for (const json of polluting) {
      const key = json.includes('constructor') ? 'constructor' : '__proto__'
      await failsWith(t, register(JSON.parse(json)), new RegExp(`unknown option "${key}"`))
    }
    await failsWith(t, register(JSON.parse('{"versions":[{"version":"2022-01-01"}],"links":{"__proto__":{"sunset":"https://x.test"}}}')),
      /links\.__proto__ is not a known link/)
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted')
    t.notOk(Object.hasOwn(Object.prototype, 'polluted'))
  })

  t.test('a version entry parsed from JSON with a __proto__ key is rejected and pollutes nothing', async t => {
    await failsWith(t, register({
      versions: JSON.parse('[{"version":"2022-01-01","__proto__":{"preview":true,"sunset":"2023-01-01"}}]'),
      now: at()
    }), /versions\[2022-01-01\] has an unknown field "__proto__"/)
    t.equal(({} as Record<string, unknown>).preview, undefined, 'Object.prototype is not polluted')
  })

  t.test('a header name that is not an HTTP token fails', async t => {
    await failsWith(t, register({ versions: two, header: 'Api Version' }), /header must be an HTTP header name such as "Api-Version"; received "Api Version"/)
    await failsWith(t, register({ versions: two, header: '' }), /header must be an HTTP header name .*received ""/)
    await failsWith(t, register({ versions: two, header: 'Api-Version:' }), /header must be an HTTP header name/)
    await failsWith(t, register({ versions: two, header: 42 }), /header must be an HTTP header name .*received 42/)
  })

  t.test('a defaultVersion that is not latest, oldest, a real date or a function fails', async t => {
    const cases: Array<[unknown, string]> = [['newest', '"newest"'], ['2023-02-30', '"2023-02-30"'], ['2023-1-5', '"2023-1-5"'], [5, '5'], [null, 'null']]
    for (const [value, shown] of cases) {
      await failsWith(t, register({ versions: two, defaultVersion: value }),
        new RegExp(`defaultVersion must be "latest", "oldest", a date written YYYY-MM-DD, or a function; received ${shown}\\.`))
    }
  })

  t.test('a fixed defaultVersion before the first declared version fails', async t => {
    await failsWith(t, register({ versions: two, defaultVersion: '2020-01-01' }),
      /defaultVersion 2020-01-01 is earlier than the first declared version \(2022-01-01\).*choose a date on or after 2022-01-01/)
  })

  t.test('of several mistakes, the one reported is the first in a fixed order: options, timeZone, lifecycle, versions, defaultVersion', async t => {
    const bad = [{ version: '2022-13-01' }]
    await failsWith(t, register({ versions: bad, timeZone: 'Nowhere', lifecycle: 1, warning: 'yes' }), /warning must be true or false/)
    await failsWith(t, register({ versions: bad, timeZone: 'Nowhere', lifecycle: 1 }), /timeZone "Nowhere" is not a known IANA time zone/)
    await failsWith(t, register({ versions: bad, lifecycle: 1 }), /lifecycle must be an object/)
    await failsWith(t, register({ versions: bad, defaultVersion: '2020-01-01' }), /versions\[0\]\.version must be a real calendar date/)
  })

  t.test('defaultVersion together with requireHeader: true fails', async t => {
    await failsWith(t, register({ versions: two, defaultVersion: 'oldest', requireHeader: true }),
      /defaultVersion has no effect with requireHeader: true; remove one of the two/)
    await failsWith(t, register({ versions: two, defaultVersion: () => '2022-01-01', requireHeader: true }), /defaultVersion has no effect with requireHeader: true/)
  })

  t.test('onSunset and deprecationHeader accept only their documented values', async t => {
    await failsWith(t, register({ versions: two, onSunset: 'Gone' }), /onSunset must be "gone" or "upgrade"; received "Gone"/)
    await failsWith(t, register({ versions: two, onSunset: true }), /onSunset must be "gone" or "upgrade"; received true/)
    await failsWith(t, register({ versions: two, deprecationHeader: 'true' }), /deprecationHeader must be "date" or "boolean"; received "true"/)
    await failsWith(t, register({ versions: two, deprecationHeader: 1 }), /deprecationHeader must be "date" or "boolean"; received 1/)
  })

  t.test('requireHeader, warning and reportVersions must be booleans', async t => {
    for (const name of ['requireHeader', 'warning', 'reportVersions']) {
      await failsWith(t, register({ versions: two, [name]: 'true' }), new RegExp(`${name} must be true or false; received "true"`))
      await failsWith(t, register({ versions: two, [name]: 1 }), new RegExp(`${name} must be true or false; received 1`))
    }
  })

  t.test('timeouts must be positive whole numbers of milliseconds', async t => {
    for (const name of ['previewFlagTimeout', 'defaultVersionTimeout']) {
      for (const value of [0, -1, 1.5, '500', Number.POSITIVE_INFINITY]) {
        await failsWith(t, register({ versions: two, [name]: value }), new RegExp(`${name} must be a positive whole number of milliseconds`))
      }
    }
  })

  t.test('now, isPreviewEnabled and problemType must be functions', async t => {
    await failsWith(t, register({ versions: two, now: Date.now() }), /now must be a function/)
    await failsWith(t, register({ versions: two, isPreviewEnabled: true }), /isPreviewEnabled must be a function/)
    await failsWith(t, register({ versions: two, problemType: 'https://example.com/problems' }), /problemType must be a function/)
  })

  t.test('links must name known relations with string or function targets', async t => {
    await failsWith(t, register({ versions: two, links: 'https://example.com/changelog' }), /links must be an object such as \{ successorVersion: /)
    await failsWith(t, register({ versions: two, links: null }), /links must be an object/)
    await failsWith(t, register({ versions: two, links: { successor: 'https://example.com/{successor}' } }),
      /links\.successor is not a known link; use successorVersion, deprecation or sunset/)
    await failsWith(t, register({ versions: two, links: { sunset: 42 } }), /links\.sunset must be a URL string or a function/)
  })

  t.test('an unknown time zone fails, suggesting a valid name', async t => {
    await failsWith(t, register({ versions: two, timeZone: 'Europe/Lodnon' }), /timeZone "Europe\/Lodnon" is not a known IANA time zone; use a name such as "UTC"/)
    await failsWith(t, register({ versions: two, timeZone: '' }), /timeZone "" is not a known IANA time zone/)
  })
})

t.test('versions', async t => {
  t.test('versions must be a non-empty array', async t => {
    for (const value of [undefined, [], { version: '2022-01-01' }, '2022-01-01', null]) {
      await failsWith(t, register({ versions: value }), /versions must be a non-empty array such as \[\{ version: "2024-03-01" \}\]/)
    }
  })

  t.test('each version must be an object', async t => {
    await failsWith(t, register({ versions: ['2022-01-01'] }), /versions\[0\] must be an object such as \{ version: "2024-03-01" \}/)
    await failsWith(t, register({ versions: [{ version: '2022-01-01' }, null] }), /versions\[1\] must be an object/)
  })

  t.test('a version must be a real calendar date written YYYY-MM-DD', async t => {
    for (const value of ['2023-02-30', '2023-13-01', '2023-1-5', '2023-00-10', '2023-01-10T00:00:00Z', ' 2023-01-10', 20230110, undefined]) {
      await failsWith(t, register({ versions: [{ version: '2022-01-01' }, { version: value }] }),
        /versions\[1\]\.version must be a real calendar date written YYYY-MM-DD; received /)
    }
    const app = Fastify()
    await register({ versions: [{ version: '2024-02-29' }], now: at() }, app)
    t.equal(app.apiVersions.get('2024-02-29')?.version, '2024-02-29', 'a leap day is a real date')
  })

  t.test('a version declared twice fails', async t => {
    await failsWith(t, register({ versions: [{ version: '2023-01-01' }, { version: '2022-01-01' }, { version: '2023-01-01', preview: true }] }),
      /version 2023-01-01 is declared twice in versions; declare each version once/)
  })

  t.test('versions may be declared in any order', async t => {
    const app = Fastify()
    await register({ versions: [{ version: '2024-03-01' }, { version: '2021-01-01' }, { version: '2023-01-10' }, { version: '2022-05-18' }], now: at() }, app)
    t.same(app.apiVersions.versions.map(v => v.version), ['2021-01-01', '2022-05-18', '2023-01-10', '2024-03-01'])
    t.equal(app.apiVersions.oldest, '2021-01-01')
    t.equal(app.apiVersions.latest, '2024-03-01')
    t.equal(app.apiVersions.get('2022-05-18')?.successor, '2023-01-10')
  })

  t.test('changes must be an array of strings and preview a boolean', async t => {
    await failsWith(t, register({ versions: [{ version: '2022-01-01', changes: 'First release' }] }), /versions\[2022-01-01\]\.changes must be an array of strings/)
    await failsWith(t, register({ versions: [{ version: '2022-01-01', changes: ['ok', 3] }] }), /versions\[2022-01-01\]\.changes must be an array of strings/)
    await failsWith(t, register({ versions: [{ version: '2022-01-01', preview: 'yes' }] }), /versions\[2022-01-01\]\.preview must be true or false/)
  })

  t.test('deprecated and sunset must be dates, instants or Dates', async t => {
    const cases: Array<[string, unknown]> = [
      ['deprecated', 'soon'],
      ['sunset', '2024-02-30'],
      ['deprecated', 12],
      ['sunset', '2024-01-01T25:00:00Z'],
      ['deprecated', null],
      ['sunset', '2024/06/30']
    ]
    for (const [field, value] of cases) {
      await failsWith(t, register({ versions: [{ version: '2022-01-01', [field]: value }] }),
        new RegExp(`versions\\[2022-01-01\\]\\.${field} must be a date "YYYY-MM-DD", an ISO 8601 instant such as "2026-06-30T23:59:59Z", or a Date; received `))
    }
  })

  t.test('an invalid Date object fails', async t => {
    await failsWith(t, register({ versions: [{ version: '2022-01-01', sunset: new Date('not a date') }] }), /versions\[2022-01-01\]\.sunset must be a date/)
  })

  t.test('an invalid Date object is reported as such, not as "received null"', async t => {
    await failsWith(t, register({ versions: [{ version: '2022-01-01', sunset: new Date('not a date') }] }), /Invalid Date/)
  })

  t.test('a sunset earlier than the deprecation fails (RFC 9745)', async t => {
    await failsWith(t, register({ versions: [{ version: '2022-01-01', deprecated: '2024-01-01', sunset: '2023-12-31T23:59:59Z' }] }),
      /versions\[2022-01-01\]: sunset \(2023-12-31T23:59:59\.000Z\) is earlier than deprecated \(2024-01-01T00:00:00\.000Z\).*Move the sunset later or the deprecation earlier/)
    const app = Fastify()
    await register({ versions: [{ version: '2022-01-01', deprecated: '2024-01-01', sunset: '2024-01-01' }], now: at() }, app)
    t.equal(app.apiVersions.get('2022-01-01')?.status, 'sunset', 'a sunset on the deprecation instant is allowed')
  })

  t.test('a preview cannot be deprecated or sunset', async t => {
    await failsWith(t, register({ versions: [{ version: '2027-01-15', preview: true, deprecated: '2028-01-01' }] }),
      /versions\[2027-01-15\] is a preview and cannot be deprecated or sunset; release it first \(remove preview: true\)/)
    await failsWith(t, register({ versions: [{ version: '2027-01-15', preview: true, sunset: '2029-01-01' }] }), /is a preview and cannot be deprecated or sunset/)
  })

  t.test('a misspelt field of a version fails instead of being ignored', async t => {
    await failsWith(t, register({ versions: [{ version: '2022-01-01', deprecation: '2023-01-01' }, { version: '2023-01-01' }] }), /deprecation/)
  })
})

t.test('lifecycle policy', async t => {
  t.test('lifecycle must be an object', async t => {
    for (const value of ['P2Y', null, 2]) {
      await failsWith(t, register({ versions: two, lifecycle: value }), /lifecycle must be an object such as \{ deprecateAfter: "P2Y", sunsetAfter: "P3Y" \}/)
    }
  })

  t.test('durations must be ISO 8601 durations that are not negative', async t => {
    for (const value of ['2 years', 5, 'P-1Y', '', 'P2', 'PT-1H']) {
      await failsWith(t, register({ versions: two, lifecycle: { deprecateAfter: value } }),
        /lifecycle\.deprecateAfter must be an ISO 8601 duration such as "P2Y" or "P18M"; received /)
      await failsWith(t, register({ versions: two, lifecycle: { sunsetAfter: value } }), /lifecycle\.sunsetAfter must be an ISO 8601 duration/)
    }
  })

  t.test('a sunsetAfter shorter than deprecateAfter fails', async t => {
    await failsWith(t, register({ versions: two, lifecycle: { deprecateAfter: 'P3Y', sunsetAfter: 'P2Y' } }),
      /lifecycle\.sunsetAfter is shorter than lifecycle\.deprecateAfter: a version cannot be sunset before it is deprecated/)
    await failsWith(t, register({ versions: two, lifecycle: { deprecateAfter: 'P2Y', sunsetAfter: 'P23M' } }), /lifecycle\.sunsetAfter is shorter than lifecycle\.deprecateAfter/)
  })

  t.test('a misspelt policy field fails instead of being ignored', async t => {
    await failsWith(t, register({ versions: two, lifecycle: { deprecatedAfter: 'P2Y' } }), /deprecatedAfter/)
  })
})

t.test('routes', async t => {
  t.test('a route naming an undeclared version fails, listing the declared versions', async t => {
    await failsWith(t, withRoutes(app => app.get('/moves', { constraints: { apiVersion: '2022-06-01' } }, async () => 'x')),
      /route GET \/moves names apiVersion "2022-06-01", which is not a declared version\. Declared versions: 2022-01-01, 2023-01-01\./)
  })

  t.test('the mistake is raised where the route is declared', async t => {
    const app = Fastify()
    await app.register(dateVersioning, { versions: two })
    t.throws(() => app.post('/moves', { constraints: { apiVersion: '2024-01-01' } }, async () => 'x'),
      { code: CODE, message: /route POST \/moves names apiVersion "2024-01-01", which is not a declared version\. Declared versions: 2022-01-01, 2023-01-01/ })
  })

  t.test('a route with a malformed or non-string version fails', async t => {
    await failsWith(t, withRoutes(app => app.get('/moves', { constraints: { apiVersion: '2022-1-1' } }, async () => 'x')),
      /names apiVersion "2022-1-1", which is not a declared version\. Declared versions: 2022-01-01, 2023-01-01/)
    await failsWith(t, withRoutes(app => app.get('/moves', { constraints: { apiVersion: 20220101 as unknown as string } }, async () => 'x')),
      /names apiVersion 20220101, which is not a declared version\. Declared versions: 2022-01-01, 2023-01-01/)
  })

  t.test('a route using apiVersion in a scope without the plugin fails, asking to register it', async t => {
    const app = Fastify()
    app.register(async scope => { await scope.register(dateVersioning, { versions: two }) })
    app.register(async scope => {
      scope.get('/moves', { constraints: { apiVersion: '2022-01-01' } }, async () => 'x')
    })
    await failsWith(t, app.ready(), /a route uses the apiVersion constraint outside the scope where fastify-date-versioning is registered\. Register the plugin in that scope or a parent scope/)
  })

  t.test('more than 31 handlers on one method and path fails, naming them', async t => {
    // 32 distinct real dates: every day of January 2020, then 1 February.
    const many = Array.from({ length: 32 }, (_, i) => ({ version: i < 31 ? `2020-01-${String(i + 1).padStart(2, '0')}` : '2020-02-01' }))
    await failsWith(t, withRoutes(app => {
      for (const { version } of many) app.get('/moves', { constraints: { apiVersion: version } }, async () => version)
    }, { versions: many }), /GET \/moves would have more than 31 handlers, the most Fastify's router \(find-my-way\) allows on one method and path\. Remove handlers of versions no client can reach/)

    const app = Fastify()
    app.register(dateVersioning, { versions: many, now: at() })
    app.register(async scope => {
      for (const { version } of many.slice(1)) scope.get('/moves', { constraints: { apiVersion: version } }, async () => version)
    })
    await app.ready()
    // Each of the 31 handlers answers the clients of its version.
    const answers = await Promise.all(many.slice(1).map(async ({ version }) =>
      (await app.inject({ url: '/moves', headers: { 'api-version': version } })).body))
    t.same(answers, many.slice(1).map(({ version }) => version), '31 handlers are accepted, each serving its version')
  })

  t.test('two handlers for one version on one method and path fail', async t => {
    await failsWith(t, withRoutes(app => {
      app.get('/moves', { constraints: { apiVersion: '2022-01-01' } }, async () => 'x')
      app.get('/moves', { constraints: { apiVersion: '2022-01-01' } }, retired)
    }), /GET \/moves already has a handler for version 2022-01-01; declare one handler per version.*retire/)
    await failsWith(t, withRoutes(app => {
      app.delete('/moves/:id', { constraints: { apiVersion: '2023-01-01' } }, async () => 'x')
      app.delete('/moves/:id', { constraints: { apiVersion: '2023-01-01' } }, async () => 'y')
    }), /DELETE \/moves\/:id already has a handler for version 2023-01-01/)
  })

  t.test('handlers of one version that differ by another constraint are accepted', async t => {
    const app = Fastify()
    app.register(dateVersioning, { versions: two, now: at() })
    app.register(async scope => {
      scope.get('/moves', { constraints: { apiVersion: '2022-01-01', host: 'a.example.com' } }, async () => 'a')
      scope.get('/moves', { constraints: { apiVersion: '2022-01-01', host: 'b.example.com' } }, async () => 'b')
    })
    await app.ready()
    const res = await app.inject({ url: '/moves', headers: { host: 'b.example.com', 'api-version': '2022-06-01' } })
    t.equal(res.body, 'b')
  })
})

t.test('registration', async t => {
  t.test('registering the plugin twice in one scope fails', async t => {
    const app = Fastify()
    await app.register(dateVersioning, { versions })
    await failsWith(t, app.register(dateVersioning, { versions }),
      /the plugin is already registered in this scope or a parent scope\. Register it once per scope; for path versions such as \/v1 and \/v2, register it inside each prefixed scope/)
  })

  t.test('registering the plugin in a child of a scope that has it fails', async t => {
    const app = Fastify()
    await app.register(dateVersioning, { versions })
    await failsWith(t, app.register(async child => { await child.register(dateVersioning, { versions, header: 'Harness-Version' }) }),
      /the plugin is already registered in this scope or a parent scope/)
  })

  t.test('sibling scopes may each register it', async t => {
    const app = Fastify()
    app.register(async v1 => {
      await v1.register(dateVersioning, { versions: two, now: at() })
      v1.get('/moves', { constraints: { apiVersion: '2022-01-01' } }, async request => request.apiVersion?.version)
    }, { prefix: '/v1' })
    app.register(async v2 => {
      await v2.register(dateVersioning, { versions, now: at(), header: 'Harness-Version' })
      v2.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async request => request.apiVersion?.version)
    }, { prefix: '/v2' })
    await app.ready()
    // Each scope answers with its own timeline and header: the latest of each, then a pinned date.
    const v1 = await app.inject({ url: '/v1/moves' })
    const v2 = await app.inject({ url: '/v2/moves' })
    t.same([v1.statusCode, v1.body, v1.headers['api-version']], [200, '2023-01-01', '2023-01-01'], '/v1 resolves on its own timeline')
    t.same([v2.statusCode, v2.body, v2.headers['harness-version']], [200, '2024-03-01', '2024-03-01'], '/v2 resolves on its own timeline, with its own header')
    const pinned = await app.inject({ url: '/v2/moves', headers: { 'harness-version': '2023-02-01' } })
    t.equal(pinned.body, '2023-01-10', '/v2 reads its own header')
  })
})
