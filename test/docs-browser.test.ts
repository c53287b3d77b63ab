import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import t from 'tap'
import { buildApp } from '../examples/app.js'

/**
 * The example API's documentation page in a real browser (headless Chromium): a reader switches
 * versions and sees the reference of each, under the page's content security policy. Runs only
 * where Chromium is installed, and says so otherwise. Saves a screenshot of the deprecated
 * version's page to DOCS_SCREENSHOT (docs/docs-page.png is made so), or to the temporary directory.
 */

const CHROMIUM = '/usr/bin/chromium'

// The browser's own, for the functions evaluated in the page (the project compiles without the DOM library).
declare const getComputedStyle: (element: unknown) => { backgroundColor: string, fill: string }

// A quiet, self-contained browser: no sandbox (containers), no GPU, no network of its own.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** The method and path of every operation of the reference. */
const operations = (page: Page): Promise<string[]> =>
  page.locator('section.operation').evaluateAll(sections => sections.map(s => s.getAttribute('data-operation') ?? ''))

/** The field names of GET /moves's 200 answer, in page order. */
const moveFields = (page: Page): Promise<string[]> =>
  page.locator('section[data-operation="GET /moves"] ul.responses code.field').allTextContents()

async function switchTo (page: Page, version: string): Promise<void> {
  // The page has no script: a reader picks a version and presses Show.
  await page.selectOption('#version', version)
  await Promise.all([
    page.waitForURL(url => url.searchParams.get('version') === version),
    page.click('.switcher button')
  ])
}

// Skipped, and reported as skipped with the reason, where Chromium is missing: never a silent pass.
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium): the documentation page was not opened in a browser`

t.test('a reader switches versions on the documentation page of the example API', { skip }, async t => {
  const app = await buildApp()
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const profile = await mkdtemp(join(tmpdir(), 'docs-browser-'))
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS })
  t.teardown(async () => {
    await browser.close()
    await app.close()
    await rm(profile, { recursive: true, force: true })
  })
  const page = await browser.newPage()
  const requested: string[] = []
  page.on('request', request => { requested.push(request.url()) })
  // Chromium reports every content security policy violation (and any script error) on the console.
  const complaints: string[] = []
  page.on('console', message => { if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text()) })
  page.on('pageerror', error => { complaints.push(error.message) })

  const response = await page.goto(`${address}/api-versions/docs`)
  t.equal(response?.status(), 200)
  t.match(response?.headers()['content-security-policy'], /^default-src 'none'; style-src 'sha256-/, 'served under a policy that allows no script')
  t.equal(await page.locator('.badge.active').first().evaluate(badge => getComputedStyle(badge).backgroundColor), 'rgb(216, 243, 220)',
    'the style element is applied under the policy')
  const chart = page.locator('svg.timeline-chart')
  t.ok((await chart.boundingBox())!.width > 600, 'the timeline picture is drawn across the page')
  t.same(await chart.locator('text.label').allTextContents(), ['2020-06-12', '2022-03-01', '2024-09-01', '2025-11-05'], 'one row per version, oldest first')
  t.match(await chart.locator('text.today-label').textContent(), /^today \d{4}-\d{2}-\d{2}$/)
  t.equal(await chart.locator('.phase.deprecated').first().evaluate(bar => getComputedStyle(bar).fill), 'rgb(240, 180, 41)', 'bars are coloured by phase')
  t.equal(await page.title(), 'Moves API · 2025-11-05', 'the latest release by default')
  t.same(await page.locator('#version option').allTextContents(),
    ['2025-11-05 (active)', '2024-09-01 (active)', '2022-03-01 (deprecated)', '2020-06-12 (sunset)'],
    'the switcher lists the versions newest first, without the preview')
  t.same(await page.locator('ul.timeline .badge').allTextContents(),
    ['active', 'active', 'deprecated · sunset 2029-12-31 23:59 UTC', 'sunset since 2024-06-30 23:59 UTC'])
  t.equal(await page.locator('#v2025-11-05 > ul > li').textContent(), 'person.name is split into person.firstName and person.lastName', 'the changelog')

  await switchTo(page, '2022-03-01')
  t.equal(await page.locator('#reference').textContent(), 'Version 2022-03-01 deprecated · sunset 2029-12-31 23:59 UTC')
  t.equal(await page.locator('.banner').textContent(), 'Version 2022-03-01 is deprecated and reaches its sunset on 2029-12-31 23:59 UTC. Move to version 2024-09-01.')
  t.ok(await page.locator('.banner').isVisible(), 'the deprecation banner is visible')
  const screenshot = resolve(process.env.DOCS_SCREENSHOT ?? join(tmpdir(), 'fastify-date-versioning-docs-page.png'))
  await page.setViewportSize({ width: 1100, height: 900 })
  await page.screenshot({ path: screenshot, fullPage: true })
  t.comment(`screenshot of the 2022-03-01 page: ${screenshot}`)
  t.ok((await operations(page)).includes('DELETE /moves/{id}'), 'DELETE /moves/{id} is documented in 2022-03-01')
  t.ok((await moveFields(page)).includes('name'))
  t.notOk((await moveFields(page)).includes('firstName'))

  await switchTo(page, '2025-11-05')
  t.equal(await page.locator('#reference').textContent(), 'Version 2025-11-05 active')
  t.notOk((await operations(page)).includes('DELETE /moves/{id}'), 'the retired DELETE /moves/{id} is gone')
  t.ok((await operations(page)).includes('POST /moves/{id}/cancel'), 'its replacement is there')
  const fields = await moveFields(page)
  t.ok(fields.includes('firstName') && fields.includes('lastName'), 'name became firstName and lastName')
  t.notOk(fields.includes('name'))

  t.same(requested.filter(url => !url.startsWith(`${address}/`)), [], 'the page loaded nothing from elsewhere')
  t.same(complaints, [], 'no policy violation or error reported')
})
