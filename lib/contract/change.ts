import type { ChangeLevel } from './rules.js'

/** One difference between two contracts, as a client of the API would feel it. */
export interface ContractChange {
  /** Rule id, oasdiff's where oasdiff has one (`response-property-removed`, `new-required-request-property`, …). */
  readonly id: string
  readonly level: ChangeLevel
  /** HTTP method in upper case, for changes to one operation. */
  readonly method?: string
  /** Path template as the `before` contract spells it (the `after` one for additions). */
  readonly path?: string
  /**
   * Where the change is: `paths`, `operation`, `security`, `request.body`, `request.query`,
   * `request.header`, `request.path`, `request.cookie`, `response.<status>`,
   * `response.<status>.body`, `response.<status>.header`, `components.securitySchemes`.
   */
  readonly location: string
  /**
   * JSON Pointer into the value at `location` (the body, the parameter, the header); `*` stands for
   * any array element or additional property; empty for the value itself.
   */
  readonly pointer: string
  readonly message: string
}

/** Where findings are being collected: the operation being compared. */
export interface Scope {
  readonly method?: string
  readonly path?: string
}

/** Escapes one JSON Pointer segment (RFC 6901). */
export function pointerSegment (name: string): string {
  return '/' + name.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** The fields a finding is ordered by, in order of precedence. */
function sortKey (change: ContractChange): string {
  return [change.path ?? '', change.method ?? '', change.location, change.pointer, change.id, change.message].join('\u0000')
}

/**
 * Deterministic order: by path, method, location, pointer, then id and message. Keys are compared
 * by code unit, not localeCompare, so the order does not depend on the machine's locale.
 */
export function sortChanges (changes: ContractChange[]): ContractChange[] {
  return changes
    .map(change => ({ change, key: sortKey(change) }))
    .sort((a, b) => Number(a.key > b.key) - Number(a.key < b.key))
    .map(({ change }) => change)
}
