/**
 * Strict `YYYY-MM-DD` dates. This runs on the request path, so it is a handful of character-code
 * comparisons: no regular expression, no date library, no allocation.
 */

const ZERO = 48
const NINE = 57
const DASH = 45

function digitsAt (s: string, from: number, count: number): number {
  let value = 0
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i)
    if (c < ZERO || c > NINE) return -1
    value = value * 10 + c - ZERO
  }
  return value
}

function daysInMonth (year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
    return leap ? 29 : 28
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Whether `s` is exactly `YYYY-MM-DD` and names a real day of the proleptic Gregorian calendar. */
export function isCalendarDate (s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return false
  const year = digitsAt(s, 0, 4)
  const month = digitsAt(s, 5, 2)
  const day = digitsAt(s, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1) return false
  return day <= daysInMonth(year, month)
}
