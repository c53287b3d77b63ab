import type { Timeline, TimelineSnapshot, VersionStatus } from '../timeline.js'
import { daysToSunset } from './alerts.js'
import type { ClientFacts, DailyCounts } from './store.js'

/**
 * The usage view (`<prefix>/usage.json` and the Usage section of the documentation page), as a pure
 * function of what the store holds and the timeline now: the version distribution with its trend
 * over the last 30 days, migration status per deprecated version, and the clients to contact first.
 */

export interface UsageReport {
  /** Today in the timeline's zone. */
  readonly today: string
  /** The days of the daily series, oldest first, ending today. */
  readonly days: readonly string[]
  /** Clients by the status of the version of their latest request: `pending` are on a deprecated or sunset one. */
  readonly clients: { readonly total: number, readonly migrated: number, readonly pending: number }
  readonly versions: readonly VersionUsage[]
  readonly migration: readonly MigrationStatus[]
  readonly contactFirst: readonly ClientToContact[]
}

export interface VersionUsage {
  readonly version: string
  readonly status: VersionStatus
  /** Requests over the days of the report. */
  readonly requests: number
  /** Its part of all requests over those days, between 0 and 1. */
  readonly share: number
  /** Its share in the last 7 days against the 7 days before. */
  readonly trend: 'growing' | 'declining' | 'steady'
  /** Requests per day, one number per entry of `days`. */
  readonly daily: readonly number[]
  /** Clients whose latest request used it. */
  readonly clients: number
}

export interface MigrationStatus {
  readonly version: string
  readonly status: VersionStatus
  readonly sunset: string | null
  readonly daysToSunset: number | null
  readonly successor: string | null
  /** Clients whose latest request still used it. */
  readonly clients: number
  /** Clients sent a deprecation or sunset warning about it. */
  readonly warned: number
  /** Of those, clients whose latest request uses a newer version: the warning was acted on. */
  readonly moved: number
  /** Warned, and still on it or older. */
  readonly warnedNotMoved: number
}

export interface ClientToContact {
  readonly client: string
  readonly version: string
  readonly status: VersionStatus
  readonly daysToSunset: number | null
  readonly lastSeen: string
  /** Its requests with that version, ever. */
  readonly requests: number
  /** When it was first warned about that version, if it was. */
  readonly warnedAt: string | null
}

export interface ReportInput {
  readonly timeline: Timeline
  readonly snapshot: TimelineSnapshot
  readonly now: number
  readonly days: readonly string[]
  readonly clients: readonly ClientFacts[]
  readonly daily: DailyCounts
}

const CONTACTS = 20
const TREND_WINDOW = 7
const TREND_THRESHOLD = 0.02

/** The `count` calendar days ending with `today` (YYYY-MM-DD), oldest first: calendar arithmetic, no zone involved. */
export function lastDays (today: string, count: number): string[] {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number]
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(year, month - 1, day - (count - 1 - i))).toISOString().slice(0, 10))
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

function trendOf (daily: readonly number[], totals: readonly number[]): VersionUsage['trend'] {
  const share = (from: number, to: number): number => {
    const all = sum(totals.slice(from, to))
    return all === 0 ? 0 : sum(daily.slice(from, to)) / all
  }
  const end = daily.length
  const change = share(end - TREND_WINDOW, end) - share(end - 2 * TREND_WINDOW, end - TREND_WINDOW)
  return change > TREND_THRESHOLD ? 'growing' : change < -TREND_THRESHOLD ? 'declining' : 'steady'
}

const iso = (instant: number): string => new Date(instant).toISOString()
const isOld = (status: VersionStatus | undefined): boolean => status === 'deprecated' || status === 'sunset'

export function buildUsageReport ({ timeline, snapshot, now, days, clients, daily }: ReportInput): UsageReport {
  const statusOf = (version: string): VersionStatus | undefined => {
    const found = timeline.get(version)
    return found === undefined ? undefined : snapshot.statuses[found.index]
  }
  const totals = days.map(day => sum(Object.values(daily[day] ?? {})))
  const all = sum(totals)
  const latestOf = new Map<string, number>()
  for (const c of clients) latestOf.set(c.lastVersion, (latestOf.get(c.lastVersion) ?? 0) + 1)

  const versions = timeline.versions.flatMap((v): VersionUsage[] => {
    const series = days.map(day => daily[day]?.[v.version] ?? 0)
    const requests = sum(series)
    const status = snapshot.statuses[v.index] as VersionStatus
    const users = latestOf.get(v.version) ?? 0
    if (requests === 0 && users === 0 && (status === 'preview' || status === 'sunset')) return []
    return [{ version: v.version, status, requests, share: all === 0 ? 0 : requests / all, trend: trendOf(series, totals), daily: series, clients: users }]
  })

  const migration = timeline.versions.filter(v => isOld(snapshot.statuses[v.index])).map((v): MigrationStatus => {
    const warned = clients.filter(c => c.warnings[v.version] !== undefined)
    const moved = warned.filter(c => c.lastVersion > v.version).length
    return {
      version: v.version,
      status: snapshot.statuses[v.index] as VersionStatus,
      sunset: v.sunsetAt === undefined ? null : iso(v.sunsetAt),
      daysToSunset: daysToSunset(v, now),
      successor: snapshot.successors[v.index]?.version ?? null,
      clients: latestOf.get(v.version) ?? 0,
      warned: warned.length,
      moved,
      warnedNotMoved: warned.length - moved
    }
  })

  const contactFirst = clients.filter(c => isOld(statusOf(c.lastVersion))).map((c): ClientToContact => {
    const version = timeline.get(c.lastVersion) as NonNullable<ReturnType<Timeline['get']>>
    const warning = c.warnings[c.lastVersion]
    return {
      client: c.client,
      version: c.lastVersion,
      status: snapshot.statuses[version.index] as VersionStatus,
      daysToSunset: daysToSunset(version, now),
      lastSeen: iso(c.lastSeen),
      requests: c.versions[c.lastVersion] ?? 0,
      warnedAt: warning === undefined ? null : iso(warning.at)
    }
  })
  // Soonest sunset first (none set: last), then the busiest.
  contactFirst.sort((a, b) => (a.daysToSunset ?? Infinity) - (b.daysToSunset ?? Infinity) || b.requests - a.requests || a.client.localeCompare(b.client))

  const pending = clients.filter(c => isOld(statusOf(c.lastVersion))).length
  return {
    today: snapshot.today,
    days,
    clients: { total: clients.length, migrated: clients.length - pending, pending },
    versions,
    migration,
    contactFirst: contactFirst.slice(0, CONTACTS)
  }
}
