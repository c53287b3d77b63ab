import { DateTime, type Duration } from 'luxon'
import { isCalendarDate } from '../calendar-date.js'
import { dayStart } from '../day-start.js'
import { configError } from '../errors.js'
import { VersionChange } from '../changes/version-change.js'
import { byVersion } from '../floor.js'
import type { TimelineVersion, VersionDeclaration } from '../timeline.js'
import { rejectUnknownKeys } from './known-keys.js'
import type { ParsedLifecycle } from './lifecycle.js'

/**
 * The `versions` option: each declaration validated (a real date, declared once, a sunset not
 * before the deprecation) and normalised into the timeline's versions, whose instants are epoch
 * milliseconds in the configured zone. luxon runs here, at registration only.
 */

const FIELDS = ['version', 'changes', 'preview', 'deprecated', 'sunset']

/** A lifecycle date: `YYYY-MM-DD` (start of that day in the zone), an ISO 8601 instant, or a `Date`. */
function parseInstant (label: string, value: unknown, zone: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime()
  if (typeof value === 'string') {
    const parsed = isCalendarDate(value)
      ? dayStart(DateTime.fromISO(value, { zone }))
      : /^\d{4}-\d{2}-\d{2}T/.test(value) ? DateTime.fromISO(value, { zone, setZone: true }) : undefined
    if (parsed?.isValid === true) return parsed.toMillis()
  }
  const received = value instanceof Date ? 'an Invalid Date' : JSON.stringify(value)
  throw configError(`${label} must be a date "YYYY-MM-DD", an ISO 8601 instant such as "2026-06-30T23:59:59Z", or a Date; received ${received}.`)
}

function validateDeclaration (declaration: VersionDeclaration, position: number): VersionDeclaration {
  if (declaration === null || typeof declaration !== 'object') {
    throw configError(`versions[${position}] must be an object such as { version: "2024-03-01" }.`)
  }
  const { version, changes, preview } = declaration
  if (typeof version !== 'string' || !isCalendarDate(version)) {
    throw configError(`versions[${position}].version must be a real calendar date written YYYY-MM-DD; received ${JSON.stringify(version)}.`)
  }
  rejectUnknownKeys(declaration, FIELDS, key => `versions[${version}] has an unknown field "${key}"; known fields: ${FIELDS.join(', ')}.`)
  if (changes !== undefined && (!Array.isArray(changes) || !changes.every(c => typeof c === 'string' || c instanceof VersionChange))) {
    throw configError(`versions[${version}].changes must be an array of strings and of changes made by versionChange().`)
  }
  if (preview !== undefined && typeof preview !== 'boolean') {
    throw configError(`versions[${version}].preview must be true or false.`)
  }
  if (preview === true && (declaration.deprecated !== undefined || declaration.sunset !== undefined)) {
    throw configError(`versions[${version}] is a preview and cannot be deprecated or sunset; release it first (remove preview: true).`)
  }
  return declaration
}

/** Validates the declared versions and normalises them, oldest first, into the timeline's versions. */
export function parseVersions (declarations: unknown, zone: string, policy: ParsedLifecycle): readonly TimelineVersion[] {
  if (!Array.isArray(declarations) || declarations.length === 0) {
    throw configError('versions must be a non-empty array such as [{ version: "2024-03-01" }].')
  }
  const sorted = (declarations as VersionDeclaration[]).map((declaration, position) => validateDeclaration(declaration, position))
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
    const released = dayStart(DateTime.fromISO(declaration.version, { zone }))
    // From the start of the day the duration reaches: a successor released on a day that begins at
    // 01:00 (midnight skipped) would otherwise carry that hour into a day that begins at midnight.
    const fromPolicy = (after: Duration | undefined): number | undefined =>
      declaration.preview === true || successorRelease === undefined || after === undefined ? undefined : dayStart(successorRelease.plus(after)).toMillis()
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
      changes: Object.freeze((declaration.changes ?? []).map(c => typeof c === 'string' ? c : c.description)),
      versionChanges: Object.freeze((declaration.changes ?? []).filter(c => c instanceof VersionChange)),
      preview: declaration.preview === true,
      releasedAt: released.toMillis(),
      deprecatedAt,
      sunsetAt
    })
    for (const change of version.versionChanges) change.declareIn(version.version)
    versions[i] = version
    if (!version.preview) successorRelease = released
  }
  return Object.freeze(versions)
}
