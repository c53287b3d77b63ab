import { changeMarkdown, counts, operationOf } from '../openapi/change-text.js'
import type { ContractChange } from './change.js'
import type { CheckResult, ContractCheck, DiffResult, SnapshotResult } from './snapshots.js'
import { CHANGE_LEVELS as levels } from '../util.js'

/**
 * The reports of the contract guard, in three formats: `text` for a terminal or a CI log, `json`
 * for tools, `markdown` for a pull-request comment or a changelog.
 */

export type ReportFormat = 'text' | 'json' | 'markdown'

export const reportFormats: readonly ReportFormat[] = ['text', 'json', 'markdown']

function json (value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/** What one version's check says, in a few words. */
function verdict (check: ContractCheck, allowNew: boolean): string {
  const written = check.written ? ' (snapshot written)' : ''
  switch (check.outcome) {
    case 'unchanged': return 'unchanged'
    case 'changed': return `changed: ${counts(check.changes)}${written}`
    case 'breaking': return `BREAKING: ${counts(check.changes)}`
    case 'missing':
      if (check.written || allowNew) return `no snapshot${check.written ? written : ' (accepted by --allow-new)'}`
      return 'NO SNAPSHOT: released, but its contract is not frozen'
    case 'skipped': return `skipped (${String(check.status)})`
    case 'undeclared': return 'BREAKING: snapshot of a version the application no longer declares'
  }
}

const FREEZE = 'freeze them with `fastify-date-versioning contract snapshot` (or `contract check --update`) and commit the files'

function summary (result: CheckResult): string {
  const failing = result.versions.filter(v => v.outcome === 'breaking' || v.outcome === 'undeclared').length
  const missing = result.versions.filter(v => v.outcome === 'missing' && !v.written).length
  const hints = [
    failing > 0 ? `${failing} version(s) break their released contract: serve the change from a new version instead.` : 'No breaking change.',
    missing === 0
      ? ''
      : result.allowNew
        ? `${missing} released version(s) have no snapshot, accepted by --allow-new: ${FREEZE}.`
        : `${missing} released version(s) have no snapshot, so nothing guards their contract: ${FREEZE}, or pass --allow-new to accept them unfrozen.`
  ]
  return hints.filter(Boolean).join(' ')
}

function changeLine (change: ContractChange): string {
  return `${change.level.padEnd(10)} ${change.id}: ${[operationOf(change), change.message].filter(Boolean).join(' ')}`
}

export function formatSnapshot (result: SnapshotResult, format: ReportFormat): string {
  if (format === 'json') return json(result)
  if (format === 'markdown') {
    return [`# Contract snapshots in \`${result.dir}\``, '', '| version | file | outcome |', '|---|---|---|',
      ...result.versions.map(v => `| ${v.version} | \`${v.file}\` | ${v.outcome} |`), ''].join('\n')
  }
  const lines = result.versions.map(v => `  ${v.version}  ${v.outcome}  ${v.file}`)
  return [`Contract snapshots in ${result.dir}: ${result.versions.length} released version(s)`, ...lines, ''].join('\n')
}

export function formatCheck (result: CheckResult, format: ReportFormat): string {
  if (format === 'json') return json(result)
  if (format === 'markdown') {
    const table = ['| version | status | result |', '|---|---|---|',
      ...result.versions.map(v => `| ${v.version} | ${v.status ?? 'undeclared'} | ${verdict(v, result.allowNew)} |`)]
    const details = result.versions.filter(v => v.changes.length > 0).flatMap(v => [
      '', `## ${v.version}`, '', ...v.changes.map(c => `- **${c.level}** \`${c.id}\` ${operationOf(c) === '' ? '' : `\`${operationOf(c)}\` `}${c.message}`)
    ])
    return [`# Contract check: ${result.ok ? 'passed' : 'failed'}`, '', ...table, ...details, '', summary(result), ''].join('\n')
  }
  const lines = result.versions.flatMap(v => [`  ${v.version}  ${verdict(v, result.allowNew)}`, ...v.changes.map(c => `      ${changeLine(c)}`)])
  return [`Contract check against ${result.dir}: ${result.ok ? 'passed' : 'FAILED'}`, ...lines, summary(result), ''].join('\n')
}

export function formatDiff (result: DiffResult, format: ReportFormat): string {
  if (format === 'json') return json(result)
  const title = `Changes from ${result.from} to ${result.to}`
  if (format === 'markdown') {
    const sections = levels.map(level => [level, result.changes.filter(c => c.level === level)] as const)
      .filter(([, changes]) => changes.length > 0)
      .flatMap(([level, changes]) => ['', `### ${level.charAt(0).toUpperCase()}${level.slice(1)}`, '',
        ...changes.map(c => `- ${changeMarkdown(c)}`)])
    return [`## ${title}`, ...(sections.length === 0 ? ['', 'No change to the contract.'] : sections), ''].join('\n')
  }
  return [`${title}: ${counts(result.changes)}`, ...result.changes.map(c => `  ${changeLine(c)}`), ''].join('\n')
}
