// The classifier reads documents it did not write: snapshots edited by hand, documents from other
// tools. Random documents, well-formed and not, must give findings from the rule table, never an
// exception other than the catalogued "too recursive" one, never a hang, and a document compared
// with itself must give nothing.
//
// Replay a failure with FC_SEED=<seed> npx tap test/contract-fuzz.test.ts (FC_RUNS=<n> for more runs).

import fc from 'fast-check'
import t from 'tap'
import { classifyChanges } from '../lib/contract/index.js'
import { schemaRules, structuralRules, type ChangeLevel, type Side } from '../lib/contract/rules.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 0x7fffffff)
const numRuns = Number(process.env.FC_RUNS ?? 300)

/** Any JSON value, small: what a hand-edited file may hold where a schema or a list is expected. */
const junk = fc.jsonValue({ maxDepth: 2 })

const refs = ['#/components/schemas/A', '#/components/schemas/B', '#/components/schemas/Missing', '#/paths', 'https://example.com/x.json', '#/components/schemas/A/properties/self']

/** Schemas from the keywords the classifier reads, with values of the right type or not. */
const schema: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>(tie => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ $ref: fc.constantFrom(...refs) }),
    fc.record({
      type: fc.oneof(fc.constantFrom('string', 'integer', 'number', 'object', 'array', 'boolean', 'null'), fc.constant(['string', 'null']), junk),
      nullable: fc.boolean(),
      format: fc.oneof(fc.constantFrom('date', 'date-time', 'email'), junk),
      maxLength: fc.oneof(fc.integer({ min: -1, max: 50 }), junk),
      minimum: fc.oneof(fc.double(), junk),
      exclusiveMaximum: fc.oneof(fc.boolean(), fc.integer()),
      multipleOf: fc.oneof(fc.double({ min: -2, max: 10 }), fc.constant(0), junk),
      uniqueItems: fc.oneof(fc.boolean(), junk),
      pattern: fc.oneof(fc.constantFrom('^a$', '^b$'), junk),
      enum: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), junk),
      const: junk,
      default: junk,
      required: fc.oneof(fc.array(fc.constantFrom('a', 'b', 'c')), junk),
      properties: fc.oneof(fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'), tie('schema'), { maxKeys: 3 }), junk),
      items: tie('schema'),
      additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
      allOf: fc.oneof(fc.array(tie('schema'), { maxLength: 2 }), junk),
      oneOf: fc.oneof(fc.array(tie('schema'), { maxLength: 3 }), junk),
      anyOf: fc.array(tie('schema'), { maxLength: 3 }),
      readOnly: fc.boolean(),
      writeOnly: fc.boolean()
    }, { requiredKeys: [] }),
    junk
  )
})).schema

const content = fc.oneof(fc.record({ 'application/json': fc.record({ schema }, { requiredKeys: [] }) }, { requiredKeys: [] }), junk)

const parameter = fc.oneof(
  fc.record({
    name: fc.oneof(fc.constantFrom('limit', 'Api-Version', 'id'), junk),
    in: fc.oneof(fc.constantFrom('query', 'header', 'path', 'cookie'), junk),
    required: fc.oneof(fc.boolean(), junk),
    schema
  }, { requiredKeys: [] }),
  fc.record({ $ref: fc.constantFrom('#/components/parameters/P', '#/nowhere') }),
  junk
)

const operation = fc.oneof(
  fc.record({
    deprecated: fc.boolean(),
    parameters: fc.oneof(fc.array(parameter, { maxLength: 3 }), junk),
    requestBody: fc.oneof(fc.record({ required: fc.boolean(), content }, { requiredKeys: [] }), junk),
    responses: fc.oneof(fc.dictionary(fc.constantFrom('200', '201', '404', 'default', '2XX'), fc.oneof(
      fc.record({ content, headers: fc.oneof(fc.dictionary(fc.constantFrom('Location', 'X-Rate'), fc.record({ required: fc.boolean(), schema }, { requiredKeys: [] }), { maxKeys: 2 }), junk) }, { requiredKeys: [] }),
      fc.record({ $ref: fc.constantFrom('#/components/responses/R', '#/x') }),
      junk
    ), { maxKeys: 3 }), junk),
    security: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('bearer', 'oauth'), fc.oneof(fc.array(fc.constantFrom('read', 'write')), junk), { maxKeys: 2 }), { maxLength: 2 }), junk)
  }, { requiredKeys: [] }),
  junk
)

const document = fc.record({
  openapi: fc.constantFrom('3.0.3', '3.1.0'),
  paths: fc.oneof(fc.dictionary(fc.constantFrom('/moves', '/moves/{id}', '/moves/{moveId}', '/x'), fc.oneof(
    fc.record({ get: operation, post: operation, delete: operation, parameters: fc.oneof(fc.array(parameter, { maxLength: 2 }), junk) }, { requiredKeys: [] }),
    junk
  ), { maxKeys: 3 }), junk),
  components: fc.oneof(fc.record({
    schemas: fc.oneof(fc.record({ A: schema, B: schema }, { requiredKeys: [] }), junk),
    parameters: fc.record({ P: parameter }, { requiredKeys: [] }),
    responses: fc.record({ R: fc.oneof(fc.record({ content }), junk) }, { requiredKeys: [] }),
    securitySchemes: fc.oneof(fc.dictionary(fc.constantFrom('bearer', 'oauth'), fc.oneof(fc.record({ type: fc.constantFrom('http', 'oauth2', 'apiKey') }), junk), { maxKeys: 2 }), junk)
  }, { requiredKeys: [] }), junk),
  security: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('bearer', 'oauth'), fc.array(fc.constantFrom('read', 'write')), { maxKeys: 2 }), { maxLength: 2 }), junk)
}, { requiredKeys: ['openapi'] })

const subjects: ReadonlyArray<readonly [string, Side]> = [
  ['request-body', 'request'], ['request-property', 'request'], ['request-parameter', 'request'],
  ['response-body', 'response'], ['response-property', 'response'], ['response-header', 'response']
]

/** The level the rule table gives an id, or undefined for an id it does not know. */
function levelOf (id: string): ChangeLevel | undefined {
  if (id in structuralRules) return structuralRules[id as keyof typeof structuralRules]
  for (const [subject, side] of subjects) {
    const suffix = id.slice(subject.length + 1)
    if (id.startsWith(subject + '-') && suffix in schemaRules) return schemaRules[suffix as keyof typeof schemaRules][side]
  }
  return undefined
}

/** Findings from the rule table, none for a document compared with itself, the same on a second run. */
function check (a: unknown, b: unknown): number {
  const changes = classifyChanges(a as Record<string, unknown>, b as Record<string, unknown>)
  for (const change of changes) {
    const level = levelOf(change.id)
    if (level === undefined) throw new Error(`unknown rule ${change.id}`)
    if (change.level !== level) throw new Error(`${change.id} has level ${change.level}, the table says ${level}`)
    if (typeof change.message !== 'string' || !change.message.startsWith(change.location)) throw new Error(`${change.id}: message ${change.message}`)
  }
  for (const same of [a, b]) {
    const self = classifyChanges(same as Record<string, unknown>, structuredClone(same) as Record<string, unknown>)
    if (self.length > 0) throw new Error(`a document compared with itself gave ${self.map(c => c.id).join(', ')}`)
  }
  // The order of the findings depends on their content only.
  const again = classifyChanges(structuredClone(a) as Record<string, unknown>, structuredClone(b) as Record<string, unknown>)
  if (JSON.stringify(again) !== JSON.stringify(changes)) throw new Error('two runs gave different findings')
  return changes.length
}

t.test('random documents: findings from the rule table, no error but the catalogued one, no hang; a document compared with itself: nothing', async t => {
  t.comment(`fast-check seed ${seed} (replay: FC_SEED=${seed} npx tap test/contract-fuzz.test.ts)`)
  let findings = 0
  let documents = 0
  let tooRecursive = 0
  fc.assert(fc.property(document, document, (a, b) => {
    documents += 2
    try {
      findings += check(a, b)
    } catch (error) {
      // The one error the classifier may raise: schemas including one another in exponentially many ways.
      if ((error as { code?: string }).code !== 'ERR_API_VERSION_CONTRACT') throw error
      tooRecursive++
    }
  }), { seed, numRuns })
  t.ok(findings > numRuns, `${findings} findings over ${documents} documents (${tooRecursive} pairs too recursive to compare)`)
})
