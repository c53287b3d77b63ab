import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { schemaRules, structuralRules } from '../../lib/contract/rules.js'
import { placements, schemaExamples, structuralExamples } from './rule-examples.js'

/**
 * Renders the rule reference of docs/contract-rules.md from lib/contract/rules.ts and the examples
 * in rule-examples.ts, which the test suite classifies; `--write` puts it between the markers of
 * docs/contract-rules.md (`npm run docs:rules`).
 */

export const ruleReferenceFile = fileURLToPath(new URL('../../docs/contract-rules.md', import.meta.url))
export const startMarker = '<!-- rules:start -->'
export const endMarker = '<!-- rules:end -->'

/** A value as compact JSON in a code span; `|` is escaped so that it does not end the table cell. */
function code (value: unknown): string {
  return value === undefined ? '—' : '`' + JSON.stringify(value).replaceAll('|', '\\|') + '`'
}

function row (cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

function table (head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)]
}

function structuralTable (): string[] {
  return table(['Rule', 'Level', 'Where', 'Before', 'After'], Object.entries(structuralRules).map(([id, level]) => {
    const example = structuralExamples.find(candidate => candidate.id === id)
    if (example === undefined) throw new Error(`no example for ${id}`)
    const also = (example.also ?? []).map(other => `<br>also \`${other.id}\` (${other.level})`).join('')
    return [`\`${id}\``, level, placements[example.where].label, code(example.before), code(example.after) + also]
  }))
}

function schemaTable (): string[] {
  return table(['Rule `<subject>-…`', 'In a request', 'In a response', 'Before', 'After'], Object.entries(schemaRules).map(([suffix, rule]) => {
    const example = schemaExamples.find(candidate => candidate.suffix === suffix)
    if (example === undefined) throw new Error(`no example for ${suffix}`)
    return [`\`${suffix}\``, rule.request, rule.response, code(example.before), code(example.after)]
  }))
}

/** The rule reference, in Markdown, without the markers; blank lines around it keep it apart from them. */
export function renderRuleReference (): string {
  return [
    '',
    'Each row is a change the classifier reports: its rule id and level, and an example of a fragment of a ' +
      'contract before and after the change (— where the fragment is absent) that the test suite classifies to ' +
      'check that it gives that rule at that level.',
    '',
    '### Shape of the API',
    '',
    ...structuralTable(),
    '',
    '### Schemas',
    '',
    'A schema change is reported as `<subject>-<rule>`, the subject being where the schema is: ' +
      '`request-body`, `request-property`, `request-parameter`, `response-body`, `response-property` or ' +
      '`response-header`. Its level depends on the side: what a client sends (a request) or reads (a response). ' +
      'Each example is the schema of one property of a body; in a request body it gives `request-property-<rule>`, ' +
      'in a response body `response-property-<rule>`.',
    '',
    ...schemaTable(),
    ''
  ].join('\n')
}

/** `text` with what lies between the markers replaced by the reference. */
export function withReference (text: string): string {
  const start = text.indexOf(startMarker + '\n')
  const end = text.indexOf('\n' + endMarker, start)
  if (start < 0 || end < 0) throw new Error(`docs/contract-rules.md must have the lines ${startMarker} and ${endMarker}, in that order`)
  return text.slice(0, start + startMarker.length + 1) + renderRuleReference() + text.slice(end)
}

/** What docs/contract-rules.md has between the markers, or undefined without them. */
export function currentReference (text: string): string | undefined {
  const start = text.indexOf(startMarker + '\n')
  const end = text.indexOf('\n' + endMarker, start)
  if (start < 0 || end < 0) return undefined
  return text.slice(start + startMarker.length + 1, end)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--write')) {
  // Read just before writing: other sections of the file may be edited meanwhile.
  writeFileSync(ruleReferenceFile, withReference(readFileSync(ruleReferenceFile, 'utf8')))
}
