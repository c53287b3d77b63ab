import type { IncomingMessage } from 'node:http'
import { configError } from './errors.js'
import { byVersion, floorIndex } from './floor.js'
import { requestHeader } from './request-header.js'
import { PENDING } from './settle.js'
import type { Resolution, VersionResolver } from './version-resolver.js'

/**
 * The find-my-way constraint strategy: derives a request's Resolution from its version header, once,
 * and picks among a route's handlers the one with the greatest version ≤ the resolved version.
 */

/**
 * The resolution waits for the route's hooks on the Node request, under a symbol of its
 * registration: routing runs before Fastify's Request exists, and nothing after routing derives it
 * again. The slot is written on every request, with or without a pin, so that Node's HTTP code sees
 * one shape of request (docs/design.md §7).
 */
export type RoutedRequest = IncomingMessage & Record<symbol, Resolution | undefined>

/** Reads what a registration's strategy derived for a request. */
export type ResolutionOf = (request: IncomingMessage) => Resolution

/** The constraint name users write on their routes. */
export const CONSTRAINT = 'apiVersion'

const RETIRED = ' retired'

/** The constraint value the router stores for a handler at `version` (a tombstone when `retired`). */
export function constraintValue (version: string, retired: boolean): string {
  return retired ? version + RETIRED : version
}

interface Entry {
  readonly version: string
  readonly mask: number
  readonly retired: boolean
}

const versionOf = (entry: Entry): string => entry.version
const oldestFirst = byVersion(versionOf)

/**
 * The handlers of one method and path, by version. find-my-way builds it with get/set of the
 * routes' constraint values, then asks it with derived Resolutions for a bitmask of handlers.
 */
class VersionedHandlers {
  private readonly byValue = new Map<string, number>()
  private entries: Entry[] = []
  private readonly byServed = new Map<string, number>()
  private newest = 0
  private first = 0
  /** Whether a handler without this constraint (a version-neutral one) shares the method and path. */
  private shared = false
  /** The last resolution asked for and its mask: requests mostly resolve alike. */
  private lastAsked: Resolution | undefined
  private lastMask = 0

  get (value: string | Resolution): number | undefined {
    if (typeof value === 'string') return this.byValue.get(value)
    if (value === this.lastAsked) return this.lastMask
    const mask = this.maskOf(value)
    this.lastAsked = value
    this.lastMask = mask
    return mask
  }

  private maskOf (value: Resolution): number {
    // A refusal still lands on one of the route's handlers, so that its hooks raise the error in
    // the route's scope (its error handler, its headers).
    if (value.kind === 'refuse' || value.kind === 'fail') return this.newest
    const served = value.version.version
    let mask = this.byServed.get(served)
    if (mask === undefined) {
      mask = this.floor(served)
      this.byServed.set(served, mask)
    }
    return mask
  }

  set (value: string, mask: number): void {
    this.byValue.set(value, mask)
    const retired = value.endsWith(RETIRED)
    const version = retired ? value.slice(0, -RETIRED.length) : value
    this.entries = [...this.entries.filter(e => e.version !== version), { version, mask, retired }]
      .sort(oldestFirst)
    this.byServed.clear()
    this.lastAsked = undefined
    // A route whose only handler is a tombstone never existed for any client: 404, like any unknown route.
    this.newest = this.entries.findLast(e => !e.retired)?.mask ?? 0
    this.first = this.entries.find(e => !e.retired)?.mask ?? 0
    // find-my-way numbers a path's handlers fewest constraints first and gives this store only its
    // own: a bit missing below one of them is a handler this constraint does not apply to.
    const ours = this.entries.reduce((bits, e) => bits | e.mask, 0)
    this.shared = (ours & (ours + 1)) !== 0
  }

  /**
   * Mask of the handler with the greatest version ≤ `served`. Where there is none (the route did
   * not exist yet, or is retired), the route's first handler or its tombstone, whose hooks answer
   * that the route is not in that version; or no match (0) where a version-neutral handler of the
   * same path serves those versions.
   */
  private floor (served: string): number {
    if (this.newest === 0) return 0
    const found = this.entries[floorIndex(this.entries, versionOf, served)]
    if (found !== undefined && !found.retired) return found.mask
    if (this.shared) return 0
    return found?.mask ?? this.first
  }
}

export interface VersionStrategy {
  name: string
  /** What this strategy derived for a request, for the route's hooks. */
  resolutionOf: ResolutionOf
  storage: () => VersionedHandlers
  validate?: (value: unknown) => void
  deriveConstraint: (req: RoutedRequest, ctx?: unknown, done?: (err: Error | null, value?: Resolution) => void) => Resolution | undefined
  mustMatchWhenDerived: false
}

/**
 * One strategy per plugin registration (a scope): its name is private, since the router's strategies
 * are global and each registration resolves with its own header and timeline. With a default-version
 * function the strategy is asynchronous (find-my-way's callback form), so a pin may be looked up.
 */
const newStore = (): VersionedHandlers => new VersionedHandlers()

export function createVersionStrategy (name: string, headerKey: string, resolver: VersionResolver, asynchronous: boolean): VersionStrategy {
  const slot = Symbol(name)
  const base = {
    name,
    resolutionOf: (request: IncomingMessage) => (request as RoutedRequest)[slot] as Resolution,
    storage: newStore,
    mustMatchWhenDerived: false as const
  }
  if (!asynchronous) {
    return {
      ...base,
      deriveConstraint (req: RoutedRequest) {
        // No default-version function and no pins: the answer always comes at once.
        const resolution = resolver.resolve(requestHeader(req, headerKey), req) as Resolution
        req[slot] = resolution
        return resolution
      }
    }
  }
  return {
    ...base,
    // find-my-way tells the two forms apart by the number of declared parameters.
    deriveConstraint (req: RoutedRequest, _ctx?: unknown, done?: (err: Error | null, value?: Resolution) => void) {
      const answer = done as (err: null, value: Resolution) => void
      const value = requestHeader(req, headerKey)
      // With the header, the answer comes at once: no closure for a late one.
      const resolution = value === undefined
        ? resolver.resolve(value, req, resolved => {
          req[slot] = resolved
          answer(null, resolved)
        })
        : resolver.resolve(value, req)
      if (resolution !== PENDING) {
        req[slot] = resolution
        answer(null, resolution)
      }
      return undefined
    }
  }
}

/**
 * Registered once per router under the public name: a route that uses `apiVersion` outside a scope
 * where the plugin is registered fails at start-up with this message instead of find-my-way's.
 */
export function createGuardStrategy (): Omit<VersionStrategy, 'resolutionOf'> {
  return {
    name: CONSTRAINT,
    storage: newStore,
    validate () {
      throw configError(`a route uses the ${CONSTRAINT} constraint outside the scope where fastify-date-versioning is registered. Register the plugin in that scope or a parent scope before declaring the route.`)
    },
    // Never called: validate() keeps every route from using this strategy.
    /* c8 ignore next */
    deriveConstraint: () => undefined,
    mustMatchWhenDerived: false
  }
}
