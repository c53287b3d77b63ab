import type { ChangeLevel, SchemaRuleSuffix, StructuralRuleId } from '../../lib/contract/rules.js'

/**
 * One example per rule of lib/contract/rules.ts, as the rule reference of docs/contract-rules.md
 * shows it: a small fragment before and after, and where it sits. A placement turns a fragment into a whole
 * OpenAPI 3.1 document, so the test suite can classify every example and check that it gives the
 * rule it illustrates at the level written here, which is not read from the code's table: each
 * level is stated with the source it follows, oasdiff's check id and default level (error,
 * warning, info) or the seed rule that overrides it, so a level changed in lib/contract fails the
 * test unless the example is changed with it.
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

/** The level a rule must give, and why: oasdiff's check and its default level, or the seed rule followed instead. */
export interface Expected {
  readonly level: ChangeLevel
  readonly source: string
}

export interface StructuralExample {
  readonly id: StructuralRuleId
  readonly level: ChangeLevel
  readonly source: string
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
  /** As the schema of a request body's property, and of a response body's. */
  readonly request: Expected
  readonly response: Expected
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
  { id: 'endpoint-added', level: 'compatible', source: 'oasdiff endpoint-added, info', where: 'operation', after: { operationId: 'listMoves' } },
  { id: 'api-path-removed-without-deprecation', level: 'breaking', source: 'oasdiff api-path-removed-without-deprecation, error', where: 'path', before: { get: { operationId: 'listMoves' } } },
  { id: 'api-path-removed-with-deprecation', level: 'warning', source: 'oasdiff api-path-removed-with-deprecation is info; a warning here: the removal was announced, but clients that did not move fail (seed 004: "removing endpoints" is breaking)', where: 'path', before: { get: { deprecated: true } } },
  { id: 'api-removed-without-deprecation', level: 'breaking', source: 'oasdiff api-removed-without-deprecation, error', where: 'operation', before: { operationId: 'listMoves' } },
  { id: 'api-removed-with-deprecation', level: 'warning', source: 'oasdiff api-removed-with-deprecation is info; a warning here: the removal was announced, but clients that did not move fail (seed 004: "removing endpoints" is breaking)', where: 'operation', before: { deprecated: true } },

  { id: 'new-required-request-parameter', level: 'breaking', source: 'oasdiff new-required-request-parameter, error', where: 'parameter', after: { required: true, schema: { type: 'string' } } },
  { id: 'new-optional-request-parameter', level: 'compatible', source: 'oasdiff new-optional-request-parameter, info', where: 'parameter', after: { schema: { type: 'string' } } },
  { id: 'request-parameter-removed', level: 'warning', source: 'oasdiff request-parameter-removed, warning', where: 'parameter', before: { schema: { type: 'string' } } },
  { id: 'request-parameter-became-required', level: 'breaking', source: 'oasdiff request-parameter-became-required, error', where: 'parameter', before: { schema: { type: 'string' } }, after: { required: true, schema: { type: 'string' } } },
  { id: 'request-parameter-became-optional', level: 'compatible', source: 'oasdiff request-parameter-became-optional, info', where: 'parameter', before: { required: true, schema: { type: 'string' } }, after: { schema: { type: 'string' } } },

  { id: 'request-body-added-required', level: 'breaking', source: 'oasdiff request-body-added-required, error', where: 'requestBody', after: { required: true, content: json } },
  { id: 'request-body-added-optional', level: 'compatible', source: 'oasdiff request-body-added-optional, info', where: 'requestBody', after: { content: json } },
  { id: 'request-body-removed', level: 'warning', source: 'oasdiff request-body-removed is an error; a warning here, as request-parameter-removed and request-property-removed are in oasdiff: only a server that refuses unknown input refuses clients still sending it', where: 'requestBody', before: { content: json } },
  { id: 'request-body-became-required', level: 'breaking', source: 'oasdiff request-body-became-required, error', where: 'requestBody', before: { content: json }, after: { required: true, content: json } },
  { id: 'request-body-became-optional', level: 'compatible', source: 'oasdiff request-body-became-optional, info', where: 'requestBody', before: { required: true, content: json }, after: { content: json } },
  { id: 'request-body-media-type-removed', level: 'breaking', source: 'oasdiff request-body-media-type-removed, error', where: 'requestContent', before: { ...json, 'application/xml': {} }, after: json },
  { id: 'request-body-media-type-added', level: 'compatible', source: 'oasdiff request-body-media-type-added, info', where: 'requestContent', before: json, after: { ...json, 'application/xml': {} } },

  { id: 'response-success-status-removed', level: 'breaking', source: 'oasdiff response-success-status-removed, error', where: 'successStatus', before: { description: 'Move queued' } },
  { id: 'response-non-success-status-removed', level: 'breaking', source: 'oasdiff response-non-success-status-removed is info; breaking here: seed 004, "altering error codes" is breaking', where: 'errorStatus', before: { description: 'Move already requested' } },
  { id: 'response-success-status-added', level: 'compatible', source: 'oasdiff response-success-status-added, info', where: 'successStatus', after: { description: 'Move queued' } },
  { id: 'response-non-success-status-added', level: 'warning', source: 'oasdiff response-non-success-status-added is info; a warning here: seed 004 counts "altering error codes" as breaking, but a client handles an unknown error status by its class', where: 'errorStatus', after: { description: 'Move already requested' } },
  { id: 'response-media-type-removed', level: 'breaking', source: 'oasdiff response-media-type-removed, error', where: 'responseContent', before: { ...json, 'text/csv': {} }, after: json },
  { id: 'response-media-type-added', level: 'compatible', source: 'oasdiff response-media-type-added, info', where: 'responseContent', before: json, after: { ...json, 'text/csv': {} } },
  { id: 'required-response-header-removed', level: 'breaking', source: 'oasdiff required-response-header-removed, error', where: 'responseHeader', before: { required: true, schema: { type: 'string' } } },
  { id: 'optional-response-header-removed', level: 'warning', source: 'oasdiff optional-response-header-removed, warning', where: 'responseHeader', before: { schema: { type: 'string' } } },
  { id: 'response-header-added', level: 'compatible', source: 'oasdiff response-header-added, info', where: 'responseHeader', after: { schema: { type: 'string' } } },
  { id: 'response-header-became-optional', level: 'breaking', source: 'oasdiff response-header-became-optional, error', where: 'responseHeader', before: { required: true, schema: { type: 'string' } }, after: { schema: { type: 'string' } } },
  { id: 'response-header-became-required', level: 'compatible', source: 'no oasdiff check; the inverse of oasdiff response-header-became-optional (error): a header now always sent adds a guarantee', where: 'responseHeader', before: { schema: { type: 'string' } }, after: { required: true, schema: { type: 'string' } } },

  { id: 'new-required-request-property', level: 'breaking', source: 'oasdiff new-required-request-property, error', where: 'requestSchema', pointer: '/reason', before: { type: 'object' }, after: { type: 'object', required: ['reason'], properties: reason } },
  { id: 'new-optional-request-property', level: 'compatible', source: 'oasdiff new-optional-request-property, info', where: 'requestSchema', pointer: '/reason', before: { type: 'object' }, after: { type: 'object', properties: reason } },
  { id: 'request-property-removed', level: 'warning', source: 'oasdiff request-property-removed, warning', where: 'requestSchema', pointer: '/reason', before: { type: 'object', properties: reason }, after: { type: 'object' } },
  { id: 'request-property-became-required', level: 'breaking', source: 'oasdiff request-property-became-required, error', where: 'requestSchema', pointer: '/reason', before: { type: 'object', properties: reason }, after: { type: 'object', required: ['reason'], properties: reason } },
  { id: 'request-property-became-optional', level: 'compatible', source: 'oasdiff request-property-became-optional, info', where: 'requestSchema', pointer: '/reason', before: { type: 'object', required: ['reason'], properties: reason }, after: { type: 'object', properties: reason } },
  { id: 'response-required-property-removed', level: 'breaking', source: 'oasdiff response-required-property-removed, error', where: 'responseSchema', pointer: '/reference', before: { type: 'object', required: ['reference'], properties: reference }, after: { type: 'object' } },
  { id: 'response-optional-property-removed', level: 'breaking', source: 'oasdiff response-optional-property-removed is a warning; breaking here: seed 000, "data values are removed ... in an endpoint\'s JSON response", and seed 003, "removing fields from the ... response"', where: 'responseSchema', pointer: '/reference', before: { type: 'object', properties: reference }, after: { type: 'object' } },
  { id: 'response-required-property-added', level: 'compatible', source: 'oasdiff response-required-property-added, info', where: 'responseSchema', pointer: '/reference', before: { type: 'object' }, after: { type: 'object', required: ['reference'], properties: reference } },
  { id: 'response-optional-property-added', level: 'compatible', source: 'oasdiff response-optional-property-added, info', where: 'responseSchema', pointer: '/reference', before: { type: 'object' }, after: { type: 'object', properties: reference } },
  { id: 'response-property-became-optional', level: 'breaking', source: 'oasdiff response-property-became-optional, error', where: 'responseSchema', pointer: '/reference', before: { type: 'object', required: ['reference'], properties: reference }, after: { type: 'object', properties: reference } },
  { id: 'response-property-became-required', level: 'compatible', source: 'oasdiff response-property-became-required, info', where: 'responseSchema', pointer: '/reference', before: { type: 'object', properties: reference }, after: { type: 'object', required: ['reference'], properties: reference } },

  { id: 'api-security-added', level: 'breaking', source: 'oasdiff api-security-added is info; breaking here: seed 004: "changing authentication methods" is breaking', where: 'security', pointer: '/bearer', after: [bearer] },
  { id: 'api-security-alternative-added', level: 'compatible', source: 'no oasdiff check (oasdiff api-security-added, info, covers it); compatible: clients keep the requirement they satisfy', where: 'security', pointer: '/oauth', before: [bearer], after: [bearer, read] },
  { id: 'api-security-removed', level: 'breaking', source: 'oasdiff api-security-removed is info; breaking here: seed 004: "changing authentication methods" is breaking', where: 'security', pointer: '/oauth', before: [bearer, read], after: [bearer] },
  { id: 'api-security-no-longer-required', level: 'compatible', source: 'no oasdiff check (oasdiff api-security-removed, info, covers it); compatible: the credentials clients still send are ignored', where: 'security', pointer: '/bearer', before: [bearer] },
  { id: 'api-security-scope-added', level: 'breaking', source: 'oasdiff api-security-scope-added is info; breaking here: seed 004: "changing authentication methods" is breaking', where: 'security', pointer: '/oauth', before: [read], after: [{ oauth: ['moves:read', 'moves:write'] }] },
  { id: 'api-security-scope-removed', level: 'compatible', source: 'oasdiff api-security-scope-removed, info', where: 'security', pointer: '/oauth', before: [{ oauth: ['moves:read', 'moves:write'] }], after: [read] },
  { id: 'api-security-component-removed', level: 'breaking', source: 'oasdiff api-security-component-removed is info; breaking here: seed 004: "changing authentication methods" is breaking', where: 'securityScheme', before: { type: 'http', scheme: 'bearer' } },
  { id: 'api-security-component-type-changed', level: 'breaking', source: 'oasdiff api-security-component-type-changed is info; breaking here: seed 004: "changing authentication methods" is breaking', where: 'securityScheme', before: { type: 'http', scheme: 'bearer' }, after: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
  { id: 'api-security-component-oauth-scope-removed', level: 'breaking', source: 'oasdiff api-security-component-oauth-scope-removed is info; breaking here: seed 004: "changing authentication methods" is breaking', where: 'securityScheme', before: { type: 'oauth2', flows: flows('moves:read', 'moves:write') }, after: { type: 'oauth2', flows: flows('moves:read') } }
]

const string = { type: 'string' }
const integer = { type: 'integer' }
const number = { type: 'number' }
const array = { type: 'array' }
const object = { type: 'object' }
const code = '^[A-Z]{3}$'

export const schemaExamples: readonly SchemaExample[] = [
  {
    suffix: 'type-changed',
    before: integer,
    after: string,
    request: { level: 'breaking', source: 'oasdiff request-property-type-changed, error' },
    response: { level: 'breaking', source: 'oasdiff response-property-type-changed, error' }
  },
  {
    suffix: 'type-generalized',
    before: integer,
    after: number,
    request: { level: 'compatible', source: 'oasdiff request-property-type-generalized, info' },
    response: { level: 'breaking', source: 'oasdiff response-property-type-generalized, error' }
  },
  {
    suffix: 'type-specialized',
    before: number,
    after: integer,
    request: { level: 'breaking', source: 'oasdiff reports it as request-property-type-changed, an error: a value of the old type may be refused' },
    response: { level: 'compatible', source: 'oasdiff response-property-type-specialized, info' }
  },
  {
    suffix: 'became-nullable',
    before: string,
    after: { type: ['string', 'null'] },
    request: { level: 'compatible', source: 'oasdiff request-property-became-nullable, info' },
    response: { level: 'breaking', source: 'oasdiff response-property-became-nullable, error' }
  },
  {
    suffix: 'became-not-nullable',
    before: { type: ['string', 'null'] },
    after: string,
    request: { level: 'breaking', source: 'oasdiff request-property-became-not-nullable, error' },
    response: { level: 'compatible', source: 'oasdiff response-property-became-not-nullable, info' }
  },
  {
    suffix: 'max-length-set',
    before: string,
    after: { ...string, maxLength: 20 },
    request: { level: 'breaking', source: 'oasdiff request-property-max-length-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'max-length-decreased',
    before: { ...string, maxLength: 20 },
    after: { ...string, maxLength: 10 },
    request: { level: 'breaking', source: 'oasdiff request-property-max-length-decreased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'max-length-increased',
    before: { ...string, maxLength: 20 },
    after: { ...string, maxLength: 50 },
    request: { level: 'compatible', source: 'oasdiff request-property-max-length-increased, info' },
    response: { level: 'warning', source: 'oasdiff response-property-max-length-increased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'max-length-unset',
    before: { ...string, maxLength: 20 },
    after: string,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'oasdiff response-property-max-length-unset is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'min-length-set',
    before: string,
    after: { ...string, minLength: 1 },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'min-length-increased',
    before: { ...string, minLength: 1 },
    after: { ...string, minLength: 3 },
    request: { level: 'breaking', source: 'oasdiff request-property-min-length-increased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'min-length-decreased',
    before: { ...string, minLength: 3 },
    after: { ...string, minLength: 1 },
    request: { level: 'compatible', source: 'oasdiff request-property-min-length-decreased, info' },
    response: { level: 'warning', source: 'oasdiff response-property-min-length-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'min-length-unset',
    before: { ...string, minLength: 1 },
    after: string,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'max-set',
    before: integer,
    after: { ...integer, maximum: 5 },
    request: { level: 'breaking', source: 'oasdiff request-property-max-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'max-decreased',
    before: { ...integer, maximum: 5 },
    after: { ...integer, maximum: 3 },
    request: { level: 'breaking', source: 'oasdiff request-property-max-decreased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'max-increased',
    before: { ...integer, maximum: 5 },
    after: { ...integer, maximum: 10 },
    request: { level: 'compatible', source: 'oasdiff request-property-max-increased, info' },
    response: { level: 'warning', source: 'oasdiff response-property-max-increased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'max-unset',
    before: { ...integer, maximum: 5 },
    after: integer,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'min-set',
    before: integer,
    after: { ...integer, minimum: 1 },
    request: { level: 'breaking', source: 'oasdiff request-property-min-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'min-increased',
    before: { ...integer, minimum: 0 },
    after: { ...integer, minimum: 1 },
    request: { level: 'breaking', source: 'oasdiff request-property-min-increased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'min-decreased',
    before: { ...integer, minimum: 1 },
    after: { ...integer, minimum: 0 },
    request: { level: 'compatible', source: 'oasdiff request-property-min-decreased, info' },
    response: { level: 'warning', source: 'oasdiff response-property-min-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'min-unset',
    before: { ...integer, minimum: 1 },
    after: integer,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'exclusive-max-set',
    before: number,
    after: { ...number, exclusiveMaximum: 1000 },
    request: { level: 'breaking', source: 'oasdiff request-property-exclusive-max-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'exclusive-max-decreased',
    before: { ...number, exclusiveMaximum: 1000 },
    after: { ...number, exclusiveMaximum: 500 },
    request: { level: 'breaking', source: 'oasdiff request-property-exclusive-max-decreased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'exclusive-max-increased',
    before: { ...number, exclusiveMaximum: 500 },
    after: { ...number, exclusiveMaximum: 1000 },
    request: { level: 'compatible', source: 'oasdiff request-property-exclusive-max-increased, info' },
    response: { level: 'warning', source: 'oasdiff response-property-exclusive-max-increased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'exclusive-max-unset',
    before: { ...number, exclusiveMaximum: 1000 },
    after: number,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'exclusive-min-set',
    before: number,
    after: { ...number, exclusiveMinimum: 0 },
    request: { level: 'breaking', source: 'oasdiff request-property-exclusive-min-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'exclusive-min-increased',
    before: { ...number, exclusiveMinimum: 0 },
    after: { ...number, exclusiveMinimum: 10 },
    request: { level: 'breaking', source: 'oasdiff request-property-exclusive-min-increased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'exclusive-min-decreased',
    before: { ...number, exclusiveMinimum: 10 },
    after: { ...number, exclusiveMinimum: 0 },
    request: { level: 'compatible', source: 'oasdiff request-property-exclusive-min-decreased, info' },
    response: { level: 'warning', source: 'oasdiff response-property-exclusive-min-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'exclusive-min-unset',
    before: { ...number, exclusiveMinimum: 0 },
    after: number,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'max-items-set',
    before: array,
    after: { ...array, maxItems: 10 },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'max-items-decreased',
    before: { ...array, maxItems: 10 },
    after: { ...array, maxItems: 5 },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'max-items-increased',
    before: { ...array, maxItems: 10 },
    after: { ...array, maxItems: 20 },
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'max-items-unset',
    before: { ...array, maxItems: 10 },
    after: array,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'min-items-set',
    before: array,
    after: { ...array, minItems: 1 },
    request: { level: 'breaking', source: 'oasdiff request-property-min-items-set is a warning; breaking here: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'min-items-increased',
    before: { ...array, minItems: 1 },
    after: { ...array, minItems: 2 },
    request: { level: 'breaking', source: 'oasdiff request-property-min-items-increased, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'min-items-decreased',
    before: { ...array, minItems: 2 },
    after: { ...array, minItems: 1 },
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'oasdiff response-property-min-items-decreased is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'min-items-unset',
    before: { ...array, minItems: 1 },
    after: array,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'oasdiff response-property-min-items-unset is an error; a warning here: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'multiple-of-set',
    before: integer,
    after: { ...integer, multipleOf: 10 },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'multiple-of-relaxed',
    before: { ...integer, multipleOf: 10 },
    after: { ...integer, multipleOf: 5 },
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'multiple-of-changed',
    before: { ...integer, multipleOf: 5 },
    after: { ...integer, multipleOf: 10 },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'multiple-of-unset',
    before: { ...integer, multipleOf: 10 },
    after: integer,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'unique-items-set',
    before: array,
    after: { ...array, uniqueItems: true },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'unique-items-unset',
    before: { ...array, uniqueItems: true },
    after: array,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'format-added',
    before: string,
    after: { ...string, format: 'date' },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request valid before may be refused (seed 003: "changing ... fields in the data structure" is incompatible)' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'format-changed',
    before: { ...string, format: 'date' },
    after: { ...string, format: 'date-time' },
    request: { level: 'breaking', source: 'oasdiff reports a changed format as request-property-type-changed, an error: the text means another thing' },
    response: { level: 'breaking', source: 'oasdiff reports a changed format as response-property-type-changed, an error: the text means another thing' }
  },
  {
    suffix: 'format-removed',
    before: { ...string, format: 'date' },
    after: string,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; warning: values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'pattern-added',
    before: string,
    after: { ...string, pattern: code },
    request: { level: 'breaking', source: 'oasdiff request-property-pattern-added, error' },
    response: { level: 'compatible', source: 'oasdiff response-property-pattern-added, info' }
  },
  {
    suffix: 'pattern-changed',
    before: { ...string, pattern: code },
    after: { ...string, pattern: '^([A-Z]{3}|[A-Z]{2}[0-9])$' },
    request: { level: 'warning', source: 'oasdiff request-property-pattern-changed, warning' },
    response: { level: 'warning', source: 'oasdiff response-property-pattern-changed is info; a warning here, as every response constraint relaxed: values the old pattern excluded may be returned' }
  },
  {
    suffix: 'pattern-removed',
    before: { ...string, pattern: code },
    after: string,
    request: { level: 'compatible', source: 'oasdiff request-property-pattern-removed, info' },
    response: { level: 'warning', source: 'oasdiff response-property-pattern-removed is info; a warning here, as every response constraint relaxed: values the old pattern excluded may be returned' }
  },
  {
    suffix: 'became-enum',
    before: string,
    after: { ...string, enum: ['court', 'prison'] },
    request: { level: 'breaking', source: 'oasdiff request-property-became-enum, error' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible, as oasdiff response-property-enum-value-removed (info): every value returned now was allowed before' }
  },
  {
    suffix: 'enum-removed',
    before: { ...string, enum: ['court', 'prison'] },
    after: string,
    request: { level: 'compatible', source: 'no oasdiff check; compatible, as oasdiff request-property-enum-value-added (info): every request valid before still is' },
    response: { level: 'warning', source: 'no oasdiff check; values outside the old constraint may now be returned, which fails only clients that relied on it (a warning, as oasdiff response-property-enum-value-added is)' }
  },
  {
    suffix: 'enum-value-removed',
    before: { ...string, enum: ['court', 'prison', 'hospital'] },
    after: { ...string, enum: ['court', 'prison'] },
    request: { level: 'breaking', source: 'oasdiff request-property-enum-value-removed, error' },
    response: { level: 'compatible', source: 'oasdiff response-property-enum-value-removed, info' }
  },
  {
    suffix: 'enum-value-added',
    before: { ...string, enum: ['court', 'prison'] },
    after: { ...string, enum: ['court', 'prison', 'hospital'] },
    request: { level: 'compatible', source: 'oasdiff request-property-enum-value-added, info' },
    response: { level: 'warning', source: 'oasdiff response-property-enum-value-added, warning' }
  },
  {
    suffix: 'const-changed',
    before: { ...string, const: 'court' },
    after: { ...string, const: 'prison' },
    request: { level: 'breaking', source: 'oasdiff request-property-const-changed, error' },
    response: { level: 'breaking', source: 'oasdiff response-property-const-changed, error' }
  },
  {
    suffix: 'default-value-changed',
    before: { ...integer, default: 3 },
    after: { ...integer, default: 1 },
    request: { level: 'breaking', source: 'oasdiff request-property-default-value-changed is info; breaking here: seed 000, "the defaults for existing request properties are changed"' },
    response: { level: 'compatible', source: 'oasdiff response-property-default-value-changed, info' }
  },
  {
    suffix: 'default-value-added',
    before: integer,
    after: { ...integer, default: 3 },
    request: { level: 'compatible', source: 'oasdiff request-property-default-value-added, info' },
    response: { level: 'compatible', source: 'oasdiff response-property-default-value-added, info' }
  },
  {
    suffix: 'default-value-removed',
    before: { ...integer, default: 3 },
    after: integer,
    request: { level: 'warning', source: 'oasdiff request-property-default-value-removed is info; a warning here: leaving the value out no longer means what it meant (seed 000 on defaults)' },
    response: { level: 'compatible', source: 'oasdiff response-property-default-value-removed, info' }
  },
  {
    suffix: 'additional-properties-disallowed',
    before: object,
    after: { ...object, additionalProperties: false },
    request: { level: 'breaking', source: 'no oasdiff check; breaking: a request with other properties, valid before, is refused' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: every value returned now was allowed before' }
  },
  {
    suffix: 'additional-properties-allowed',
    before: { ...object, additionalProperties: false },
    after: object,
    request: { level: 'compatible', source: 'no oasdiff check; compatible: every request valid before still is' },
    response: { level: 'compatible', source: 'no oasdiff check; compatible: unknown properties are new response properties, which clients tolerate (oasdiff response-optional-property-added, info)' }
  },
  {
    suffix: 'one-of-added',
    before: string,
    after: { oneOf: [string, object] },
    request: { level: 'compatible', source: 'oasdiff request-property-one-of-added, info' },
    response: { level: 'warning', source: 'oasdiff response-property-one-of-added is an error; a warning here, as any-of-added (oasdiff info) and enum-value-added (oasdiff warning): a new kind of value fails only clients that handle the known ones alone' }
  },
  {
    suffix: 'one-of-removed',
    before: { oneOf: [string, object] },
    after: string,
    request: { level: 'breaking', source: 'oasdiff request-property-one-of-removed, error' },
    response: { level: 'compatible', source: 'oasdiff response-property-one-of-removed, info' }
  },
  {
    suffix: 'any-of-added',
    before: string,
    after: { anyOf: [string, object] },
    request: { level: 'compatible', source: 'oasdiff request-property-any-of-added, info' },
    response: { level: 'warning', source: 'oasdiff response-property-any-of-added is info; a warning here, as one-of-added: a new kind of value fails only clients that handle the known ones alone' }
  },
  {
    suffix: 'any-of-removed',
    before: { anyOf: [string, object] },
    after: string,
    request: { level: 'breaking', source: 'oasdiff request-property-any-of-removed, error' },
    response: { level: 'compatible', source: 'oasdiff response-property-any-of-removed, info' }
  }
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
