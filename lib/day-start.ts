import { DateTime } from 'luxon'

/**
 * The first instant of `day`'s calendar date in its zone. luxon's `startOf('day')` and a parsed
 * `YYYY-MM-DD` take the *later* of two midnights when clocks fall back at 01:00 to 00:00 (Havana,
 * for one), so the date would begin an hour late; stepping back while the date stays the same finds
 * the first one. Configuration time and once per timeline snapshot only, never per request.
 */
export function dayStart (day: DateTime): DateTime {
  const date = day.toISODate()
  let start = day.startOf('day')
  for (let earlier = start.minus({ minutes: 15 }); earlier.toISODate() === date; earlier = earlier.minus({ minutes: 15 })) {
    start = earlier
  }
  return start
}
