import type { ContractChange } from '../contract/change.js'
import { CHANGE_LEVELS as levels } from '../util.js'

/**
 * Contract changes in words, as both the documentation's changelog and the contract guard's reports
 * write them, so that a change reads the same wherever a reader meets it.
 */

/** The operation a change is about, `GET /moves`, or `''` for a change outside any operation. */
export const operationOf = (change: ContractChange): string => [change.method, change.path].filter(Boolean).join(' ')

/** How many changes of each level, in a few words: `1 breaking, 2 compatible`. */
export function counts (changes: readonly ContractChange[]): string {
  const parts = levels.map(level => [level, changes.filter(c => c.level === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`)
  return parts.length === 0 ? 'no classified change' : parts.join(', ')
}

/** One change as a Markdown list item's text: where, what, and the rule to look up. */
export function changeMarkdown (change: ContractChange): string {
  return `${operationOf(change) === '' ? '' : `\`${operationOf(change)}\`: `}${change.message} (\`${change.id}\`)`
}
