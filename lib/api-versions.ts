import type { ChangeRegistry } from './changes/registry.js'
import { usageError, type ApiVersionErrorCode } from './errors.js'
import type { OpenApiDocument } from './openapi-document.js'
import type { TimelineVersion, VersionStatus } from './timeline.js'
import type { VersionResolver } from './version-resolver.js'
import type { ApiUsage } from './usage/usage.js'

/**
 * `fastify.apiVersions`: the timeline as the application sees it now, for docs, health pages and
 * tooling. Every read reflects the clock at the time of the read.
 */

/** A declared version and its lifecycle now. */
export interface ApiVersionInfo {
  readonly version: string
  readonly status: VersionStatus
  readonly changes: readonly string[]
  /** Deprecation instant (ISO 8601), if any. */
  readonly deprecated: string | null
  /** Sunset instant (ISO 8601), if any. */
  readonly sunset: string | null
  /** The next version that is released now, if any. */
  readonly successor: string | null
}

/** What a request sending `date` in the version header would get now. */
export type ApiVersionResolution =
  | { readonly outcome: 'serve', readonly version: ApiVersionInfo }
  /** Served only where the preview's feature flag is on. */
  | { readonly outcome: 'preview', readonly version: ApiVersionInfo }
  | { readonly outcome: 'error', readonly code: ApiVersionErrorCode, readonly version: ApiVersionInfo | null }

/** Builds the OpenAPI document of a declared version from the registration's routes. */
export type DocumentBuilder = (version: string) => Promise<OpenApiDocument>

const isoOrNull = (instant: number | undefined): string | null => instant === undefined ? null : new Date(instant).toISOString()

export class ApiVersions {
  readonly #resolver: VersionResolver
  readonly #document: DocumentBuilder
  readonly #header: string
  readonly #changes: ChangeRegistry
  readonly #usage: ApiUsage | null

  constructor (resolver: VersionResolver, document: DocumentBuilder, header: string, changes: ChangeRegistry, usage: ApiUsage | null = null) {
    this.#resolver = resolver
    this.#document = document
    this.#header = header
    this.#changes = changes
    this.#usage = usage
  }

  /** Per-client usage and pins, when the `usage` option is on; `null` otherwise. */
  get usage (): ApiUsage | null {
    return this.#usage
  }

  /**
   * `body`, an object of `schema` as the newest version has it, as clients of `version` know it:
   * the response migrations keyed by that schema (wherever it occurs in it) of every change after
   * `version`, newest first, run on a copy. For webhooks and events sent to a client pinned at an
   * older version, outside any route.
   */
  migrateResponse (schema: object, body: unknown, version: string): unknown {
    return this.#changes.migrateResponse(schema, body, version)
  }

  /** Name of the version header. */
  get header (): string {
    return this.#header
  }

  /** Every declared version with its status now, oldest first. */
  get versions (): ApiVersionInfo[] {
    return this.#resolver.timeline.versions.map(v => this.#info(v))
  }

  /** The latest released version that is not sunset (what `defaultVersion: 'latest'` serves). */
  get latest (): string | null {
    return this.#resolver.snapshot().latest?.version ?? null
  }

  /** The oldest released version that is not sunset. */
  get oldest (): string | null {
    return this.#resolver.snapshot().oldest?.version ?? null
  }

  /** The declared version named `version`, with its status now. */
  get (version: string): ApiVersionInfo | null {
    const found = this.#resolver.timeline.get(version)
    return found === undefined ? null : this.#info(found)
  }

  /** Applies the resolution table to `date` as if a request had sent it in the header. */
  resolve (date: string): ApiVersionResolution {
    const resolution = this.#resolver.resolveHeader(String(date))
    const version = resolution.version === undefined ? null : this.#info(resolution.version)
    if (resolution.kind === 'refuse') return { outcome: 'error', code: resolution.code, version }
    return { outcome: resolution.kind, version: version as ApiVersionInfo }
  }

  /**
   * The OpenAPI document of the declared version `version`, as the `docs` routes serve it but without
   * `info['x-api-lifecycle']`, which follows the clock: the contract of the version, for snapshots and
   * comparisons. Works whether or not `docs` is on; needs `@fastify/swagger`. Call it after `ready()`,
   * once every route is declared.
   */
  async document (version: string): Promise<OpenApiDocument> {
    if (this.#resolver.timeline.get(String(version)) === undefined) {
      throw usageError(`${JSON.stringify(version)} is not a declared version. Declared versions: ${this.#resolver.timeline.versions.map(v => v.version).join(', ')}.`)
    }
    const built = await this.#document(version)
    return { ...built, info: { ...built.info, version } }
  }

  #info (version: TimelineVersion): ApiVersionInfo {
    const snapshot = this.#resolver.snapshot()
    return {
      version: version.version,
      status: snapshot.statuses[version.index] as VersionStatus,
      changes: version.changes,
      deprecated: isoOrNull(version.deprecatedAt),
      sunset: isoOrNull(version.sunsetAt),
      successor: snapshot.successors[version.index]?.version ?? null
    }
  }
}
