import { DateTime, Duration, IANAZone } from 'luxon'
import { isCalendarDate } from './calendar-date.js'
import { configError } from './errors.js'
import { byVersion, floorIndex } from './floor.js'
import { isObject } from './util.js'

/**
 * The version timeline: the declared versions, their lifecycle dates and their status at an
 * instant. Pure (no Fastify): the plugin, the docs and any tooling read the same value.
 * luxon is used here, at construction and once per status change, never per request.
 */

/** Lifecycle status of a version at an instant. */
export type VersionStatus = 'preview' | 'active' | 'deprecated' | 'sunset'

/** A version as declared in the `versions` option. */
export interface VersionDeclaration {
  /** Release date, `YYYY-MM-DD`: the version's name. */
  version: string
  /** The changelog of this version, one entry per change. */
  changes?: readonly string[]
  /** Not released: served only to requests whose feature flag is on. */
  preview?: boolean
  /** From this date (`YYYY-MM-DD`, start of day in `timeZone`) or instant (ISO 8601 or `Date`) on, the version is deprecated. */
  deprecated?: string | Date
  /** From this date or instant on, the version is no longer served. */
  sunset?: string | Date
}

/** A support policy filling in `deprecated` and `sunset`, counted from the release of each version's successor. */
export interface LifecyclePolicy {
  /** ISO 8601 duration, such as `P2Y`: deprecated this long after its successor's release. */
  deprecateAfter?: string
  /** ISO 8601 duration, such as `P3Y`: sunset this long after its successor's release. */
  sunsetAfter?: string
}

export interface TimelineOptions {
  timeZone?: string | undefined
  lifecycle?: LifecyclePolicy | undefined
}

/** A declared version, normalised: instants are epoch milliseconds. */
export interface TimelineVersion {
  readonly version: string
  readonly index: number
  readonly changes: readonly string[]
  /** Declared `preview: true` (a version dated in the future is also a preview until that day). */
  readonly preview: boolean
  /** Start of the version's day in the timeline's zone. */
  readonly releasedAt: number
  readonly deprecatedAt: number | undefined
  readonly sunsetAt: number | undefined
}

/** The state of the timeline during an interval of time in which no status changes. */
export interface TimelineSnapshot {
  /** The interval `[from, until)` in epoch milliseconds during which this snapshot holds. */
  readonly from: number
  readonly until: number
  /** Today's date in the timeline's zone, `YYYY-MM-DD`. */
  readonly today: string
  /** Status of each version, by `TimelineVersion.index`. */
  readonly statuses: readonly VersionStatus[]
  /** The newest version that is released and not sunset. */
  readonly latest: TimelineVersion | undefined
  /** The oldest version that is released and not sunset. */
  readonly oldest: TimelineVersion | undefined
  /** Released versions that are not sunset, oldest first. */
  readonly supported: readonly string[]
  /** Versions that are deprecated (and not sunset), oldest first. */
  readonly deprecated: readonly string[]
  /** For each version (by index), the next version that is released now, if any. */
  readonly successors: ReadonlyArray<TimelineVersion | undefined>
}

const versionOf = (version: TimelineVersion): string => version.version

export class Timeline {
  readonly versions: readonly TimelineVersion[]
  readonly timeZone: string

  constructor (declarations: readonly VersionDeclaration[], options: TimelineOptions = {}) {
    this.timeZone = validateZone(options.timeZone ?? 'UTC')
    const policy = parsePolicy(options.lifecycle)
    this.versions = normalise(declarations, this.timeZone, policy)
  }

  /** The greatest declared version on or before `date` (`YYYY-MM-DD`). */
  floor (date: string): TimelineVersion | undefined {
    return this.versions[floorIndex(this.versions, versionOf, date)]
  }

  /** The declared version named `version`, if any. */
  get (version: string): TimelineVersion | undefined {
    const found = this.floor(version)
    return found?.version === version ? found : undefined
  }

  /** Status of `version` at `instant` (epoch milliseconds). */
  statusAt (version: TimelineVersion, instant: number): VersionStatus {
    if (version.preview || instant < version.releasedAt) return 'preview'
    if (version.sunsetAt !== undefined && instant >= version.sunsetAt) return 'sunset'
    if (version.deprecatedAt !== undefined && instant >= version.deprecatedAt) return 'deprecated'
    return 'active'
  }

  /** The timeline at `instant`, with the interval during which it stays the same. */
  snapshotAt (instant: number): TimelineSnapshot {
    const now = DateTime.fromMillis(instant, { zone: this.timeZone })
    let from = now.startOf('day').toMillis()
    // The next day's start, found from within the next day: on a day that begins at 01:00 (midnight
    // skipped), the start of this day plus one day would be 01:00 of the next, an hour late.
    let until = now.plus({ days: 1 }).startOf('day').toMillis()
    const statuses: VersionStatus[] = []
    const supported: string[] = []
    const deprecated: string[] = []
    let latest: TimelineVersion | undefined
    let oldest: TimelineVersion | undefined
    for (const version of this.versions) {
      for (const boundary of [version.releasedAt, version.deprecatedAt, version.sunsetAt]) {
        if (boundary === undefined) continue
        if (boundary > instant) until = Math.min(until, boundary)
        else from = Math.max(from, boundary)
      }
      const status = this.statusAt(version, instant)
      statuses.push(status)
      if (status === 'active' || status === 'deprecated') {
        supported.push(version.version)
        oldest ??= version
        latest = version
      }
      if (status === 'deprecated') deprecated.push(version.version)
    }
    const successors: Array<TimelineVersion | undefined> = []
    let next: TimelineVersion | undefined
    for (let i = this.versions.length - 1; i >= 0; i--) {
      successors[i] = next
      if (statuses[i] !== 'preview') next = this.versions[i]
    }
    return { from, until, today: now.toISODate() as string, statuses, latest, oldest, supported, deprecated, successors }
  }
}

function validateZone (zone: string): string {
  if (!IANAZone.isValidZone(zone)) {
    throw configError(`timeZone "${zone}" is not a known IANA time zone; use a name such as "UTC" or "Europe/London".`)
  }
  return zone
}

interface ParsedPolicy {
  deprecateAfter: Duration | undefined
  sunsetAfter: Duration | undefined
}

function parseDuration (name: string, value: unknown): Duration | undefined {
  if (value === undefined) return undefined
  const duration = typeof value === 'string' ? Duration.fromISO(value) : undefined
  if (duration === undefined || !duration.isValid || duration.toMillis() < 0) {
    throw configError(`lifecycle.${name} must be an ISO 8601 duration such as "P2Y" or "P18M"; received ${JSON.stringify(value)}.`)
  }
  return duration
}

/** Rejects misspelt fields, which would otherwise be ignored without a word. */
function onlyKnownKeys (label: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw configError(`${label} has an unknown field "${key}"; known fields: ${known.join(', ')}.`)
  }
}

function parsePolicy (policy: LifecyclePolicy | undefined): ParsedPolicy {
  if (policy === undefined) return { deprecateAfter: undefined, sunsetAfter: undefined }
  if (!isObject(policy)) {
    throw configError('lifecycle must be an object such as { deprecateAfter: "P2Y", sunsetAfter: "P3Y" }.')
  }
  onlyKnownKeys('lifecycle', policy, ['deprecateAfter', 'sunsetAfter'])
  const parsed = {
    deprecateAfter: parseDuration('deprecateAfter', policy.deprecateAfter),
    sunsetAfter: parseDuration('sunsetAfter', policy.sunsetAfter)
  }
  if (parsed.deprecateAfter && parsed.sunsetAfter) {
    const start = DateTime.fromMillis(0, { zone: 'UTC' })
    if (start.plus(parsed.sunsetAfter) < start.plus(parsed.deprecateAfter)) {
      throw configError('lifecycle.sunsetAfter is shorter than lifecycle.deprecateAfter: a version cannot be sunset before it is deprecated (RFC 9745).')
    }
  }
  return parsed
}

/** A lifecycle date: `YYYY-MM-DD` (start of that day in the zone), an ISO 8601 instant, or a `Date`. */
function parseInstant (label: string, value: unknown, zone: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime()
  if (typeof value === 'string') {
    const parsed = isCalendarDate(value)
      ? DateTime.fromISO(value, { zone })
      : /^\d{4}-\d{2}-\d{2}T/.test(value) ? DateTime.fromISO(value, { zone, setZone: true }) : undefined
    if (parsed?.isValid === true) return parsed.toMillis()
  }
  const received = value instanceof Date ? 'an Invalid Date' : JSON.stringify(value)
  throw configError(`${label} must be a date "YYYY-MM-DD", an ISO 8601 instant such as "2026-06-30T23:59:59Z", or a Date; received ${received}.`)
}

function normalise (declarations: readonly VersionDeclaration[], zone: string, policy: ParsedPolicy): TimelineVersion[] {
  if (!Array.isArray(declarations) || declarations.length === 0) {
    throw configError('versions must be a non-empty array such as [{ version: "2024-03-01" }].')
  }
  const sorted = declarations.map((declaration, position) => validateDeclaration(declaration, position))
    .sort(byVersion(d => d.version))
  for (let i = 1; i < sorted.length; i++) {
    const current = sorted[i] as VersionDeclaration
    if (current.version === (sorted[i - 1] as VersionDeclaration).version) {
      throw configError(`version ${current.version} is declared twice in versions; declare each version once.`)
    }
  }

  const versions: TimelineVersion[] = []
  // Built newest first: the lifecycle policy counts from the release date of the next version that
  // is not a declared preview (a scheduled release has a known date; a preview has none).
  let successorRelease: DateTime | undefined
  for (let i = sorted.length - 1; i >= 0; i--) {
    const declaration = sorted[i] as VersionDeclaration
    const label = `versions[${declaration.version}]`
    const released = DateTime.fromISO(declaration.version, { zone })
    // From the start of the day the duration reaches: a successor released on a day that begins at
    // 01:00 (midnight skipped) would otherwise carry that hour into a day that begins at midnight.
    const fromPolicy = (after: Duration | undefined): number | undefined =>
      declaration.preview === true || successorRelease === undefined || after === undefined ? undefined : successorRelease.plus(after).startOf('day').toMillis()
    const deprecatedAt = declaration.deprecated !== undefined
      ? parseInstant(`${label}.deprecated`, declaration.deprecated, zone)
      : fromPolicy(policy.deprecateAfter)
    const sunsetAt = declaration.sunset !== undefined
      ? parseInstant(`${label}.sunset`, declaration.sunset, zone)
      : fromPolicy(policy.sunsetAfter)
    if (deprecatedAt !== undefined && sunsetAt !== undefined && sunsetAt < deprecatedAt) {
      throw configError(`${label}: sunset (${new Date(sunsetAt).toISOString()}) is earlier than deprecated (${new Date(deprecatedAt).toISOString()}); RFC 9745 requires the sunset not to come before the deprecation. Move the sunset later or the deprecation earlier.`)
    }
    const version: TimelineVersion = Object.freeze({
      version: declaration.version,
      index: i,
      changes: Object.freeze([...(declaration.changes ?? [])]),
      preview: declaration.preview === true,
      releasedAt: released.toMillis(),
      deprecatedAt,
      sunsetAt
    })
    versions[i] = version
    if (!version.preview) successorRelease = released
  }
  return versions
}

function validateDeclaration (declaration: VersionDeclaration, position: number): VersionDeclaration {
  if (declaration === null || typeof declaration !== 'object') {
    throw configError(`versions[${position}] must be an object such as { version: "2024-03-01" }.`)
  }
  const { version, changes, preview } = declaration
  if (typeof version !== 'string' || !isCalendarDate(version)) {
    throw configError(`versions[${position}].version must be a real calendar date written YYYY-MM-DD; received ${JSON.stringify(version)}.`)
  }
  onlyKnownKeys(`versions[${version}]`, declaration, ['version', 'changes', 'preview', 'deprecated', 'sunset'])
  if (changes !== undefined && (!Array.isArray(changes) || !changes.every(c => typeof c === 'string'))) {
    throw configError(`versions[${version}].changes must be an array of strings.`)
  }
  if (preview !== undefined && typeof preview !== 'boolean') {
    throw configError(`versions[${version}].preview must be true or false.`)
  }
  if (preview === true && (declaration.deprecated !== undefined || declaration.sunset !== undefined)) {
    throw configError(`versions[${version}] is a preview and cannot be deprecated or sunset; release it first (remove preview: true).`)
  }
  return declaration
}
