import { createHash } from 'node:crypto'
import type { ApiVersionInfo } from '../api-versions.js'
import type { OpenApiDocument } from '../openapi-document.js'
import { byLevel, contractSummary, type ChangelogEntry } from './changelog.js'
import { blockMarkdown, inlineMarkdown } from './markdown.js'
import { timelineSvg } from './timeline-svg.js'
import { OPERATION_METHODS } from '../util.js'
import { USAGE_STYLE } from '../usage/usage-section.js'
import { escapeHtml as escape } from '../html-escape.js'

/**
 * The documentation page: one self-contained HTML page rendered on the server from the timeline and
 * the selected version's OpenAPI document. It loads nothing (no script, style sheet or font from
 * elsewhere), so it works behind a firewall and without JavaScript; the version switcher is a form.
 * It is served with a content security policy that allows no script and no load at all (see
 * DOCS_PAGE_POLICY): everything on it is text escaped here, and the policy makes sure that a mistake
 * in that escaping stays a display bug.
 */

export interface DocsPage {
  readonly title: string
  readonly prefix: string
  readonly header: string
  /** The versions listed, oldest first. */
  readonly versions: readonly ApiVersionInfo[]
  readonly selected: ApiVersionInfo
  readonly document: OpenApiDocument
  /** The listed versions' changelog, newest first. */
  readonly changelog: readonly ChangelogEntry[]
  /** The instant the statuses were read at (epoch milliseconds), marked on the timeline. */
  readonly today: number
  /** The Usage section's HTML, for requests allowed to see it; empty otherwise. */
  readonly usage?: string
}

type Schema = Record<string, unknown>

// Deep enough for a page of objects holding objects; a recursive schema stops here instead of looping.
const MAX_DEPTH = 8

const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object' && !Array.isArray(value)

/** An instant as a reader wants it: the date, and the time of day in UTC when it is not midnight. */
function instant (iso: string): string {
  const time = iso.slice(11, 16)
  const text = iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time} UTC`
  return `<time datetime="${escape(iso)}">${escape(text)}</time>`
}

function badge (version: ApiVersionInfo): string {
  const dates: string[] = []
  if (version.status === 'deprecated' && version.sunset !== null) dates.push(` · sunset ${instant(version.sunset)}`)
  // A version is sunset only once its sunset date has passed, so the date is always there.
  if (version.status === 'sunset') dates.push(` since ${instant(version.sunset as string)}`)
  return `<span class="badge ${version.status}" data-status="${version.status}">${version.status}${dates.join('')}</span>`
}

/** The type of a schema in one line: `string (date)`, `array`, `"requested" | "booked"`, a reference's name. */
function typeOf (schema: Schema): string {
  if (typeof schema.$ref === 'string') return schema.$ref.replace(/^.*\//, '')
  if ('const' in schema) return JSON.stringify(schema.const)
  if (Array.isArray(schema.enum)) return schema.enum.map(value => JSON.stringify(value)).join(' | ')
  const alternatives = schema.anyOf ?? schema.oneOf
  if (Array.isArray(alternatives)) return alternatives.filter(isSchema).map(typeOf).join(' | ')
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any')
  return typeof schema.format === 'string' ? `${type} (${schema.format})` : type
}

/** The fields of a schema as a nested list; arrays show the fields of their items. */
function fields (schema: Schema, depth: number): string {
  if (depth >= MAX_DEPTH) return ''
  if (isSchema(schema.items)) return fields(schema.items, depth)
  if (!isSchema(schema.properties)) return ''
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const items = Object.entries(schema.properties).filter(([, value]) => isSchema(value)).map(([name, value]) => {
    const property = value as Schema
    const array = isSchema(property.items) ? `array of ${typeOf(property.items)}` : typeOf(property)
    const optional = required.has(name) ? '' : ' <span class="optional">optional</span>'
    return `<li><code class="field">${escape(name)}</code> <span class="type">${escape(array)}</span>${optional}${fields(property, depth + 1)}</li>`
  })
  return `<ul class="fields">${items.join('')}</ul>`
}

/** The schema of a request body or response: of its first media type that has one, as @fastify/swagger writes them. */
function contentSchema (body: Schema): [string, Schema] | undefined {
  const content = isSchema(body.content) ? Object.entries(body.content) : []
  const found = content.find(([, media]) => isSchema(media) && isSchema(media.schema))
  return found === undefined ? undefined : [found[0], (found[1] as Schema).schema as Schema]
}

/** A schema's type and fields, as a body or an answer shows them. */
function shapeOf (schema: Schema): string {
  return ` <span class="type">${escape(typeOf(schema))}</span>${fields(schema, 0)}`
}

function requestBody (operation: Schema): string {
  const body = operation.requestBody
  if (!isSchema(body)) return ''
  const found = contentSchema(body)
  const required = body.required === true ? '' : ' <span class="optional">optional</span>'
  const media = found === undefined ? '' : ` <code class="media">${escape(found[0])}</code>`
  const description = typeof body.description === 'string' ? ` <span class="type">${escape(body.description)}</span>` : ''
  const shape = found === undefined ? '' : shapeOf(found[1])
  return `<h4>Request body</h4><div class="request-body">${media}${required}${description}${shape}</div>`
}

function responses (operation: Schema): string {
  const answers = isSchema(operation.responses) ? Object.entries(operation.responses) : []
  const rows = answers.filter(([, answer]) => isSchema(answer)).map(([status, value]) => {
    const found = contentSchema(value as Schema)
    return `<li><span class="status">${escape(status)}</span>${found === undefined ? '' : shapeOf(found[1])}</li>`
  })
  return rows.length === 0 ? '' : `<h4>Responses</h4><ul class="responses">${rows.join('')}</ul>`
}

function parameters (operation: Schema): string {
  const list = Array.isArray(operation.parameters) ? operation.parameters.filter(isSchema) : []
  if (list.length === 0) return ''
  const rows = list.map(parameter => {
    const required = parameter.required === true ? '' : ' <span class="optional">optional</span>'
    return `<li><code class="parameter">${escape(String(parameter.name))}</code> <span class="type">in ${escape(String(parameter.in))}</span>${required}</li>`
  })
  return `<h4>Parameters</h4><ul class="parameters">${rows.join('')}</ul>`
}

function operations (document: OpenApiDocument): string {
  const sections: string[] = []
  // A document the plugin built always has paths of path items (@fastify/swagger writes them).
  for (const [path, item] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const method of OPERATION_METHODS) {
      const operation = item[method]
      if (!isSchema(operation)) continue
      const id = `${method.toUpperCase()} ${path}`
      const since = typeof operation['x-api-version'] === 'string'
        ? `<p class="since">Handler of version ${escape(operation['x-api-version'])}</p>`
        : '<p class="since">The same in every version</p>'
      const summary = typeof operation.summary === 'string' ? `<p>${escape(operation.summary)}</p>` : ''
      // OpenAPI descriptions are CommonMark.
      const description = typeof operation.description === 'string' ? `<div class="description">${blockMarkdown(operation.description)}</div>` : ''
      const deprecated = operation.deprecated === true ? ' <span class="deprecated-mark">deprecated</span>' : ''
      sections.push(`<section class="operation" data-operation="${escape(id)}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${escape(path)}</code>${deprecated}</h3>` +
        `${summary}${description}${since}${parameters(operation)}${requestBody(operation)}${responses(operation)}</section>`)
    }
  }
  return sections.length === 0 ? '<p>This version serves no operations.</p>' : sections.join('\n')
}

function switcher (page: DocsPage): string {
  const options = [...page.versions].reverse().map(v => {
    const selected = v.version === page.selected.version ? ' selected' : ''
    return `<option value="${v.version}"${selected}>${v.version} (${v.status})</option>`
  })
  // A plain form: the page has no script, not even an inline handler, so that its policy can forbid all script.
  return `<form class="switcher" method="get" action="${escape(page.prefix)}/docs">` +
    `<label for="version">Version</label> <select id="version" name="version">${options.join('')}</select> ` +
    '<button type="submit">Show</button></form>'
}

function timeline (page: DocsPage): string {
  const picture = timelineSvg({
    today: page.today,
    rows: page.versions.map(v => ({
      version: v.version,
      status: v.status,
      deprecated: v.deprecated,
      sunset: v.sunset,
      href: `${page.prefix}/docs?version=${v.version}`,
      current: v.version === page.selected.version
    }))
  })
  const legend = '<p class="legend"><span class="key supported"></span> supported <span class="key deprecated"></span> deprecated, until its sunset ' +
    '<span class="key sunset-mark"></span> sunset <span class="key preview"></span> preview <span class="key today"></span> today</p>'
  const rows = [...page.versions].reverse().map(v => {
    const current = v.version === page.selected.version ? ' aria-current="true"' : ''
    return `<li${current}><a href="${escape(page.prefix)}/docs?version=${v.version}">${v.version}</a> ${badge(v)} ` +
      `<a class="document" href="${escape(page.prefix)}/${v.version}/openapi.json">openapi.json</a></li>`
  })
  return `<figure class="timeline-picture">${picture}<figcaption>${legend}</figcaption></figure>\n<ul class="timeline">${rows.join('')}</ul>`
}

/** The contract changes of an entry, folded: a long list must not push the next release off the page. */
function contractChanges (entry: ChangelogEntry): string {
  const summary = contractSummary(entry.contract)
  if (summary === null) return ''
  if (entry.contract.changes.length === 0) return `<p class="contract">${escape(summary)}</p>`
  const items = byLevel(entry.contract.changes).map(c => {
    const where = [c.method, c.path].filter(Boolean).join(' ')
    return `<li><span class="level ${c.level}">${c.level}</span> ${where === '' ? '' : `<code>${escape(where)}</code> `}` +
      `${escape(c.message)} <code class="rule">${escape(c.id)}</code></li>`
  })
  return `<details class="contract"><summary>${escape(summary)}</summary><ul>${items.join('')}</ul></details>`
}

/** What a reader of a deprecated or sunset version must know first: when it stops, and what replaces it. */
function banner (page: DocsPage): string {
  const { selected: version, prefix } = page
  if (version.status !== 'deprecated' && version.status !== 'sunset') return ''
  const headline = version.status === 'sunset'
    ? `Version ${version.version} is sunset since ${instant(version.sunset as string)}.`
    : `Version ${version.version} is deprecated${version.sunset === null ? '; no sunset date is set yet.' : ` and reaches its sunset on ${instant(version.sunset)}.`}`
  const successor = version.successor === null
    ? ''
    : ` Move to <a href="${escape(prefix)}/docs?version=${version.successor}">version ${version.successor}</a>.`
  return `<div class="banner ${version.status}" role="note" data-banner="${version.status}"><strong>${headline}</strong>${successor}</div>`
}

function changelog (page: DocsPage): string {
  const byVersion = new Map(page.versions.map(v => [v.version, v]))
  const entries = page.changelog.map(entry => {
    const changes = entry.changes.length === 0
      ? '<p>No changes listed.</p>'
      : `<ul>${entry.changes.map(change => `<li>${inlineMarkdown(change)}</li>`).join('')}</ul>`
    return `<article class="release" id="v${entry.version}"><h3>${entry.version} ${badge(byVersion.get(entry.version)!)}</h3>` +
      `${changes}${contractChanges(entry)}</article>`
  })
  return entries.join('\n')
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f7f8fa; }
header, main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem; }
header { border-bottom: 1px solid #dde1e6; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #dde1e6; }
h3 { margin: .25rem 0; font-size: 1.05rem; }
h4 { margin: .5rem 0 .25rem; font-size: .9rem; color: #4a5560; }
code { font: 13px ui-monospace, monospace; }
.switcher { margin: .75rem 0; }
select, button { font: inherit; padding: .2rem .4rem; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: .75rem; font-size: .8rem; font-weight: 600; }
.badge.active { background: #d8f3dc; color: #1b5e20; }
.badge.preview { background: #e3e8ff; color: #283593; }
.badge.deprecated { background: #fff1c2; color: #7a4f00; }
.badge.sunset { background: #fde0e0; color: #8e1b1b; }
.timeline { list-style: none; padding: 0; }
.timeline li { padding: .2rem 0; }
.timeline li[aria-current] > a:first-child { font-weight: 700; }
.document { font-size: .85rem; margin-left: .5rem; }
.operation { background: #fff; border: 1px solid #dde1e6; border-radius: .4rem; padding: .6rem 1rem; margin: .75rem 0; }
.method { display: inline-block; min-width: 4.2rem; font: 700 12px ui-monospace, monospace; color: #fff; background: #546e7a; border-radius: .25rem; padding: .1rem .4rem; text-align: center; }
.method.get { background: #1565c0; } .method.post { background: #2e7d32; } .method.delete { background: #c62828; }
.method.put, .method.patch { background: #ef6c00; }
.since, .optional, .type { color: #5f6b76; font-size: .85rem; }
.since { margin: .25rem 0; }
.status { font-weight: 700; margin-right: .25rem; }
.fields { margin: .1rem 0; padding-left: 1.25rem; }
.release { margin: .75rem 0; }
.contract { color: #4a5560; }
.contract summary { cursor: pointer; }
.level { display: inline-block; min-width: 5.5rem; font-size: .8rem; font-weight: 600; }
.level.breaking { color: #8e1b1b; } .level.warning { color: #7a4f00; } .level.compatible { color: #1b5e20; }
.rule { color: #5f6b76; }
.banner { border-left: .35rem solid #c98a00; background: #fff6d6; padding: .6rem 1rem; margin: .75rem 0; border-radius: .25rem; }
.banner.sunset { border-color: #b71c1c; background: #fde7e7; }
.deprecated-mark { font-size: .75rem; font-weight: 600; color: #7a4f00; background: #fff1c2; border-radius: .75rem; padding: 0 .5rem; vertical-align: middle; }
.description p { margin: .25rem 0; }
.request-body { margin-left: 1.25rem; }
.media { color: #4a5560; }
.timeline-picture { margin: .5rem 0; background: #fff; border: 1px solid #dde1e6; border-radius: .4rem; padding: .5rem; }
.timeline-chart { display: block; width: 100%; height: auto; font: 13px system-ui, sans-serif; }
.timeline-chart .label { font: 600 13px ui-monospace, monospace; fill: #1565c0; }
.timeline-chart .current .label { fill: #1d232a; text-decoration: underline; }
.timeline-chart .year { fill: #5f6b76; font-size: 12px; }
.timeline-chart .tick { stroke: #e4e7eb; }
.timeline-chart .phase.supported, .key.supported { fill: #43a047; background: #43a047; }
.timeline-chart .phase.deprecated, .key.deprecated { fill: #f0b429; background: #f0b429; }
.timeline-chart .phase.preview, .key.preview { fill: #c5cae9; background: #c5cae9; }
.timeline-chart .sunset-mark { stroke: #263238; stroke-width: 3; }
.key.sunset-mark { background: #263238; width: .2rem; height: .9rem; vertical-align: middle; }
.timeline-chart .sunset .phase { opacity: .45; }
.timeline-chart .today, .key.today { stroke: #b71c1c; stroke-width: 2; stroke-dasharray: 5 3; background: #b71c1c; }
.timeline-chart .today-label { fill: #b71c1c; font-weight: 600; }
.legend { margin: .25rem 0 0; font-size: .85rem; color: #4a5560; }
.key { display: inline-block; width: .9rem; height: .6rem; border-radius: .15rem; margin-left: .6rem; }
.key.today { width: .2rem; height: .9rem; vertical-align: middle; }
${USAGE_STYLE}`

/**
 * The page's content security policy: no script, no load from anywhere (not even this origin), its
 * one style element allowed by its hash rather than every inline style, the switcher's form sent
 * only to this origin, and no framing.
 */
export const DOCS_PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

export function renderDocsPage (page: DocsPage): string {
  const { document, selected } = page
  const { description: text } = document.info as Schema
  const description = typeof text === 'string' ? blockMarkdown(text) : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(page.title)} · ${selected.version}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(page.title)}</h1>
${description}
<p>Send <code>${escape(page.header)}: ${selected.version}</code> to be served this version.</p>
${switcher(page)}
</header>
<main>
<h2 id="reference">Version ${selected.version} ${badge(selected)}</h2>
${banner(page)}
<p><a href="${escape(page.prefix)}/${selected.version}/openapi.json">OpenAPI document of ${selected.version}</a></p>
${operations(document)}
<h2 id="versions">Versions</h2>
${timeline(page)}
${page.usage ?? ''}
<h2 id="changelog">Changelog</h2>
<p><a href="${escape(page.prefix)}/changelog.md">Markdown</a> · <a href="${escape(page.prefix)}/changelog.json">JSON</a></p>
${changelog(page)}
</main>
</body>
</html>
`
}
