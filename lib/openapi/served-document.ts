import type { ApiVersionInfo } from '../api-versions.js'
import type { OpenApiDocument } from '../openapi-document.js'
import { isObject, OPERATION_METHODS } from '../util.js'

/**
 * A version's document as the documentation routes serve it: the contract of the version (the
 * built document, as `apiVersions.document()` returns it) plus what follows the clock — the
 * lifecycle in `info['x-api-lifecycle']` and, once the version is deprecated, `deprecated: true`
 * on every operation, so that code generators and API consoles warn whoever still uses it. Neither
 * belongs in the contract: a snapshot taken today must not differ from one taken after the
 * deprecation date.
 */

/** The lifecycle of `info` as seed documents write it: dates of the version, null where none. */
function lifecycleOf (version: ApiVersionInfo): Record<string, unknown> {
  return {
    status: version.status,
    released: version.version,
    deprecated: version.deprecated,
    sunset: version.sunset,
    successor: version.successor
  }
}

/** Every operation marked deprecated; the built document is shared between requests, so it is copied, never changed. */
function deprecatedPaths (paths: NonNullable<OpenApiDocument['paths']>): OpenApiDocument['paths'] {
  return Object.fromEntries(Object.entries(paths as Record<string, Record<string, unknown>>).map(([path, item]) => {
    const marked: Record<string, unknown> = { ...item }
    for (const method of OPERATION_METHODS) {
      const operation = item[method]
      if (isObject(operation)) marked[method] = { ...operation, deprecated: true }
    }
    return [path, marked]
  }))
}

export function servedDocument (built: OpenApiDocument, version: ApiVersionInfo): OpenApiDocument {
  // A sunset version was deprecated first: its operations are, if anything, more to be avoided.
  const retiring = version.status === 'deprecated' || version.status === 'sunset'
  return {
    ...built,
    info: { ...built.info, version: version.version, 'x-api-lifecycle': lifecycleOf(version) },
    paths: retiring && built.paths !== undefined ? deprecatedPaths(built.paths) : built.paths
  }
}
