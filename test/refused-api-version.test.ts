import t from 'tap'
import { build, http } from './helpers.js'

// request.apiVersion names the version a request resolved to on 410 and 501 answers too, so that a
// hook counting usage sees who still calls a sunset version or knocks on a preview. The handler
// never runs. Clock: 2025-06-01; 2021-01-01 is sunset, 2027-01-15 a preview.

t.test('410 and 501 answers expose the resolved version and its status; the handler does not run', async t => {
  const app = await build()
  t.teardown(() => app.close())
  const seen: Array<[number, unknown]> = []
  let ran = 0
  app.addHook('onResponse', async (request, reply) => { seen.push([reply.statusCode, request.apiVersion]) })
  app.get('/moves', { constraints: { apiVersion: '2021-01-01' } }, async () => { ran++; return 'moves' })

  const sunset = await http(app, '/moves', { 'api-version': '2021-06-01' })
  t.equal(sunset.status, 410)
  t.equal(sunset.headers['api-version'], '2021-01-01')
  const preview = await http(app, '/moves', { 'api-version': '2027-02-01' })
  t.equal(preview.status, 501)
  const invalid = await http(app, '/moves', { 'api-version': 'soon' })
  t.equal(invalid.status, 400)
  const future = await http(app, '/moves', { 'api-version': '2026-01-01' })
  t.equal(future.status, 400)

  t.equal(ran, 0, 'the handler never ran')
  t.same(seen, [
    [410, { version: '2021-01-01', requested: '2021-06-01', source: 'header', status: 'sunset' }],
    [501, { version: '2027-01-15', requested: '2027-02-01', source: 'header', status: 'preview' }],
    [400, null],
    [400, null]
  ], 'null where no version was resolved')
})

t.test('a default that resolves to a sunset version is named too', async t => {
  const app = await build({ defaultVersion: '2021-06-01' })
  t.teardown(() => app.close())
  let seen: unknown
  app.addHook('onResponse', async (request) => { seen = request.apiVersion })
  app.get('/moves', { constraints: { apiVersion: '2021-01-01' } }, async () => 'moves')
  t.equal((await http(app, '/moves')).status, 410)
  t.same(seen, { version: '2021-01-01', requested: null, source: 'default', status: 'sunset' })
})
