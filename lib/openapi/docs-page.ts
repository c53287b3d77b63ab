import type { ApiVersionInfo } from '../api-versions.js'
import type { OpenApiDocument } from '../openapi-document.js'
import { byLevel, contractSummary, type ChangelogEntry } from './changelog.js'

/**
 * The documentation page: one self-contained HTML page rendered on the server from the timeline and
 * the selected version's OpenAPI document. It loads nothing (no script, style sheet or font from
 * elsewhere), so it works behind a firewall and without JavaScript; the version switcher is a form.
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
}

type Schema = Record<string, unknown>

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
// Deep enough for a page of objects holding objects; a recursive schema stops here instead of looping.
const MAX_DEPTH = 8

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (text: string): string => text.replace(/[&<>"']/g, c => ESCAPES[c] as string)

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

function responses (operation: Schema): string {
  const answers = isSchema(operation.responses) ? Object.entries(operation.responses) : []
  const rows = answers.filter(([, answer]) => isSchema(answer)).map(([status, value]) => {
    const answer = value as Schema
    const content = isSchema(answer.content) ? Object.values(answer.content).find(isSchema) : undefined
    const schema = content !== undefined && isSchema(content.schema) ? content.schema : undefined
    const shape = schema === undefined ? '' : ` <span class="type">${escape(typeOf(schema))}</span>${fields(schema, 0)}`
    return `<li><span class="status">${escape(status)}</span>${shape}</li>`
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
    for (const method of METHODS) {
      const operation = item[method]
      if (!isSchema(operation)) continue
      const id = `${method.toUpperCase()} ${path}`
      const since = typeof operation['x-api-version'] === 'string'
        ? `<p class="since">Handler of version ${escape(operation['x-api-version'])}</p>`
        : '<p class="since">The same in every version</p>'
      const summary = typeof operation.summary === 'string' ? `<p>${escape(operation.summary)}</p>` : ''
      sections.push(`<section class="operation" data-operation="${escape(id)}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${escape(path)}</code></h3>${summary}${since}${parameters(operation)}${responses(operation)}</section>`)
    }
  }
  return sections.length === 0 ? '<p>This version serves no operations.</p>' : sections.join('\n')
}

function switcher (page: DocsPage): string {
  const options = [...page.versions].reverse().map(v => {
    const selected = v.version === page.selected.version ? ' selected' : ''
    return `<option value="${v.version}"${selected}>${v.version} (${v.status})</option>`
  })
  // The form works without JavaScript; the one inline handler only saves a click.
  return `<form class="switcher" method="get" action="${escape(page.prefix)}/docs">` +
    `<label for="version">Version</label> <select id="version" name="version" onchange="this.form.submit()">${options.join('')}</select> ` +
    '<button type="submit">Show</button></form>'
}

function timeline (page: DocsPage): string {
  const rows = [...page.versions].reverse().map(v => {
    const current = v.version === page.selected.version ? ' aria-current="true"' : ''
    return `<li${current}><a href="${escape(page.prefix)}/docs?version=${v.version}">${v.version}</a> ${badge(v)} ` +
      `<a class="document" href="${escape(page.prefix)}/${v.version}/openapi.json">openapi.json</a></li>`
  })
  return `<ul class="timeline">${rows.join('')}</ul>`
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

function changelog (page: DocsPage): string {
  const byVersion = new Map(page.versions.map(v => [v.version, v]))
  const entries = page.changelog.map(entry => {
    const changes = entry.changes.length === 0
      ? '<p>No changes listed.</p>'
      : `<ul>${entry.changes.map(change => `<li>${escape(change)}</li>`).join('')}</ul>`
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
`

export function renderDocsPage (page: DocsPage): string {
  const { document, selected } = page
  const { description: text } = document.info as Schema
  const description = typeof text === 'string' ? `<p>${escape(text)}</p>` : ''
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
<p><a href="${escape(page.prefix)}/${selected.version}/openapi.json">OpenAPI document of ${selected.version}</a></p>
${operations(document)}
<h2 id="versions">Versions</h2>
${timeline(page)}
<h2 id="changelog">Changelog</h2>
<p><a href="${escape(page.prefix)}/changelog.md">Markdown</a> · <a href="${escape(page.prefix)}/changelog.json">JSON</a></p>
${changelog(page)}
</main>
</body>
</html>
`
}
