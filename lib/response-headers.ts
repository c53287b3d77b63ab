import { configError } from './errors.js'
import type { TimelineSnapshot, TimelineVersion, VersionStatus } from './timeline.js'

/**
 * The response headers that describe a version: served version, deprecation (RFC 9745), sunset
 * (RFC 8594), links and the optional reporting headers. Formatted once per version and timeline
 * snapshot, never per request: ResponseHeaders keeps them per snapshot.
 */

/**
 * A link target: a URL where `{version}` is replaced, or a function of that version returning the
 * URL (or `undefined` for no link). The version is the successor for `successorVersion`, and the
 * served version for `deprecation` and `sunset`.
 */
export type LinkTarget = string | ((version: string) => string | undefined)

export interface LinkOptions {
  /** `Link: <…>; rel="successor-version"`, sent while the version has a successor. */
  successorVersion?: LinkTarget
  /** `Link: <…>; rel="deprecation"`: where the deprecation is documented. */
  deprecation?: LinkTarget
  /** `Link: <…>; rel="sunset"`: where the sunset is documented. */
  sunset?: LinkTarget
}

export interface HeaderSettings {
  /** The version header's name as configured (named so in `Vary`; Node sends header names in lower case). */
  readonly header: string
  readonly deprecationHeader: 'date' | 'boolean'
  readonly links: LinkOptions
  readonly warning: boolean
  readonly reportVersions: boolean
}

type Relation = keyof LinkOptions

/** Each configured relation's link for each version, as a ready `Link` header element. */
export type LinkTable = Readonly<Record<Relation, ReadonlyMap<string, string>>>

/**
 * Computes every link once, at registration: a link function that throws then fails the start-up
 * with its name, instead of failing requests.
 */
export function linkTable (links: LinkOptions, versions: readonly string[]): LinkTable {
  const urls = (relation: Relation, rel: string): Map<string, string> => {
    const target = links[relation]
    const byVersion = new Map<string, string>()
    for (const version of target === undefined ? [] : versions) {
      let url
      try {
        url = typeof target === 'function' ? target(version) : (target as string).replaceAll('{version}', version)
      } catch (error) {
        throw configError(`links.${relation} threw for version ${version}: ${(error as Error).message}. Make it return a URL, or undefined for no link.`)
      }
      if (url !== undefined) byVersion.set(version, `<${url}>; rel="${rel}"`)
    }
    return byVersion
  }
  return { successorVersion: urls('successorVersion', 'successor-version'), deprecation: urls('deprecation', 'deprecation'), sunset: urls('sunset', 'sunset') }
}

function link (links: LinkTable, relation: Relation, version: TimelineVersion | undefined): string | undefined {
  return version === undefined ? undefined : links[relation].get(version.version)
}

/**
 * Headers sent with every response served by (or resolved to) `version` while `snapshot` holds;
 * `reporting` is the snapshot's reportingHeaders().
 */
export function versionHeaders (version: TimelineVersion, status: VersionStatus, snapshot: TimelineSnapshot, settings: HeaderSettings, links: LinkTable, reporting: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = { [settings.header]: version.version }
  const deprecatedNow = status === 'deprecated' || status === 'sunset'
  const elements: Array<string | undefined> = []
  if (settings.deprecationHeader === 'boolean' ? deprecatedNow : version.deprecatedAt !== undefined) {
    // RFC 9745: a structured Date, which may announce a deprecation still to come.
    headers.Deprecation = settings.deprecationHeader === 'boolean' ? 'true' : `@${Math.floor((version.deprecatedAt as number) / 1000)}`
    elements.push(link(links, 'deprecation', version))
  }
  if (version.sunsetAt !== undefined) {
    headers.Sunset = new Date(version.sunsetAt).toUTCString()
    elements.push(link(links, 'sunset', version))
  }
  if (headers.Deprecation !== undefined || headers.Sunset !== undefined) {
    elements.unshift(link(links, 'successorVersion', snapshot.successors[version.index]))
    const value = elements.filter(l => l !== undefined).join(', ')
    if (value !== '') headers.Link = value
  }
  if (settings.warning && deprecatedNow) {
    const until = version.sunsetAt === undefined ? '' : ` and will stop being served on ${new Date(version.sunsetAt).toUTCString()}`
    headers.Warning = `299 - "API version ${version.version} is deprecated${until}"`
  }
  return Object.assign(headers, reporting)
}

/** `Api-Supported-Versions` / `Api-Deprecated-Versions`, as ASP.NET API Versioning reports them. */
export function reportingHeaders (snapshot: TimelineSnapshot, settings: HeaderSettings): Record<string, string> {
  const headers: Record<string, string> = {}
  if (!settings.reportVersions) return headers
  if (snapshot.supported.length > 0) headers['Api-Supported-Versions'] = snapshot.supported.join(', ')
  if (snapshot.deprecated.length > 0) headers['Api-Deprecated-Versions'] = snapshot.deprecated.join(', ')
  return headers
}

/** The headers of a version, in the forms the route's hooks use them. */
export interface VersionHeaderSet {
  /** By their names as configured and as the RFCs spell them: the names CORS exposes. */
  readonly named: Readonly<Record<string, string>>
  /**
   * The same as a flat list of names and values (`[name, value, name, value, …]`), under the
   * lower-case names Fastify stores them by, and `Vary` naming the version header: written to a
   * reply that has no Vary yet. A list rather than an object, since `reply.headers()` would read
   * each of a few differently shaped objects by key, a megamorphic load per header (and a mixed-case
   * name costs each reply.header() call a new string).
   */
  readonly withVary: readonly string[]
  /** The same without Vary, for a reply whose Vary is merged with ours. */
  readonly withoutVary: readonly string[]
}

const flatLowerCased = (headers: Readonly<Record<string, string>>): string[] =>
  Object.entries(headers).flatMap(([name, value]) => [name.toLowerCase(), value])

/**
 * The headers of each version for the snapshot a request was resolved in, formatted on first use
 * and kept until a request of another snapshot asks (the clock crossed a status change).
 */
export class ResponseHeaders {
  private readonly settings: HeaderSettings
  private readonly links: LinkTable
  private snapshot: TimelineSnapshot | undefined
  private reporting: Readonly<Record<string, string>> = {}
  private readonly byVersion = new Map<TimelineVersion, VersionHeaderSet>()

  /** Computes every link now, so that a link function that throws fails the registration. */
  constructor (settings: HeaderSettings, versions: readonly string[]) {
    this.settings = settings
    this.links = linkTable(settings.links, versions)
  }

  /** The headers of `version` as `snapshot` describes it. */
  of (version: TimelineVersion, snapshot: TimelineSnapshot): VersionHeaderSet {
    if (snapshot !== this.snapshot) {
      this.snapshot = snapshot
      this.reporting = reportingHeaders(snapshot, this.settings)
      this.byVersion.clear()
    }
    let set = this.byVersion.get(version)
    if (set === undefined) {
      const status = snapshot.statuses[version.index] as VersionStatus
      const named = versionHeaders(version, status, snapshot, this.settings, this.links, this.reporting)
      const withoutVary = flatLowerCased(named)
      set = Object.freeze({
        named: Object.freeze(named),
        withVary: Object.freeze([...withoutVary, 'vary', this.settings.header]),
        withoutVary: Object.freeze(withoutVary)
      })
      this.byVersion.set(version, set)
    }
    return set
  }
}
