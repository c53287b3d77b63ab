import { DateTime } from 'luxon'
import { dayStart } from './day-start.js'
import { floorIndex } from './floor.js'
import type { VersionChange } from './changes/version-change.js'

/**
 * The version timeline: the declared versions, their lifecycle dates and their status at an
 * instant. Pure (no Fastify): the plugin, the docs and any tooling read the same value. It receives
 * versions already validated and normalised by the options (lib/options/versions.ts).
 * luxon is used here once per status change, never per request.
 */

/** Lifecycle status of a version at an instant. */
export type VersionStatus = 'preview' | 'active' | 'deprecated' | 'sunset'

// The shapes of the declarations are declared here, beside the timeline they describe, and parsed in
// lib/options/: the published types must not name luxon, which the parsing uses.

/** A version as declared in the `versions` option. */
export interface VersionDeclaration {
  /** Release date, `YYYY-MM-DD`: the version's name. */
  version: string
  /**
   * The changelog of this version, one entry per change: a sentence, or a change object made by
   * versionChange() that also describes how schemas and endpoints looked before it and migrates
   * requests and responses (docs/version-changes.md).
   */
  changes?: ReadonlyArray<string | VersionChange>
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

/** A declared version, normalised: instants are epoch milliseconds. */
export interface TimelineVersion {
  readonly version: string
  readonly index: number
  /** The descriptions of the version's changes, sentences and change objects alike. */
  readonly changes: readonly string[]
  /** The change objects of the version, in the order declared. */
  readonly versionChanges: readonly VersionChange[]
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

  /** `versions`: oldest first, as parseVersions() returns them; `timeZone`: a valid IANA zone. */
  constructor (versions: readonly TimelineVersion[], timeZone: string) {
    this.versions = versions
    this.timeZone = timeZone
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
    let from = dayStart(now).toMillis()
    // The next day's start, found from within the next day: on a day that begins at 01:00 (midnight
    // skipped), the start of this day plus one day would be 01:00 of the next, an hour late.
    let until = dayStart(now.plus({ days: 1 })).toMillis()
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
