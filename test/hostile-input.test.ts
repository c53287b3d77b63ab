import t from 'tap'
import { build } from './helpers.js'

// Many distinct header values: every one gets its catalogued answer, and the resolution cache stays
// bounded (it is emptied when full), so the answers stay right after it turns over.

t.test('thousands of distinct header values are each answered correctly', async t => {
  const app = await build()
  app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async (request) => request.apiVersion?.version)
  t.teardown(() => app.close())
  let mismatches = 0
  for (let i = 0; i < 3000; i++) {
    const day = new Date(Date.UTC(2022, 5, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10)
    const value = i % 3 === 0 ? `junk-${i}` : day
    const res = await app.inject({ url: '/moves', headers: { 'api-version': value } })
    const expected = i % 3 === 0
      ? 400
      : day > '2025-06-01' ? 400 : 200
    if (res.statusCode !== expected) mismatches++
    if (expected === 200) {
      const served = day >= '2024-03-01' ? '2024-03-01' : day >= '2023-01-10' ? '2023-01-10' : '2022-05-18'
      if (res.body !== served) mismatches++
    }
  }
  t.equal(mismatches, 0)
})
