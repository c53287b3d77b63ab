/**
 * The classifier's corpus: pairs of contracts, each labelled with the findings expected, one line
 * per finding: `level id METHOD path location pointer` (`-` where a finding has no method or
 * path, pointer omitted when empty). Every pair starts from the `moves` contract below and
 * edits it; `source` names the policy rule (seed file) or the oasdiff checker id it exercises.
 */

type Json = Record<string, any>

export interface CorpusCase {
  readonly name: string
  readonly source: string
  /** Edits applied to the base contract to make `before` (none: the base itself). */
  readonly before?: (document: Json) => void
  /** Edits applied to `before` to make `after`. */
  readonly after: (document: Json) => void
  readonly expect: readonly string[]
}

const problem = { $ref: '#/components/responses/Problem' }
const json = (schema: Json) => ({ content: { 'application/json': { schema } } })

/** The contract every pair starts from: a small moves API. */
export function movesContract (): Json {
  return {
    openapi: '3.0.3',
    info: { title: 'Moves', version: '1.0.0' },
    security: [{ bearer: [] }],
    paths: {
      '/moves': {
        get: {
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['requested', 'completed'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100, default: 20 } }
          ],
          responses: {
            200: { description: 'Moves', ...json({ type: 'array', items: { $ref: '#/components/schemas/Move' } }) },
            400: problem
          }
        },
        post: {
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/MoveInput' }) },
          responses: {
            201: { description: 'Created', ...json({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }) },
            400: problem
          }
        }
      },
      '/moves/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          responses: {
            200: { description: 'A move', headers: { 'X-Rate-Limit': { schema: { type: 'integer' } } }, ...json({ $ref: '#/components/schemas/Move' }) },
            404: problem
          }
        },
        delete: { responses: { 204: { description: 'Deleted' } } }
      }
    },
    components: {
      schemas: {
        Move: {
          type: 'object',
          required: ['id', 'status', 'from'],
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['requested', 'completed'] },
            from: { $ref: '#/components/schemas/Location' },
            to: { $ref: '#/components/schemas/Location' },
            reference: { type: 'string', maxLength: 20 }
          }
        },
        Location: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, title: { type: 'string' } } },
        Address: { type: 'object', title: 'Address', properties: { line: { type: 'string' } } },
        MoveInput: {
          type: 'object',
          required: ['from'],
          properties: {
            from: { type: 'string', maxLength: 50 },
            to: { type: 'string' },
            kind: { type: 'string', enum: ['court', 'prison'] },
            priority: { type: 'integer', minimum: 1, maximum: 5, default: 3 },
            notes: { type: 'string' }
          }
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' } }
        }
      },
      responses: {
        Problem: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: { 'moves:read': 'read', 'moves:write': 'write' } } } }
      }
    }
  }
}

const schemas = (document: Json) => document.components.schemas
const input = (document: Json) => schemas(document).MoveInput
const move = (document: Json) => schemas(document).Move
const listMoves = (document: Json) => document.paths['/moves'].get
const createMove = (document: Json) => document.paths['/moves'].post
const getMove = (document: Json) => document.paths['/moves/{id}'].get

/** A change to the `Move` schema shows in both responses that use it. */
const inMove = (line: string, pointer: string) => [
  `${line} GET /moves response.200.body /*${pointer}`,
  `${line} GET /moves/{id} response.200.body ${pointer}`
]
/** A change to the `Problem` response shows in every operation that uses it. */
const inProblem = (line: string, suffix: string) => [
  `${line} GET /moves response.400${suffix}`,
  `${line} POST /moves response.400${suffix}`,
  `${line} GET /moves/{id} response.404${suffix}`
]

/**
 * A property `x` of the request body (`MoveInput`) or of the `Move` response, with one schema
 * before and another after; `finding` is the expected `level id`, written out.
 */
function schemaCase (side: 'request' | 'response', finding: string, source: string, before: Json, after: Json): CorpusCase {
  const holder = side === 'request' ? input : move
  return {
    name: `${finding.split(' ')[1]}: ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
    source,
    before: d => { holder(d).properties.x = structuredClone(before) },
    after: d => { holder(d).properties.x = structuredClone(after) },
    expect: side === 'request' ? [`${finding} POST /moves request.body /x`] : inMove(finding, '/x')
  }
}

export const corpus: readonly CorpusCase[] = [
  // Seeds: breaking changes.
  {
    name: 'endpoint removed',
    source: 'seeds 000, 004 "endpoints are removed"; oasdiff api-path-removed-without-deprecation',
    after: d => { delete d.paths['/moves/{id}'] },
    expect: ['breaking api-path-removed-without-deprecation - /moves/{id} paths']
  },
  {
    name: 'endpoint renamed',
    source: 'seed 000 "endpoints are renamed", seed 003 "changing the URI of the API"',
    after: d => { d.paths['/journeys/{id}'] = d.paths['/moves/{id}']; delete d.paths['/moves/{id}'] },
    expect: [
      'compatible endpoint-added DELETE /journeys/{id} operation',
      'compatible endpoint-added GET /journeys/{id} operation',
      'breaking api-path-removed-without-deprecation - /moves/{id} paths'
    ]
  },
  {
    name: 'endpoint removed after deprecation',
    source: 'oasdiff api-path-removed-with-deprecation',
    before: d => { getMove(d).deprecated = true; d.paths['/moves/{id}'].delete.deprecated = true },
    after: d => { delete d.paths['/moves/{id}'] },
    expect: ['warning api-path-removed-with-deprecation - /moves/{id} paths']
  },
  {
    name: 'operation removed',
    source: 'seed 004 "removing endpoints"; oasdiff api-removed-without-deprecation',
    after: d => { delete d.paths['/moves/{id}'].delete },
    expect: ['breaking api-removed-without-deprecation DELETE /moves/{id} operation']
  },
  {
    name: 'deprecated operation removed',
    source: 'oasdiff api-removed-with-deprecation',
    before: d => { d.paths['/moves/{id}'].delete.deprecated = true },
    after: d => { delete d.paths['/moves/{id}'].delete },
    expect: ['warning api-removed-with-deprecation DELETE /moves/{id} operation']
  },
  {
    name: 'success status replaced',
    source: 'oasdiff response-success-status-removed, response-success-status-added',
    after: d => { getMove(d).responses[203] = getMove(d).responses[200]; delete getMove(d).responses[200] },
    expect: [
      'breaking response-success-status-removed GET /moves/{id} response.200',
      'compatible response-success-status-added GET /moves/{id} response.203'
    ]
  },
  {
    name: 'optional response property removed',
    source: 'seed 000 "data values are removed in an endpoint\'s JSON response"; oasdiff response-optional-property-removed',
    after: d => { delete move(d).properties.reference },
    expect: inMove('breaking response-optional-property-removed', '/reference')
  },
  {
    name: 'required response property removed',
    source: 'seed 003 "removing fields from the response"; oasdiff response-required-property-removed',
    after: d => { delete move(d).properties.status; move(d).required = ['id', 'from'] },
    expect: inMove('breaking response-required-property-removed', '/status')
  },
  {
    name: 'response property renamed',
    source: 'seed 000 "data values are renamed", seed 001 "amending the name of an existing property"',
    after: d => { move(d).properties.ref = move(d).properties.reference; delete move(d).properties.reference },
    expect: [
      'compatible response-optional-property-added GET /moves response.200.body /*/ref',
      'breaking response-optional-property-removed GET /moves response.200.body /*/reference',
      'compatible response-optional-property-added GET /moves/{id} response.200.body /ref',
      'breaking response-optional-property-removed GET /moves/{id} response.200.body /reference'
    ]
  },
  {
    name: 'required response property became optional',
    source: 'seed 003 "changing a previously required response field into an optional field"; oasdiff response-property-became-optional',
    after: d => { move(d).required = ['id', 'from'] },
    expect: inMove('breaking response-property-became-optional', '/status')
  },
  {
    name: 'response property type changed',
    source: 'seed 000 "response structure is changed"; oasdiff response-property-type-changed',
    after: d => { move(d).properties.id = { type: 'integer' } },
    expect: inMove('breaking response-property-type-changed', '/id')
  },
  {
    name: 'response body type changed',
    source: 'seed 004 "modifying response structure"; oasdiff response-body-type-changed',
    after: d => { listMoves(d).responses[200].content['application/json'].schema = { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Move' } } } } },
    expect: ['breaking response-body-type-changed GET /moves response.200.body']
  },
  {
    name: 'response property moved under another',
    source: 'seed 003 "making an existing field a child of some other field"',
    after: d => { move(d).properties.meta = { type: 'object', properties: { reference: move(d).properties.reference } }; delete move(d).properties.reference },
    expect: [
      'compatible response-optional-property-added GET /moves response.200.body /*/meta',
      'breaking response-optional-property-removed GET /moves response.200.body /*/reference',
      'compatible response-optional-property-added GET /moves/{id} response.200.body /meta',
      'breaking response-optional-property-removed GET /moves/{id} response.200.body /reference'
    ]
  },
  {
    name: 'new required request property',
    source: 'seed 000 "new mandatory request properties are added"; oasdiff new-required-request-property',
    after: d => { input(d).properties.reason = { type: 'string' }; input(d).required.push('reason') },
    expect: ['breaking new-required-request-property POST /moves request.body /reason']
  },
  {
    name: 'new required query parameter',
    source: 'seed 001 "requires input previously not required"; oasdiff new-required-request-parameter',
    after: d => { listMoves(d).parameters.push({ name: 'from', in: 'query', required: true, schema: { type: 'string' } }) },
    expect: ['breaking new-required-request-parameter GET /moves request.query /from']
  },
  {
    name: 'new required header',
    source: 'seed 003 "adding header parameters, as long as they are optional"; oasdiff new-required-request-parameter',
    after: d => { d.paths['/moves/{id}'].parameters.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } }) },
    expect: [
      'breaking new-required-request-parameter DELETE /moves/{id} request.header /X-Tenant',
      'breaking new-required-request-parameter GET /moves/{id} request.header /X-Tenant'
    ]
  },
  {
    name: 'optional request property became required',
    source: 'seed 000 "existing optional request properties are changed to mandatory"; oasdiff request-property-became-required',
    after: d => { input(d).required.push('to') },
    expect: ['breaking request-property-became-required POST /moves request.body /to']
  },
  {
    name: 'optional parameter became required',
    source: 'seed 004 "changing required parameters"; oasdiff request-parameter-became-required',
    after: d => { listMoves(d).parameters[0].required = true },
    expect: ['breaking request-parameter-became-required GET /moves request.query /status']
  },
  {
    name: 'request property default changed',
    source: 'seed 000 "the defaults for existing request properties are changed"; oasdiff request-property-default-value-changed',
    after: d => { input(d).properties.priority.default = 1 },
    expect: ['breaking request-property-default-value-changed POST /moves request.body /priority']
  },
  {
    name: 'request parameter default changed',
    source: 'seed 000 "the defaults ... are changed"; oasdiff request-parameter-default-value-changed',
    after: d => { listMoves(d).parameters[1].schema.default = 50 },
    expect: ['breaking request-parameter-default-value-changed GET /moves request.query /limit']
  },
  {
    name: 'request maxLength decreased',
    source: 'oasdiff request-property-max-length-decreased',
    after: d => { input(d).properties.from.maxLength = 20 },
    expect: ['breaking request-property-max-length-decreased POST /moves request.body /from']
  },
  {
    name: 'request minimum increased',
    source: 'oasdiff request-property-min-increased',
    after: d => { input(d).properties.priority.minimum = 2 },
    expect: ['breaking request-property-min-increased POST /moves request.body /priority']
  },
  {
    name: 'request pattern added',
    source: 'oasdiff request-property-pattern-added',
    after: d => { input(d).properties.to.pattern = '^[A-Z]{3}$' },
    expect: ['breaking request-property-pattern-added POST /moves request.body /to']
  },
  {
    name: 'request property enum value removed',
    source: 'oasdiff request-property-enum-value-removed',
    after: d => { input(d).properties.kind.enum = ['court'] },
    expect: ['breaking request-property-enum-value-removed POST /moves request.body /kind']
  },
  {
    name: 'request parameter enum value removed',
    source: 'oasdiff request-parameter-enum-value-removed',
    after: d => { listMoves(d).parameters[0].schema.enum = ['requested'] },
    expect: ['breaking request-parameter-enum-value-removed GET /moves request.query /status']
  },
  {
    name: 'security scheme type changed',
    source: 'seed 004 "changing authentication methods"; oasdiff api-security-component-type-changed',
    after: d => { d.components.securitySchemes.bearer = { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    expect: ['breaking api-security-component-type-changed - - components.securitySchemes /bearer']
  },
  {
    name: 'operation authentication replaced',
    source: 'seed 004 "changing authentication methods"; oasdiff api-security-removed, api-security-added',
    after: d => { getMove(d).security = [{ oauth: ['moves:read'] }] },
    expect: [
      'breaking api-security-removed GET /moves/{id} security /bearer',
      'compatible api-security-alternative-added GET /moves/{id} security /oauth'
    ]
  },
  {
    name: 'authentication required where there was none',
    source: 'seed 004 "changing authentication methods"; oasdiff api-security-added',
    before: d => { d.paths['/moves/{id}'].delete.security = [] },
    after: d => { delete d.paths['/moves/{id}'].delete.security },
    expect: ['breaking api-security-added DELETE /moves/{id} security /bearer']
  },
  {
    name: 'oauth scope added to a requirement',
    source: 'oasdiff api-security-scope-added',
    before: d => { getMove(d).security = [{ oauth: ['moves:read'] }] },
    after: d => { getMove(d).security = [{ oauth: ['moves:read', 'moves:write'] }] },
    expect: ['breaking api-security-scope-added GET /moves/{id} security /oauth']
  },
  {
    name: 'oauth scope removed from a requirement',
    source: 'oasdiff api-security-scope-removed',
    before: d => { getMove(d).security = [{ oauth: ['moves:read', 'moves:write'] }] },
    after: d => { getMove(d).security = [{ oauth: ['moves:read'] }] },
    expect: ['compatible api-security-scope-removed GET /moves/{id} security /oauth']
  },
  {
    name: 'oauth scope removed from the scheme',
    source: 'oasdiff api-security-component-oauth-scope-removed',
    after: d => { delete d.components.securitySchemes.oauth.flows.clientCredentials.scopes['moves:write'] },
    expect: ['breaking api-security-component-oauth-scope-removed - - components.securitySchemes /oauth']
  },
  {
    name: 'security scheme removed',
    source: 'oasdiff api-security-component-removed',
    after: d => { delete d.components.securitySchemes.oauth },
    expect: ['breaking api-security-component-removed - - components.securitySchemes /oauth']
  },
  {
    name: 'error status removed',
    source: 'seed 004 "altering error codes"; oasdiff response-non-success-status-removed',
    after: d => { delete getMove(d).responses[404] },
    expect: ['breaking response-non-success-status-removed GET /moves/{id} response.404']
  },
  {
    name: 'error status added',
    source: 'seed 004 "altering error codes"; oasdiff response-non-success-status-added',
    after: d => { createMove(d).responses[409] = problem },
    expect: ['warning response-non-success-status-added POST /moves response.409']
  },
  {
    name: 'error format changed: media type',
    source: 'seed 004 "altering error formats"; oasdiff response-media-type-removed',
    after: d => { d.components.responses.Problem.content = { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    expect: [
      'compatible response-media-type-added GET /moves response.400.body',
      'breaking response-media-type-removed GET /moves response.400.body',
      'compatible response-media-type-added POST /moves response.400.body',
      'breaking response-media-type-removed POST /moves response.400.body',
      'compatible response-media-type-added GET /moves/{id} response.404.body',
      'breaking response-media-type-removed GET /moves/{id} response.404.body'
    ]
  },
  {
    name: 'error format changed: field removed',
    source: 'seed 004 "altering error formats"; oasdiff response-required-property-removed',
    after: d => { delete schemas(d).Problem.properties.title; schemas(d).Problem.required = ['type', 'status'] },
    expect: inProblem('breaking response-required-property-removed', '.body /title')
  },
  // Seeds: compatible changes.
  {
    name: 'new endpoint',
    source: 'seeds 000, 003, 004 "new endpoints"; oasdiff endpoint-added',
    after: d => { d.paths['/locations'] = { get: { responses: { 200: { description: 'Locations' } } } } },
    expect: ['compatible endpoint-added GET /locations operation']
  },
  {
    name: 'new operation',
    source: 'seed 002 "additional actions which can be taken against a given resource"; oasdiff endpoint-added',
    after: d => { d.paths['/moves/{id}'].patch = { responses: { 200: { description: 'Updated' } } } },
    expect: ['compatible endpoint-added PATCH /moves/{id} operation']
  },
  {
    name: 'new optional request property',
    source: 'seed 000 "adding optional request properties"; oasdiff new-optional-request-property',
    after: d => { input(d).properties.reason = { type: 'string' } },
    expect: ['compatible new-optional-request-property POST /moves request.body /reason']
  },
  {
    name: 'new optional filter parameter',
    source: 'seed 002 "addition of optional filter parameters"; oasdiff new-optional-request-parameter',
    after: d => { listMoves(d).parameters.push({ name: 'from', in: 'query', schema: { type: 'string' } }) },
    expect: ['compatible new-optional-request-parameter GET /moves request.query /from']
  },
  {
    name: 'new optional header',
    source: 'seed 003 "adding header parameters, as long as they are optional"; oasdiff new-optional-request-parameter',
    after: d => { listMoves(d).parameters.push({ name: 'X-Trace', in: 'header', schema: { type: 'string' } }) },
    expect: ['compatible new-optional-request-parameter GET /moves request.header /X-Trace']
  },
  {
    name: 'new response property',
    source: 'seed 000 "adding new response properties"; oasdiff response-optional-property-added',
    after: d => { move(d).properties.createdAt = { type: 'string', format: 'date-time' } },
    expect: inMove('compatible response-optional-property-added', '/createdAt')
  },
  {
    name: 'new required response property',
    source: 'seed 004 "additional response fields"; oasdiff response-required-property-added',
    after: d => { move(d).properties.createdAt = { type: 'string' }; move(d).required.push('createdAt') },
    expect: inMove('compatible response-required-property-added', '/createdAt')
  },
  {
    name: 'required request property became optional',
    source: 'seed 000 "making a mandatory request property optional"; oasdiff request-property-became-optional',
    after: d => { input(d).required = [] },
    expect: ['compatible request-property-became-optional POST /moves request.body /from']
  },
  {
    name: 'request maxLength increased',
    source: 'relaxed request constraint; oasdiff request-property-max-length-increased',
    after: d => { input(d).properties.from.maxLength = 100 },
    expect: ['compatible request-property-max-length-increased POST /moves request.body /from']
  },
  {
    name: 'request minimum removed',
    source: 'relaxed request constraint; oasdiff request-property-min-decreased',
    after: d => { delete input(d).properties.priority.minimum },
    expect: ['compatible request-property-min-unset POST /moves request.body /priority']
  },
  {
    name: 'property order changed',
    source: 'seed 002 "order of attributes within a resource"',
    after: d => { input(d).properties = Object.fromEntries(Object.entries(input(d).properties).reverse()) },
    expect: []
  },
  {
    name: 'path parameter renamed',
    source: 'clients do not see path parameter names',
    after: d => {
      d.paths['/moves/{moveId}'] = d.paths['/moves/{id}']
      delete d.paths['/moves/{id}']
      d.paths['/moves/{moveId}'].parameters[0].name = 'moveId'
    },
    expect: []
  },
  {
    name: 'descriptions changed',
    source: 'documentation is not the contract',
    after: d => { d.info.description = 'Moves of people'; input(d).properties.notes.description = 'Free text' },
    expect: []
  },
  // Direction.
  {
    name: 'response maxLength decreased',
    source: 'a constraint added to a response does not break; oasdiff response-property-max-length-increased (inverse)',
    after: d => { move(d).properties.reference.maxLength = 10 },
    expect: inMove('compatible response-property-max-length-decreased', '/reference')
  },
  {
    name: 'response maxLength increased',
    source: 'oasdiff response-property-max-length-increased',
    after: d => { move(d).properties.reference.maxLength = 40 },
    expect: inMove('warning response-property-max-length-increased', '/reference')
  },
  {
    name: 'response enum value added',
    source: 'oasdiff response-property-enum-value-added',
    after: d => { move(d).properties.status.enum.push('cancelled') },
    expect: inMove('warning response-property-enum-value-added', '/status')
  },
  {
    name: 'response enum value removed',
    source: 'oasdiff response-property-enum-value-removed',
    after: d => { move(d).properties.status.enum = ['requested'] },
    expect: inMove('compatible response-property-enum-value-removed', '/status')
  },
  {
    name: 'request enum value added',
    source: 'oasdiff request-parameter-enum-value-added',
    after: d => { listMoves(d).parameters[0].schema.enum.push('cancelled') },
    expect: ['compatible request-parameter-enum-value-added GET /moves request.query /status']
  },
  {
    name: 'response pattern added',
    source: 'oasdiff response-property-pattern-added',
    after: d => { move(d).properties.id.pattern = '^[0-9a-f]+$' },
    expect: inMove('compatible response-property-pattern-added', '/id')
  },
  {
    name: 'request pattern changed',
    source: 'oasdiff request-property-pattern-changed',
    before: d => { input(d).properties.to.pattern = '^[A-Z]+$' },
    after: d => { input(d).properties.to.pattern = '^[A-Z0-9]+$' },
    expect: ['warning request-property-pattern-changed POST /moves request.body /to']
  },
  {
    name: 'request pattern removed',
    source: 'oasdiff request-property-pattern-removed',
    before: d => { input(d).properties.to.pattern = '^[A-Z]+$' },
    after: d => { delete input(d).properties.to.pattern },
    expect: ['compatible request-property-pattern-removed POST /moves request.body /to']
  },
  {
    name: 'request parameter maximum decreased',
    source: 'oasdiff request-parameter-max-decreased',
    after: d => { listMoves(d).parameters[1].schema.maximum = 50 },
    expect: ['breaking request-parameter-max-decreased GET /moves request.query /limit']
  },
  {
    name: 'request maxLength set',
    source: 'oasdiff request-property-max-length-set',
    after: d => { input(d).properties.notes.maxLength = 500 },
    expect: ['breaking request-property-max-length-set POST /moves request.body /notes']
  },
  {
    name: 'request property restricted to an enum',
    source: 'oasdiff request-property-became-enum',
    after: d => { input(d).properties.to.enum = ['HMP', 'CRT'] },
    expect: ['breaking request-property-became-enum POST /moves request.body /to']
  },
  {
    name: 'request array maxItems decreased',
    source: 'oasdiff request-property-max-items-decreased',
    before: d => { input(d).properties.tags = { type: 'array', maxItems: 10, items: { type: 'string' } } },
    after: d => { input(d).properties.tags.maxItems = 5 },
    expect: ['breaking request-property-max-items-decreased POST /moves request.body /tags']
  },
  {
    name: 'constraint on array items',
    source: 'oasdiff request-property-max-length-decreased, inside items',
    before: d => { input(d).properties.tags = { type: 'array', items: { type: 'string', maxLength: 30 } } },
    after: d => { input(d).properties.tags.items.maxLength = 10 },
    expect: ['breaking request-property-max-length-decreased POST /moves request.body /tags/*']
  },
  {
    name: 'request parameter removed',
    source: 'oasdiff request-parameter-removed',
    after: d => { listMoves(d).parameters.pop() },
    expect: ['warning request-parameter-removed GET /moves request.query /limit']
  },
  {
    name: 'request property removed',
    source: 'oasdiff request-property-removed',
    after: d => { delete input(d).properties.notes },
    expect: ['warning request-property-removed POST /moves request.body /notes']
  },
  {
    name: 'request type widened',
    source: 'oasdiff request-property-type-generalized',
    after: d => { input(d).properties.priority.type = 'number' },
    expect: ['compatible request-property-type-generalized POST /moves request.body /priority']
  },
  {
    name: 'response type widened',
    source: 'oasdiff response-property-type-changed',
    after: d => { schemas(d).Problem.properties.status.type = 'number' },
    expect: inProblem('breaking response-property-type-generalized', '.body /status')
  },
  {
    name: 'request type narrowed',
    source: 'oasdiff request-property-type-changed',
    before: d => { input(d).properties.priority.type = ['integer', 'string'] },
    after: d => { input(d).properties.priority.type = 'integer' },
    expect: ['breaking request-property-type-specialized POST /moves request.body /priority']
  },
  {
    name: 'request property no longer restricted to an enum',
    source: 'relaxed request constraint (inverse of oasdiff request-property-became-enum)',
    after: d => { delete input(d).properties.kind.enum },
    expect: ['compatible request-property-enum-removed POST /moves request.body /kind']
  },
  {
    name: 'request property default removed',
    source: 'seed 000 "the defaults ... are changed"; oasdiff request-property-default-value-removed',
    after: d => { delete input(d).properties.priority.default },
    expect: ['warning request-property-default-value-removed POST /moves request.body /priority']
  },
  {
    name: 'request property default added',
    source: 'oasdiff request-property-default-value-added',
    after: d => { input(d).properties.kind.default = 'court' },
    expect: ['compatible request-property-default-value-added POST /moves request.body /kind']
  },
  {
    name: 'optional response property became required',
    source: 'oasdiff response-property-became-required',
    after: d => { move(d).required.push('to') },
    expect: inMove('compatible response-property-became-required', '/to')
  },
  {
    name: 'parameter described by content',
    source: 'oasdiff request-parameter-property-enum-value-removed',
    before: d => { listMoves(d).parameters.push({ name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object', properties: { kind: { type: 'string', enum: ['court', 'prison'] } } } } } }) },
    after: d => { listMoves(d).parameters[2].content['application/json'].schema.properties.kind.enum = ['court'] },
    expect: ['breaking request-parameter-enum-value-removed GET /moves request.query /filter/kind']
  },
  {
    name: 'required parameter became optional',
    source: 'seed 003 "changing mandatory fields to optional fields"; oasdiff request-parameter-became-optional',
    before: d => { listMoves(d).parameters[0].required = true },
    after: d => { delete listMoves(d).parameters[0].required },
    expect: ['compatible request-parameter-became-optional GET /moves request.query /status']
  },
  {
    name: 'optional authentication made mandatory',
    source: 'seed 004 "changing authentication methods"; oasdiff api-security-removed',
    before: d => { getMove(d).security = [{}, { bearer: [] }] },
    after: d => { getMove(d).security = [{ bearer: [] }] },
    expect: ['breaking api-security-removed GET /moves/{id} security /']
  },
  {
    name: 'authentication made optional',
    source: 'an empty security requirement is an alternative: no authentication',
    after: d => { getMove(d).security = [{ bearer: [] }, {}] },
    expect: ['compatible api-security-alternative-added GET /moves/{id} security /']
  },
  // Request bodies, media types, headers.
  {
    name: 'request body became required',
    source: 'oasdiff request-body-became-required',
    before: d => { createMove(d).requestBody.required = false },
    after: d => { createMove(d).requestBody.required = true },
    expect: ['breaking request-body-became-required POST /moves request.body']
  },
  {
    name: 'request body became optional',
    source: 'oasdiff request-body-became-optional',
    after: d => { delete createMove(d).requestBody.required },
    expect: ['compatible request-body-became-optional POST /moves request.body']
  },
  {
    name: 'required request body added',
    source: 'oasdiff request-body-added-required',
    after: d => { d.paths['/moves/{id}'].delete.requestBody = { required: true, ...json({ type: 'object' }) } },
    expect: ['breaking request-body-added-required DELETE /moves/{id} request.body']
  },
  {
    name: 'optional request body added',
    source: 'oasdiff request-body-added-optional',
    after: d => { d.paths['/moves/{id}'].delete.requestBody = json({ type: 'object' }) },
    expect: ['compatible request-body-added-optional DELETE /moves/{id} request.body']
  },
  {
    name: 'request body removed',
    source: 'oasdiff request-body-removed',
    after: d => { delete createMove(d).requestBody },
    expect: ['warning request-body-removed POST /moves request.body']
  },
  {
    name: 'request media type removed',
    source: 'oasdiff request-body-media-type-removed',
    before: d => { createMove(d).requestBody.content['application/x-www-form-urlencoded'] = { schema: { $ref: '#/components/schemas/MoveInput' } } },
    after: d => { delete createMove(d).requestBody.content['application/x-www-form-urlencoded'] },
    expect: ['breaking request-body-media-type-removed POST /moves request.body']
  },
  {
    name: 'request media type added',
    source: 'oasdiff request-body-media-type-added',
    after: d => { createMove(d).requestBody.content['application/xml'] = { schema: { type: 'object' } } },
    expect: ['compatible request-body-media-type-added POST /moves request.body']
  },
  {
    name: 'required response header removed',
    source: 'oasdiff required-response-header-removed',
    before: d => { getMove(d).responses[200].headers['X-Request-Id'] = { required: true, schema: { type: 'string' } } },
    after: d => { delete getMove(d).responses[200].headers['X-Request-Id'] },
    expect: ['breaking required-response-header-removed GET /moves/{id} response.200.header /x-request-id']
  },
  {
    name: 'optional response header removed',
    source: 'oasdiff optional-response-header-removed',
    after: d => { delete getMove(d).responses[200].headers['X-Rate-Limit'] },
    expect: ['warning optional-response-header-removed GET /moves/{id} response.200.header /x-rate-limit']
  },
  {
    name: 'response header became optional',
    source: 'oasdiff response-header-became-optional',
    before: d => { getMove(d).responses[200].headers['X-Rate-Limit'].required = true },
    after: d => { delete getMove(d).responses[200].headers['X-Rate-Limit'].required },
    expect: ['breaking response-header-became-optional GET /moves/{id} response.200.header /x-rate-limit']
  },
  {
    name: 'response header type changed',
    source: 'oasdiff response-header-type-changed',
    after: d => { getMove(d).responses[200].headers['X-Rate-Limit'].schema = { type: 'boolean' } },
    expect: ['breaking response-header-type-changed GET /moves/{id} response.200.header /x-rate-limit']
  },
  {
    name: 'response header added',
    source: 'oasdiff response-header-added',
    after: d => { getMove(d).responses[200].headers.ETag = { schema: { type: 'string' } } },
    expect: ['compatible response-header-added GET /moves/{id} response.200.header /etag']
  },
  // $ref, allOf, oneOf/anyOf, nullable, additionalProperties.
  {
    name: '$ref inlined',
    source: 'a $ref and its target are the same contract',
    after: d => { getMove(d).responses[200].content['application/json'].schema = structuredClone(move(d)) },
    expect: []
  },
  {
    name: 'schema renamed',
    source: 'component names are not seen by clients',
    after: d => {
      schemas(d).Journey = move(d)
      delete schemas(d).Move
      getMove(d).responses[200].content['application/json'].schema.$ref = '#/components/schemas/Journey'
      listMoves(d).responses[200].content['application/json'].schema.items.$ref = '#/components/schemas/Journey'
    },
    expect: []
  },
  {
    name: 'refactored into allOf',
    source: 'allOf is merged before comparing',
    after: d => {
      const { from, to, ...rest } = input(d).properties
      schemas(d).Route = { type: 'object', required: ['from'], properties: { from, to } }
      schemas(d).MoveInput = { allOf: [{ $ref: '#/components/schemas/Route' }, { type: 'object', properties: rest }] }
    },
    expect: []
  },
  {
    name: 'required property added through allOf',
    source: 'oasdiff new-required-request-property, through allOf',
    after: d => { schemas(d).MoveInput = { allOf: [input(d), { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }] } },
    expect: ['breaking new-required-request-property POST /moves request.body /reason']
  },
  {
    name: 'response property became nullable (3.0 nullable on allOf)',
    source: 'oasdiff response-property-became-nullable',
    after: d => { move(d).properties.to = { nullable: true, allOf: [{ $ref: '#/components/schemas/Location' }] } },
    expect: inMove('breaking response-property-became-nullable', '/to')
  },
  {
    name: 'request property became nullable (3.1 type array)',
    source: 'oasdiff request-property-became-nullable',
    after: d => { input(d).properties.notes.type = ['string', 'null'] },
    expect: ['compatible request-property-became-nullable POST /moves request.body /notes']
  },
  {
    name: 'request property became not nullable',
    source: 'oasdiff request-property-became-not-nullable',
    before: d => { input(d).properties.notes.nullable = true },
    after: d => { delete input(d).properties.notes.nullable },
    expect: ['breaking request-property-became-not-nullable POST /moves request.body /notes']
  },
  {
    name: 'nullable spelled three ways',
    source: 'nullable: true, type: [.., "null"] and oneOf with null are one contract',
    before: d => { input(d).properties.notes = { type: 'string', nullable: true } },
    after: d => { input(d).properties.notes = { oneOf: [{ type: 'string' }, { type: 'null' }] }; input(d).properties.to = { type: ['string', 'null'] } },
    expect: ['compatible request-property-became-nullable POST /moves request.body /to']
  },
  {
    name: 'response oneOf alternative added',
    source: 'oasdiff response-property-one-of-added',
    before: d => { move(d).properties.to = { oneOf: [{ $ref: '#/components/schemas/Location' }] } },
    after: d => { move(d).properties.to.oneOf.push({ $ref: '#/components/schemas/Address' }) },
    expect: inMove('warning response-property-one-of-added', '/to')
  },
  {
    name: 'request oneOf alternative removed',
    source: 'oasdiff request-property-one-of-removed',
    before: d => { input(d).properties.from = { oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/Location' }] } },
    after: d => { input(d).properties.from.oneOf.pop() },
    expect: ['breaking request-property-one-of-removed POST /moves request.body /from']
  },
  {
    name: 'request anyOf alternative added',
    source: 'oasdiff request-property-any-of-added',
    before: d => { input(d).properties.to = { anyOf: [{ type: 'string' }] } },
    after: d => { input(d).properties.to.anyOf.push({ $ref: '#/components/schemas/Location' }) },
    expect: ['compatible request-property-any-of-added POST /moves request.body /to']
  },
  {
    name: 'request property wrapped in oneOf',
    source: 'oasdiff request-body-wrapped-in-one-of-original-preserved',
    after: d => { input(d).properties.to = { oneOf: [{ type: 'string', maxLength: 10 }, { $ref: '#/components/schemas/Location' }] } },
    expect: [
      'breaking request-property-max-length-set POST /moves request.body /to',
      'compatible request-property-one-of-added POST /moves request.body /to'
    ]
  },
  {
    name: 'response property unwrapped from oneOf',
    source: 'oasdiff response-property-one-of-removed',
    before: d => { move(d).properties.to = { oneOf: [{ $ref: '#/components/schemas/Location' }, { $ref: '#/components/schemas/Address' }] } },
    after: d => { move(d).properties.to = { $ref: '#/components/schemas/Location' } },
    expect: inMove('compatible response-property-one-of-removed', '/to')
  },
  {
    name: 'request body stops accepting additional properties',
    source: 'additionalProperties: false added to a request',
    after: d => { input(d).additionalProperties = false },
    expect: ['breaking request-body-additional-properties-disallowed POST /moves request.body']
  },
  {
    name: 'response allows additional properties',
    source: 'additionalProperties: false removed from a response',
    before: d => { move(d).additionalProperties = false },
    after: d => { delete move(d).additionalProperties },
    expect: [
      'compatible response-property-additional-properties-allowed GET /moves response.200.body /*',
      'compatible response-body-additional-properties-allowed GET /moves/{id} response.200.body'
    ]
  },
  {
    name: 'map values tightened',
    source: 'additionalProperties schema compared like a property',
    before: d => { input(d).properties.labels = { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } },
    after: d => { input(d).properties.labels.additionalProperties.maxLength = 50 },
    expect: ['breaking request-property-max-length-decreased POST /moves request.body /labels/*']
  },
  {
    name: 'recursive schema',
    source: '$ref cycles are compared down to where they repeat',
    before: d => { schemas(d).Location.properties.parent = { $ref: '#/components/schemas/Location' } },
    after: d => { schemas(d).Location.properties.code.maxLength = 3 },
    expect: [
      'compatible response-property-max-length-set GET /moves response.200.body /*/from/code',
      'compatible response-property-max-length-set GET /moves response.200.body /*/to/code',
      'compatible response-property-max-length-set GET /moves/{id} response.200.body /from/code',
      'compatible response-property-max-length-set GET /moves/{id} response.200.body /to/code'
    ]
  },
  {
    name: 'read-only property required in the request schema',
    source: 'clients do not send read-only properties',
    after: d => { input(d).properties.id = { type: 'string', readOnly: true }; input(d).required.push('id') },
    expect: []
  },
  {
    name: 'write-only property removed from the response schema',
    source: 'servers do not return write-only properties',
    before: d => { move(d).properties.secret = { type: 'string', writeOnly: true } },
    after: d => { delete move(d).properties.secret },
    expect: []
  },
  {
    name: 'authentication no longer required',
    source: 'removing security is compatible',
    after: d => { getMove(d).security = [] },
    expect: ['compatible api-security-no-longer-required GET /moves/{id} security /bearer']
  },
  {
    name: 'const request value changed',
    source: 'oasdiff request-property-const-changed, error',
    before: d => { input(d).properties.kind = { type: 'string', const: 'court' } },
    after: d => { input(d).properties.kind.const = 'prison' },
    expect: ['breaking request-property-const-changed POST /moves request.body /kind']
  },
  {
    name: 'const response value changed',
    source: 'oasdiff response-property-const-changed, error: clients read another value than the one stated',
    before: d => { move(d).properties.status = { type: 'string', const: 'requested' } },
    after: d => { move(d).properties.status.const = 'completed' },
    expect: inMove('breaking response-property-const-changed', '/status')
  },
  {
    name: 'const added to a request property',
    source: 'a const is an enum of one value; oasdiff request-property-became-enum, error',
    after: d => { input(d).properties.to.const = 'court' },
    expect: ['breaking request-property-became-enum POST /moves request.body /to']
  },
  {
    name: 'query parameter type from integer to string',
    source: 'oasdiff request-parameter-type-generalized, info: a parameter is text on the wire, and every integer is also a string',
    before: d => { listMoves(d).parameters.push({ name: 'page', in: 'query', schema: { type: 'integer' } }) },
    after: d => { listMoves(d).parameters[2].schema.type = 'string' },
    expect: ['compatible request-parameter-type-generalized GET /moves request.query /page']
  },
  {
    name: 'header parameter type from number to string',
    source: 'oasdiff request-parameter-type-generalized, info',
    before: d => { getMove(d).parameters = [{ name: 'X-Tenant', in: 'header', schema: { type: 'number' } }] },
    after: d => { getMove(d).parameters[0].schema.type = 'string' },
    expect: ['compatible request-parameter-type-generalized GET /moves/{id} request.header /X-Tenant']
  },
  {
    name: 'path parameter type from integer to string',
    source: 'oasdiff request-parameter-type-generalized, info',
    before: d => { d.paths['/moves/{id}'].parameters[0].schema.type = 'integer' },
    after: d => { d.paths['/moves/{id}'].parameters[0].schema.type = 'string' },
    expect: [
      'compatible request-parameter-type-generalized DELETE /moves/{id} request.path /id',
      'compatible request-parameter-type-generalized GET /moves/{id} request.path /id'
    ]
  },
  {
    name: 'query parameter type from string to integer',
    source: 'oasdiff request-parameter-type-changed, error: text that is not a number is refused',
    before: d => { listMoves(d).parameters.push({ name: 'page', in: 'query', schema: { type: 'string' } }) },
    after: d => { listMoves(d).parameters[2].schema.type = 'integer' },
    expect: ['breaking request-parameter-type-changed GET /moves request.query /page']
  },
  {
    name: 'request body property type from integer to string',
    source: 'oasdiff request-property-type-changed, error: JSON is strongly typed, 1 is not "1"',
    after: d => { input(d).properties.priority = { type: 'string' } },
    expect: ['breaking request-property-type-changed POST /moves request.body /priority']
  },
  {
    name: 'response header became required',
    source: 'no oasdiff check; the inverse of oasdiff response-header-became-optional (error): a header now always sent adds a guarantee',
    after: d => { getMove(d).responses[200].headers['X-Rate-Limit'].required = true },
    expect: ['compatible response-header-became-required GET /moves/{id} response.200.header /x-rate-limit']
  },
  {
    name: 'enum response value narrowed to a const',
    source: 'a const is an enum of one value; oasdiff response-property-enum-value-removed',
    after: d => { move(d).properties.status = { type: 'string', const: 'requested' } },
    expect: inMove('compatible response-property-enum-value-removed', '/status')
  },
  {
    name: 'request multipleOf relaxed, in decimals',
    source: '0.1 divides 0.3 although 0.3 / 0.1 is not exactly 3 in floating point',
    before: d => { input(d).properties.weight = { type: 'number', multipleOf: 0.3 } },
    after: d => { input(d).properties.weight.multipleOf = 0.1 },
    expect: ['compatible request-property-multiple-of-relaxed POST /moves request.body /weight']
  },
  {
    name: 'request format changed on a parameter',
    source: 'oasdiff request-parameter-type-changed, which covers a changed format',
    before: d => { listMoves(d).parameters.push({ name: 'since', in: 'query', schema: { type: 'string', format: 'date' } }) },
    after: d => { listMoves(d).parameters[2].schema.format = 'date-time' },
    expect: ['breaking request-parameter-format-changed GET /moves request.query /since']
  },

  // Every rule of lib/contract/rules.ts on both sides, each at the level its source gives.
  schemaCase('request', 'breaking request-property-type-changed', 'oasdiff request-property-type-changed, error', { type: 'integer' }, { type: 'string' }),
  schemaCase('response', 'compatible response-property-type-specialized', 'oasdiff response-property-type-specialized, info', { type: 'number' }, { type: 'integer' }),
  schemaCase('response', 'compatible response-property-became-not-nullable', 'oasdiff response-property-became-not-nullable, info', { type: ['string', 'null'] }, { type: 'string' }),
  schemaCase('request', 'compatible request-property-max-length-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'string', maxLength: 20 }, { type: 'string' }),
  schemaCase('response', 'warning response-property-max-length-unset', 'oasdiff response-property-max-length-unset is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'string', maxLength: 20 }, { type: 'string' }),
  schemaCase('request', 'breaking request-property-min-length-set', 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'string' }, { type: 'string', minLength: 1 }),
  schemaCase('response', 'compatible response-property-min-length-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'string' }, { type: 'string', minLength: 1 }),
  schemaCase('request', 'breaking request-property-min-length-increased', 'oasdiff request-property-min-length-increased, error', { type: 'string', minLength: 1 }, { type: 'string', minLength: 3 }),
  schemaCase('response', 'compatible response-property-min-length-increased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'string', minLength: 1 }, { type: 'string', minLength: 3 }),
  schemaCase('request', 'compatible request-property-min-length-decreased', 'oasdiff request-property-min-length-decreased, info', { type: 'string', minLength: 3 }, { type: 'string', minLength: 1 }),
  schemaCase('response', 'warning response-property-min-length-decreased', 'oasdiff response-property-min-length-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'string', minLength: 3 }, { type: 'string', minLength: 1 }),
  schemaCase('request', 'compatible request-property-min-length-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'string', minLength: 1 }, { type: 'string' }),
  schemaCase('response', 'warning response-property-min-length-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'string', minLength: 1 }, { type: 'string' }),
  schemaCase('request', 'breaking request-property-max-set', 'oasdiff request-property-max-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'integer' }, { type: 'integer', maximum: 5 }),
  schemaCase('response', 'compatible response-property-max-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'integer' }, { type: 'integer', maximum: 5 }),
  schemaCase('response', 'compatible response-property-max-decreased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'integer', maximum: 5 }, { type: 'integer', maximum: 3 }),
  schemaCase('request', 'compatible request-property-max-increased', 'oasdiff request-property-max-increased, info', { type: 'integer', maximum: 5 }, { type: 'integer', maximum: 10 }),
  schemaCase('response', 'warning response-property-max-increased', 'oasdiff response-property-max-increased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', maximum: 5 }, { type: 'integer', maximum: 10 }),
  schemaCase('request', 'compatible request-property-max-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'integer', maximum: 5 }, { type: 'integer' }),
  schemaCase('response', 'warning response-property-max-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', maximum: 5 }, { type: 'integer' }),
  schemaCase('request', 'breaking request-property-min-set', 'oasdiff request-property-min-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'integer' }, { type: 'integer', minimum: 1 }),
  schemaCase('response', 'compatible response-property-min-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'integer' }, { type: 'integer', minimum: 1 }),
  schemaCase('response', 'compatible response-property-min-increased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'integer', minimum: 0 }, { type: 'integer', minimum: 1 }),
  schemaCase('request', 'compatible request-property-min-decreased', 'oasdiff request-property-min-decreased, info', { type: 'integer', minimum: 1 }, { type: 'integer', minimum: 0 }),
  schemaCase('response', 'warning response-property-min-decreased', 'oasdiff response-property-min-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', minimum: 1 }, { type: 'integer', minimum: 0 }),
  schemaCase('response', 'warning response-property-min-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', minimum: 1 }, { type: 'integer' }),
  schemaCase('request', 'breaking request-property-exclusive-max-set', 'oasdiff request-property-exclusive-max-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'number' }, { type: 'number', exclusiveMaximum: 1000 }),
  schemaCase('response', 'compatible response-property-exclusive-max-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'number' }, { type: 'number', exclusiveMaximum: 1000 }),
  schemaCase('request', 'breaking request-property-exclusive-max-decreased', 'oasdiff request-property-exclusive-max-decreased, error', { type: 'number', exclusiveMaximum: 1000 }, { type: 'number', exclusiveMaximum: 500 }),
  schemaCase('response', 'compatible response-property-exclusive-max-decreased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'number', exclusiveMaximum: 1000 }, { type: 'number', exclusiveMaximum: 500 }),
  schemaCase('request', 'compatible request-property-exclusive-max-increased', 'oasdiff request-property-exclusive-max-increased, info', { type: 'number', exclusiveMaximum: 500 }, { type: 'number', exclusiveMaximum: 1000 }),
  schemaCase('response', 'warning response-property-exclusive-max-increased', 'oasdiff response-property-exclusive-max-increased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'number', exclusiveMaximum: 500 }, { type: 'number', exclusiveMaximum: 1000 }),
  schemaCase('request', 'compatible request-property-exclusive-max-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'number', exclusiveMaximum: 1000 }, { type: 'number' }),
  schemaCase('response', 'warning response-property-exclusive-max-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'number', exclusiveMaximum: 1000 }, { type: 'number' }),
  schemaCase('request', 'breaking request-property-exclusive-min-set', 'oasdiff request-property-exclusive-min-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'number' }, { type: 'number', exclusiveMinimum: 0 }),
  schemaCase('response', 'compatible response-property-exclusive-min-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'number' }, { type: 'number', exclusiveMinimum: 0 }),
  schemaCase('request', 'breaking request-property-exclusive-min-increased', 'oasdiff request-property-exclusive-min-increased, error', { type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 10 }),
  schemaCase('response', 'compatible response-property-exclusive-min-increased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'number', exclusiveMinimum: 0 }, { type: 'number', exclusiveMinimum: 10 }),
  schemaCase('request', 'compatible request-property-exclusive-min-decreased', 'oasdiff request-property-exclusive-min-decreased, info', { type: 'number', exclusiveMinimum: 10 }, { type: 'number', exclusiveMinimum: 0 }),
  schemaCase('response', 'warning response-property-exclusive-min-decreased', 'oasdiff response-property-exclusive-min-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'number', exclusiveMinimum: 10 }, { type: 'number', exclusiveMinimum: 0 }),
  schemaCase('request', 'compatible request-property-exclusive-min-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'number', exclusiveMinimum: 0 }, { type: 'number' }),
  schemaCase('response', 'warning response-property-exclusive-min-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'number', exclusiveMinimum: 0 }, { type: 'number' }),
  schemaCase('request', 'breaking request-property-max-items-set', 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'array' }, { type: 'array', maxItems: 10 }),
  schemaCase('response', 'compatible response-property-max-items-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'array' }, { type: 'array', maxItems: 10 }),
  schemaCase('response', 'compatible response-property-max-items-decreased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'array', maxItems: 10 }, { type: 'array', maxItems: 5 }),
  schemaCase('request', 'compatible request-property-max-items-increased', 'no oasdiff check; compatible: every request valid before still is', { type: 'array', maxItems: 10 }, { type: 'array', maxItems: 20 }),
  schemaCase('response', 'warning response-property-max-items-increased', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'array', maxItems: 10 }, { type: 'array', maxItems: 20 }),
  schemaCase('request', 'compatible request-property-max-items-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'array', maxItems: 10 }, { type: 'array' }),
  schemaCase('response', 'warning response-property-max-items-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'array', maxItems: 10 }, { type: 'array' }),
  schemaCase('request', 'breaking request-property-min-items-set', 'oasdiff request-property-min-items-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'array' }, { type: 'array', minItems: 1 }),
  schemaCase('response', 'compatible response-property-min-items-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'array' }, { type: 'array', minItems: 1 }),
  schemaCase('request', 'breaking request-property-min-items-increased', 'oasdiff request-property-min-items-increased, error', { type: 'array', minItems: 1 }, { type: 'array', minItems: 2 }),
  schemaCase('response', 'compatible response-property-min-items-increased', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'array', minItems: 1 }, { type: 'array', minItems: 2 }),
  schemaCase('request', 'compatible request-property-min-items-decreased', 'no oasdiff check; compatible: every request valid before still is', { type: 'array', minItems: 2 }, { type: 'array', minItems: 1 }),
  schemaCase('response', 'warning response-property-min-items-decreased', 'oasdiff response-property-min-items-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'array', minItems: 2 }, { type: 'array', minItems: 1 }),
  schemaCase('request', 'compatible request-property-min-items-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'array', minItems: 1 }, { type: 'array' }),
  schemaCase('response', 'warning response-property-min-items-unset', 'oasdiff response-property-min-items-unset is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'array', minItems: 1 }, { type: 'array' }),
  schemaCase('request', 'breaking request-property-multiple-of-set', 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'integer' }, { type: 'integer', multipleOf: 10 }),
  schemaCase('response', 'compatible response-property-multiple-of-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'integer' }, { type: 'integer', multipleOf: 10 }),
  schemaCase('response', 'warning response-property-multiple-of-relaxed', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', multipleOf: 10 }, { type: 'integer', multipleOf: 5 }),
  schemaCase('request', 'breaking request-property-multiple-of-changed', 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'integer', multipleOf: 5 }, { type: 'integer', multipleOf: 10 }),
  schemaCase('response', 'warning response-property-multiple-of-changed', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', multipleOf: 5 }, { type: 'integer', multipleOf: 10 }),
  schemaCase('request', 'compatible request-property-multiple-of-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'integer', multipleOf: 10 }, { type: 'integer' }),
  schemaCase('response', 'warning response-property-multiple-of-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'integer', multipleOf: 10 }, { type: 'integer' }),
  schemaCase('request', 'breaking request-property-unique-items-set', 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'array' }, { type: 'array', uniqueItems: true }),
  schemaCase('response', 'compatible response-property-unique-items-set', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'array' }, { type: 'array', uniqueItems: true }),
  schemaCase('request', 'compatible request-property-unique-items-unset', 'no oasdiff check; compatible: every request valid before still is', { type: 'array', uniqueItems: true }, { type: 'array' }),
  schemaCase('response', 'warning response-property-unique-items-unset', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'array', uniqueItems: true }, { type: 'array' }),
  schemaCase('request', 'breaking request-property-format-added', 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)', { type: 'string' }, { type: 'string', format: 'date' }),
  schemaCase('response', 'compatible response-property-format-added', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'string' }, { type: 'string', format: 'date' }),
  schemaCase('response', 'breaking response-property-format-changed', 'oasdiff reports a changed format as response-property-type-changed, an error: the text means another thing', { type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }),
  schemaCase('request', 'compatible request-property-format-removed', 'no oasdiff check; compatible: every request valid before still is', { type: 'string', format: 'date' }, { type: 'string' }),
  schemaCase('response', 'warning response-property-format-removed', 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'string', format: 'date' }, { type: 'string' }),
  schemaCase('response', 'warning response-property-pattern-changed', 'oasdiff response-property-pattern-changed is info; a warning here, as every response constraint relaxed: values the old pattern excluded may be returned', { type: 'string', pattern: '^[A-Z]{ 3 }$' }, { type: 'string', pattern: '^([A-Z]{ 3 }|[A-Z]{ 2 }[0-9])$' }),
  schemaCase('response', 'warning response-property-pattern-removed', 'oasdiff response-property-pattern-removed is info; a warning here, as every response constraint relaxed: values the old pattern excluded may be returned', { type: 'string', pattern: '^[A-Z]{ 3 }$' }, { type: 'string' }),
  schemaCase('response', 'compatible response-property-became-enum', 'no oasdiff check; compatible, as oasdiff response-property-enum-value-removed (info): every value returned now was allowed before', { type: 'string' }, { type: 'string', enum: ['court', 'prison'] }),
  schemaCase('response', 'warning response-property-enum-removed', 'no oasdiff check; values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)', { type: 'string', enum: ['court', 'prison'] }, { type: 'string' }),
  schemaCase('response', 'compatible response-property-default-value-changed', 'oasdiff response-property-default-value-changed, info', { type: 'integer', default: 3 }, { type: 'integer', default: 1 }),
  schemaCase('response', 'compatible response-property-default-value-added', 'oasdiff response-property-default-value-added, info', { type: 'integer' }, { type: 'integer', default: 3 }),
  schemaCase('response', 'compatible response-property-default-value-removed', 'oasdiff response-property-default-value-removed, info', { type: 'integer', default: 3 }, { type: 'integer' }),
  schemaCase('response', 'compatible response-property-additional-properties-disallowed', 'no oasdiff check; compatible: every value returned now was allowed before', { type: 'object' }, { type: 'object', additionalProperties: false }),
  schemaCase('request', 'compatible request-property-additional-properties-allowed', 'no oasdiff check; compatible: every request valid before still is', { type: 'object', additionalProperties: false }, { type: 'object' }),
  schemaCase('response', 'warning response-property-any-of-added', 'oasdiff response-property-any-of-added is info; a warning here, as one-of-added: a new kind of value fails only clients that handle the known ones alone', { type: 'string' }, { anyOf: [{ type: 'string' }, { type: 'object' }] }),
  schemaCase('request', 'breaking request-property-any-of-removed', 'oasdiff request-property-any-of-removed, error', { anyOf: [{ type: 'string' }, { type: 'object' }] }, { type: 'string' }),
  schemaCase('response', 'compatible response-property-any-of-removed', 'oasdiff response-property-any-of-removed, info', { anyOf: [{ type: 'string' }, { type: 'object' }] }, { type: 'string' }),
]
