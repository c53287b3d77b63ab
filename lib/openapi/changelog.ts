import type { ApiVersionInfo } from '../api-versions.js'
import type { ContractChange } from '../contract/change.js'
import type { OpenApiDocument } from '../openapi-document.js'
import type { VersionStatus } from '../timeline.js'
import { changeMarkdown, counts } from './change-text.js'

/**
 * The changelog of the documentation routes: per version, the changes declared with it and the
 * changes the classifier finds between the previous version's OpenAPI document and its own, so a
 * changelog lists what changed even where nobody wrote it down.
 */

export interface ContractChanges {
  /** The version compared with; null for the oldest version listed, which has nothing to compare with. */
  readonly from: string | null
  readonly changes: readonly ContractChange[]
}

export interface ChangelogEntry {
  readonly version: string
  readonly status: VersionStatus
  /** The changes declared with the version (`changes` in its declaration). */
  readonly changes: readonly string[]
  readonly contract: ContractChanges
}

/** Compares two versions' documents; the caller caches, since documents do not change once built. */
export type ContractDiff = (from: string, to: string) => Promise<ContractChange[]>

/**
 * The classifier's changes from `before` to `after`. The classifier belongs to the contract tools, a
 * layer above the documents: it is loaded on the first changelog built, so an application that
 * never asks for one never loads it.
 */
export async function contractChanges (before: OpenApiDocument, after: OpenApiDocument): Promise<ContractChange[]> {
  // Under tsx, `import()` is compiled with a branch for CommonJS modules that the suite's ESM modules never take.
  /* c8 ignore next */
  const { classifyChanges } = await import('../contract/classify.js')
  return classifyChanges(before, after)
}

/** The entries of `versions` (oldest first), newest first, each compared with the version listed before it. */
export async function buildChangelog (versions: readonly ApiVersionInfo[], diff: ContractDiff): Promise<ChangelogEntry[]> {
  const entries = await Promise.all(versions.map(async ({ version, status, changes }, index) => {
    const from = index === 0 ? null : versions[index - 1]!.version
    return { version, status, changes, contract: { from, changes: from === null ? [] : await diff(from, version) } }
  }))
  return entries.reverse()
}

const LEVEL_ORDER = { breaking: 0, warning: 1, compatible: 2 }

/** Breaking changes first: the reader of a changelog looks for what needs work. */
export function byLevel (changes: readonly ContractChange[]): ContractChange[] {
  return [...changes].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level])
}

/** The heading of an entry's contract changes, or null for the oldest version. */
export function contractSummary ({ from, changes }: ContractChanges): string | null {
  if (from === null) return null
  return changes.length === 0 ? `No change to the contract since ${from}.` : `Contract changes since ${from}: ${counts(changes)}.`
}

export function changelogMarkdown (entries: readonly ChangelogEntry[]): string {
  const sections = entries.map(entry => {
    const declared = entry.changes.length === 0 ? ['No changes listed.'] : entry.changes.map(change => `- ${change}`)
    const summary = contractSummary(entry.contract)
    const contract = summary === null
      ? []
      : ['', summary, ...(entry.contract.changes.length === 0 ? [] : ['', ...byLevel(entry.contract.changes).map(c => `- **${c.level}** ${changeMarkdown(c)}`)])]
    return [`## ${entry.version} (${entry.status})`, '', ...declared, ...contract, ''].join('\n')
  })
  return ['# Changelog\n', ...sections].join('\n')
}
