import { visitor, type Path } from './locate.js'
import type { MigratingResponse, VersionChange } from './version-change.js'

/**
 * The response migrations of one version of a handler, put together at start-up into one function.
 * Migrations keyed by schema that follow each other in the timeline and reach the same place in
 * the body run together, object by object: a list of 100 objects that 19 changes touch is walked
 * once, not 19 times. Each object still sees its migrations newest first; a migration keyed by
 * schema is given its own object only, so nothing can tell the difference. A migration keyed by
 * route sees the whole response, between the others, in its change's place. Pure: no Fastify here.
 */

/** One migration in a version's plan, newest change first. */
export type ResponseUnit =
  | {
    readonly change: VersionChange
    readonly errors: boolean
    /** The status key (as declared in the route's schema) of the response it applies to. */
    readonly status: string
    readonly path: Path
    readonly migrate: (value: object) => void
  }
  | {
    readonly change: VersionChange
    readonly errors: boolean
    readonly status?: undefined
    readonly migrate: (response: MigratingResponse) => void
  }

/** A migration that threw, with the change it belongs to: the caller names it. */
export class MigrationFailure {
  constructor (readonly change: VersionChange, readonly cause: unknown) {}
}

interface Segment {
  /** The changes of its first and last migrations. */
  readonly first: VersionChange
  readonly last: VersionChange
  /** Whether it runs on error responses (statuses from 400). */
  readonly errors: boolean
  /** A migration keyed by route: it may change the status, and so which migrations follow. */
  readonly route: boolean
  readonly run: (response: MigratingResponse) => void
}

/** Where a path leads, as a key; none for a path through an anyOf/oneOf branch, whose test may differ from change to change. */
function placeOf (path: Path): string | undefined {
  let key = ''
  for (const step of path) {
    if (step.kind === 'branch') return undefined
    key += step.kind === 'items' ? '[]' : `.${JSON.stringify(step.name)}`
  }
  return key
}

function routeSegment (change: VersionChange, errors: boolean, migrate: (response: MigratingResponse) => void): Segment {
  return {
    first: change,
    last: change,
    errors,
    route: true,
    run (response) {
      try {
        migrate(response)
      } catch (cause) {
        throw new MigrationFailure(change, cause)
      }
    }
  }
}

function schemaSegment (path: Path, errors: boolean, migrations: ReadonlyArray<{ change: VersionChange, migrate: (value: object) => void }>): Segment {
  let at = 0
  const visit = visitor(path, value => {
    for (at = 0; at < migrations.length; at++) (migrations[at] as { migrate: (value: object) => void }).migrate(value)
  })
  return {
    first: (migrations[0] as { change: VersionChange }).change,
    last: (migrations.at(-1) as { change: VersionChange }).change,
    errors,
    route: false,
    run (response) {
      try {
        visit(response.body)
      } catch (cause) {
        throw new MigrationFailure((migrations[at] as { change: VersionChange }).change, cause)
      }
    }
  }
}

/**
 * The function that runs `units` on a response, or undefined when there are none. `keyOf` names the
 * status key of a status code. It throws a MigrationFailure.
 */
export function responseRun (units: readonly ResponseUnit[], keyOf: (status: number) => string | undefined): ((response: MigratingResponse) => void) | undefined {
  if (units.length === 0) return undefined
  // One segment per route migration, shared by the lists of every status: after one that changed
  // the status, the run goes on in the new status's list from the same place.
  const routes = new Map(units.map(unit => [unit, unit.status === undefined ? routeSegment(unit.change, unit.errors, unit.migrate) : undefined]))
  const listOf = (status: string | undefined): Segment[] => {
    const list: Segment[] = []
    let group: { place: string | undefined, path: Path, errors: boolean, migrations: Array<{ change: VersionChange, migrate: (value: object) => void }> } | undefined
    const close = (): void => {
      if (group !== undefined) list.push(schemaSegment(group.path, group.errors, group.migrations))
      group = undefined
    }
    for (const unit of units) {
      if (unit.status === undefined) {
        close()
        list.push(routes.get(unit) as Segment)
        continue
      }
      if (unit.status !== status) continue
      const place = placeOf(unit.path)
      if (group === undefined || place === undefined || group.place !== place || group.errors !== unit.errors) {
        close()
        group = { place, path: unit.path, errors: unit.errors, migrations: [] }
      }
      group.migrations.push({ change: unit.change, migrate: unit.migrate })
    }
    close()
    return list
  }
  const lists = new Map([...new Set(units.map(unit => unit.status))].map(status => [status, listOf(status)]))
  const others = lists.get(undefined) ?? listOf(undefined)
  return response => {
    let key = keyOf(response.statusCode)
    let list = lists.get(key) ?? others
    // Whether the response is an error is decided as each change begins: a route migration that
    // makes it one does not stop the next migrations of its own change.
    let isError = response.statusCode >= 400
    let previous: Segment | undefined
    for (let i = 0; i < list.length; i++) {
      const segment = list[i] as Segment
      if (previous?.route === true && segment.first !== previous.last) isError = response.statusCode >= 400
      previous = segment
      if (isError && !segment.errors) continue
      segment.run(response)
      if (!segment.route) continue
      const next = keyOf(response.statusCode)
      if (next === key) continue
      key = next
      list = lists.get(key) ?? others
      i = list.indexOf(segment)
    }
  }
}
