/**
 * Reads the response headers that describe an API version: the served version, `Deprecation`
 * (RFC 9745, and the older `true`), `Sunset` (RFC 8594), `Link` relations and `Warning: 299`.
 * A server's malformed or repeated header never throws: it is named in `unparsable` and read as absent.
 */

/** The `Link` relations a versioned API announces. */
export interface VersionLinks {
  /** `rel="successor-version"`: where the version that replaces this one is described. */
  readonly successorVersion: string | null
  /** `rel="deprecation"`: where the deprecation is documented. */
  readonly deprecation: string | null
  /** `rel="sunset"`: where the sunset is documented. */
  readonly sunset: string | null
}

/** What the server said about the version of one response. */
export interface VersionHeaders {
  /** The version that served the response (the version header's value), or `null` when absent. */
  readonly served: string | null
  /** `true` when a `Deprecation` header announces a deprecation, whether dated or not. */
  readonly deprecated: boolean
  /** The deprecation date of `Deprecation: @<seconds>` (maybe in the future); `null` for `true` or absent. */
  readonly deprecation: Date | null
  /** The date of `Sunset`, after which the version stops being served. */
  readonly sunset: Date | null
  readonly links: VersionLinks
  /** The texts of `Warning: 299` (miscellaneous persistent warning) entries. */
  readonly warnings: readonly string[]
  /** Names of the headers above whose value could not be read (malformed, or repeated where one value is allowed). */
  readonly unparsable: readonly string[]
}

/** Splits a header value at commas outside quoted strings and `<…>` (repeated headers arrive joined by ", "). */
export function splitList (value: string): string[] {
  const items: string[] = []
  let current = ''
  let quoted = false
  let bracketed = false
  for (let i = 0; i < value.length; i++) {
    const char = value[i] as string
    if (quoted && char === '\\') {
      current += char + (value[i + 1] ?? '')
      i++
      continue
    }
    if (char === '"' && !bracketed) quoted = !quoted
    else if (char === '<' && !quoted) bracketed = true
    else if (char === '>' && !quoted) bracketed = false
    if (char === ',' && !quoted && !bracketed) {
      items.push(current.trim())
      current = ''
    } else {
      current += char
    }
  }
  items.push(current.trim())
  return items
}

const VERSION = /^\d{4}-\d{2}-\d{2}$/
// An RFC 9651 Date item: seconds since the epoch. Fifteen digits reach far past any real date.
const STRUCTURED_DATE = /^@(-?\d{1,15})$/
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const IMF_FIXDATE = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/
const LINK = /^<([^>]*)>\s*((?:;\s*[^;]*)*)$/
const WARNING = /^(\d{3}) (\S+) "((?:[^"\\]|\\.)*)"(?: "[^"]*")?$/

/** An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form RFC 9110 lets a sender generate. */
export function parseHttpDate (value: string): Date | null {
  const match = IMF_FIXDATE.exec(value)
  if (match === null) return null
  const [, day, date, month, year, hours, minutes, seconds] = match as unknown as string[]
  const time = Date.UTC(Number(year), MONTHS.indexOf(month as string), Number(date), Number(hours), Number(minutes), Number(seconds))
  const parsed = new Date(time)
  // Date.UTC rolls 31 Feb over into March; a date that does not read back the same is not a date.
  if (parsed.getUTCDate() !== Number(date) || parsed.getUTCHours() !== Number(hours) || parsed.getUTCMinutes() !== Number(minutes) ||
    parsed.getUTCSeconds() !== Number(seconds) || DAYS[parsed.getUTCDay()] !== day) return null
  return parsed
}

type Relation = keyof VersionLinks
const RELATIONS: Record<string, Relation> = { 'successor-version': 'successorVersion', deprecation: 'deprecation', sunset: 'sunset' }

function relationsOf (params: string): string[] | null {
  let rels: string[] = []
  for (const param of params.split(';').map(p => p.trim()).filter(p => p !== '')) {
    const match = /^([\w*-]+)\s*=\s*(?:"([^"]*)"|([^\s"]+))$/.exec(param)
    if (match === null) return null
    if ((match[1] as string).toLowerCase() === 'rel') rels = (match[2] ?? match[3] as string).toLowerCase().split(/\s+/)
  }
  return rels
}

/** Reads the version headers of `headers`; `versionHeader` is the name of the version header. */
export function readVersionHeaders (headers: Headers, versionHeader: string): VersionHeaders {
  const unparsable: string[] = []
  const read = <T>(name: string, parse: (value: string) => T | null): T | null => {
    const value = headers.get(name)
    if (value === null) return null
    const parsed = parse(value.trim())
    if (parsed === null) unparsable.push(name)
    return parsed
  }

  const served = read(versionHeader, value => VERSION.test(value) ? value : null)
  const deprecation = read<Date | true>('Deprecation', value => {
    if (value === 'true') return true
    const match = STRUCTURED_DATE.exec(value)
    const date = match === null ? null : new Date(Number(match[1]) * 1000)
    return date === null || Number.isNaN(date.getTime()) ? null : date
  })
  const sunset = read('Sunset', parseHttpDate)

  const links: Record<Relation, string | null> = { successorVersion: null, deprecation: null, sunset: null }
  read('Link', value => {
    let valid = true
    for (const element of splitList(value)) {
      const match = LINK.exec(element)
      const rels = match === null ? null : relationsOf(match[2] as string)
      if (match === null || rels === null) {
        valid = false
        continue
      }
      for (const rel of rels) {
        const relation = RELATIONS[rel]
        if (relation !== undefined && links[relation] === null) links[relation] = match[1] as string
      }
    }
    return valid ? true : null
  })

  const warnings: string[] = []
  read('Warning', value => {
    let valid = true
    for (const element of splitList(value)) {
      const match = WARNING.exec(element)
      if (match === null) valid = false
      else if (match[1] === '299') warnings.push((match[3] as string).replace(/\\(.)/g, '$1'))
    }
    return valid ? true : null
  })

  return {
    served,
    deprecated: deprecation !== null,
    deprecation: deprecation instanceof Date ? deprecation : null,
    sunset,
    links,
    warnings,
    unparsable
  }
}
