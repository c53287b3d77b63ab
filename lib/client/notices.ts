import type { VersionHeaders } from './headers.js'

/**
 * Deprecation and sunset announcements, told once per version and kind by each client: the
 * server repeats them on every response, a developer needs to hear them once.
 */

export type VersionNoticeKind = 'deprecation' | 'sunset'

/** Codes of the process warnings the client emits in Node. */
export const noticeCodes = { deprecation: 'API_VERSION_DEPRECATED', sunset: 'API_VERSION_SUNSET' } as const

/** A deprecation or sunset the server announced for a version. */
export interface VersionNotice {
  readonly kind: VersionNoticeKind
  /** The announced version: the one that served the response (or was requested, when the server did not say). */
  readonly version: string
  /** When the version is (or will be) deprecated; `null` when the server did not date it. */
  readonly deprecation: Date | null
  /** When the version stops being served, if announced. */
  readonly sunset: Date | null
  /** The `successor-version` link, if any. */
  readonly successor: string | null
  /** The link documenting this deprecation or sunset, if any. */
  readonly link: string | null
  /** `API_VERSION_DEPRECATED` or `API_VERSION_SUNSET`: the code of the Node process warning. */
  readonly code: typeof noticeCodes[VersionNoticeKind]
  readonly message: string
}

export type NoticeListener = (notice: VersionNotice) => void

interface WarningProcess { emitWarning?: (message: string, options: { type: string, code: string }) => void }

/**
 * In Node, a process warning of type `ApiVersionWarning` with the notice's code (so
 * `--no-warnings` and `process.on('warning')` apply); elsewhere (browsers), `console.warn`.
 * `process` is looked up on `globalThis`, never imported, so browsers load this module as is.
 */
export function reportNotice (notice: VersionNotice): void {
  const host = (globalThis as { process?: WarningProcess }).process
  if (typeof host?.emitWarning === 'function') host.emitWarning(notice.message, { type: 'ApiVersionWarning', code: notice.code })
  else console.warn(notice.message)
}

const day = (date: Date): string => date.toUTCString()

function messageOf (kind: VersionNoticeKind, version: string, headers: VersionHeaders, now: number): string {
  const { deprecation, sunset, links } = headers
  let text: string
  if (kind === 'deprecation') {
    if (deprecation === null) text = `API version ${version} is deprecated`
    else if (deprecation.getTime() > now) text = `API version ${version} will be deprecated on ${day(deprecation)}`
    else text = `API version ${version} is deprecated since ${day(deprecation)}`
    if (sunset !== null) text += `; it stops being served on ${day(sunset)}`
    if (links.deprecation !== null) text += `. Details: ${links.deprecation}`
  } else {
    text = `API version ${version} stops being served on ${day(sunset as Date)}`
    if (links.sunset !== null) text += `. Details: ${links.sunset}`
  }
  if (links.successorVersion !== null) text += `. Successor: ${links.successorVersion}`
  return `${text}.`
}

/** Tells each announcement of `headers` to `listener`, unless this notifier told it already. */
export function createNotifier (listener: NoticeListener): (version: string, headers: VersionHeaders) => void {
  const told = new Set<string>()
  return (version, headers) => {
    const kinds: VersionNoticeKind[] = []
    if (headers.deprecated) kinds.push('deprecation')
    if (headers.sunset !== null) kinds.push('sunset')
    for (const kind of kinds) {
      const key = `${kind} ${version}`
      if (told.has(key)) continue
      // Marked before the listener runs: a listener that throws or fetches again is not told twice.
      told.add(key)
      listener({
        kind,
        version,
        deprecation: headers.deprecation,
        sunset: headers.sunset,
        successor: headers.links.successorVersion,
        link: kind === 'deprecation' ? headers.links.deprecation : headers.links.sunset,
        code: noticeCodes[kind],
        message: messageOf(kind, version, headers, Date.now())
      })
    }
  }
}
