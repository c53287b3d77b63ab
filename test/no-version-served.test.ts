import t from 'tap'
import { build, collectLogs, http } from './helpers.js'

// When no version is released and supported (every one sunset, or none released yet), requests
// without the header are refused with a message that names the state, and the log says so at
// start-up and each time the clock enters that state.

const WARNING = /^fastify-date-versioning: no API version is released and supported now \((.+)\), so every request to a versioned route fails\. Declare a released version, or move a sunset later\.$/

const warnings = (lines: ReturnType<typeof collectLogs>['lines']): string[] =>
  lines.filter(line => WARNING.test(line.msg)).map(line => (WARNING.exec(line.msg) as RegExpExecArray)[1] as string)

t.test('every version sunset: a warning when the application starts, and a message without "null"', async t => {
  const { lines, logger } = collectLogs()
  const app = await build({ versions: [{ version: '2021-01-01', sunset: '2022-01-01' }, { version: '2022-05-18', sunset: '2023-01-01' }] }, { logger })
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2021-01-01' } }, async () => 'moves')
  await app.ready()
  t.same(warnings(lines), ['every released version has reached its sunset'])
  const res = await http(app, '/moves')
  t.equal(res.status, 400)
  t.equal(res.json().detail, 'The default API version is not supported: every released version has reached its sunset.')
  t.same(warnings(lines).length, 1, 'requests do not repeat the warning')
})

t.test('nothing released yet: the first version is a preview', async t => {
  const { lines, logger } = collectLogs()
  const app = await build({ versions: [{ version: '2030-01-01' }] }, { logger })
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2030-01-01' } }, async () => 'moves')
  await app.ready()
  t.same(warnings(lines), ['no version is released yet (the first, 2030-01-01, is a preview)'])
  const res = await http(app, '/moves')
  t.equal(res.json().detail, 'The default API version is not supported: no version is released yet (the first, 2030-01-01, is a preview).')
})

t.test('the clock crossing into that state warns once per crossing', async t => {
  const { lines, logger } = collectLogs()
  const sunset = Date.parse('2025-06-01T12:00:00Z')
  let instant = sunset - 1
  const app = await build({ versions: [{ version: '2022-05-18', sunset: '2025-06-01T12:00:00Z' }], now: () => instant }, { logger })
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => 'moves')
  await app.ready()
  t.equal((await http(app, '/moves')).status, 200)
  t.same(warnings(lines), [], 'a served version at start-up: no warning')
  instant = sunset
  t.equal((await http(app, '/moves')).status, 400)
  t.equal((await http(app, '/moves')).status, 400)
  t.same(warnings(lines), ['every released version has reached its sunset'], 'once for the crossing')
  instant = sunset - 1
  t.equal((await http(app, '/moves')).status, 200, 'the clock goes back')
  instant = sunset + 1
  await http(app, '/moves')
  t.equal(warnings(lines).length, 2, 'and a second crossing warns again')
})
