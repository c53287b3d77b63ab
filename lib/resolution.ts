import type { ApiVersionErrorCode } from './errors.js'
import type { Timeline, TimelineSnapshot, TimelineVersion } from './timeline.js'

/**
 * The resolution table (docs/design.md §3) for a well-formed date, as one pure function: the same
 * answer for the plugin, the docs and any tooling.
 */

/** What to do with a sunset version: answer 410, or serve the first supported version after it instead. */
export type SunsetPolicy = 'gone' | 'upgrade'

export type Outcome =
  | { readonly kind: 'serve', readonly version: TimelineVersion }
  /** Served only if the version's feature flag is on for the request. */
  | { readonly kind: 'preview', readonly version: TimelineVersion }
  | { readonly kind: 'error', readonly code: ApiVersionErrorCode, readonly version?: TimelineVersion, readonly reason?: string }

export function resolveDate (timeline: Timeline, snapshot: TimelineSnapshot, date: string, onSunset: SunsetPolicy): Outcome {
  const version = timeline.floor(date)
  if (version === undefined) {
    return { kind: 'error', code: 'UnsupportedApiVersion', reason: `no version was released on or before that date; the first is ${(timeline.versions[0] as TimelineVersion).version}` }
  }
  const status = snapshot.statuses[version.index]
  if (status === 'preview') return { kind: 'preview', version }
  // A future date must not silently mean "the latest": it would change meaning at the next release.
  if (date > snapshot.today) {
    return { kind: 'error', code: 'UnsupportedApiVersion', reason: 'that date is in the future' }
  }
  if (status === 'sunset') {
    // An upgrade never goes back: the first supported version after the sunset one.
    const upgrade = onSunset === 'upgrade' ? snapshot.supported.find(v => v > version.version) : undefined
    if (upgrade !== undefined) return { kind: 'serve', version: timeline.get(upgrade) as TimelineVersion }
    return { kind: 'error', code: 'ApiVersionSunset', version }
  }
  return { kind: 'serve', version }
}
