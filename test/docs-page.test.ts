import Fastify, { type FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import t from 'tap'
import dateVersioning, { retired, type DateVersioningOptions } from '../lib/index.js'
import type { ApiVersionInfo } from '../lib/api-versions.js'
import { renderDocsPage } from '../lib/openapi/docs-page.js'
import { at, http } from './helpers.js'

// The documentation page at <prefix>/docs, as a browser receives it.

const versions: DateVersioningOptions['versions'] = [
  { version: '2020-01-01', sunset: '2021-01-01' },
  { version: '2022-01-01', changes: ['First release'], deprecated: '2024-01-01', sunset: '2026-01-01T12:30:00Z' },
  { version: '2023-01-01', changes: ['Moves can be created <fast>'], deprecated: '2025-05-01' },
  { version: '2024-03-01', changes: ['`name` split into `firstName` and `lastName`', 'Moves can no longer be deleted'] },
  { version: '2027-01-15', preview: true, changes: ['Locations are objects'] }
]

const object = (properties: Record<string, unknown>) => ({ type: 'object', properties, required: Object.keys(properties) })
const text = { type: 'string' }

async function moves (docs: DateVersioningOptions['docs'] = true): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(dateVersioning, { versions, now: at(), docs })
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/moves/:id', {
    constraints: { apiVersion: '2022-01-01' },
    schema: { summary: 'One move', params: object({ id: text }), response: { 200: object({ person: object({ name: text }) }) } }
  }, async () => ({ person: { name: 'Ada Lovelace' } }))
  app.get('/moves/:id', {
    constraints: { apiVersion: '2024-03-01' },
    schema: { params: object({ id: text }), response: { 200: object({ person: object({ firstName: text, lastName: text }) }) } }
  }, async () => ({ person: { firstName: 'Ada', lastName: 'Lovelace' } }))
  app.delete('/moves/:id', { constraints: { apiVersion: '2022-01-01' } }, async () => null)
  app.delete('/moves/:id', { constraints: { apiVersion: '2024-03-01' } }, retired)
  return app
}

async function page (app: FastifyInstance, url = '/api-versions/docs'): Promise<string> {
  const res = await app.inject(url)
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.body
}

const released: ApiVersionInfo = { version: '2024-03-01', status: 'active', changes: [], deprecated: null, sunset: null, successor: null }

/** The method and path of every operation the page documents, in page order. */
const operations = (html: string): string[] => [...html.matchAll(/data-operation="([^"]+)"/g)].map(m => m[1] as string)
/** The options of the version switcher, and the one selected. */
const options = (html: string): string[] => [...html.matchAll(/<option value="([^"]+)"( selected)?>/g)].map(m => m[1] + (m[2] ?? ''))
const fields = (html: string): string[] => [...html.matchAll(/<code class="field">([^<]+)<\/code>/g)].map(m => m[1] as string)
const badges = (html: string): string[] => [...html.matchAll(/<span class="badge [a-z]+" data-status="[a-z]+">(.*?)<\/span>/g)]
  .map(m => (m[1] as string).replace(/<[^>]+>/g, ''))

t.test('the page is HTML that loads nothing from elsewhere', async t => {
  const app = await moves()
  const res = await app.inject('/api-versions/docs')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.match(res.body, /^<!doctype html>/)
  t.notMatch(res.body, /<script|<link|src=|url\(/, 'no script, style sheet, image or font to fetch')
  t.notMatch(res.body, /https?:/, 'no absolute URL')
})

t.test('without a choice the page shows the latest release, with a switcher over the released versions', async t => {
  const html = await page(await moves())
  t.match(html, /<h2 id="reference">Version 2024-03-01 <span class="badge active"/)
  t.match(html, '<code>Api-Version: 2024-03-01</code>')
  t.same(options(html), ['2024-03-01 selected', '2023-01-01', '2022-01-01', '2020-01-01'], 'newest first; no preview')
  t.match(html, '<form class="switcher" method="get" action="/api-versions/docs">')
  t.same(operations(html), ['GET /health', 'GET /moves/{id}'])
  t.same(fields(html), ['person', 'firstName', 'lastName'])
})

t.test('switching versions shows the operations and fields of that version', async t => {
  const app = await moves()
  const old = await page(app, '/api-versions/docs?version=2022-01-01')
  t.same(options(old), ['2024-03-01', '2023-01-01', '2022-01-01 selected', '2020-01-01'])
  t.same(operations(old), ['GET /health', 'GET /moves/{id}', 'DELETE /moves/{id}'])
  t.same(fields(old), ['person', 'name'])
  t.match(old, '<p>One move</p>')
  t.match(old, '<p class="since">Handler of version 2022-01-01</p>')
  t.match(old, '<p class="since">The same in every version</p>')
  t.match(old, '<code class="parameter">Api-Version</code> <span class="type">in header</span> <span class="optional">optional</span>')
  t.match(old, '<code class="parameter">id</code> <span class="type">in path</span></li>')
  t.match(old, '<a href="/api-versions/2022-01-01/openapi.json">')
  const current = await page(app, '/api-versions/docs?version=2024-03-01')
  t.notOk(operations(current).includes('DELETE /moves/{id}'), 'the retired operation is gone')
  t.same(fields(current), ['person', 'firstName', 'lastName'])
})

t.test('badges tell the lifecycle, with the sunset date of deprecated versions', async t => {
  const html = await page(await moves())
  const timeline = html.slice(html.indexOf('<ul class="timeline">'), html.indexOf('<h2 id="changelog">'))
  t.same(badges(timeline), [
    'active',
    'deprecated',
    'deprecated · sunset 2026-01-01 12:30 UTC',
    'sunset since 2021-01-01'
  ])
  t.match(timeline, '<time datetime="2026-01-01T12:30:00.000Z">')
  t.match(timeline, '<li aria-current="true"><a href="/api-versions/docs?version=2024-03-01">')
})

t.test('the changelog lists each version newest first, its Markdown rendered, its text escaped', async t => {
  const app = await moves()
  const html = await page(app)
  const changelog = html.slice(html.indexOf('<h2 id="changelog">'))
  t.same([...changelog.matchAll(/<article class="release" id="v([0-9-]+)">/g)].map(m => m[1]), ['2024-03-01', '2023-01-01', '2022-01-01', '2020-01-01'])
  t.match(changelog, '<li><code>name</code> split into <code>firstName</code> and <code>lastName</code></li><li>Moves can no longer be deleted</li>')
  t.match((await app.inject('/api-versions/changelog.md')).body, '- `name` split into `firstName` and `lastName`', 'the Markdown changelog keeps the source')
  t.same((await app.inject('/api-versions/changelog.json')).json().versions[0].changes[0], '`name` split into `firstName` and `lastName`', 'so does the JSON one')
  t.match(changelog, '<li>Moves can be created &lt;fast&gt;</li>')
  t.match(changelog, /id="v2020-01-01">.*<p>No changes listed\.<\/p>/)
  t.match(changelog, '<a href="/api-versions/changelog.md">Markdown</a>')
})

t.test('each release shows its contract changes since the version before, breaking first, folded', async t => {
  const html = await page(await moves())
  const release = (version: string): string => html.slice(html.indexOf(`<article class="release" id="v${version}">`)).split('</article>')[0] as string
  const items = (text: string): string[] => [...text.matchAll(/<li><span class="level ([a-z]+)">[a-z]+<\/span> (.*?)<\/li>/g)]
    .map(m => `${m[1]} ${(m[2] as string).replace(/<[^>]+>/g, '')}`)
  const latest = release('2024-03-01')
  t.match(latest, '<details class="contract"><summary>Contract changes since 2023-01-01: 2 breaking, 2 compatible.</summary>')
  t.same(items(latest), [
    'breaking DELETE /moves/{id} operation: operation removed api-removed-without-deprecation',
    'breaking GET /moves/{id} response.200.body /person/name: property removed response-required-property-removed',
    'compatible GET /moves/{id} response.200.body /person/firstName: required property added response-required-property-added',
    'compatible GET /moves/{id} response.200.body /person/lastName: required property added response-required-property-added'
  ])
  t.match(release('2023-01-01'), '<p class="contract">No change to the contract since 2022-01-01.</p>')
  t.notMatch(release('2020-01-01'), 'contract', 'the oldest version has nothing to compare with')
})

t.test('preview versions are listed only with docs.previews', async t => {
  const hidden = await moves()
  t.notMatch(await page(hidden), '2027-01-15')
  t.equal((await hidden.inject('/api-versions/docs?version=2027-01-15')).statusCode, 404)
  const listed = await moves({ previews: true })
  const html = await page(listed, '/api-versions/docs?version=2027-01-15')
  t.same(options(html), ['2027-01-15 selected', '2024-03-01', '2023-01-01', '2022-01-01', '2020-01-01'])
  t.match(html, /<h2 id="reference">Version 2027-01-15 <span class="badge preview" data-status="preview">preview<\/span>/)
  t.match(html, '<li>Locations are objects</li>')
  t.match(await page(listed), 'Version 2024-03-01', 'the latest release stays the default')
})

t.test('with no released version the page shows the newest listed one, or is not found', async t => {
  const previewOnly = async (docs: DateVersioningOptions['docs']) => {
    const app = Fastify()
    await app.register(dateVersioning, { versions: [{ version: '2030-01-01', preview: true }], now: at(), docs })
    return app
  }
  t.match(await page(await previewOnly({ previews: true })), 'Version 2030-01-01')
  t.equal((await (await previewOnly(true)).inject('/api-versions/docs')).statusCode, 404)
})

t.test('an unknown version is not found', async t => {
  const app = await moves()
  for (const query of ['version=2023-06-01', 'version=latest', 'version=2022-01-01&version=2023-01-01']) {
    t.equal((await app.inject(`/api-versions/docs?${query}`)).statusCode, 404, query)
  }
})

t.test('the title and description come from docs.openapi.info', async t => {
  const titled = await page(await moves({ prefix: '/meta/', openapi: { info: { title: 'Moves <API>', description: 'Escort moves & more' } } }), '/meta/docs')
  t.match(titled, '<title>Moves &lt;API&gt; · 2024-03-01</title>')
  t.match(titled, '<h1>Moves &lt;API&gt;</h1>\n<p>Escort moves &amp; more</p>')
  t.match(titled, 'action="/meta/docs"')
  t.match(await page(await moves(true)), /<h1>API reference<\/h1>\s*<p>Send/, 'no description')
  t.match(await page(await moves({ openapi: { info: { description: 'Moves' } } })), '<h1>API reference</h1>')
})

t.test('docs.previews must be true or false', async t => {
  await t.rejects(async () => { await Fastify().register(dateVersioning, { versions, docs: { previews: 'yes' as unknown as boolean } }) },
    { code: 'ERR_API_VERSION_CONFIG', message: /docs\.previews must be true or false/ })
  await t.rejects(async () => { await Fastify().register(dateVersioning, { versions, docs: { preview: true } as DateVersioningOptions['docs'] }) },
    { message: /docs\.preview is not a known option; use prefix, openapi or previews/ })
})

t.test('the reference reads any schema @fastify/swagger may write', async t => {
  const version: ApiVersionInfo = { version: '2024-03-01', status: 'active', changes: [], deprecated: null, sunset: null, successor: null }
  let deep: Record<string, unknown> = { type: 'string' }
  for (let level = 9; level > 0; level--) deep = { type: 'object', properties: { [`level${level}`]: deep } }
  const html = renderDocsPage({
    title: 'Shapes',
    prefix: '',
    header: 'Api-Version',
    versions: [version],
    selected: version,
    changelog: [],
    today: Date.parse('2025-06-01'),
    document: {
      info: {},
      paths: {
        '/shapes': {
          parameters: [{ name: 'shared', in: 'query' }],
          get: {
            parameters: [{ name: 'q', in: 'query', required: true }, 'not a parameter'],
            responses: {
              200: {
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: {
                        ref: { $ref: '#/components/schemas/Move' },
                        constant: { const: 'fixed' },
                        choice: { enum: ['a', 1] },
                        either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
                        one: { oneOf: [{ type: 'integer' }, { $ref: 'Problem#' }] },
                        nullable: { type: ['string', 'null'] },
                        anything: {},
                        when: { type: 'string', format: 'date' },
                        list: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
                        broken: 'not a schema',
                        deep
                      }
                    }
                  }
                }
              },
              204: { description: 'Nothing' },
              400: { content: { 'application/json': {} } },
              500: 'not a response'
            }
          },
          post: {}
        },
        '/empty': { put: { responses: {} } }
      }
    }
  })
  for (const expected of [
    '<code class="field">ref</code> <span class="type">Move</span> <span class="optional">optional</span>',
    '<code class="field">constant</code> <span class="type">&quot;fixed&quot;</span>',
    '<code class="field">choice</code> <span class="type">&quot;a&quot; | 1</span>',
    '<code class="field">either</code> <span class="type">string | null</span>',
    '<code class="field">one</code> <span class="type">integer | Problem#</span>',
    '<code class="field">nullable</code> <span class="type">string | null</span>',
    '<code class="field">anything</code> <span class="type">any</span>',
    '<code class="field">when</code> <span class="type">string (date)</span>',
    '<code class="field">list</code> <span class="type">array of object</span> <span class="optional">optional</span><ul class="fields"><li><code class="field">name</code> <span class="type">string</span></li></ul>',
    '<code class="parameter">q</code> <span class="type">in query</span></li>',
    '<li><span class="status">204</span></li><li><span class="status">400</span></li></ul>',
    'data-operation="POST /shapes"><h3><span class="method post">POST</span> <code class="path">/shapes</code></h3><p class="since">The same in every version</p></section>'
  ]) t.match(html, expected)
  t.notMatch(html, 'broken')
  t.notMatch(html, 'shared', 'path-level parameters are not an operation')
  t.match(html, 'level7')
  t.notMatch(html, 'level8', 'nesting stops at a fixed depth')
  t.same(operations(html), ['GET /shapes', 'POST /shapes', 'PUT /empty'])
  const schemeRemoved = {
    id: 'api-security-component-removed', level: 'breaking' as const, location: 'components.securitySchemes', pointer: '/apiKey', message: 'components.securitySchemes /apiKey: security scheme removed'
  }
  const changelog = [{ version: version.version, status: version.status, changes: [], contract: { from: '2023-01-01', changes: [schemeRemoved] } }]
  const empty = renderDocsPage({ title: 'Empty', prefix: '', header: 'Api-Version', versions: [version], selected: version, changelog, today: Date.parse('2025-06-01'), document: { info: {}, paths: {} } })
  t.match(empty, '<li><span class="level breaking">breaking</span> components.securitySchemes /apiKey: security scheme removed <code class="rule">api-security-component-removed</code></li>',
    'a change outside any operation names no operation')
  t.match(empty, '<p>This version serves no operations.</p>')
  t.match(empty, 'action="/docs"')
})

/** The section of the page that documents `operation` (`POST /orders`). */
const section = (html: string, operation: string): string =>
  (html.slice(html.indexOf(`<section class="operation" data-operation="${operation}">`)).split('</section>')[0] as string)

async function orders (description: string, body: Record<string, unknown>, changes: string[] = []): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(dateVersioning, { versions: [{ version: '2024-01-01', changes }], now: at(), docs: true })
  app.post('/orders', { constraints: { apiVersion: '2024-01-01' }, schema: { summary: 'Places an order', description, body } }, async () => null)
  return app
}

t.test('request bodies are shown like responses: fields, optional marks, types and enums; descriptions as Markdown', async t => {
  const body = {
    type: 'object',
    description: 'The order to place',
    properties: {
      item: { type: 'string', enum: ['book', 'pen'] },
      quantity: { type: 'integer' },
      note: { type: 'string' },
      lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, gift: { type: 'boolean' } }, required: ['sku'] } }
    },
    required: ['item', 'quantity', 'lines']
  }
  const html = section(await page(await orders('Places an **order**; see [the guide](/guide#orders).\n\nPaid on delivery.', body)), 'POST /orders')
  t.match(html, '<p>Places an order</p><div class="description"><p>Places an <strong>order</strong>; see <a href="/guide#orders">the guide</a>.</p>\n<p>Paid on delivery.</p></div>')
  const request = html.slice(html.indexOf('<h4>Request body</h4>'), html.indexOf('<h4>Responses</h4>'))
  t.match(request, '<code class="media">application/json</code> <span class="type">The order to place</span> <span class="type">object</span>', 'a required body is not marked optional')
  t.same(fields(request), ['item', 'quantity', 'note', 'lines', 'sku', 'gift'])
  for (const expected of [
    '<code class="field">item</code> <span class="type">&quot;book&quot; | &quot;pen&quot;</span></li>',
    '<code class="field">quantity</code> <span class="type">integer</span></li>',
    '<code class="field">note</code> <span class="type">string</span> <span class="optional">optional</span></li>',
    '<code class="field">lines</code> <span class="type">array of object</span><ul class="fields"><li><code class="field">sku</code> <span class="type">string</span></li>' +
      '<li><code class="field">gift</code> <span class="type">boolean</span> <span class="optional">optional</span></li></ul>'
  ]) t.match(request, expected)
})

t.test('a body that is not required, or has no schema, says so', async t => {
  const html = renderDocsPage({
    title: 'Bodies',
    prefix: '',
    header: 'Api-Version',
    versions: [released],
    selected: released,
    changelog: [],
    today: Date.parse('2025-06-01'),
    document: {
      info: {},
      paths: {
        '/notes': {
          put: { requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } } },
          post: { requestBody: { required: true, content: { 'application/octet-stream': {} } } },
          patch: { requestBody: 'not a body' }
        }
      }
    }
  })
  t.match(section(html, 'PUT /notes'), '<h4>Request body</h4><div class="request-body"> <code class="media">text/plain</code> <span class="optional">optional</span> <span class="type">string</span></div>')
  t.match(section(html, 'POST /notes'), '<h4>Request body</h4><div class="request-body"></div>')
  t.notMatch(section(html, 'PATCH /notes'), 'Request body')
})

t.test('hostile changes, summaries, descriptions and property names come out as text, never as markup', async t => {
  const hostile = '<img src=x onerror=alert(1)>'
  const body = { type: 'object', properties: { [hostile]: { type: 'string', enum: ['<b>'] } } }
  const app = await orders(`<script>alert(1)</script> [click](javascript:alert(1)) [data](data:text/html,x) ![pixel](https://tracker.example/p.png) ${hostile}`, body,
    ['<script>alert(1)</script> and `<code>`', '[x](javascript:alert(1)) [y](vbscript:msgbox) [ok](https://moves.example.com/changes)', '# not a heading'])
  const app2 = Fastify()
  await app2.register(dateVersioning, { versions: [{ version: '2024-01-01' }], now: at(), docs: true })
  app2.get('/x', { constraints: { apiVersion: '2024-01-01' }, schema: { summary: `</p>${hostile}` } }, async () => null)
  const html = await page(app)
  t.notMatch(html, /<script|<img|<b>|<[a-z][^>]*\sonerror=|href="(?:javascript|vbscript|data):/i, 'no markup or dangerous link from the text')
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt;')
  t.match(html, '<code class="field">&lt;img src=x onerror=alert(1)&gt;</code> <span class="type">&quot;&lt;b&gt;&quot;</span>')
  t.match(html, '<li>&lt;script&gt;alert(1)&lt;/script&gt; and <code>&lt;code&gt;</code></li>')
  t.match(html, '<li>[x](javascript:alert(1)) [y](vbscript:msgbox) <a href="https://moves.example.com/changes">ok</a></li>', 'only safe links are links')
  t.match(html, '<li># not a heading</li>')
  t.match(html, '!<a href="https://tracker.example/p.png">pixel</a> &lt;img src=x onerror=alert(1)&gt;</p>', 'an image is at most a link: the page loads nothing')
  t.match(await page(app2), '<p>&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</p>')
})

t.test('the page has a timeline picture: a bar per listed version and today marked', async t => {
  const html = await page(await moves({ previews: true }), '/api-versions/docs?version=2023-01-01')
  const svg = html.slice(html.indexOf('<svg class="timeline-chart"'), html.indexOf('</svg>'))
  t.same([...svg.matchAll(/<g class="version ([a-z]+)( current)?" data-version="([0-9-]+)">/g)].map(m => `${m[3]} ${m[1]}${m[2] ?? ''}`),
    ['2020-01-01 sunset', '2022-01-01 deprecated', '2023-01-01 deprecated current', '2024-03-01 active', '2027-01-15 preview'], 'oldest first, the preview shown')
  t.match(svg, '<line class="today" data-today="2025-06-01"', "the registration's clock is today")
  t.match(svg, '<a href="/api-versions/docs?version=2022-01-01"><text class="label"', 'each label opens its version')
  t.notMatch(await page(await moves()), 'data-version="2027-01-15"', 'no preview without docs.previews')
})

t.test('the page is served with a content security policy that allows no script and no load', async t => {
  const app = await moves()
  const res = await http(app, '/api-versions/docs')
  t.teardown(() => app.close())
  t.equal(res.status, 200)
  const policy = new Map(String(res.headers['content-security-policy']).split(';').map(d => {
    const [name, ...values] = d.trim().split(/\s+/)
    return [name as string, values.join(' ')]
  }))
  t.equal(policy.get('default-src'), "'none'", 'nothing loads and no script runs: no script-src, no img-src, no connect-src…')
  t.same([...policy.keys()].filter(name => /^(script|img|connect|font|frame|object|worker|child|media)-src/.test(name)), [], 'no source list reopens what default-src closes')
  const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] as string
  t.equal(policy.get('style-src'), `'sha256-${createHash('sha256').update(style).digest('base64')}'`, 'the page\'s one style element, by its hash')
  t.equal(policy.get('base-uri'), "'none'")
  t.equal(policy.get('form-action'), "'self'", 'the version switcher submits to the page itself')
  t.equal(policy.get('frame-ancestors'), "'none'")
  t.notMatch(res.body, /\son[a-z]+=/i, 'no inline event handler, which the policy would refuse')
  t.notMatch(res.body, /\sstyle=/i, 'no style attribute, which the policy would refuse')
  t.equal((await http(app, '/api-versions/changelog.json')).headers['content-security-policy'], undefined, 'the policy is the page\'s: JSON needs none')
})
