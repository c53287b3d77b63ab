import { DateTime, Duration } from 'luxon'
import { configError } from '../errors.js'
import { isObject } from '../util.js'
import { rejectUnknownKeys } from './known-keys.js'

/** The `lifecycle` option, validated: its durations parsed. */
export interface ParsedLifecycle {
  readonly deprecateAfter: Duration | undefined
  readonly sunsetAfter: Duration | undefined
}

function parseDuration (name: string, value: unknown): Duration | undefined {
  if (value === undefined) return undefined
  const duration = typeof value === 'string' ? Duration.fromISO(value) : undefined
  if (duration === undefined || !duration.isValid || duration.toMillis() < 0) {
    throw configError(`lifecycle.${name} must be an ISO 8601 duration such as "P2Y" or "P18M"; received ${JSON.stringify(value)}.`)
  }
  return duration
}

/** Validates the `lifecycle` option; a sunset may not come before the deprecation (RFC 9745). */
export function parseLifecycle (policy: unknown): ParsedLifecycle {
  if (policy === undefined) return Object.freeze({ deprecateAfter: undefined, sunsetAfter: undefined })
  if (!isObject(policy)) {
    throw configError('lifecycle must be an object such as { deprecateAfter: "P2Y", sunsetAfter: "P3Y" }.')
  }
  const known = ['deprecateAfter', 'sunsetAfter']
  rejectUnknownKeys(policy, known, key => `lifecycle has an unknown field "${key}"; known fields: ${known.join(', ')}.`)
  const parsed = Object.freeze({
    deprecateAfter: parseDuration('deprecateAfter', policy.deprecateAfter),
    sunsetAfter: parseDuration('sunsetAfter', policy.sunsetAfter)
  })
  if (parsed.deprecateAfter && parsed.sunsetAfter) {
    const start = DateTime.fromMillis(0, { zone: 'UTC' })
    if (start.plus(parsed.sunsetAfter) < start.plus(parsed.deprecateAfter)) {
      throw configError('lifecycle.sunsetAfter is shorter than lifecycle.deprecateAfter: a version cannot be sunset before it is deprecated (RFC 9745).')
    }
  }
  return parsed
}
