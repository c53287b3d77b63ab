import type { RouteRecord } from './openapi/served-routes.js'

/**
 * An application's own @fastify/swagger keeps one operation per method and path, so of a versioned
 * route it documents only the handler declared last, without a word. The plugin cannot tell it
 * otherwise; it says so at start-up, with the fix.
 */

/** Routes with several versioned handlers, as `GET /moves (2022-05-18, 2024-03-01)`. */
function versionedRoutes (routes: readonly RouteRecord[]): string[] {
  const versions = new Map<string, string[]>()
  for (const route of routes) {
    if (route.version === null || route.method === 'HEAD') continue
    const key = `${route.method} ${route.url}`
    versions.set(key, [...(versions.get(key) ?? []), route.version])
  }
  return [...versions].filter(([, list]) => list.length > 1).map(([key, list]) => `${key} (${[...new Set(list)].sort().join(', ')})`)
}

/** The warning to log when the application registers @fastify/swagger itself, or `undefined`. */
export function ownSwaggerWarning (routes: readonly RouteRecord[], docsPrefix: string | undefined): string | undefined {
  const affected = versionedRoutes(routes)
  if (affected.length === 0) return undefined
  const shown = affected.slice(0, 3).join('; ') + (affected.length > 3 ? `; and ${affected.length - 3} more` : '')
  const docs = docsPrefix === undefined
    ? 'the plugin\'s docs option (one OpenAPI document per version)'
    : `the plugin's documents at ${docsPrefix}/<version>/openapi.json`
  return `fastify-date-versioning: the application's own @fastify/swagger documents one handler per method and path, the one declared last, so it misses versions of ${shown}. Use ${docs} or apiVersions.document(version) instead, and hide versioned routes from your @fastify/swagger (schema: { hide: true }) or remove it.`
}
