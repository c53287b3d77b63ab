import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import t from 'tap'
import { request } from 'undici'
import { memoryUsageStore } from '../lib/index.js'
import { buildApp, CLIENT_HEADER, USAGE_TOKEN } from '../examples/app.js'

/**
 * The example API's Usage section in a real browser (headless Chromium), after a few calls such as
 * examples/README.md shows with curl: the version distribution chart and the migration table, under
 * the page's content security policy; and a reader without the usage token sees no usage at all.
 * The 29 days before today are written to the store first, so that the chart has a trend to show.
 * Saves a screenshot of the section to USAGE_SCREENSHOT (docs/usage-page.png is made so), or to the
 * temporary directory. Runs only where Chromium is installed, and says so otherwise.
 */

const CHROMIUM = '/usr/bin/chromium'
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): the usage page was not opened in a browser`

// The browser's own, for the functions evaluated in the page (the project compiles without the DOM library).
declare const getComputedStyle: (element: unknown) => { fill: string }

/** Traffic of the days before today: 2022-03-01 fading, 2025-11-05 taking over. */
function history (days: readonly string[]): Record<string, Record<string, number>> {
  return Object.fromEntries(days.slice(0, -1).map((day, i) => [day, {
    '2022-03-01': 40 - i,
    '2024-09-01': 30,
    '2025-11-05': 20 + 2 * i
  }]))
}

t.test('the usage section shows the distribution and the migration of the example API\'s clients', { skip }, async t => {
  const store = memoryUsageStore()
  const app = await buildApp({ usageStore: store })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const profile = await mkdtemp(join(tmpdir(), 'usage-browser-'))
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS })
  t.teardown(async () => {
    await browser.close()
    await app.close()
    await rm(profile, { recursive: true, force: true })
  })
  const admin = { authorization: `Bearer ${USAGE_TOKEN}` }
  const call = async (client: string, version?: string): Promise<number> => {
    const res = await request(`${base}/moves`, { headers: { [CLIENT_HEADER]: client, ...(version === undefined ? {} : { 'api-version': version }) } })
    await res.body.dump()
    return res.statusCode
  }
  const { days } = await (await request(`${base}/api-versions/usage.json`, { headers: admin })).body.json() as { days: string[] }
  store.write({ clients: [], days: history(days), pins: {} })

  t.equal(await call('acme-logistics', '2022-03-01'), 200)
  t.equal(await call('northwind', '2022-03-01'), 200)
  t.equal(await call('northwind', '2025-11-05'), 200)
  t.equal(await call('globex'), 200)
  t.equal(await call('initech', '2020-06-12'), 410)
  t.equal(await call('umbrella', '2024-09-01'), 200)
  await app.apiVersions.usage!.flush()

  const page = await browser.newPage()
  await page.setExtraHTTPHeaders(admin)
  const requested: string[] = []
  page.on('request', r => { requested.push(r.url()) })
  const complaints: string[] = []
  page.on('console', message => { if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text()) })
  page.on('pageerror', error => { complaints.push(error.message) })
  await page.setViewportSize({ width: 1100, height: 900 })
  const response = await page.goto(`${base}/api-versions/docs`)
  t.equal(response?.status(), 200)
  t.equal(response?.headers()['cache-control'], 'private, no-store')

  const section = page.locator('section.usage')
  t.equal(await section.locator('h2').textContent(), 'Usage')
  t.equal(await section.locator('.usage-summary').textContent(), 'Clients: 5 · migrated 3 (60%) · pending 2 (40%). usage.json')
  const chart = section.locator('svg.usage-chart')
  t.ok((await chart.boundingBox())!.width > 600, 'the chart is drawn across the page')
  t.equal(await chart.locator('rect.bar[data-day="' + days.at(-1)! + '"]').count(), 4, 'today: a band for each version used')
  t.equal(await chart.locator('rect.bar').count(), 29 * 3 + 4, 'a bar per day, a band per version')
  t.equal(await chart.locator('rect.bar[data-version="2022-03-01"]').first().evaluate(bar => getComputedStyle(bar).fill), 'rgb(67, 160, 71)', 'bands are coloured per version')
  t.same(await section.locator('.usage-legend li').evaluateAll(items => items.map(i => i.getAttribute('data-version'))), ['2020-06-12', '2022-03-01', '2024-09-01', '2025-11-05'])
  t.equal(await section.locator('.usage-legend li[data-version="2022-03-01"] .trend').textContent(), '↓ declining')
  t.equal(await section.locator('.usage-legend li[data-version="2025-11-05"] .trend').textContent(), '↑ growing')

  const row = (version: string) => section.locator(`table.migration tr[data-version="${version}"] td`).allTextContents()
  t.same(await row('2022-03-01'), ['2022-03-01 deprecated', (await row('2022-03-01'))[1], '2024-09-01', '1', '2', '1', '1'],
    'on 2022-03-01: acme-logistics; warned: acme-logistics and northwind, which moved')
  t.match((await row('2022-03-01'))[1], /^\d+ days$/)
  t.same(await row('2020-06-12'), ['2020-06-12 sunset', 'passed', '2022-03-01', '1', '1', '0', '1'])
  t.same(await section.locator('table.contacts tbody tr td:first-child').allTextContents(), ['initech', 'acme-logistics'], 'the sunset client first')
  t.equal(await section.locator('table.contacts tbody tr:first-child td:nth-child(3)').textContent(), 'passed')

  const screenshot = resolve(process.env.USAGE_SCREENSHOT ?? join(tmpdir(), 'fastify-date-versioning-usage-page.png'))
  await section.screenshot({ path: screenshot })
  t.comment(`screenshot of the Usage section: ${screenshot}`)
  t.same(requested.filter(url => !url.startsWith(`${base}/`)), [], 'the page loaded nothing from elsewhere')
  t.same(complaints, [], 'no policy violation or error reported')

  const stranger = await browser.newPage()
  await stranger.goto(`${base}/api-versions/docs`)
  t.equal(await stranger.locator('section.usage').count(), 0, 'without the token, no Usage section')
  t.notOk((await stranger.content()).includes('acme-logistics'), 'and no client named anywhere on the page')
  await stranger.goto(`${base}/api-versions/usage.json`)
  t.match(await stranger.locator('body').textContent(), /"code":"ApiUsageUnauthorized"/)
})
