import type { TimelineSnapshot, TimelineVersion } from '../timeline.js'

/**
 * The alert callback: told when a client uses a deprecated version, one whose sunset is near, or
 * one already sunset, at most once per client and version in an interval (per process), so that a
 * busy client does not turn into a flood of alerts.
 */

/** Why an alert was raised. */
export type UsageAlertReason = 'deprecated' | 'nearly-sunset' | 'sunset'

export interface UsageAlert {
  /** The client's key (hashed unless `clientIds: 'as-given'`), or `null` for a request without a client id. */
  readonly client: string | null
  readonly version: string
  readonly reason: UsageAlertReason
  /** Sunset instant (ISO 8601), if one is set. */
  readonly sunset: string | null
  /** Whole days until the sunset (0 once it has passed), if one is set. */
  readonly daysToSunset: number | null
  /** The next released version, where to move. */
  readonly successor: string | null
}

const DAY = 86_400_000
/** Most (client, version) pairs remembered; past it the memory starts over (a few repeated alerts at worst). */
const REMEMBERED = 100_000

export interface AlertSettings {
  readonly onAlert: (alert: UsageAlert) => void
  readonly alertInterval: number
  readonly alertBeforeSunset: number
  /** Told when the callback throws or rejects. */
  readonly onFailure: (error: unknown) => void
}

export function daysToSunset (version: TimelineVersion, now: number): number | null {
  return version.sunsetAt === undefined ? null : Math.max(0, Math.ceil((version.sunsetAt - now) / DAY))
}

export function createAlerts (settings: AlertSettings): (client: string | undefined, version: TimelineVersion, snapshot: TimelineSnapshot, now: number) => void {
  const last = new Map<string, number>()
  const nearly = settings.alertBeforeSunset * DAY
  return (client, version, snapshot, now) => {
    const status = snapshot.statuses[version.index]
    const near = version.sunsetAt !== undefined && version.sunsetAt - now <= nearly
    const reason: UsageAlertReason | undefined = status === 'sunset' ? 'sunset' : near ? 'nearly-sunset' : status === 'deprecated' ? 'deprecated' : undefined
    if (reason === undefined) return
    const key = `${client ?? ''}\n${version.version}`
    const previous = last.get(key)
    if (previous !== undefined && now - previous < settings.alertInterval) return
    if (last.size >= REMEMBERED) last.clear()
    last.set(key, now)
    const alert: UsageAlert = {
      client: client ?? null,
      version: version.version,
      reason,
      sunset: version.sunsetAt === undefined ? null : new Date(version.sunsetAt).toISOString(),
      daysToSunset: daysToSunset(version, now),
      successor: snapshot.successors[version.index]?.version ?? null
    }
    // Raised as the response is sent: the callback runs once it is written, never before.
    setImmediate(call, settings, alert)
  }
}

function call (settings: AlertSettings, alert: UsageAlert): void {
  try {
    const answer = settings.onAlert(alert) as unknown
    if (answer instanceof Promise) answer.catch(settings.onFailure)
  } catch (error) {
    settings.onFailure(error)
  }
}
