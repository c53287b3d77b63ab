import type { ChangeLevel, SchemaRuleSuffix, StructuralRuleId } from '../../lib/contract/rules.js'

/**
 * One example per rule of lib/contract/rules.ts, as the rule reference of docs/contract-rules.md
 * shows it: a small fragment before and after, and where it sits. A placement turns a fragment into a whole
 * OpenAPI 3.1 document, so the test suite can classify every example and check that it gives the
 * rule it illustrates, at the level the table says.
 */

type Json = Record<string, unknown>

/** Where a structural example's fragment sits in the document. */
export type Placement =
  | 'path'
  | 'operation'
  | 'parameter'
  | 'requestBody'
  | 'requestContent'
  | 'requestSchema'
  | 'successStatus'
  | 'errorStatus'
  | 'responseContent'
  | 'responseHeader'
  | 'responseSchema'
  | 'security'
  | 'securityScheme'

/** A finding other than the illustrated one that the same change gives. */
export interface OtherFinding {
  readonly id: string
  readonly level: ChangeLevel
  readonly pointer: string
}

export interface StructuralExample {
  readonly id: StructuralRuleId
  readonly where: Placement
  /** The fragment before the change; absent: the fragment is not in the document. */
  readonly before?: Json | readonly Json[]
  readonly after?: Json | readonly Json[]
  /** The finding's JSON Pointer, when the fragment decides it (a property's name, a security requirement). */
  readonly pointer?: string
  /** Other findings the change gives, shown with the example. */
  readonly also?: readonly OtherFinding[]
}

/** A schema example: the schema of one property, before and after. */
export interface SchemaExample {
  readonly suffix: SchemaRuleSuffix
  readonly before: Json
  readonly after: Json
}

const json = { 'application/json': {} }
const bearer = { bearer: [] }
const read = { oauth: ['moves:read'] }
const reason = { reason: { type: 'string' } }
const reference = { reference: { type: 'string' } }
const flows = (...scopes: string[]) => ({
  clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: Object.fromEntries(scopes.map(scope => [scope, ''])) }
})

export const structuralExamples: readonly StructuralExample[] = [
  { id: 'endpoint-added', where: 'operation', after: { operationId: 'listMoves' } },
  { id: 'api-path-removed-without-deprecation', where: 'path', before: { get: { operationId: 'listMoves' } } },
  { id: 'api-path-removed-with-deprecation', where: 'path', before: { get: { deprecated: true } } },
  { id: 'api-removed-without-deprecation', where: 'operation', before: { operationId: 'listMoves' } },
  { id: 'api-removed-with-deprecation', where: 'operation', before: { deprecated: true } },

  { id: 'new-required-request-parameter', where: 'parameter', after: { required: true, schema: { type: 'string' } } },
  { id: 'new-optional-request-parameter', where: 'parameter', after: { schema: { type: 'string' } } },
  { id: 'request-parameter-removed', where: 'parameter', before: { schema: { type: 'string' } } },
  { id: 'request-parameter-became-required', where: 'parameter', before: { schema: { type: 'string' } }, after: { required: true, schema: { type: 'string' } } },
  { id: 'request-parameter-became-optional', where: 'parameter', before: { required: true, schema: { type: 'string' } }, after: { schema: { type: 'string' } } },

  { id: 'request-body-added-required', where: 'requestBody', after: { required: true, content: json } },
  { id: 'request-body-added-optional', where: 'requestBody', after: { content: json } },
  { id: 'request-body-removed', where: 'requestBody', before: { content: json } },
  { id: 'request-body-became-required', where: 'requestBody', before: { content: json }, after: { required: true, content: json } },
  { id: 'request-body-became-optional', where: 'requestBody', before: { required: true, content: json }, after: { content: json } },
  { id: 'request-body-media-type-removed', where: 'requestContent', before: { ...json, 'application/xml': {} }, after: json },
  { id: 'request-body-media-type-added', where: 'requestContent', before: json, after: { ...json, 'application/xml': {} } },

  { id: 'response-success-status-removed', where: 'successStatus', before: { description: 'Move queued' } },
  { id: 'response-non-success-status-removed', where: 'errorStatus', before: { description: 'Move already requested' } },
  { id: 'response-success-status-added', where: 'successStatus', after: { description: 'Move queued' } },
  { id: 'response-non-success-status-added', where: 'errorStatus', after: { description: 'Move already requested' } },
  { id: 'response-media-type-removed', where: 'responseContent', before: { ...json, 'text/csv': {} }, after: json },
  { id: 'response-media-type-added', where: 'responseContent', before: json, after: { ...json, 'text/csv': {} } },
  { id: 'required-response-header-removed', where: 'responseHeader', before: { required: true, schema: { type: 'string' } } },
  { id: 'optional-response-header-removed', where: 'responseHeader', before: { schema: { type: 'string' } } },
  { id: 'response-header-added', where: 'responseHeader', after: { schema: { type: 'string' } } },
  { id: 'response-header-became-optional', where: 'responseHeader', before: { required: true, schema: { type: 'string' } }, after: { schema: { type: 'string' } } },
  { id: 'response-header-became-required', where: 'responseHeader', before: { schema: { type: 'string' } }, after: { required: true, schema: { type: 'string' } } },

  { id: 'new-required-request-property', where: 'requestSchema', pointer: '/reason', before: { type: 'object' }, after: { type: 'object', required: ['reason'], properties: reason } },
  { id: 'new-optional-request-property', where: 'requestSchema', pointer: '/reason', before: { type: 'object' }, after: { type: 'object', properties: reason } },
  { id: 'request-property-removed', where: 'requestSchema', pointer: '/reason', before: { type: 'object', properties: reason }, after: { type: 'object' } },
  { id: 'request-property-became-required', where: 'requestSchema', pointer: '/reason', before: { type: 'object', properties: reason }, after: { type: 'object', required: ['reason'], properties: reason } },
  { id: 'request-property-became-optional', where: 'requestSchema', pointer: '/reason', before: { type: 'object', required: ['reason'], properties: reason }, after: { type: 'object', properties: reason } },
  { id: 'response-required-property-removed', where: 'responseSchema', pointer: '/reference', before: { type: 'object', required: ['reference'], properties: reference }, after: { type: 'object' } },
  { id: 'response-optional-property-removed', where: 'responseSchema', pointer: '/reference', before: { type: 'object', properties: reference }, after: { type: 'object' } },
  { id: 'response-required-property-added', where: 'responseSchema', pointer: '/reference', before: { type: 'object' }, after: { type: 'object', required: ['reference'], properties: reference } },
  { id: 'response-optional-property-added', where: 'responseSchema', pointer: '/reference', before: { type: 'object' }, after: { type: 'object', properties: reference } },
  { id: 'response-property-became-optional', where: 'responseSchema', pointer: '/reference', before: { type: 'object', required: ['reference'], properties: reference }, after: { type: 'object', properties: reference } },
  { id: 'response-property-became-required', where: 'responseSchema', pointer: '/reference', before: { type: 'object', properties: reference }, after: { type: 'object', required: ['reference'], properties: reference } },

  { id: 'api-security-added', where: 'security', pointer: '/bearer', after: [bearer] },
  { id: 'api-security-alternative-added', where: 'security', pointer: '/oauth', before: [bearer], after: [bearer, read] },
  { id: 'api-security-removed', where: 'security', pointer: '/oauth', before: [bearer, read], after: [bearer] },
  { id: 'api-security-no-longer-required', where: 'security', pointer: '/bearer', before: [bearer] },
  { id: 'api-security-scope-added', where: 'security', pointer: '/oauth', before: [read], after: [{ oauth: ['moves:read', 'moves:write'] }] },
  { id: 'api-security-scope-removed', where: 'security', pointer: '/oauth', before: [{ oauth: ['moves:read', 'moves:write'] }], after: [read] },
  { id: 'api-security-component-removed', where: 'securityScheme', before: { type: 'http', scheme: 'bearer' } },
  { id: 'api-security-component-type-changed', where: 'securityScheme', before: { type: 'http', scheme: 'bearer' }, after: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
  { id: 'api-security-component-oauth-scope-removed', where: 'securityScheme', before: { type: 'oauth2', flows: flows('moves:read', 'moves:write') }, after: { type: 'oauth2', flows: flows('moves:read') } }
]

const string = { type: 'string' }
const integer = { type: 'integer' }
const number = { type: 'number' }
const array = { type: 'array' }
const object = { type: 'object' }
const code = '^[A-Z]{3}$'

export const schemaExamples: readonly SchemaExample[] = [
  { suffix: 'type-changed', before: integer, after: string },
  { suffix: 'type-generalized', before: integer, after: number },
  { suffix: 'type-specialized', before: number, after: integer },
  { suffix: 'became-nullable', before: string, after: { type: ['string', 'null'] } },
  { suffix: 'became-not-nullable', before: { type: ['string', 'null'] }, after: string },
  { suffix: 'max-length-set', before: string, after: { ...string, maxLength: 20 } },
  { suffix: 'max-length-decreased', before: { ...string, maxLength: 20 }, after: { ...string, maxLength: 10 } },
  { suffix: 'max-length-increased', before: { ...string, maxLength: 20 }, after: { ...string, maxLength: 50 } },
  { suffix: 'max-length-unset', before: { ...string, maxLength: 20 }, after: string },
  { suffix: 'min-length-set', before: string, after: { ...string, minLength: 1 } },
  { suffix: 'min-length-increased', before: { ...string, minLength: 1 }, after: { ...string, minLength: 3 } },
  { suffix: 'min-length-decreased', before: { ...string, minLength: 3 }, after: { ...string, minLength: 1 } },
  { suffix: 'min-length-unset', before: { ...string, minLength: 1 }, after: string },
  { suffix: 'max-set', before: integer, after: { ...integer, maximum: 5 } },
  { suffix: 'max-decreased', before: { ...integer, maximum: 5 }, after: { ...integer, maximum: 3 } },
  { suffix: 'max-increased', before: { ...integer, maximum: 5 }, after: { ...integer, maximum: 10 } },
  { suffix: 'max-unset', before: { ...integer, maximum: 5 }, after: integer },
  { suffix: 'min-set', before: integer, after: { ...integer, minimum: 1 } },
  { suffix: 'min-increased', before: { ...integer, minimum: 0 }, after: { ...integer, minimum: 1 } },
  { suffix: 'min-decreased', before: { ...integer, minimum: 1 }, after: { ...integer, minimum: 0 } },
  { suffix: 'min-unset', before: { ...integer, minimum: 1 }, after: integer },
  { suffix: 'exclusive-max-set', before: number, after: { ...number, exclusiveMaximum: 1000 } },
  { suffix: 'exclusive-max-decreased', before: { ...number, exclusiveMaximum: 1000 }, after: { ...number, exclusiveMaximum: 500 } },
  { suffix: 'exclusive-max-increased', before: { ...number, exclusiveMaximum: 500 }, after: { ...number, exclusiveMaximum: 1000 } },
  { suffix: 'exclusive-max-unset', before: { ...number, exclusiveMaximum: 1000 }, after: number },
  { suffix: 'exclusive-min-set', before: number, after: { ...number, exclusiveMinimum: 0 } },
  { suffix: 'exclusive-min-increased', before: { ...number, exclusiveMinimum: 0 }, after: { ...number, exclusiveMinimum: 10 } },
  { suffix: 'exclusive-min-decreased', before: { ...number, exclusiveMinimum: 10 }, after: { ...number, exclusiveMinimum: 0 } },
  { suffix: 'exclusive-min-unset', before: { ...number, exclusiveMinimum: 0 }, after: number },
  { suffix: 'max-items-set', before: array, after: { ...array, maxItems: 10 } },
  { suffix: 'max-items-decreased', before: { ...array, maxItems: 10 }, after: { ...array, maxItems: 5 } },
  { suffix: 'max-items-increased', before: { ...array, maxItems: 10 }, after: { ...array, maxItems: 20 } },
  { suffix: 'max-items-unset', before: { ...array, maxItems: 10 }, after: array },
  { suffix: 'min-items-set', before: array, after: { ...array, minItems: 1 } },
  { suffix: 'min-items-increased', before: { ...array, minItems: 1 }, after: { ...array, minItems: 2 } },
  { suffix: 'min-items-decreased', before: { ...array, minItems: 2 }, after: { ...array, minItems: 1 } },
  { suffix: 'min-items-unset', before: { ...array, minItems: 1 }, after: array },
  { suffix: 'multiple-of-set', before: integer, after: { ...integer, multipleOf: 10 } },
  { suffix: 'multiple-of-relaxed', before: { ...integer, multipleOf: 10 }, after: { ...integer, multipleOf: 5 } },
  { suffix: 'multiple-of-changed', before: { ...integer, multipleOf: 5 }, after: { ...integer, multipleOf: 10 } },
  { suffix: 'multiple-of-unset', before: { ...integer, multipleOf: 10 }, after: integer },
  { suffix: 'unique-items-set', before: array, after: { ...array, uniqueItems: true } },
  { suffix: 'unique-items-unset', before: { ...array, uniqueItems: true }, after: array },
  { suffix: 'format-added', before: string, after: { ...string, format: 'date' } },
  { suffix: 'format-changed', before: { ...string, format: 'date' }, after: { ...string, format: 'date-time' } },
  { suffix: 'format-removed', before: { ...string, format: 'date' }, after: string },
  { suffix: 'pattern-added', before: string, after: { ...string, pattern: code } },
  { suffix: 'pattern-changed', before: { ...string, pattern: code }, after: { ...string, pattern: '^([A-Z]{3}|[A-Z]{2}[0-9])$' } },
  { suffix: 'pattern-removed', before: { ...string, pattern: code }, after: string },
  { suffix: 'became-enum', before: string, after: { ...string, enum: ['court', 'prison'] } },
  { suffix: 'enum-removed', before: { ...string, enum: ['court', 'prison'] }, after: string },
  { suffix: 'enum-value-removed', before: { ...string, enum: ['court', 'prison', 'hospital'] }, after: { ...string, enum: ['court', 'prison'] } },
  { suffix: 'enum-value-added', before: { ...string, enum: ['court', 'prison'] }, after: { ...string, enum: ['court', 'prison', 'hospital'] } },
  { suffix: 'default-value-changed', before: { ...integer, default: 3 }, after: { ...integer, default: 1 } },
  { suffix: 'default-value-added', before: integer, after: { ...integer, default: 3 } },
  { suffix: 'default-value-removed', before: { ...integer, default: 3 }, after: integer },
  { suffix: 'additional-properties-disallowed', before: object, after: { ...object, additionalProperties: false } },
  { suffix: 'additional-properties-allowed', before: { ...object, additionalProperties: false }, after: object },
  { suffix: 'one-of-added', before: string, after: { oneOf: [string, object] } },
  { suffix: 'one-of-removed', before: { oneOf: [string, object] }, after: string },
  { suffix: 'any-of-added', before: string, after: { anyOf: [string, object] } },
  { suffix: 'any-of-removed', before: { anyOf: [string, object] }, after: string }
]

/** How the reference names a placement, and what the finding says about where the change is. */
export interface PlacementInfo {
  /** Markdown. */
  readonly label: string
  readonly method?: string
  readonly path?: string
  readonly location: string
  readonly pointer: string
}

export const placements: Readonly<Record<Placement, PlacementInfo>> = {
  path: { label: 'path `/moves`', path: '/moves', location: 'paths', pointer: '' },
  operation: { label: '`GET /moves`', method: 'GET', path: '/moves', location: 'operation', pointer: '' },
  parameter: { label: '`GET /moves` query parameter `status`', method: 'GET', path: '/moves', location: 'request.query', pointer: '/status' },
  requestBody: { label: '`POST /moves` `requestBody`', method: 'POST', path: '/moves', location: 'request.body', pointer: '' },
  requestContent: { label: '`POST /moves` `requestBody.content`', method: 'POST', path: '/moves', location: 'request.body', pointer: '' },
  requestSchema: { label: '`POST /moves` request body schema', method: 'POST', path: '/moves', location: 'request.body', pointer: '' },
  successStatus: { label: '`POST /moves` `responses.202`', method: 'POST', path: '/moves', location: 'response.202', pointer: '' },
  errorStatus: { label: '`POST /moves` `responses.409`', method: 'POST', path: '/moves', location: 'response.409', pointer: '' },
  responseContent: { label: '`POST /moves` `responses.201.content`', method: 'POST', path: '/moves', location: 'response.201.body', pointer: '' },
  responseHeader: { label: '`POST /moves` `responses.201.headers.Location`', method: 'POST', path: '/moves', location: 'response.201.header', pointer: '/location' },
  responseSchema: { label: '`POST /moves` 201 response body schema', method: 'POST', path: '/moves', location: 'response.201.body', pointer: '' },
  security: { label: 'top-level `security`', method: 'GET', path: '/moves', location: 'security', pointer: '' },
  securityScheme: { label: '`components.securitySchemes.partner`', location: 'components.securitySchemes', pointer: '/partner' }
}

/** Sets `key` of `target` to `value`, or leaves it out when the fragment is absent. */
function put (target: Json, key: string, value: unknown): Json {
  if (value !== undefined) target[key] = structuredClone(value)
  return target
}

const created = () => ({ description: 'Move created' })
const createMove = (operation: Json) => ({ '/moves': { post: { responses: { 201: created() }, ...operation } } })

/** The whole document a structural example's fragment (or its absence) sits in. */
export function placeStructural (where: Placement, fragment: unknown): Json {
  const document: Json = { openapi: '3.1.0', info: { title: 'Moves', version: '2024-01-01' } }
  switch (where) {
    case 'path':
      return { ...document, paths: put({}, '/moves', fragment) }
    case 'operation':
      return { ...document, paths: { '/moves': put({}, 'get', fragment) } }
    case 'parameter': {
      const parameters = fragment === undefined ? [] : [{ name: 'status', in: 'query', ...structuredClone(fragment as Json) }]
      return { ...document, paths: { '/moves': { get: { parameters } } } }
    }
    case 'requestBody':
      return { ...document, paths: createMove(put({}, 'requestBody', fragment)) }
    case 'requestContent':
      return { ...document, paths: createMove({ requestBody: put({}, 'content', fragment) }) }
    case 'requestSchema':
      return { ...document, paths: createMove({ requestBody: { content: { 'application/json': put({}, 'schema', fragment) } } }) }
    case 'successStatus':
      return { ...document, paths: createMove({ responses: put({ 201: created() }, '202', fragment) }) }
    case 'errorStatus':
      return { ...document, paths: createMove({ responses: put({ 201: created() }, '409', fragment) }) }
    case 'responseContent':
      return { ...document, paths: createMove({ responses: { 201: put(created(), 'content', fragment) } }) }
    case 'responseHeader':
      return { ...document, paths: createMove({ responses: { 201: { ...created(), headers: put({}, 'Location', fragment) } } }) }
    case 'responseSchema':
      return { ...document, paths: createMove({ responses: { 201: { ...created(), content: { 'application/json': put({}, 'schema', fragment) } } } }) }
    case 'security':
      return put({
        ...document,
        paths: { '/moves': { get: { operationId: 'listMoves' } } },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, oauth: { type: 'oauth2', flows: flows('moves:read', 'moves:write') } } }
      }, 'security', fragment)
    case 'securityScheme':
      return { ...document, paths: {}, components: { securitySchemes: put({}, 'partner', fragment) } }
  }
}

/** The property a schema example describes, in the request body or the 201 response body of `POST /moves`. */
export const schemaProperty = 'reference'

/** The whole document a schema example's schema sits in, as a property of the request or the response body. */
export function placeSchema (side: 'request' | 'response', schema: Json): Json {
  const body = { content: { 'application/json': { schema: { type: 'object', properties: { [schemaProperty]: structuredClone(schema) } } } } }
  const operation = side === 'request' ? { requestBody: body } : { responses: { 201: { ...created(), ...body } } }
  return { openapi: '3.1.0', info: { title: 'Moves', version: '2024-01-01' }, paths: createMove(operation) }
}
