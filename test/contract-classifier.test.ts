import t from 'tap'
import { classifyChanges, type ContractChange } from '../lib/contract/classify.js'
import { ApiVersionContractError } from '../lib/index.js'
import { schemaRules, structuralRules } from '../lib/contract/rules.js'
import { corpus, movesContract } from './contract-corpus/cases.js'

// The corpus: each pair of contracts gives exactly the findings it is labelled with, in order.

/** A finding as the corpus writes it: `level id METHOD path location pointer`. */
function line (change: ContractChange): string {
  return [change.level, change.id, change.method ?? '-', change.path ?? '-', change.location, change.pointer].join(' ').trimEnd()
}

function pair (before: ((document: Record<string, any>) => void) | undefined, after: (document: Record<string, any>) => void) {
  const a = movesContract()
  before?.(a)
  const b = structuredClone(a)
  after(b)
  return { a, b }
}

t.test('corpus', async t => {
  t.ok(corpus.length >= 60, `${corpus.length} pairs`)
  for (const entry of corpus) {
    const { a, b } = pair(entry.before, entry.after)
    const changes = classifyChanges(a, b)
    t.same(changes.map(line), entry.expect, `${entry.name} (${entry.source})`)
    for (const change of changes) t.match(change.message, /\S: \S/, `${entry.name}: ${change.id} has a message`)
  }
})

t.test('the corpus labels every rule of the table, a schema rule both in a request and in a response', async t => {
  const labelled = new Set(corpus.flatMap(entry => entry.expect.map(finding => finding.split(' ')[1])))
  t.same(Object.keys(structuralRules).filter(id => !labelled.has(id)), [], 'every structural rule')
  const subjects = { request: ['request-body', 'request-property', 'request-parameter'], response: ['response-body', 'response-property', 'response-header'] }
  for (const side of ['request', 'response'] as const) {
    const missing = Object.keys(schemaRules).filter(suffix => !subjects[side].some(subject => labelled.has(`${subject}-${suffix}`)))
    t.same(missing, [], `every schema rule in a ${side}`)
  }
})

t.test('a contract compared with itself has no changes', async t => {
  t.same(classifyChanges(movesContract(), movesContract()), [])
})

t.test('the findings are the same whatever the order of the documents', async t => {
  const { a, b } = pair(undefined, d => {
    delete d.paths['/moves/{id}']
    d.components.schemas.MoveInput.properties.reason = { type: 'string' }
  })
  const reversed = structuredClone(b)
  reversed.paths = Object.fromEntries(Object.entries(reversed.paths).reverse())
  t.same(classifyChanges(a, reversed), classifyChanges(a, b))
})

t.test('messages say where and what', async t => {
  const { a, b } = pair(undefined, d => {
    d.components.schemas.MoveInput.properties.from.maxLength = 20
    d.paths['/moves'].get.parameters[0].required = true
  })
  t.same(classifyChanges(a, b).map(change => change.message), [
    'request.query /status: parameter became required',
    'request.body /from: maxLength decreased (from 50 to 20)'
  ])
})

// Edges of the schema reader, on a one-operation contract: `before` and `after` are the request
// body schema and the response body schema of `POST /x`.

function contract (request: unknown, response: unknown, components: Record<string, unknown> = {}) {
  return {
    openapi: '3.1.0',
    paths: {
      '/x': {
        post: {
          requestBody: { content: { 'application/json': { schema: request } } },
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: response } } } }
        }
      }
    },
    components: { schemas: components }
  }
}

/** Findings, as corpus lines without the operation, for one schema change on both sides. */
function both (before: unknown, after: unknown, components?: Record<string, unknown>) {
  return classifyChanges(contract(before, before, components), contract(after, after, components))
    .map(change => `${change.level} ${change.id} ${change.location} ${change.pointer}`.trimEnd())
}

t.test('a type declared where there was none narrows; removed, it widens', async t => {
  t.same(both({}, { type: 'string' }), [
    'breaking request-body-type-specialized request.body',
    'compatible response-body-type-specialized response.200.body'
  ])
  t.same(both({ type: 'string' }, {}), [
    'compatible request-body-type-generalized request.body',
    'breaking response-body-type-generalized response.200.body'
  ])
})

t.test('items declared where there were none are compared with any value', async t => {
  t.same(both({ type: 'array' }, { type: 'array', items: { type: 'string' } }), [
    'breaking request-property-type-specialized request.body /*',
    'compatible response-property-type-specialized response.200.body /*'
  ])
  t.same(both({ type: 'array', items: { type: 'string' } }, { type: 'array' }), [
    'compatible request-property-type-generalized request.body /*',
    'breaking response-property-type-generalized response.200.body /*'
  ])
})

t.test('additional properties: a schema where any was allowed, and back', async t => {
  t.same(both({ type: 'object' }, { type: 'object', additionalProperties: { type: 'integer' } }), [
    'breaking request-property-type-specialized request.body /*',
    'compatible response-property-type-specialized response.200.body /*'
  ])
  t.same(both({ type: 'object', additionalProperties: { type: 'integer' } }, { type: 'object', additionalProperties: true }), [
    'compatible request-property-type-generalized request.body /*',
    'breaking response-property-type-generalized response.200.body /*'
  ])
})

t.test('a value wrapped into, or unwrapped from, alternatives of another type changes type', async t => {
  const variants = { oneOf: [{ type: 'string' }, { type: 'integer' }] }
  t.same(both({ type: 'boolean' }, variants), [
    'breaking request-body-type-changed request.body',
    'breaking response-body-type-changed response.200.body'
  ])
  t.same(both({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'boolean' }), [
    'breaking request-body-type-changed request.body',
    'breaking response-body-type-changed response.200.body'
  ])
  t.match(classifyChanges(contract({ type: 'boolean' }, {}), contract(variants, {}))[0]?.message, /to one-of/)
})

t.test('alternatives are matched by $ref, title or type, whatever their order', async t => {
  const before = { oneOf: [{ title: 'Court', type: 'object' }, { type: 'string' }, { $ref: '#/components/schemas/Prison' }] }
  const after = { oneOf: [{ $ref: '#/components/schemas/Prison' }, { type: 'string', maxLength: 3 }, { title: 'Court', type: 'object' }] }
  t.same(both(before, after, { Prison: { type: 'object' } }), [
    'breaking request-body-max-length-set request.body',
    'compatible response-body-max-length-set response.200.body'
  ])
  const a = { type: 'object', properties: { a: { type: 'string' } } }
  t.same(both({ oneOf: [{ type: 'object' }, { ...a, required: ['a'] }, {}] }, { oneOf: [{ type: 'object' }, a, {}] }), [
    'compatible request-property-became-optional request.body /a',
    'breaking response-property-became-optional response.200.body /a'
  ], 'alternatives of the same type are told apart by position')
})

t.test('allOf branches are merged into the schema they describe together', async t => {
  const flat = {
    type: 'object',
    required: ['a', 'b'],
    properties: { a: { type: 'string', maxLength: 3 }, b: { type: 'array', items: { type: 'integer', minimum: 0 } } },
    additionalProperties: { type: 'string' }
  }
  const merged = {
    type: 'object',
    allOf: [
      { type: 'object', required: ['a'], properties: { a: { type: 'string' } }, additionalProperties: true },
      { required: ['b'], properties: { a: { maxLength: 3 }, b: { items: { type: 'integer' } } }, additionalProperties: { type: 'string' } },
      { properties: { b: { type: 'array', items: { minimum: 0 } } } },
      { properties: { b: { description: 'Counts' } } }
    ]
  }
  t.same(both(flat, merged), [])
  t.same(both({ type: 'object' }, { allOf: [{ type: 'object' }, { additionalProperties: false }] }), [
    'breaking request-body-additional-properties-disallowed request.body',
    'compatible response-body-additional-properties-disallowed response.200.body'
  ])
  t.same(both({ type: ['string', 'null'] }, { allOf: [{ type: ['string', 'null'] }, { nullable: true }] }), [], 'null passes when every branch admits it')
  t.same(both({ type: ['string', 'null'] }, { allOf: [{ type: ['string', 'null'] }, { type: 'string' }] }), [
    'breaking request-body-became-not-nullable request.body',
    'compatible response-body-became-not-nullable response.200.body'
  ])
})

t.test('null alternatives', async t => {
  t.same(both({ oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] }, { oneOf: [{ type: 'string' }, { type: 'integer' }] }), [
    'breaking request-body-became-not-nullable request.body',
    'compatible response-body-became-not-nullable response.200.body'
  ])
  t.same(both({ type: ['null'] }, { type: 'null' }), [], 'a schema that only admits null')
})

t.test('malformed parts of a document are read as empty, not thrown on', async t => {
  t.same(both({ $ref: '#/nowhere/at/all' }, {}), [], 'a $ref to nothing')
  t.same(both({ $ref: '#/components/schemas/Loop' }, {}, { Loop: { $ref: '#/components/schemas/Loop' } }), [], 'a $ref to itself')
  t.same(both({ type: 'object', properties: { a: true } }, { type: 'object', properties: { a: {} } }), [], 'a property schema that is not an object')
  t.same(both({ oneOf: [null, { type: 'string' }] }, { oneOf: [{}, { type: 'string' }] }), [], 'an alternative that is not an object')
  const withItem = (item: unknown) => ({ paths: { '/x': item } })
  t.same(classifyChanges(withItem(null), withItem({ get: { responses: {} } })).map(change => change.id), ['endpoint-added'])
  const withHeader = (parameter: unknown, security: unknown) => ({ paths: { '/x': { get: { parameters: [parameter], security } } } })
  t.same(classifyChanges(
    withHeader({ name: 'X-A', in: 'header' }, [{ bearer: null }, null]),
    withHeader({ name: 'x-a', in: 'header', content: { 'text/plain': null } }, [{ bearer: [] }, {}])
  ), [], 'a parameter without schema, a requirement without scope list')
})

// Found by test/contract-fuzz.test.ts: documents a hand edit or another tool may produce.

t.test('a schema that names itself in allOf or in a nullable oneOf is read without recursing forever', async t => {
  const selfAllOf = (maxLength: number) => ({ Node: { type: 'string', maxLength, allOf: [{ $ref: '#/components/schemas/Node' }] } })
  t.same(both({ $ref: '#/components/schemas/Node' }, { $ref: '#/components/schemas/Node' }, selfAllOf(5)), [], 'unchanged')
  t.same(classifyChanges(contract({ $ref: '#/components/schemas/Node' }, {}, selfAllOf(5)), contract({ $ref: '#/components/schemas/Node' }, {}, selfAllOf(3)))
    .map(change => change.id), ['request-body-max-length-decreased'], 'a change inside it is still found')
  const selfNullable = { Node: { oneOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] } }
  t.same(both({ $ref: '#/components/schemas/Node' }, { $ref: '#/components/schemas/Node' }, selfNullable), [])
})

t.test('keywords holding something other than their type compare by value', async t => {
  t.same(both({ allOf: [{ pattern: {} }] }, { allOf: [{ pattern: {} }] }), [], 'an object pattern equal to itself')
  t.same(both({ minimum: Number.NaN, multipleOf: Number.NaN }, { minimum: Number.NaN, multipleOf: Number.NaN }), [], 'NaN bounds nothing, and equals itself here')
  t.same(both({ pattern: { a: 1 } }, { pattern: { a: 2 } }), [
    'warning request-body-pattern-changed request.body',
    'warning response-body-pattern-changed response.200.body'
  ])
})

t.test('any value, or a missing schema, compared with alternatives: they narrow it, and dropping them widens', async t => {
  const alternatives = { oneOf: [{ type: 'string' }, { type: 'integer' }] }
  for (const any of [undefined, {}]) {
    t.same(both(any, alternatives), [
      'breaking request-body-type-specialized request.body',
      'compatible response-body-type-specialized response.200.body'
    ])
    t.same(both(alternatives, any), [
      'compatible request-body-type-generalized request.body',
      'breaking response-body-type-generalized response.200.body'
    ])
  }
})

t.test('schemas that include one another in exponentially many ways stop the comparison with an error, not a hang', async t => {
  // S0 has two properties of type S1, S1 two of type S2…: 2^19 paths through 20 small schemas.
  const document = () => {
    const schemas: Record<string, unknown> = { S19: { type: 'string' } }
    for (let i = 0; i < 19; i++) {
      const next = { $ref: `#/components/schemas/S${i + 1}` }
      schemas[`S${i}`] = { type: 'object', properties: { a: next, b: next } }
    }
    return contract({ $ref: '#/components/schemas/S0' }, {}, schemas)
  }
  let error: unknown
  try { classifyChanges(document(), document()) } catch (thrown) { error = thrown }
  t.ok(error instanceof ApiVersionContractError, 'the catalogued error')
  t.match(error, {
    code: 'ERR_API_VERSION_CONTRACT',
    message: /^fastify-date-versioning: the contracts are too recursive to compare: over 250000 steps, the last at request\.body \/[ab/]+\. Schemas that include one another .* simplify them\.$/
  })
})

t.test('a schema whose allOf branches each name it again is compared down to where it repeats, quickly', async t => {
  // Each branch has its own `$ref` objects, as JSON parsing gives them: merged, they must not nest deeper at every visit.
  const node = (maxLength: number) => {
    const self = () => ({ $ref: '#/components/schemas/Node' })
    return { Node: { allOf: [{ properties: { x: self(), y: self() } }, { properties: { x: self(), y: self() }, maxLength }] } }
  }
  const findings = classifyChanges(contract({ $ref: '#/components/schemas/Node' }, {}, node(1)), contract({ $ref: '#/components/schemas/Node' }, {}, node(2)))
  t.same(findings.map(change => `${change.id} ${change.pointer}`), [
    'request-body-max-length-increased ',
    'request-property-max-length-increased /x',
    // The merged schemas of x and y are schemas of their own: each is compared until it repeats.
    'request-property-max-length-increased /x/y',
    'request-property-max-length-increased /y',
    'request-property-max-length-increased /y/x'
  ])
})

t.test('merged schemas that merge one another again at every level stop with the error, not a hang', async t => {
  // A's items are A's and B's items merged; B's items are A: every level builds a new merged schema, and each costs the two before it.
  const schemas = {
    A: { allOf: [{ items: { $ref: '#/components/schemas/A' } }, { items: { $ref: '#/components/schemas/B' } }] },
    B: { items: { $ref: '#/components/schemas/A' } }
  }
  const document = () => contract({ $ref: '#/components/schemas/A' }, {}, structuredClone(schemas))
  t.throws(() => classifyChanges(document(), document()), { code: 'ERR_API_VERSION_CONTRACT', message: /too recursive to compare: over 250000 steps, the last at request\.body \/\*/ })
})

t.test('a security scheme named "" next to the empty requirement {} is not a crash', async t => {
  const before = { openapi: '3.0.3', paths: { '/x': { delete: { security: [{}] } } } }
  const after = { openapi: '3.0.3', paths: { '/x': { delete: {} } }, security: [{ '': ['read'] }] }
  t.same(classifyChanges(before, after).map(change => change.id), ['api-security-scope-added'])
})

t.test('schemas are compared at most 64 levels deep', async t => {
  // S0.next is S1, S1.next is S2… down to S70.
  const chain = (maxLengthAt?: number) => {
    const schemas: Record<string, Record<string, unknown>> = { S70: { type: 'string' } }
    for (let i = 0; i < 70; i++) schemas[`S${i}`] = { type: 'object', properties: { next: { $ref: `#/components/schemas/S${i + 1}` } } }
    if (maxLengthAt !== undefined) schemas[`S${maxLengthAt}`]!.maxLength = 5
    return contract({ $ref: '#/components/schemas/S0' }, {}, schemas)
  }
  t.same(classifyChanges(chain(), chain(10)).map(change => `${change.id} ${change.pointer}`), [`request-property-max-length-set ${'/next'.repeat(10)}`])
  t.same(classifyChanges(chain(), chain(69)), [], 'a change 69 levels down is below the limit')
})

t.test('names are read as the document\'s own: a security scheme or a media type called "__proto__" is compared like any other', async t => {
  const parse = (text: string) => JSON.parse(text) as Record<string, unknown>
  const before = parse('{ "openapi": "3.0.3", "components": { "securitySchemes": { "__proto__": { "type": "http", "scheme": "basic" } } } }')
  const after = { openapi: '3.0.3', components: { securitySchemes: {} } }
  t.same(classifyChanges(before, after).map(change => change.id), ['api-security-component-removed'])
  t.same(classifyChanges(before, structuredClone(before)), [], 'a document compared with its copy: nothing')
  const body = (content: string) => parse(`{ "openapi": "3.0.3", "paths": { "/x": { "get": { "responses": { "200": { "description": "ok", "content": ${content} } } } } } }`)
  t.same(classifyChanges(body('{ "__proto__": { "schema": { "type": "string" } } }'), body('{}')).map(change => change.id), ['response-media-type-removed'])
})
