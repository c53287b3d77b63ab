import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import t from 'tap'
import { classifyChanges, type ContractChange } from '../lib/contract/classify.js'
import { schemaRules, structuralRules } from '../lib/contract/rules.js'
import { placements, placeSchema, placeStructural, schemaExamples, schemaProperty, structuralExamples } from './contract-corpus/rule-examples.js'
import { currentReference, renderRuleReference, ruleReferenceFile } from './contract-corpus/rule-reference.js'

// The rule reference of docs/contract-rules.md shows one example per rule; each is classified
// here, so a row cannot claim a rule or a level the classifier does not give. The expected levels are the
// examples' own literals (rule-examples.ts, each with its source), never lib/contract/rules.ts:
// a level changed in the code fails here.

/** A finding without its message, which is checked apart. */
function finding ({ message, ...rest }: ContractChange) {
  return rest
}

function byIdAndPointer (a: { id: string, pointer: string }, b: { id: string, pointer: string }): number {
  return (a.id + a.pointer).localeCompare(b.id + b.pointer)
}

function duplicates (names: readonly string[]): string[] {
  return names.filter((name, index) => names.indexOf(name) !== index)
}

t.test('every example names its source: an oasdiff check with its default level, or a seed', async t => {
  const sources = [...structuralExamples.map(example => [example.id, example.source]), ...schemaExamples.flatMap(example => [
    [`request-property-${example.suffix}`, example.request.source], [`response-property-${example.suffix}`, example.response.source]
  ])]
  const unsourced = sources.filter(([, source]) => !/oasdiff\b.* [a-z]+-[a-z-]+\b.*\b(error|warning|info)\b|no oasdiff check/.test(source!))
  t.same(unsourced, [], `${sources.length} levels, each with its source`)
})

t.test('every rule has exactly one example, and every example a rule', async t => {
  const ids = structuralExamples.map(example => example.id)
  t.same(duplicates(ids), [], 'no structural rule has two examples')
  t.same(Object.keys(structuralRules).filter(id => !ids.includes(id as never)), [], 'every structural rule has an example')
  t.same(ids.filter(id => !Object.hasOwn(structuralRules, id)), [], 'no example names an unknown structural rule')
  const suffixes = schemaExamples.map(example => example.suffix)
  t.same(duplicates(suffixes), [], 'no schema rule has two examples')
  t.same(Object.keys(schemaRules).filter(suffix => !suffixes.includes(suffix as never)), [], 'every schema rule has an example')
  t.same(suffixes.filter(suffix => !Object.hasOwn(schemaRules, suffix)), [], 'no example names an unknown schema rule')
})

t.test('each structural example gives its rule, at the level written with its source, and nothing else', async t => {
  for (const example of structuralExamples) {
    const where = placements[example.where]
    const changes = classifyChanges(placeStructural(example.where, example.before), placeStructural(example.where, example.after))
    const scope = { ...(where.method === undefined ? {} : { method: where.method }), ...(where.path === undefined ? {} : { path: where.path }), location: where.location }
    const expected = [
      { id: example.id, level: example.level, ...scope, pointer: example.pointer ?? where.pointer },
      ...(example.also ?? []).map(other => ({ ...other, ...scope }))
    ]
    t.same(changes.map(finding).sort(byIdAndPointer), expected.sort(byIdAndPointer), `${example.id}: ${example.level} (${example.source})`)
    for (const change of changes) t.match(change.message, /\S: \S/, `${example.id}: ${change.id} has a message`)
  }
})

t.test('each schema example gives its rule as a request property and as a response property, at the levels written with their sources', async t => {
  for (const example of schemaExamples) {
    for (const side of ['request', 'response'] as const) {
      const changes = classifyChanges(placeSchema(side, example.before), placeSchema(side, example.after))
      t.same(changes.map(finding), [{
        id: `${side}-property-${example.suffix}`,
        level: example[side].level,
        method: 'POST',
        path: '/moves',
        location: side === 'request' ? 'request.body' : 'response.201.body',
        pointer: `/${schemaProperty}`
      }], `${example.suffix} in a ${side}: ${example[side].level} (${example[side].source})`)
      t.match(changes[0]?.message, new RegExp(`/${schemaProperty}: ${schemaRules[example.suffix].text}`), `${example.suffix} in a ${side}: message`)
    }
  }
})

// The validator checks the document's structure, not the JSON Schemas in it.
t.test('every structural example sits in a valid OpenAPI 3.1 document', async t => {
  const documents = new Set(structuralExamples.flatMap(example => [example.before, example.after].map(fragment => JSON.stringify(placeStructural(example.where, fragment)))))
  const invalid: string[] = []
  // One at a time: each validation compiles the OpenAPI schema anew.
  for (const document of documents) {
    await SwaggerParser.validate(JSON.parse(document)).catch((error: Error) => invalid.push(`${document}: ${error.message}`))
  }
  t.same(invalid, [], `${documents.size} documents`)
})

/** The cells of a Markdown table row, split on the `|` that are not escaped, unescaped. */
function cells (line: string): string[] {
  return line.slice(2, -2).split(/ (?<!\\)\| /).map(cell => cell.replaceAll('\\|', '|'))
}

/** The value of a cell that shows one: a JSON code span, or — for absent. */
function value (cell: string): unknown {
  return cell === '—' ? undefined : JSON.parse(cell.replace(/^`|`$/g, ''))
}

t.test('the tables show every rule, its levels and its example as they are in the code', async t => {
  const lines = renderRuleReference().split('\n')
  const rows = lines.filter(line => line.startsWith('| `')).map(cells)
  t.ok(rows.every(row => row.length === 5), 'every row has five cells: no unescaped | inside a value')
  t.ok(renderRuleReference().includes('\\|'), 'some value has a | to escape')
  const structural = rows.slice(0, structuralExamples.length)
  t.same(structural.map(row => row[0]), Object.keys(structuralRules).map(id => `\`${id}\``), 'structural rules, in the order of rules.ts')
  for (const row of structural) {
    const example = structuralExamples.find(candidate => `\`${candidate.id}\`` === row[0])!
    t.same([row[1], row[2], value(row[3]!), value(row[4]!)], [example.level, placements[example.where].label, example.before, example.after], example.id)
  }
  const schema = rows.slice(structuralExamples.length)
  t.same(schema.map(row => row[0]), Object.keys(schemaRules).map(suffix => `\`${suffix}\``), 'schema rules, in the order of rules.ts')
  for (const row of schema) {
    const example = schemaExamples.find(candidate => `\`${candidate.suffix}\`` === row[0])!
    t.same([row[1], row[2], value(row[3]!), value(row[4]!)], [example.request.level, example.response.level, example.before, example.after], example.suffix)
  }
})

t.test('docs/contract-rules.md shows the rule reference as rendered from the examples', async t => {
  const shown = currentReference(readFileSync(ruleReferenceFile, 'utf8'))
  t.not(shown, undefined, 'docs/contract-rules.md has the lines <!-- rules:start --> and <!-- rules:end -->')
  t.equal(shown, renderRuleReference(), 'docs/contract-rules.md is out of date with the rules and their examples: run `npm run docs:rules`')
})
