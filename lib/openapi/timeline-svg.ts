/**
 * The timeline of the documentation page as a picture: one row per version, a bar from its release
 * to its deprecation (supported), from deprecation to sunset (deprecated), today as a vertical line.
 * Rendered on the server as SVG inline in the HTML (which needs no namespace declaration): no
 * script, nothing to load, and a pure function of the dates, so positions and labels are tested
 * without a browser. Styling is by class, from the page's style sheet: the SVG carries no style of
 * its own for the page's content security policy to refuse.
 */

import { escapeHtml as escape } from '../html-escape.js'

export interface TimelineRow {
  readonly version: string
  readonly status: 'preview' | 'active' | 'deprecated' | 'sunset'
  /** Deprecation and sunset instants (ISO 8601), null where none is set. */
  readonly deprecated: string | null
  readonly sunset: string | null
  /** Where the version's label links to (its documentation). */
  readonly href: string
  /** The version shown on the page, drawn in bold. */
  readonly current: boolean
}

export interface TimelinePicture {
  /** Oldest first; drawn top to bottom. */
  readonly rows: readonly TimelineRow[]
  /** The instant marked as today (epoch milliseconds). */
  readonly today: number
}

const WIDTH = 960
const LABEL = 120
const RIGHT = 24
const TOP = 30
const ROW = 30
const BAR = 14
const AXIS = 30
const DAY = 86_400_000
// Room after the last date, so that a bar with no end is seen running on and the last label fits.
const MARGIN = 0.06

const round = (n: number): number => Math.round(n * 10) / 10
const day = (instant: number): string => new Date(instant).toISOString().slice(0, 10)

/** The release instant of a version: midnight UTC of its date, which is as fine as a picture needs. */
const released = (row: TimelineRow): number => Date.parse(row.version)
const instant = (iso: string | null): number | null => iso === null ? null : Date.parse(iso)

/** The first and last instant the axis shows: every date of every row and today, with a margin. */
function span (picture: TimelinePicture): [number, number] {
  const instants = [picture.today]
  for (const row of picture.rows) {
    instants.push(released(row))
    for (const date of [instant(row.deprecated), instant(row.sunset)]) if (date !== null) instants.push(date)
  }
  const first = Math.min(...instants)
  const last = Math.max(...instants)
  const margin = Math.max((last - first) * MARGIN, 30 * DAY)
  return [first - margin, last + margin]
}

/** The horizontal position of `instant` on an axis from `first` to `last`. */
export function positionOf (instant: number, [first, last]: [number, number]): number {
  return round(LABEL + (instant - first) / (last - first) * (WIDTH - LABEL - RIGHT))
}

/** One tick per year (every other year and so on when the axis is long), labelled with the year. */
function ticks (range: [number, number], bottom: number): string {
  const [first, last] = range
  const firstYear = new Date(first).getUTCFullYear() + 1
  const lastYear = new Date(last).getUTCFullYear()
  const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 12))
  const marks: string[] = []
  for (let year = firstYear; year <= lastYear; year += step) {
    const x = positionOf(Date.UTC(year, 0, 1), range)
    marks.push(`<line class="tick" x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${bottom}"/>` +
      `<text class="year" x="${x}" y="${bottom + 16}" text-anchor="middle">${year}</text>`)
  }
  return marks.join('')
}

/** A bar for one phase of a version, with a tooltip naming the phase and its dates. */
function phase (name: string, from: number, to: number, y: number, range: [number, number], title: string): string {
  const x = positionOf(from, range)
  const width = round(Math.max(positionOf(to, range) - x, 1))
  return `<rect class="phase ${name}" data-phase="${name}" x="${x}" y="${y}" width="${width}" height="${BAR}" rx="3"><title>${escape(title)}</title></rect>`
}

function row (version: TimelineRow, index: number, range: [number, number]): string {
  const y = TOP + index * ROW
  const barY = y + (ROW - BAR) / 2
  const release = released(version)
  const deprecated = instant(version.deprecated)
  const sunset = instant(version.sunset)
  const end = range[1]
  const name = escape(version.version)
  const bars: string[] = []
  if (version.status === 'preview') {
    bars.push(phase('preview', release, end, barY, range, `${version.version}: preview, not released`))
  } else {
    // Supported until the version is deprecated, or until its sunset when it was never deprecated first.
    const supportedUntil = deprecated ?? sunset ?? end
    bars.push(phase('supported', release, supportedUntil, barY, range, `${version.version}: released ${day(release)}`))
    if (deprecated !== null) {
      bars.push(phase('deprecated', deprecated, sunset ?? end, barY, range,
        `${version.version}: deprecated ${day(deprecated)}${sunset === null ? ', no sunset date set' : `, sunset ${day(sunset)}`}`))
    }
  }
  const labelY = y + ROW / 2 + 5
  const sunsetMark = sunset === null
    ? ''
    : `<line class="sunset-mark" x1="${positionOf(sunset, range)}" y1="${barY - 3}" x2="${positionOf(sunset, range)}" y2="${barY + BAR + 3}"/>`
  const current = version.current ? ' current' : ''
  return `<g class="version ${escape(version.status)}${current}" data-version="${name}">` +
    `<a href="${escape(version.href)}"><text class="label" x="${LABEL - 10}" y="${labelY}" text-anchor="end">${name}</text></a>` +
    `${bars.join('')}${sunsetMark}</g>`
}

/** The picture as an inline `<svg>` element, sized by its view box to the width of the page. */
export function timelineSvg (picture: TimelinePicture): string {
  const range = span(picture)
  const bottom = TOP + picture.rows.length * ROW
  const height = bottom + AXIS
  const today = positionOf(picture.today, range)
  const todayLabel = `today ${day(picture.today)}`
  // Near the right edge the label is written leftwards, so that it stays inside the picture.
  const anchor = today > WIDTH - 110 ? 'end' : 'start'
  const labelX = anchor === 'end' ? today - 4 : today + 4
  const description = picture.rows.map(r => {
    const dates = [`released ${r.version}`]
    if (r.deprecated !== null) dates.push(`deprecated ${day(Date.parse(r.deprecated))}`)
    if (r.sunset !== null) dates.push(`sunset ${day(Date.parse(r.sunset))}`)
    return `${r.version} (${r.status}): ${r.status === 'preview' ? 'preview' : dates.join(', ')}`
  }).join('; ')
  return `<svg class="timeline-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="timeline-title timeline-desc">` +
    '<title id="timeline-title">Release, deprecation and sunset of each version</title>' +
    `<desc id="timeline-desc">${escape(description)}</desc>` +
    ticks(range, bottom) +
    picture.rows.map((r, index) => row(r, index, range)).join('') +
    `<line class="today" data-today="${day(picture.today)}" x1="${today}" y1="${TOP - 14}" x2="${today}" y2="${bottom}"/>` +
    `<text class="today-label" x="${labelX}" y="${TOP - 16}" text-anchor="${anchor}">${todayLabel}</text>` +
    '</svg>'
}
