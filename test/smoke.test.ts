import t from 'tap'
import { build, http } from './helpers.js'

t.test('serves the floor version over HTTP', async t => {
  const app = await build({ header: 'Harness-Version' })
  t.teardown(() => app.close())
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ name: 'A B' }))
  app.get('/moves', { constraints: { apiVersion: '2024-03-01' } }, async () => ({ firstName: 'A' }))
  const res = await http(app, '/moves', { 'harness-version': '2023-06-01' })
  t.equal(res.status, 200)
  t.equal(res.headers['harness-version'], '2023-01-10')
  t.same(res.json(), { name: 'A B' })
})
