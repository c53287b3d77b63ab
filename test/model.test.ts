// Property-based model test: random timelines, routes, clocks, methods and headers; every answer of
// the plugin is compared with a small reference model of docs/design.md §2–§4 written below. The
// model does not follow lib/: the status of a version and the resolution of a request are the
// design's tables written as data (STATUS_TABLE, RESOLUTION_TABLE), read by a small interpreter in
// which the first row that holds decides, so the order of precedence is written once, as the rows'
// order. Days are compared as dates ("its date is after today"), never as lib/'s instants, and a
// day's first instant is searched for with Intl, in zones where some days begin at 01:00 because
// midnight is skipped.
//
// A failure prints fast-check's counterexample with its seed and path. Replay it with
//   FC_SEED=<seed> FC_PATH=<path> npx tap test/model.test.ts
// FC_RUNS=<n> changes the number of generated applications (each sends several requests).

import t from 'tap'
import { deepStrictEqual } from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import fc from 'fast-check'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import dateVersioning, { retired, type DateVersioningOptions } from '../lib/index.js'

// ---------------------------------------------------------------------------------------------
// Calendar and time-zone arithmetic, written independently of the library (no luxon): days are
// counted from the epoch in UTC, and the instant a day begins in a zone is searched for through Intl.
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY
const dateOfDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10)
const FIRST_DAY = dayOf('2018-01-01')
const LAST_DAY = dayOf('2032-12-31')
const CLOCK_FROM = Date.parse('2017-01-01T00:00:00Z')
const CLOCK_TO = Date.parse('2034-01-01T00:00:00Z')

/** Zones with daylight saving at 02:00 or 01:00, and zones where it starts at midnight, so some days begin at 01:00. */
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'America/Santiago', 'America/Asuncion', 'America/Havana', 'Asia/Beirut'] as const
type Zone = typeof ZONES[number]

const formatters = new Map<string, Intl.DateTimeFormat>()
function wallClock (instant: number, zone: Zone): number[] {
  let format = formatters.get(zone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'
    })
    formatters.set(zone, format)
  }
  const parts: Record<string, number> = {}
  for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value)
  return [parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0]
}

function todayIn (instant: number, zone: Zone): string {
  const [y = 0, mo = 1, d = 1] = wallClock(instant, zone)
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

const dayStarts = new Map<string, number>()
/**
 * The first instant of a calendar day in `zone`: the first second whose date there is `date`, by
 * bisection over the 30 hours around the day's UTC midnight (offsets lie within ±15 hours). It is
 * the local midnight, or 01:00 where the clock jumps from 23:59:59 to 01:00.
 */
function midnight (date: string, zone: Zone): number {
  const key = `${zone} ${date}`
  let found = dayStarts.get(key)
  if (found === undefined) {
    let low = dayOf(date) * DAY - 15 * 3_600_000 // before the day, in every zone
    let high = dayOf(date) * DAY + 15 * 3_600_000 // within the day or after it, in every zone
    while (high - low > 1000) {
      const mid = low + Math.floor((high - low) / 2000) * 1000
      if (todayIn(mid, zone) < date) low = mid
      else high = mid
    }
    found = high
    dayStarts.set(key, found)
  }
  return found
}

const skippedMidnights = new Map<Zone, string[]>()
/** The days between 2017 and 2033 that begin after midnight in `zone` (none in most zones). */
function daysWithoutMidnight (zone: Zone): string[] {
  let days = skippedMidnights.get(zone)
  if (days === undefined) {
    days = []
    // Noon to noon: only a day whose offset changes can lose its midnight.
    let offset = wallClock(dayOf('2017-01-01') * DAY + 12 * 3_600_000, zone)[3]
    for (let day = dayOf('2017-01-02'); day <= dayOf('2033-12-31'); day++) {
      const next = wallClock(day * DAY + 12 * 3_600_000, zone)[3]
      if (next !== offset && wallClock(midnight(dateOfDay(day), zone), zone)[3] !== 0) days.push(dateOfDay(day))
      offset = next
    }
    skippedMidnights.set(zone, days)
  }
  return days
}

function isRealDate (s: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (match === null) return false
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (m < 1 || m > 12 || d < 1) return false
  const lengths = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return d <= (lengths[m - 1] as number)
}

interface Duration { iso: string, years: number, months: number, days: number }
/** Shortest first. */
const DURATIONS: Duration[] = [
  { iso: 'P90D', years: 0, months: 0, days: 90 },
  { iso: 'P6M', years: 0, months: 6, days: 0 },
  { iso: 'P1Y', years: 1, months: 0, days: 0 },
  { iso: 'P18M', years: 0, months: 18, days: 0 },
  { iso: 'P1Y6M', years: 1, months: 6, days: 0 },
  { iso: 'P2Y', years: 2, months: 0, days: 0 },
  { iso: 'P3Y', years: 3, months: 0, days: 0 }
]

/** Calendar addition: years and months first (the day clamped to the month's length), then days. */
function addDuration (date: string, duration: Duration): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const months = (y + duration.years) * 12 + (m - 1) + duration.months
  const year = Math.floor(months / 12)
  const month = months % 12 + 1
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return dateOfDay(dayOf(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`) + Math.min(d, length) - 1 + duration.days)
}

// ---------------------------------------------------------------------------------------------
// What is generated
// ---------------------------------------------------------------------------------------------

/** A deprecation or sunset: a date, an ISO instant in UTC or with an offset, or a Date. */
interface LifeDate { form: 'date' | 'iso' | 'offset' | 'Date', days: number, ms: number, offsetMinutes: number }

interface VersionSpec {
  version: string
  preview: boolean
  deprecated: LifeDate | undefined
  /** Days are counted from the deprecation when there is one, else from the release. */
  sunset: LifeDate | undefined
}

type DefaultSpec = undefined | 'latest' | 'oldest' | { fixed: string } | { pin: 'sync' | 'async' }

interface AppSpec {
  versions: VersionSpec[]
  zone: Zone | undefined
  lifecycle: { deprecateAfter: Duration | undefined, sunsetAfter: Duration | undefined } | undefined
  header: 'Api-Version' | 'Harness-Version'
  defaultVersion: DefaultSpec
  requireHeader: boolean
  onSunset: 'gone' | 'upgrade' | undefined
  flag: 'none' | 'sync' | 'async'
  deprecationHeader: 'date' | 'boolean' | undefined
  warning: boolean
  reportVersions: boolean
  links: boolean
  /** Per route, its handlers: a declared version each, `retired` or not. */
  routes: Array<Array<{ version: string, retired: boolean }>>
}

type ClockPick =
  | { kind: 'release' | 'deprecated' | 'sunset' | 'midnight', index: number, delta: number, days: number }
  | { kind: 'random', at: number }
  /** Around a day that begins at 01:00 (its start, or the start of the next day), in zones that have such days. */
  | { kind: 'skipped', index: number, next: boolean, delta: number }
type HeaderPick =
  | { kind: 'absent' }
  | { kind: 'version', index: number, days: number, left: string, right: string }
  | { kind: 'today', days: number, left: string, right: string }
  | { kind: 'day', day: number, left: string, right: string }
  | { kind: 'raw', value: string }
type PinPick = { kind: 'none' | 'bad' | 'number' | 'throw' } | { kind: 'date', index: number, days: number }

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
type Method = typeof METHODS[number]

interface RequestSpec { method: Method, route: number, clock: ClockPick, header: HeaderPick, flag: boolean, pin: PinPick }

const MALFORMED = ['2023-02-30', '2023-1-5', 'latest', '2023-01-10, 2024-03-01', '20230110', '', '2023-01-10T00:00:00Z',
  '+2023-01-10', '-2023-01-10', '2023-01-1O', '0000-00-00', '2023-13-01', '2100-02-29', '02023-01-10', '2023-01-10~beta',
  '２０２３-０１-１０', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'null', 'undefined']

const lifeDate = (minDays: number, maxDays: number): fc.Arbitrary<LifeDate> => fc.record({
  form: fc.constantFrom<LifeDate['form']>('date', 'iso', 'offset', 'Date'),
  days: fc.integer({ min: minDays, max: maxDays }),
  ms: fc.integer({ min: 0, max: DAY - 1 }),
  offsetMinutes: fc.constantFrom(-300, -240, 0, 60, 330)
})

const versionExtras = fc.record({
  previewWeight: fc.integer({ min: 0, max: 9 }),
  deprecated: fc.option(lifeDate(-60, 1500), { freq: 2 }),
  // A sunset before the deprecation is a configuration error: generated rarely, on purpose.
  sunset: fc.option(fc.oneof({ weight: 200, arbitrary: lifeDate(0, 900) }, { weight: 1, arbitrary: lifeDate(-30, -1) }), { freq: 2 }),
  underPolicy: fc.integer({ min: 0, max: 9 })
})

const appArbitrary: fc.Arbitrary<AppSpec> = fc.record({
  days: fc.uniqueArray(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), { minLength: 1, maxLength: 50 }),
  extras: fc.array(versionExtras, { minLength: 50, maxLength: 50 }),
  zone: fc.constantFrom<Zone | undefined>(undefined, ...ZONES),
  // A sunsetAfter shorter than deprecateAfter is a configuration error: generated rarely, on purpose.
  lifecycle: fc.option(fc.record({
    deprecate: fc.option(fc.integer({ min: 0, max: DURATIONS.length - 1 }), { nil: undefined }),
    sunset: fc.option(fc.integer({ min: 0, max: DURATIONS.length - 1 }), { nil: undefined }),
    inverted: fc.integer({ min: 0, max: 19 }).map(n => n === 0)
  }).map(({ deprecate, sunset, inverted }) => {
    const ordered = deprecate !== undefined && sunset !== undefined && (sunset < deprecate) !== inverted ? [sunset, deprecate] : [deprecate, sunset]
    return {
      deprecateAfter: ordered[0] === undefined ? undefined : DURATIONS[ordered[0]],
      sunsetAfter: ordered[1] === undefined ? undefined : DURATIONS[ordered[1]]
    }
  }), { nil: undefined, freq: 3 }),
  header: fc.constantFrom<AppSpec['header']>('Api-Version', 'Harness-Version'),
  defaultKind: fc.constantFrom('unset', 'latest', 'oldest', 'fixed', 'sync', 'async'),
  fixedIndex: fc.nat(),
  fixedDays: fc.integer({ min: -1, max: 40 }),
  requireHeader: fc.integer({ min: 0, max: 9 }).map(n => n === 0),
  onSunset: fc.constantFrom<AppSpec['onSunset']>(undefined, 'gone', 'upgrade'),
  flag: fc.constantFrom<AppSpec['flag']>('none', 'sync', 'async'),
  deprecationHeader: fc.constantFrom<AppSpec['deprecationHeader']>(undefined, 'date', 'boolean'),
  warning: fc.boolean(),
  reportVersions: fc.boolean(),
  links: fc.boolean(),
  routes: fc.array(fc.array(fc.record({ pick: fc.nat(), retired: fc.integer({ min: 0, max: 5 }).map(n => n === 0) }), { minLength: 1, maxLength: 31 }), { minLength: 1, maxLength: 3 })
}).map(raw => {
  const sorted = [...raw.days].sort((a, b) => a - b)
  const versions: VersionSpec[] = raw.days.map((day, i) => {
    const extra = raw.extras[i] as (typeof raw.extras)[number]
    const preview = extra.previewWeight < 2
    // Under a lifecycle policy most versions take their dates from it; a few keep their own.
    const explicit = raw.lifecycle === undefined || extra.underPolicy === 0
    return {
      version: dateOfDay(day),
      preview,
      deprecated: preview || !explicit ? undefined : extra.deprecated ?? undefined,
      sunset: preview || !explicit ? undefined : extra.sunset ?? undefined
    }
  })
  const routes = raw.routes.map(handlers => {
    const seen = new Set<string>()
    const out: Array<{ version: string, retired: boolean }> = []
    for (const h of handlers) {
      const version = dateOfDay(sorted[h.pick % sorted.length] as number)
      if (seen.has(version)) continue
      seen.add(version)
      out.push({ version, retired: h.retired })
    }
    return out
  })
  const fixed = dateOfDay((sorted[raw.fixedIndex % sorted.length] as number) + raw.fixedDays)
  const defaultVersion: DefaultSpec = raw.defaultKind === 'unset'
    ? undefined
    : raw.defaultKind === 'latest' || raw.defaultKind === 'oldest'
      ? raw.defaultKind
      : raw.defaultKind === 'fixed' ? { fixed } : { pin: raw.defaultKind as 'sync' | 'async' }
  return {
    versions,
    zone: raw.zone,
    lifecycle: raw.lifecycle,
    header: raw.header,
    // requireHeader with a defaultVersion is a configuration error; it is generated without one.
    defaultVersion: raw.requireHeader ? undefined : defaultVersion,
    requireHeader: raw.requireHeader,
    onSunset: raw.onSunset,
    flag: raw.flag,
    deprecationHeader: raw.deprecationHeader,
    warning: raw.warning,
    reportVersions: raw.reportVersions,
    links: raw.links,
    routes
  }
})

const pad = fc.constantFrom('', '', '', ' ', '\t', ' \t ')
const headerArbitrary: fc.Arbitrary<HeaderPick> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'absent' as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('version' as const), index: fc.nat(), days: fc.integer({ min: -1, max: 1 }), left: pad, right: pad }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('today' as const), days: fc.integer({ min: -1, max: 1 }), left: pad, right: pad }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('day' as const), day: fc.integer({ min: FIRST_DAY - 400, max: LAST_DAY + 400 }), left: pad, right: pad }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: fc.constantFrom(...MALFORMED) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: fc.oneof(fc.string({ maxLength: 24 }), fc.string({ minLength: 60, maxLength: 90 })) }) }
)

const clockArbitrary: fc.Arbitrary<ClockPick> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('release' as const, 'deprecated' as const, 'sunset' as const, 'midnight' as const), index: fc.nat(), delta: fc.constantFrom(-1, 0, 1), days: fc.integer({ min: -1, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), at: fc.integer({ min: CLOCK_FROM, max: CLOCK_TO }) }) },
  // Two of the zone's days without a midnight, so that requests of one application meet on the same
  // day and the next (the plugin keeps "today" until the next day begins).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('skipped' as const), index: fc.integer({ min: 0, max: 1 }), next: fc.boolean(), delta: fc.constantFrom(-1, 0, 1, 1_800_000, 1_800_000, 43_200_000) }) }
)

const pinArbitrary: fc.Arbitrary<PinPick> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('none' as const, 'bad' as const, 'number' as const, 'throw' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('date' as const), index: fc.nat(), days: fc.integer({ min: -1, max: 1 }) }) }
)

const requestArbitrary: fc.Arbitrary<RequestSpec> = fc.record({
  method: fc.oneof({ weight: 3, arbitrary: fc.constant<Method>('GET') }, { weight: 2, arbitrary: fc.constantFrom(...METHODS) }),
  route: fc.nat(),
  clock: clockArbitrary,
  header: headerArbitrary,
  flag: fc.boolean(),
  pin: pinArbitrary
})

// ---------------------------------------------------------------------------------------------
// The reference model (docs/design.md §2–§4)
// ---------------------------------------------------------------------------------------------

type Status = 'preview' | 'active' | 'deprecated' | 'sunset'

interface ModelVersion { version: string, preview: boolean, releasedAt: number, deprecatedAt: number | undefined, sunsetAt: number | undefined }

interface Instants { deprecated: unknown, sunset: unknown, deprecatedAt: number | undefined, sunsetAt: number | undefined }

/** The option value sent to the plugin for a LifeDate, and the instant it means. */
function lifeInstant (life: LifeDate, fromDay: number, zone: Zone): { value: string | Date, at: number } {
  const day = fromDay + life.days
  if (life.form === 'date') {
    const value = dateOfDay(day)
    return { value, at: midnight(value, zone) }
  }
  const at = day * DAY + life.ms
  if (life.form === 'Date') return { value: new Date(at), at }
  if (life.form === 'iso') return { value: new Date(at).toISOString(), at }
  const local = new Date(at + life.offsetMinutes * 60_000).toISOString().slice(0, 23)
  const sign = life.offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(life.offsetMinutes)
  return { value: `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`, at }
}

function explicitInstants (spec: VersionSpec, zone: Zone): Instants {
  const release = dayOf(spec.version)
  const deprecated = spec.deprecated === undefined ? undefined : lifeInstant(spec.deprecated, release, zone)
  const sunsetFrom = spec.deprecated === undefined ? release : release + spec.deprecated.days
  const sunset = spec.sunset === undefined ? undefined : lifeInstant(spec.sunset, sunsetFrom, zone)
  return { deprecated: deprecated?.value, sunset: sunset?.value, deprecatedAt: deprecated?.at, sunsetAt: sunset?.at }
}

/** The timeline the model expects, or the reason registration must fail. */
function modelTimeline (app: AppSpec): ModelVersion[] | string {
  const zone = app.zone ?? 'UTC'
  const { deprecateAfter, sunsetAfter } = app.lifecycle ?? {}
  if (deprecateAfter !== undefined && sunsetAfter !== undefined && addDuration('1970-01-01', sunsetAfter) < addDuration('1970-01-01', deprecateAfter)) {
    return 'lifecycle.sunsetAfter shorter than deprecateAfter'
  }
  const sorted = [...app.versions].sort((a, b) => (a.version < b.version ? -1 : 1))
  const out: ModelVersion[] = []
  for (let i = 0; i < sorted.length; i++) {
    const spec = sorted[i] as VersionSpec
    // §2: the policy counts from the release of the version's successor: the next version that has
    // a release date (a declared preview has none).
    const successor = spec.preview ? undefined : sorted.slice(i + 1).find(v => !v.preview)
    const fromPolicy = (after: Duration | undefined): number | undefined =>
      successor === undefined || after === undefined ? undefined : midnight(addDuration(successor.version, after), zone)
    const explicit = explicitInstants(spec, zone)
    const deprecatedAt = explicit.deprecatedAt ?? fromPolicy(deprecateAfter)
    const sunsetAt = explicit.sunsetAt ?? fromPolicy(sunsetAfter)
    if (deprecatedAt !== undefined && sunsetAt !== undefined && sunsetAt < deprecatedAt) return `${spec.version}: sunset before deprecated`
    out.push({ version: spec.version, preview: spec.preview, releasedAt: midnight(spec.version, zone), deprecatedAt, sunsetAt })
  }
  if (typeof app.defaultVersion === 'object' && 'fixed' in app.defaultVersion && app.defaultVersion.fixed < (out[0] as ModelVersion).version) {
    return 'defaultVersion before the first version'
  }
  return out
}

// The status table (§2), as data. The design lists the four statuses; where two conditions hold at
// once (a scheduled release whose sunset has passed, a deprecated version past its sunset), the row
// higher in this table wins.
interface StatusFacts {
  /** Declared `preview: true`. */
  declaredPreview: boolean
  /** The version's date is after today in the zone: a scheduled release. */
  scheduled: boolean
  deprecationReached: boolean
  sunsetReached: boolean
}
const STATUS_TABLE: ReadonlyArray<{ status: Status, when: (facts: StatusFacts) => boolean }> = [
  { status: 'preview', when: f => f.declaredPreview || f.scheduled },
  { status: 'sunset', when: f => f.sunsetReached },
  { status: 'deprecated', when: f => f.deprecationReached },
  { status: 'active', when: () => true }
]

/** The first row of `table` whose condition holds for `facts`: the interpreter of both tables. */
function firstRow<Facts, Row extends { when: (facts: Facts) => boolean }> (table: readonly Row[], facts: Facts): Row {
  return table.find(row => row.when(facts)) as Row
}

function statusOf (v: ModelVersion, now: number, today: string): Status {
  return firstRow(STATUS_TABLE, {
    declaredPreview: v.preview,
    scheduled: v.version > today,
    deprecationReached: v.deprecatedAt !== undefined && now >= v.deprecatedAt,
    sunsetReached: v.sunsetAt !== undefined && now >= v.sunsetAt
  }).status
}

type Outcome =
  | { kind: 'serve', version: ModelVersion }
  | { kind: 'preview', version: ModelVersion }
  | { kind: 'error', code: string, version: ModelVersion | undefined }

interface World { timeline: ModelVersion[], now: number, today: string, status: (v: ModelVersion) => Status, supported: ModelVersion[] }

/** What the resolution table's conditions are about, for one request. */
interface ResolutionFacts {
  /** The date to resolve: the header's value trimmed, or the default's fixed or pinned date; none when absent. */
  d: string | undefined
  requireHeader: boolean
  /** The default-version function threw, rejected or returned something other than a date or undefined. */
  defaultFailed: boolean
  /** The version the default names without a date (`'latest'`, `'oldest'`, or a function with no pin). */
  named: 'latest' | 'oldest' | undefined
  floor: ModelVersion | undefined
  onSunset: AppSpec['onSunset']
  world: World
}

const error = (code: string, version?: ModelVersion): Outcome => ({ kind: 'error', code, version })

// The resolution table (§3), as data: the README's rows in its order, which is the order of
// precedence. "floor(D)" is the newest declared version on or before D.
const RESOLUTION_TABLE: ReadonlyArray<{ situation: string, when: (f: ResolutionFacts) => boolean, answer: (f: ResolutionFacts) => Outcome }> = [
  { situation: 'header absent, requireHeader', when: f => f.d === undefined && f.requireHeader, answer: () => error('ApiVersionUnspecified') },
  { situation: 'header absent, the default-version function failed', when: f => f.d === undefined && f.defaultFailed, answer: () => error('ApiVersionDefaultFailed') },
  {
    situation: 'header absent, the default names the latest or oldest version',
    when: f => f.d === undefined && f.named !== undefined,
    answer: f => {
      const version = f.named === 'latest' ? f.world.supported.at(-1) : f.world.supported[0]
      return version === undefined ? error('UnsupportedApiVersion') : { kind: 'serve', version }
    }
  },
  // Below, D is the header's value, or the default's fixed or pinned date "resolved as if sent".
  { situation: 'D malformed', when: f => !isRealDate(f.d as string), answer: () => error('InvalidApiVersion') },
  { situation: 'no declared version on or before D', when: f => f.floor === undefined, answer: () => error('UnsupportedApiVersion') },
  { situation: 'floor(D) is a preview', when: f => f.world.status(f.floor!) === 'preview', answer: f => ({ kind: 'preview', version: f.floor! }) },
  { situation: 'D is after today and floor(D) is not a preview', when: f => (f.d as string) > f.world.today, answer: () => error('UnsupportedApiVersion') },
  {
    situation: 'floor(D) is sunset',
    when: f => f.world.status(f.floor!) === 'sunset',
    answer: f => {
      // With onSunset: 'upgrade', the first supported version after it; an upgrade never goes back.
      const upgrade = f.onSunset === 'upgrade' ? f.world.supported.find(v => v.version > f.floor!.version) : undefined
      return upgrade === undefined ? error('ApiVersionSunset', f.floor) : { kind: 'serve', version: upgrade }
    }
  },
  { situation: 'otherwise', when: () => true, answer: f => ({ kind: 'serve', version: f.floor! }) }
]

interface Sent { header: string | undefined, flag: boolean, pin: string | undefined, pinKind: PinPick['kind'], route: number | 'neutral', now: number }

/** What a client must see: the same shape as `observe` reads from a response. */
interface Observation {
  status: number
  version: string | null
  vary: string | null
  deprecation: string | null
  sunset: string | null
  link: string | null
  warning: string | null
  supported: string | null
  deprecatedList: string | null
  ran: string | null
  apiVersion: unknown
  problem: { contentType: string, code: string, requestedVersion: string | null, supportedVersions: string[], latestVersion: string | null } | null
}

const STATUS_OF_CODE: Record<string, number> = {
  InvalidApiVersion: 400, UnsupportedApiVersion: 400, ApiVersionUnspecified: 400, ApiVersionSunset: 410, ApiVersionNotImplemented: 501, ApiVersionDefaultFailed: 503, ApiVersionEndpointNotFound: 404
}

const LINKS = { successorVersion: 'https://api.example/changelog#{version}', deprecation: 'https://api.example/deprecations/{version}', sunset: 'https://api.example/sunsets/{version}' }

function model (app: AppSpec, timeline: ModelVersion[], sent: Sent): Observation {
  const zone = app.zone ?? 'UTC'
  const today = todayIn(sent.now, zone)
  const world: World = {
    timeline,
    now: sent.now,
    today,
    status: v => statusOf(v, sent.now, today),
    supported: timeline.filter(v => ['active', 'deprecated'].includes(statusOf(v, sent.now, today)))
  }
  // Every 404 of the plugin's scope varies by the header: the same path may exist in another version.
  const none: Observation = {
    status: 404, version: null, vary: app.header, deprecation: null, sunset: null, link: null, warning: null, supported: null, deprecatedList: null, ran: null, apiVersion: null, problem: null
  }
  if (sent.route === 'neutral') return { ...none, status: 200, vary: null, ran: 'neutral' }

  // What the request brings: the header's value or what the default gives instead.
  const source = sent.header === undefined ? 'default' : 'header'
  const dv = app.defaultVersion ?? 'latest'
  let d: string | undefined
  let named: ResolutionFacts['named']
  let defaultFailed = false
  if (sent.header !== undefined) d = sent.header.replace(/^[ \t]+|[ \t]+$/g, '') // §3: surrounding whitespace aside
  else if (app.requireHeader) d = undefined
  else if (dv === 'latest' || dv === 'oldest') named = dv
  else if ('fixed' in dv) d = dv.fixed
  else if (sent.pinKind === 'none') named = 'latest' // a function returning undefined: no pin
  else if (sent.pinKind === 'date') d = sent.pin
  else defaultFailed = true
  const facts: ResolutionFacts = {
    d,
    requireHeader: app.requireHeader,
    defaultFailed,
    named,
    floor: d === undefined ? undefined : timeline.filter(v => v.version <= d).at(-1),
    onSunset: app.onSunset,
    world
  }
  const outcome = firstRow(RESOLUTION_TABLE, facts).answer(facts)
  // The problem document echoes the header's value: trimmed when well formed, shortened when long.
  const requested = sent.header === undefined
    ? null
    : isRealDate(d as string) ? d as string : sent.header.length > 64 ? `${sent.header.slice(0, 64)}…` : sent.header

  const handlers = [...(app.routes[sent.route] as AppSpec['routes'][number])].sort((a, b) => (a.version < b.version ? -1 : 1))
  const handlerFor = (version: ModelVersion): string | null => {
    const found = handlers.filter(h => h.version <= version.version).at(-1)
    return found === undefined || found.retired ? null : `r${sent.route}@${found.version}`
  }
  // The version whose headers the response carries: the served one, or the preview/sunset version
  // the request resolved to (§4: "whenever one was resolved").
  let described: ModelVersion | undefined
  let ran: string | null = null
  let code: string | undefined
  let status: Status | undefined
  if (outcome.kind === 'error') {
    // An error is answered on any route that has a handler; a route made only of tombstones is an
    // unknown route (404), like a path that was never declared.
    if (!handlers.some(h => !h.retired)) return none
    code = outcome.code
    described = outcome.version
  } else {
    // The router picks the route's handler for the resolved version before the flag is checked:
    // a route with no handler at or below it (not introduced yet, or retired) is a 404 problem
    // with the version's headers whatever the flag says; a route made only of tombstones, Fastify's 404.
    const handler = handlerFor(outcome.version)
    if (handler === null && !handlers.some(h => !h.retired)) return none
    described = outcome.version
    if (handler === null) {
      code = 'ApiVersionEndpointNotFound'
    } else if (outcome.kind === 'preview' && !(app.flag !== 'none' && sent.flag)) {
      code = 'ApiVersionNotImplemented'
    } else {
      ran = handler
      status = world.status(outcome.version)
    }
  }

  const headers = described === undefined ? undefined : versionHeaders(app, world, described)
  const result: Observation = {
    ...none,
    status: code === undefined ? 200 : STATUS_OF_CODE[code] as number,
    version: described?.version ?? null,
    vary: app.header,
    ...headers,
    ran,
    apiVersion: code === undefined ? { version: described?.version, requested, source, status } : null,
    problem: code === undefined
      ? null
      : {
          contentType: 'application/problem+json; charset=utf-8',
          code,
          requestedVersion: requested,
          supportedVersions: world.supported.map(v => v.version),
          latestVersion: world.supported.at(-1)?.version ?? null
        }
  }
  return result
}

/** §4: the deprecation, sunset, link, warning and reporting headers describing a version. */
function versionHeaders (app: AppSpec, world: World, v: ModelVersion): Partial<Observation> {
  const status = world.status(v)
  const deprecatedNow = status === 'deprecated' || status === 'sunset'
  // RFC 9745 dates may lie in the future: a planned deprecation is announced from the start. The
  // legacy boolean form can only say "deprecated now".
  const deprecation = app.deprecationHeader === 'boolean'
    ? (deprecatedNow ? 'true' : null)
    : (v.deprecatedAt === undefined ? null : `@${Math.floor(v.deprecatedAt / 1000)}`)
  const sunset = v.sunsetAt === undefined ? null : new Date(v.sunsetAt).toUTCString()
  let link: string | null = null
  if (app.links && (deprecation !== null || sunset !== null)) {
    const successor = world.timeline.find(w => w.version > v.version && world.status(w) !== 'preview')
    const parts = [
      successor === undefined ? undefined : `<${LINKS.successorVersion.replace('{version}', successor.version)}>; rel="successor-version"`,
      deprecation === null ? undefined : `<${LINKS.deprecation.replace('{version}', v.version)}>; rel="deprecation"`,
      sunset === null ? undefined : `<${LINKS.sunset.replace('{version}', v.version)}>; rel="sunset"`
    ].filter(p => p !== undefined)
    link = parts.length === 0 ? null : parts.join(', ')
  }
  const warning = app.warning && deprecatedNow
    ? `299 - "API version ${v.version} is deprecated${sunset === null ? '' : ` and will stop being served on ${sunset}`}"`
    : null
  const supported = app.reportVersions && world.supported.length > 0 ? world.supported.map(w => w.version).join(', ') : null
  const deprecatedVersions = world.timeline.filter(w => world.status(w) === 'deprecated')
  const deprecatedList = app.reportVersions && deprecatedVersions.length > 0 ? deprecatedVersions.map(w => w.version).join(', ') : null
  return { deprecation, sunset, link, warning, supported, deprecatedList }
}

// ---------------------------------------------------------------------------------------------
// The real plugin
// ---------------------------------------------------------------------------------------------

const PIN = 'x-pin'

function optionsOf (app: AppSpec, clock: { now: number }): DateVersioningOptions {
  const zone = app.zone ?? 'UTC'
  const options: DateVersioningOptions = {
    versions: app.versions.map(spec => {
      const instants = explicitInstants(spec, zone)
      return {
        version: spec.version,
        ...(spec.preview ? { preview: true } : {}),
        ...(instants.deprecated === undefined ? {} : { deprecated: instants.deprecated as string }),
        ...(instants.sunset === undefined ? {} : { sunset: instants.sunset as string })
      }
    }),
    now: () => clock.now
  }
  if (app.zone !== undefined) options.timeZone = app.zone
  if (app.lifecycle !== undefined) {
    options.lifecycle = {}
    if (app.lifecycle.deprecateAfter !== undefined) options.lifecycle.deprecateAfter = app.lifecycle.deprecateAfter.iso
    if (app.lifecycle.sunsetAfter !== undefined) options.lifecycle.sunsetAfter = app.lifecycle.sunsetAfter.iso
  }
  if (app.header !== 'Api-Version') options.header = app.header
  if (app.requireHeader) options.requireHeader = true
  if (app.onSunset !== undefined) options.onSunset = app.onSunset
  if (app.deprecationHeader !== undefined) options.deprecationHeader = app.deprecationHeader
  if (app.warning) options.warning = true
  if (app.reportVersions) options.reportVersions = true
  if (app.links) options.links = LINKS
  const dv = app.defaultVersion
  if (dv === 'latest' || dv === 'oldest') options.defaultVersion = dv
  else if (dv !== undefined && 'fixed' in dv) options.defaultVersion = dv.fixed
  else if (dv !== undefined) {
    const pin = (request: IncomingMessage): string | undefined => {
      const value = request.headers[PIN] as string | undefined
      if (value === 'throw') throw new Error('account store down')
      if (value === 'number') return 20230110 as unknown as string
      return value
    }
    options.defaultVersion = dv.pin === 'sync' ? pin : async (request: IncomingMessage) => pin(request)
  }
  if (app.flag !== 'none') {
    const flag = (_version: string, request: FastifyRequest): boolean => request.headers['x-flag'] === 'on'
    options.isPreviewEnabled = app.flag === 'sync' ? flag : async (version: string, request: FastifyRequest) => flag(version, request)
  }
  return options
}

async function start (app: AppSpec, clock: { now: number }, ran: string[]): Promise<FastifyInstance> {
  const fastify = Fastify()
  await fastify.register(dateVersioning, optionsOf(app, clock))
  app.routes.forEach((handlers, i) => {
    for (const h of handlers) {
      const id = `r${i}@${h.version}`
      // Every method but HEAD, which Fastify answers with the GET handler.
      fastify.route({
        method: METHODS.filter(method => method !== 'HEAD'),
        url: `/r${i}`,
        constraints: { apiVersion: h.version },
        handler: h.retired ? retired : async (request) => { ran.push(id); return { handler: id, apiVersion: request.apiVersion } }
      })
    }
  })
  fastify.route({ method: METHODS.filter(method => method !== 'HEAD'), url: '/neutral', handler: async () => { ran.push('neutral'); return { handler: 'neutral' } } })
  await fastify.ready()
  return fastify
}

function clockOf (pick: ClockPick, timeline: ModelVersion[], zone: Zone): number {
  if (pick.kind === 'random') return pick.at
  if (pick.kind === 'skipped') {
    const days = daysWithoutMidnight(zone)
    // In a zone where every day begins at midnight, the start of a version's day instead.
    const day = days.length === 0 ? (timeline[pick.index % timeline.length] as ModelVersion).version : days[pick.index % days.length] as string
    return midnight(pick.next ? dateOfDay(dayOf(day) + 1) : day, zone) + pick.delta
  }
  const v = timeline[pick.index % timeline.length] as ModelVersion
  const base = pick.kind === 'release'
    ? v.releasedAt
    : pick.kind === 'deprecated'
      ? v.deprecatedAt
      : pick.kind === 'sunset' ? v.sunsetAt : midnight(dateOfDay(dayOf(v.version) + pick.days), zone)
  return (base ?? v.releasedAt) + pick.delta
}

function headerOf (pick: HeaderPick, timeline: ModelVersion[], now: number, zone: Zone): string | undefined {
  switch (pick.kind) {
    case 'absent': return undefined
    case 'raw': return pick.value
    case 'version': return pick.left + dateOfDay(dayOf((timeline[pick.index % timeline.length] as ModelVersion).version) + pick.days) + pick.right
    case 'today': return pick.left + dateOfDay(dayOf(todayIn(now, zone)) + pick.days) + pick.right
    case 'day': return pick.left + dateOfDay(pick.day) + pick.right
  }
}

function observe (res: { statusCode: number, headers: Record<string, unknown>, body: string }, app: AppSpec, ranNow: string[], route: number | 'neutral', expected: Observation, method: Method): Observation {
  const h = res.headers
  const str = (name: string): string | null => (h[name] === undefined ? null : String(h[name]))
  const body = (() => { try { return JSON.parse(res.body) } catch { return undefined } })()
  const isProblem = res.statusCode >= 400 && String(res.headers['content-type']).startsWith('application/problem+json')
  const headers = {
    status: res.statusCode,
    version: str(app.header.toLowerCase()),
    vary: str('vary'),
    deprecation: str('deprecation'),
    sunset: str('sunset'),
    link: str('link'),
    warning: str('warning'),
    supported: str('api-supported-versions'),
    deprecatedList: str('api-deprecated-versions')
  }
  if (method === 'HEAD') {
    // A HEAD answer has no body: the handler that ran is what it counted, the rest is headers.
    if (res.body !== '') return { ...expected, status: -1, ran: `HEAD with a body: ${res.body}` }
    return {
      ...expected,
      ...headers,
      ran: ranNow.length === 0 ? null : ranNow.length === 1 ? ranNow[0] as string : `ran ${JSON.stringify(ranNow)}`,
      // Only the content type of a problem document is visible.
      problem: !isProblem
        ? null
        : { ...(expected.problem ?? { code: 'a problem the model did not expect', requestedVersion: null, supportedVersions: [], latestVersion: null }), contentType: str('content-type') ?? '' }
    }
  }
  return {
    ...headers,
    // Which handler ran, as counted by the handlers themselves (the body must agree).
    ran: ranNow.length === 0 ? null : ranNow.length === 1 && (ranNow[0] === body?.handler) ? ranNow[0] as string : `ran ${JSON.stringify(ranNow)}, body ${res.body}`,
    apiVersion: res.statusCode === 200 && route !== 'neutral' ? body?.apiVersion ?? 'missing' : null,
    problem: isProblem
      ? {
          contentType: str('content-type') ?? '',
          code: body?.code,
          requestedVersion: body?.requestedVersion,
          supportedVersions: body?.supportedVersions,
          latestVersion: body?.latestVersion
        }
      : null
  }
}

// fast-check seeds are 32-bit integers.
const seed = Number(process.env.FC_SEED ?? Date.now() % 0x7fffffff)
const numRuns = Number(process.env.FC_RUNS ?? 300)

// About 2,700 requests over 270 applications: a few seconds alone, a minute or more on a loaded machine.
t.setTimeout(Number(process.env.MODEL_TIMEOUT_MS ?? 300_000))

t.test('the plugin answers every generated request as the model of docs/design.md §2–§4 does', async t => {
  t.comment(`fast-check seed ${seed} (replay: FC_SEED=${seed} npx tap test/model.test.ts)`)
  let cases = 0
  let apps = 0
  let configErrors = 0
  const outcomes = new Map<number, number>()
  await fc.assert(fc.asyncProperty(appArbitrary, fc.array(requestArbitrary, { minLength: 6, maxLength: 14 }), async (app, requests) => {
    const timeline = modelTimeline(app)
    const zone = app.zone ?? 'UTC'
    const clock = { now: Date.parse('2025-06-01T12:00:00Z') }
    const ran: string[] = []
    if (typeof timeline === 'string') {
      configErrors++
      let error: unknown
      try {
        const fastify = await start(app, clock, ran)
        await fastify.close()
      } catch (e) { error = e }
      deepStrictEqual((error as { code?: string } | undefined)?.code, 'ERR_API_VERSION_CONFIG', `registration must fail: ${timeline}`)
      return
    }
    clock.now = clockOf(requests[0]?.clock ?? { kind: 'random', at: clock.now }, timeline, zone)
    const fastify = await start(app, clock, ran)
    apps++
    try {
      for (const request of requests) {
        const now = clockOf(request.clock, timeline, zone)
        clock.now = now
        const header = headerOf(request.header, timeline, now, zone)
        const route = request.route % (app.routes.length + 1) === app.routes.length ? 'neutral' : request.route % (app.routes.length + 1)
        const pin = request.pin.kind === 'date'
          ? dateOfDay(dayOf((timeline[request.pin.index % timeline.length] as ModelVersion).version) + request.pin.days)
          : request.pin.kind === 'none' ? undefined : request.pin.kind
        const headers: Record<string, string> = {}
        if (header !== undefined) headers[app.header] = header
        if (request.flag) headers['x-flag'] = 'on'
        if (pin !== undefined) headers[PIN] = pin
        const before = ran.length
        // A body where the method usually has one: version resolution must not depend on it.
        const payload = ['POST', 'PUT', 'PATCH'].includes(request.method) ? { note: 'a body' } : undefined
        const res = await fastify.inject({ method: request.method, url: route === 'neutral' ? '/neutral' : `/r${route}`, headers, ...(payload === undefined ? {} : { payload }) })
        const sent: Sent = { header, flag: request.flag, pin, pinKind: request.pin.kind, route, now }
        const expected = model(app, timeline, sent)
        const actual = observe(res, app, ran.slice(before), route, expected, request.method)
        cases++
        outcomes.set(actual.status, (outcomes.get(actual.status) ?? 0) + 1)
        deepStrictEqual(actual, expected, `${request.method} ${JSON.stringify({ ...sent, now: new Date(now).toISOString() })}`)
      }
    } finally {
      await fastify.close()
    }
  }), { seed, numRuns, path: process.env.FC_PATH, endOnFailure: process.env.FC_SHRINK === '0' })
  t.comment(`${cases} requests compared with the model over ${apps} generated applications (${configErrors} configurations rejected as the model predicts); statuses ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`)
  t.ok(cases >= 2000, 'at least 2,000 generated requests')
  for (const status of [200, 400, 404, 410, 501]) t.ok((outcomes.get(status) ?? 0) > 0, `the generated requests reach ${status}`)
})
