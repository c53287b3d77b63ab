/**
 * Small helpers shared across the package, written once: every layer (timeline, plugin glue,
 * documents, contract tools) may import them; this module imports nothing.
 */

/** A plain object (not null, not an array): what JSON objects and option bags are. */
export function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The operations of an OpenAPI path item, in the order the specification lists them. */
export const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/** Levels of a contract change, most severe first: the order reports and changelogs list them in (sort by index). */
export const CHANGE_LEVELS = ['breaking', 'warning', 'compatible'] as const
