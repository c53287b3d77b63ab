/**
 * The rule table: every change the classifier reports, with its level. Ids follow oasdiff's
 * checker ids where oasdiff has one, so a finding can be looked up in its documentation.
 * Levels follow the direction of the data: what a client sends (request) breaks when the server
 * accepts less; what a client reads (response) breaks when the server may send more or guarantee less.
 */

/** `breaking`: existing clients fail; `warning`: some clients may fail; `compatible`: no client fails. */
export type ChangeLevel = 'breaking' | 'warning' | 'compatible'

/** Which side of the exchange a schema describes. */
export type Side = 'request' | 'response'

/** Changes to the shape of the API: paths, operations, parameters, bodies, statuses, security. */
export const structuralRules = {
  'endpoint-added': 'compatible',
  'api-path-removed-without-deprecation': 'breaking',
  // Deprecation announced the removal: still a removal, but one clients were told about.
  'api-path-removed-with-deprecation': 'warning',
  'api-removed-without-deprecation': 'breaking',
  'api-removed-with-deprecation': 'warning',
  'new-required-request-parameter': 'breaking',
  'new-optional-request-parameter': 'compatible',
  // Servers that reject unknown parameters would reject clients still sending it.
  'request-parameter-removed': 'warning',
  'request-parameter-became-required': 'breaking',
  'request-parameter-became-optional': 'compatible',
  'request-body-added-required': 'breaking',
  'request-body-added-optional': 'compatible',
  'request-body-removed': 'warning',
  'request-body-became-required': 'breaking',
  'request-body-became-optional': 'compatible',
  'request-body-media-type-removed': 'breaking',
  'request-body-media-type-added': 'compatible',
  'response-success-status-removed': 'breaking',
  // Clients handle the error codes they were told about: removing or adding one changes the error contract.
  'response-non-success-status-removed': 'breaking',
  'response-success-status-added': 'compatible',
  'response-non-success-status-added': 'warning',
  'response-media-type-removed': 'breaking',
  'response-media-type-added': 'compatible',
  'required-response-header-removed': 'breaking',
  'optional-response-header-removed': 'warning',
  'response-header-added': 'compatible',
  'response-header-became-optional': 'breaking',
  'response-header-became-required': 'compatible',
  'new-required-request-property': 'breaking',
  'new-optional-request-property': 'compatible',
  // A server that rejects unknown properties would reject clients still sending it.
  'request-property-removed': 'warning',
  'request-property-became-required': 'breaking',
  'request-property-became-optional': 'compatible',
  'response-required-property-removed': 'breaking',
  // oasdiff warns here; removing a value clients read is breaking for every policy this project follows.
  'response-optional-property-removed': 'breaking',
  'response-required-property-added': 'compatible',
  'response-optional-property-added': 'compatible',
  'response-property-became-optional': 'breaking',
  'response-property-became-required': 'compatible',
  'api-security-added': 'breaking',
  // A new alternative way to authenticate: clients using an existing one are unaffected.
  'api-security-alternative-added': 'compatible',
  'api-security-removed': 'breaking',
  // Authentication no longer required: credentials clients still send are ignored.
  'api-security-no-longer-required': 'compatible',
  'api-security-scope-added': 'breaking',
  'api-security-scope-removed': 'compatible',
  'api-security-component-removed': 'breaking',
  'api-security-component-type-changed': 'breaking',
  'api-security-component-oauth-scope-removed': 'breaking'
} as const satisfies Record<string, ChangeLevel>

export type StructuralRuleId = keyof typeof structuralRules

/**
 * Changes to a schema, by suffix; the id is `<subject>-<suffix>` with the subject one of
 * `request-body`, `request-property`, `request-parameter`, `response-body`, `response-property`,
 * `response-header`. The level depends on the side the schema is on.
 */
export const schemaRules = {
  'type-changed': { request: 'breaking', response: 'breaking', text: 'type changed' },
  // Accepting more types (integer to number, string to [string, integer]) keeps old requests valid.
  'type-generalized': { request: 'compatible', response: 'breaking', text: 'type widened' },
  'type-specialized': { request: 'breaking', response: 'compatible', text: 'type narrowed' },
  'became-nullable': { request: 'compatible', response: 'breaking', text: 'became nullable' },
  'became-not-nullable': { request: 'breaking', response: 'compatible', text: 'became not nullable' },
  'max-length-set': { request: 'breaking', response: 'compatible', text: 'maxLength set' },
  'max-length-decreased': { request: 'breaking', response: 'compatible', text: 'maxLength decreased' },
  'max-length-increased': { request: 'compatible', response: 'warning', text: 'maxLength increased' },
  'max-length-unset': { request: 'compatible', response: 'warning', text: 'maxLength removed' },
  'min-length-set': { request: 'breaking', response: 'compatible', text: 'minLength set' },
  'min-length-increased': { request: 'breaking', response: 'compatible', text: 'minLength increased' },
  'min-length-decreased': { request: 'compatible', response: 'warning', text: 'minLength decreased' },
  'min-length-unset': { request: 'compatible', response: 'warning', text: 'minLength removed' },
  'max-set': { request: 'breaking', response: 'compatible', text: 'maximum set' },
  'max-decreased': { request: 'breaking', response: 'compatible', text: 'maximum decreased' },
  'max-increased': { request: 'compatible', response: 'warning', text: 'maximum increased' },
  'max-unset': { request: 'compatible', response: 'warning', text: 'maximum removed' },
  'min-set': { request: 'breaking', response: 'compatible', text: 'minimum set' },
  'min-increased': { request: 'breaking', response: 'compatible', text: 'minimum increased' },
  'min-decreased': { request: 'compatible', response: 'warning', text: 'minimum decreased' },
  'min-unset': { request: 'compatible', response: 'warning', text: 'minimum removed' },
  'exclusive-max-set': { request: 'breaking', response: 'compatible', text: 'exclusiveMaximum set' },
  'exclusive-max-decreased': { request: 'breaking', response: 'compatible', text: 'exclusiveMaximum decreased' },
  'exclusive-max-increased': { request: 'compatible', response: 'warning', text: 'exclusiveMaximum increased' },
  'exclusive-max-unset': { request: 'compatible', response: 'warning', text: 'exclusiveMaximum removed' },
  'exclusive-min-set': { request: 'breaking', response: 'compatible', text: 'exclusiveMinimum set' },
  'exclusive-min-increased': { request: 'breaking', response: 'compatible', text: 'exclusiveMinimum increased' },
  'exclusive-min-decreased': { request: 'compatible', response: 'warning', text: 'exclusiveMinimum decreased' },
  'exclusive-min-unset': { request: 'compatible', response: 'warning', text: 'exclusiveMinimum removed' },
  'max-items-set': { request: 'breaking', response: 'compatible', text: 'maxItems set' },
  'max-items-decreased': { request: 'breaking', response: 'compatible', text: 'maxItems decreased' },
  'max-items-increased': { request: 'compatible', response: 'warning', text: 'maxItems increased' },
  'max-items-unset': { request: 'compatible', response: 'warning', text: 'maxItems removed' },
  'min-items-set': { request: 'breaking', response: 'compatible', text: 'minItems set' },
  'min-items-increased': { request: 'breaking', response: 'compatible', text: 'minItems increased' },
  'min-items-decreased': { request: 'compatible', response: 'warning', text: 'minItems decreased' },
  'min-items-unset': { request: 'compatible', response: 'warning', text: 'minItems removed' },
  'multiple-of-set': { request: 'breaking', response: 'compatible', text: 'multipleOf set' },
  // 10 to 5 accepts more, 5 to 10 less: only a divisor of the old step keeps every old request valid.
  'multiple-of-relaxed': { request: 'compatible', response: 'warning', text: 'multipleOf relaxed' },
  'multiple-of-changed': { request: 'breaking', response: 'warning', text: 'multipleOf changed' },
  'multiple-of-unset': { request: 'compatible', response: 'warning', text: 'multipleOf removed' },
  'unique-items-set': { request: 'breaking', response: 'compatible', text: 'items must be unique' },
  'unique-items-unset': { request: 'compatible', response: 'warning', text: 'items may repeat' },
  // A format is a constraint on the text (a date, an email): adding one rejects values accepted before.
  'format-added': { request: 'breaking', response: 'compatible', text: 'format added' },
  'format-changed': { request: 'breaking', response: 'breaking', text: 'format changed' },
  'format-removed': { request: 'compatible', response: 'warning', text: 'format removed' },
  'pattern-added': { request: 'breaking', response: 'compatible', text: 'pattern added' },
  // Whether one pattern accepts more than another is undecidable in general.
  'pattern-changed': { request: 'warning', response: 'warning', text: 'pattern changed' },
  'pattern-removed': { request: 'compatible', response: 'warning', text: 'pattern removed' },
  'became-enum': { request: 'breaking', response: 'compatible', text: 'restricted to a list of values' },
  'enum-removed': { request: 'compatible', response: 'warning', text: 'no longer restricted to a list of values' },
  'enum-value-removed': { request: 'breaking', response: 'compatible', text: 'enum value removed' },
  'enum-value-added': { request: 'compatible', response: 'warning', text: 'enum value added' },
  'default-value-changed': { request: 'breaking', response: 'compatible', text: 'default value changed' },
  'default-value-added': { request: 'compatible', response: 'compatible', text: 'default value added' },
  // Omitting the value no longer means what it meant: the server now decides differently.
  'default-value-removed': { request: 'warning', response: 'compatible', text: 'default value removed' },
  'additional-properties-disallowed': { request: 'breaking', response: 'compatible', text: 'additional properties no longer allowed' },
  // Unknown response properties are new response properties, which clients must tolerate.
  'additional-properties-allowed': { request: 'compatible', response: 'compatible', text: 'additional properties allowed' },
  'one-of-added': { request: 'compatible', response: 'warning', text: 'oneOf alternative added' },
  'one-of-removed': { request: 'breaking', response: 'compatible', text: 'oneOf alternative removed' },
  'any-of-added': { request: 'compatible', response: 'warning', text: 'anyOf alternative added' },
  'any-of-removed': { request: 'breaking', response: 'compatible', text: 'anyOf alternative removed' }
} as const satisfies Record<string, Readonly<Record<Side, ChangeLevel>> & { text: string }>

export type SchemaRuleSuffix = keyof typeof schemaRules
