import type { UsageReport, VersionUsage } from './report.js'
import { escapeHtml as escape } from '../html-escape.js'

/**
 * The Usage section of the documentation page, rendered on the server from the usage report: the
 * version distribution per day over the last 30 days as an SVG of stacked bars (each bar a day, each
 * band a version's share of that day's requests), the migration status per deprecated version, and
 * the clients to contact first. No script, nothing loaded; styled by class from the page's one
 * style sheet (USAGE_STYLE is part of it), so the page's content security policy holds.
 */

const round = (n: number): number => Math.round(n * 10) / 10
const percent = (part: number, whole: number): string => whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`

const WIDTH = 960
const HEIGHT = 220
const LEFT = 48
const RIGHT = 12
const TOP = 10
const AXIS = 26
/** Series colours, by the version's place among those shown (the style sheet defines them). */
const SERIES = 6

const TRENDS: Record<VersionUsage['trend'], string> = { growing: '↑ growing', declining: '↓ declining', steady: '→ steady' }

/** The stacked bars: a pure function of the report, so its geometry is tested without a browser. */
export function distributionSvg (report: UsageReport): string {
  const plot = HEIGHT - TOP - AXIS
  const step = (WIDTH - LEFT - RIGHT) / report.days.length
  const shapes: string[] = []
  for (const share of [0, 0.5, 1]) {
    const y = round(TOP + plot * (1 - share))
    shapes.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}"></line><text class="axis" x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${share * 100}%</text>`)
  }
  report.days.forEach((day, i) => {
    const total = report.versions.reduce((all, v) => all + (v.daily[i] as number), 0)
    const x = round(LEFT + i * step + 1)
    let bottom = TOP + plot
    report.versions.forEach((v, k) => {
      const count = v.daily[i] as number
      if (count === 0) return
      const height = (count / total) * plot
      bottom -= height
      shapes.push(`<rect class="bar series-${k % SERIES}" data-version="${v.version}" data-day="${day}" x="${x}" y="${round(bottom)}" width="${round(step - 2)}" height="${round(height)}">` +
        `<title>${day} · ${v.version}: ${count} of ${total} requests (${percent(count, total)})</title></rect>`)
    })
    if (i % 7 === (report.days.length - 1) % 7) {
      shapes.push(`<text class="axis day" x="${round(LEFT + (i + 0.5) * step)}" y="${HEIGHT - 8}" text-anchor="middle">${day.slice(5)}</text>`)
    }
  })
  return `<svg class="usage-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Share of requests per version and day, last ${report.days.length} days">${shapes.join('')}</svg>`
}

function legend (report: UsageReport): string {
  const items = report.versions.map((v, k) =>
    `<li data-version="${v.version}"><span class="swatch series-${k % SERIES}"></span> <code>${v.version}</code> <span class="badge ${v.status}">${v.status}</span> ` +
    `<span class="share">${percent(v.requests, report.versions.reduce((all, w) => all + w.requests, 0))}</span> <span class="trend ${v.trend}">${TRENDS[v.trend]}</span> ` +
    `<span class="clients">${v.clients} client${v.clients === 1 ? '' : 's'}</span></li>`)
  return `<ul class="usage-legend">${items.join('')}</ul>`
}

function migration (report: UsageReport): string {
  if (report.migration.length === 0) return '<p>No version is deprecated or sunset: nobody has to move.</p>'
  const rows = report.migration.map(m => `<tr data-version="${m.version}"><td><code>${m.version}</code> <span class="badge ${m.status}">${m.status}</span></td>` +
    `<td>${m.daysToSunset === null ? 'not set' : m.status === 'sunset' ? 'passed' : `${m.daysToSunset} days`}</td><td>${m.successor === null ? '–' : `<code>${m.successor}</code>`}</td>` +
    `<td class="number">${m.clients}</td><td class="number">${m.warned}</td><td class="number">${m.moved}</td><td class="number">${m.warnedNotMoved}</td></tr>`)
  return '<table class="migration"><thead><tr><th>Version</th><th>Sunset in</th><th>Move to</th><th>Clients on it</th><th>Warned</th><th>Moved since</th><th>Warned, not moved</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
}

function contacts (report: UsageReport): string {
  if (report.contactFirst.length === 0) return '<p>No client is on a deprecated or sunset version.</p>'
  const rows = report.contactFirst.map(c => `<tr><td><code>${escape(c.client)}</code></td><td><code>${c.version}</code> <span class="badge ${c.status}">${c.status}</span></td>` +
    `<td>${c.daysToSunset === null ? 'not set' : c.status === 'sunset' ? 'passed' : `${c.daysToSunset} days`}</td><td class="number">${c.requests}</td>` +
    `<td>${c.warnedAt === null ? 'never' : c.warnedAt.slice(0, 10)}</td><td>${c.lastSeen.slice(0, 10)}</td></tr>`)
  return '<table class="contacts"><thead><tr><th>Client</th><th>On version</th><th>Sunset in</th><th>Requests</th><th>First warned</th><th>Last seen</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
}

export function renderUsageSection (report: UsageReport, prefix: string): string {
  const { total, migrated, pending } = report.clients
  return `<section class="usage" aria-labelledby="usage">
<h2 id="usage">Usage</h2>
<p class="usage-summary">Clients: <strong data-count="total">${total}</strong> · migrated <strong data-count="migrated">${migrated}</strong> (${percent(migrated, total)}) · pending <strong data-count="pending">${pending}</strong> (${percent(pending, total)}). <a href="${escape(prefix)}/usage.json">usage.json</a></p>
<h3>Version distribution, last ${report.days.length} days</h3>
<figure class="usage-picture">${distributionSvg(report)}<figcaption>${legend(report)}</figcaption></figure>
<h3>Migration status</h3>
${migration(report)}
<h3>Clients to contact first</h3>
${contacts(report)}
</section>`
}

export const USAGE_STYLE = `
.usage-picture { margin: .5rem 0; background: #fff; border: 1px solid #dde1e6; border-radius: .4rem; padding: .5rem; }
.usage-chart { display: block; width: 100%; height: auto; font: 12px system-ui, sans-serif; }
.usage-chart .grid { stroke: #e4e7eb; }
.usage-chart .axis { fill: #5f6b76; }
.series-0 { fill: #1565c0; background: #1565c0; } .series-1 { fill: #43a047; background: #43a047; }
.series-2 { fill: #f0b429; background: #f0b429; } .series-3 { fill: #8e24aa; background: #8e24aa; }
.series-4 { fill: #e53935; background: #e53935; } .series-5 { fill: #00897b; background: #00897b; }
.usage-legend { list-style: none; padding: 0; margin: .25rem 0 0; font-size: .85rem; }
.usage-legend li { display: inline-block; margin-right: 1.25rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: .15rem; vertical-align: middle; }
.trend.growing { color: #1b5e20; } .trend.declining { color: #8e1b1b; } .trend.steady, .clients { color: #5f6b76; }
table.migration, table.contacts { border-collapse: collapse; background: #fff; margin: .5rem 0; font-size: .9rem; }
table.migration th, table.migration td, table.contacts th, table.contacts td { border: 1px solid #dde1e6; padding: .25rem .6rem; text-align: left; }
td.number { text-align: right; }
`
