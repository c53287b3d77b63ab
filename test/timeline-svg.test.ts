import t from 'tap'
import { timelineSvg, type TimelineRow } from '../lib/openapi/timeline-svg.js'

// The timeline picture of the documentation page, read as a browser would draw it: where each bar
// starts and ends, what it is labelled, and that no text becomes markup.

const row = (version: string, status: TimelineRow['status'], deprecated: string | null = null, sunset: string | null = null, current = false): TimelineRow =>
  ({ version, status, deprecated, sunset, href: `/docs?version=${version}`, current })

const rows = [
  row('2020-01-01', 'sunset', '2020-06-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z'),
  row('2022-01-01', 'deprecated', '2024-01-01T00:00:00.000Z', '2026-01-01T12:30:00.000Z', true),
  row('2023-01-01', 'deprecated', '2025-05-01T00:00:00.000Z'),
  row('2024-03-01', 'active'),
  row('2027-01-15', 'preview')
]
const today = Date.parse('2025-06-01T12:00:00Z')

interface Bar { version: string, phase: string, x: number, end: number, y: number }

/** Every bar of the picture with its version and its horizontal extent. */
function bars (svg: string): Bar[] {
  return [...svg.matchAll(/<g class="version [^"]+" data-version="([^"]+)">(.*?)<\/g>/g)].flatMap(([, version, group]) =>
    [...(group as string).matchAll(/<rect class="phase [a-z]+" data-phase="([a-z]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"/g)]
      .map(([, phase, x, y, width]) => ({ version: version as string, phase: phase as string, x: Number(x), end: Number(x) + Number(width), y: Number(y) })))
}

const todayX = (svg: string): number => Number(/<line class="today" data-today="[0-9-]+" x1="([\d.]+)"/.exec(svg)?.[1])

t.test('a bar per phase: supported from the release, deprecated until the sunset, previews ahead', async t => {
  const svg = timelineSvg({ rows, today })
  t.same(bars(svg).map(b => `${b.version} ${b.phase}`), [
    '2020-01-01 supported', '2020-01-01 deprecated',
    '2022-01-01 supported', '2022-01-01 deprecated',
    '2023-01-01 supported', '2023-01-01 deprecated',
    '2024-03-01 supported',
    '2027-01-15 preview'
  ])
  const rowsY = [...new Set(bars(svg).map(b => b.y))]
  t.equal(rowsY.length, 5, 'one row per version')
  t.same(rowsY, [...rowsY].sort((a, b) => a - b), 'oldest at the top')
})

t.test('positions are proportional to time, on one axis for every row', async t => {
  const svg = timelineSvg({ rows, today })
  const all = bars(svg)
  const bar = (version: string, phase: string): Bar => all.find(b => b.version === version && b.phase === phase) as Bar
  // Two known instants fix the scale; every other date must fall where the scale puts it.
  const a = bar('2022-01-01', 'supported').x
  const b = bar('2024-03-01', 'supported').x
  const scale = (b - a) / (Date.parse('2024-03-01') - Date.parse('2022-01-01'))
  const x = (iso: string): number => a + (Date.parse(iso) - Date.parse('2022-01-01')) * scale
  const close = (actual: number, expected: number, what: string) => t.ok(Math.abs(actual - expected) <= 0.2, `${what}: ${actual} ≈ ${expected.toFixed(1)}`)
  close(bar('2020-01-01', 'supported').x, x('2020-01-01'), 'release of 2020-01-01')
  close(bar('2022-01-01', 'supported').end, x('2024-01-01'), 'supported until its deprecation')
  close(bar('2022-01-01', 'deprecated').x, x('2024-01-01'), 'deprecated from its deprecation')
  close(bar('2022-01-01', 'deprecated').end, x('2026-01-01T12:30:00Z'), 'until its sunset instant')
  close(bar('2027-01-15', 'preview').x, x('2027-01-15'), 'the preview at its date')
  close(todayX(svg), x('2025-06-01T12:00:00Z'), 'today')
  const ends = [bar('2023-01-01', 'deprecated').end, bar('2024-03-01', 'supported').end, bar('2027-01-15', 'preview').end]
  t.equal(new Set(ends).size, 1, 'a phase with no end runs to the edge of the axis')
  t.ok((ends[0] as number) > x('2027-01-15'), 'past the last date')
  t.ok(Math.min(...all.map(b => b.x)) > 100 && Math.max(...ends) < 960, 'inside the picture, right of the labels')
})

t.test('labels: each version linked to its page, the current one marked, years on the axis, today with its date', async t => {
  const svg = timelineSvg({ rows, today })
  t.same([...svg.matchAll(/<a href="([^"]+)"><text class="label"[^>]*>([^<]+)<\/text><\/a>/g)].map(m => `${m[2]} ${m[1]}`),
    rows.map(r => `${r.version} /docs?version=${r.version}`))
  t.match(svg, '<g class="version deprecated current" data-version="2022-01-01">')
  t.same([...svg.matchAll(/<text class="year"[^>]*>(\d+)<\/text>/g)].map(m => Number(m[1])), [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027])
  t.match(svg, />today 2025-06-01<\/text>/)
  t.match(svg, '<title>2022-01-01: deprecated 2024-01-01, sunset 2026-01-01</title>', 'each bar tells its dates on hover')
  t.match(svg, '<title>2023-01-01: deprecated 2025-05-01, no sunset date set</title>')
  t.match(svg, /<desc id="timeline-desc">2020-01-01 \(sunset\): released 2020-01-01, deprecated 2020-06-01, sunset 2021-01-01; .*2027-01-15 \(preview\): preview<\/desc>/,
    'the whole picture in words, for readers who cannot see it')
  const sunsetMarks = [...svg.matchAll(/<line class="sunset-mark"/g)].length
  t.equal(sunsetMarks, 2, 'a mark at each sunset date')
})

t.test('a long history gets fewer year labels; today near the end is labelled leftwards', async t => {
  const long = timelineSvg({ rows: [row('2000-01-01', 'active')], today: Date.parse('2030-06-01') })
  const years = [...long.matchAll(/<text class="year"[^>]*>(\d+)<\/text>/g)].map(m => Number(m[1]))
  t.ok(years.length <= 12, `${years.length} labels`)
  const steps = new Set(years.slice(1).map((year, i) => year - (years[i] as number)))
  t.equal(steps.size, 1, 'evenly spaced')
  t.ok([...steps][0] as number > 1, 'every few years')
  t.match(long, /<text class="today-label" x="[\d.]+" y="[\d.]+" text-anchor="end">today 2030-06-01/)
  const short = timelineSvg({ rows: [row('2025-01-01', 'active')], today: Date.parse('2025-01-02') })
  t.match(short, /text-anchor="start">today 2025-01-02/, 'at the start it is written rightwards')
  t.same(bars(short).map(b => b.phase), ['supported'])
})

t.test('a version sunset without being deprecated first is supported until its sunset', async t => {
  const svg = timelineSvg({ rows: [row('2020-01-01', 'sunset', null, '2021-01-01T00:00:00.000Z'), row('2022-01-01', 'active')], today })
  const [first, second] = bars(svg)
  t.same([first?.phase, second?.phase], ['supported', 'supported'])
  t.ok((first?.end as number) < (second?.x as number), 'ends at its sunset, before the next release')
})

t.test('text in the picture is escaped', async t => {
  const hostile = row('<script>alert(1)</script>', 'active')
  const svg = timelineSvg({ rows: [{ ...hostile, version: '2024-01-01', href: '/docs?version="><script>alert(1)</script>' }, { ...hostile, status: 'preview' }], today })
  t.notMatch(svg, /<script/)
  t.match(svg, '<a href="/docs?version=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">')
  t.match(svg, '>&lt;script&gt;alert(1)&lt;/script&gt;</text>')
})
