import { byVersion, floorIndex } from '../floor.js'

/**
 * Which handler serves which version, for documentation. Pure (no Fastify): the rule is the router's
 * (the handler with the greatest version ≤ the version serves; a retired handler serves nothing),
 * applied to the routes the plugin saw.
 */

/** A route as the plugin saw it at start-up, one record per method. */
export interface RouteRecord {
  readonly method: string
  readonly url: string
  /** The `apiVersion` constraint, or `null` for a version-neutral route. */
  readonly version: string | null
  readonly retired: boolean
  readonly schema: Readonly<Record<string, unknown>> | undefined
  /** The shared schemas (`addSchema`) of the scope the route was declared in, which its `$ref`s may name. */
  readonly sharedSchemas: () => Readonly<Record<string, unknown>>
  /** Method, path and the route's other constraints: the handlers of one key compete by version. */
  readonly key: string
  /**
   * Where version changes concern the route: its schema in a version (derived from the one declared),
   * or `null` where a change says the endpoint does not exist in that version.
   */
  readonly schemaIn?: ((version: string) => { readonly schema: Readonly<Record<string, unknown>> | undefined, readonly since: string } | null) | undefined
}

const versionOf = (route: RouteRecord): string => route.version as string
const oldestFirst = byVersion(versionOf)

/** The routes serving `version`: every neutral route and, per key, its greatest handler ≤ `version` unless retired. */
export function routesServing (routes: readonly RouteRecord[], version: string): RouteRecord[] {
  const byKey = new Map<string, RouteRecord[]>()
  for (const route of routes) {
    if (route.version !== null) byKey.set(route.key, [...(byKey.get(route.key) ?? []), route])
  }
  const serving = new Set<RouteRecord>()
  for (const handlers of byKey.values()) {
    const sorted = handlers.sort(oldestFirst)
    const chosen = sorted[floorIndex(sorted, versionOf, version)]
    if (chosen !== undefined && !chosen.retired) serving.add(chosen)
  }
  // Registration order, as the application declared its routes.
  return routes.filter(route => route.version === null || serving.has(route)).flatMap(route => {
    if (route.schemaIn === undefined) return [route]
    // The route's version is the one in which it took the shape this version serves.
    const shape = route.schemaIn(version)
    return shape === null ? [] : [{ ...route, schema: shape.schema, version: shape.since }]
  })
}
