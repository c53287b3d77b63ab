/**
 * Version timelines shared by the servers and the micro-benchmark. Every date is in the past (the
 * benchmarks use the real clock), so every version is active unless a scenario says otherwise.
 */

const DAY = 86_400_000

/** `YYYY-MM-DD` of the UTC day `days` after `start` (a `YYYY-MM-DD`). */
export function dayAfter (start, days) {
  return new Date(Date.parse(`${start}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

/** `count` dates, one a day from `start`. */
export function dailyDates (count, start = '2020-01-01') {
  return Array.from({ length: count }, (_, i) => dayAfter(start, i))
}

/** `count` distinct dates spread evenly from `start` to `end` (both `YYYY-MM-DD`, `count` ≥ 2). */
export function spreadDates (count, start, end) {
  const span = (Date.parse(end) - Date.parse(start)) / DAY
  return Array.from({ length: count }, (_, i) => dayAfter(start, Math.round(i * span / (count - 1))))
}

/** `count` of `dates`, evenly spaced from the first: the versions that get a handler on the route. */
export function handlerDates (dates, count) {
  const step = Math.floor(dates.length / count)
  return Array.from({ length: count }, (_, i) => dates[i * step])
}

/** The plugin scenarios' timeline: 1,000 daily versions from 2020-01-01 (the last in 2022). */
export const TIMELINE_VERSIONS = 1000
/** Handlers on the benchmarked route. */
export const ROUTE_HANDLERS = 20
/** The preview version of the pinned-preview scenario, and the API key pinned to it. */
export const PREVIEW = '2099-01-01'
export const PREVIEW_KEY = 'key-preview'

/** The version-changes scenarios: 20 versions, one a day from 2020-01-01. */
export const CHANGE_VERSIONS = 20
export const changeDates = () => dailyDates(CHANGE_VERSIONS)

/** 100 objects `{ id, person: { name, tag } }`, with `tag` named as the version of index `i` names it. */
export function listBody (i) {
  const tag = i === CHANGE_VERSIONS - 1 ? 'tag' : `tag${i}`
  return Array.from({ length: 100 }, (_, id) => ({ id, person: { name: 'A B', [tag]: 'x' } }))
}
