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
// Each id is a named constant, used by the checks, so that an id can be looked up where it is reported.
export const ENDPOINT_ADDED = 'endpoint-added'
export const API_PATH_REMOVED_WITHOUT_DEPRECATION = 'api-path-removed-without-deprecation'
export const API_PATH_REMOVED_WITH_DEPRECATION = 'api-path-removed-with-deprecation'
export const API_REMOVED_WITHOUT_DEPRECATION = 'api-removed-without-deprecation'
export const API_REMOVED_WITH_DEPRECATION = 'api-removed-with-deprecation'
export const NEW_REQUIRED_REQUEST_PARAMETER = 'new-required-request-parameter'
export const NEW_OPTIONAL_REQUEST_PARAMETER = 'new-optional-request-parameter'
export const REQUEST_PARAMETER_REMOVED = 'request-parameter-removed'
export const REQUEST_PARAMETER_BECAME_REQUIRED = 'request-parameter-became-required'
export const REQUEST_PARAMETER_BECAME_OPTIONAL = 'request-parameter-became-optional'
export const REQUEST_BODY_ADDED_REQUIRED = 'request-body-added-required'
export const REQUEST_BODY_ADDED_OPTIONAL = 'request-body-added-optional'
export const REQUEST_BODY_REMOVED = 'request-body-removed'
export const REQUEST_BODY_BECAME_REQUIRED = 'request-body-became-required'
export const REQUEST_BODY_BECAME_OPTIONAL = 'request-body-became-optional'
export const REQUEST_BODY_MEDIA_TYPE_REMOVED = 'request-body-media-type-removed'
export const REQUEST_BODY_MEDIA_TYPE_ADDED = 'request-body-media-type-added'
export const RESPONSE_SUCCESS_STATUS_REMOVED = 'response-success-status-removed'
export const RESPONSE_NON_SUCCESS_STATUS_REMOVED = 'response-non-success-status-removed'
export const RESPONSE_SUCCESS_STATUS_ADDED = 'response-success-status-added'
export const RESPONSE_NON_SUCCESS_STATUS_ADDED = 'response-non-success-status-added'
export const RESPONSE_MEDIA_TYPE_REMOVED = 'response-media-type-removed'
export const RESPONSE_MEDIA_TYPE_ADDED = 'response-media-type-added'
export const REQUIRED_RESPONSE_HEADER_REMOVED = 'required-response-header-removed'
export const OPTIONAL_RESPONSE_HEADER_REMOVED = 'optional-response-header-removed'
export const RESPONSE_HEADER_ADDED = 'response-header-added'
export const RESPONSE_HEADER_BECAME_OPTIONAL = 'response-header-became-optional'
export const RESPONSE_HEADER_BECAME_REQUIRED = 'response-header-became-required'
export const NEW_REQUIRED_REQUEST_PROPERTY = 'new-required-request-property'
export const NEW_OPTIONAL_REQUEST_PROPERTY = 'new-optional-request-property'
export const REQUEST_PROPERTY_REMOVED = 'request-property-removed'
export const REQUEST_PROPERTY_BECAME_REQUIRED = 'request-property-became-required'
export const REQUEST_PROPERTY_BECAME_OPTIONAL = 'request-property-became-optional'
export const RESPONSE_REQUIRED_PROPERTY_REMOVED = 'response-required-property-removed'
export const RESPONSE_OPTIONAL_PROPERTY_REMOVED = 'response-optional-property-removed'
export const RESPONSE_REQUIRED_PROPERTY_ADDED = 'response-required-property-added'
export const RESPONSE_OPTIONAL_PROPERTY_ADDED = 'response-optional-property-added'
export const RESPONSE_PROPERTY_BECAME_OPTIONAL = 'response-property-became-optional'
export const RESPONSE_PROPERTY_BECAME_REQUIRED = 'response-property-became-required'
export const API_SECURITY_ADDED = 'api-security-added'
export const API_SECURITY_ALTERNATIVE_ADDED = 'api-security-alternative-added'
export const API_SECURITY_REMOVED = 'api-security-removed'
export const API_SECURITY_NO_LONGER_REQUIRED = 'api-security-no-longer-required'
export const API_SECURITY_SCOPE_ADDED = 'api-security-scope-added'
export const API_SECURITY_SCOPE_REMOVED = 'api-security-scope-removed'
export const API_SECURITY_COMPONENT_REMOVED = 'api-security-component-removed'
export const API_SECURITY_COMPONENT_TYPE_CHANGED = 'api-security-component-type-changed'
export const API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED = 'api-security-component-oauth-scope-removed'

export const structuralRules = {
  [ENDPOINT_ADDED]: 'compatible',
  [API_PATH_REMOVED_WITHOUT_DEPRECATION]: 'breaking',
  // Deprecation announced the removal: still a removal, but one clients were told about.
  [API_PATH_REMOVED_WITH_DEPRECATION]: 'warning',
  [API_REMOVED_WITHOUT_DEPRECATION]: 'breaking',
  [API_REMOVED_WITH_DEPRECATION]: 'warning',
  [NEW_REQUIRED_REQUEST_PARAMETER]: 'breaking',
  [NEW_OPTIONAL_REQUEST_PARAMETER]: 'compatible',
  // Servers that reject unknown parameters would reject clients still sending it.
  [REQUEST_PARAMETER_REMOVED]: 'warning',
  [REQUEST_PARAMETER_BECAME_REQUIRED]: 'breaking',
  [REQUEST_PARAMETER_BECAME_OPTIONAL]: 'compatible',
  [REQUEST_BODY_ADDED_REQUIRED]: 'breaking',
  [REQUEST_BODY_ADDED_OPTIONAL]: 'compatible',
  [REQUEST_BODY_REMOVED]: 'warning',
  [REQUEST_BODY_BECAME_REQUIRED]: 'breaking',
  [REQUEST_BODY_BECAME_OPTIONAL]: 'compatible',
  [REQUEST_BODY_MEDIA_TYPE_REMOVED]: 'breaking',
  [REQUEST_BODY_MEDIA_TYPE_ADDED]: 'compatible',
  [RESPONSE_SUCCESS_STATUS_REMOVED]: 'breaking',
  // Clients handle the error codes they were told about: removing or adding one changes the error contract.
  [RESPONSE_NON_SUCCESS_STATUS_REMOVED]: 'breaking',
  [RESPONSE_SUCCESS_STATUS_ADDED]: 'compatible',
  [RESPONSE_NON_SUCCESS_STATUS_ADDED]: 'warning',
  [RESPONSE_MEDIA_TYPE_REMOVED]: 'breaking',
  [RESPONSE_MEDIA_TYPE_ADDED]: 'compatible',
  [REQUIRED_RESPONSE_HEADER_REMOVED]: 'breaking',
  [OPTIONAL_RESPONSE_HEADER_REMOVED]: 'warning',
  [RESPONSE_HEADER_ADDED]: 'compatible',
  [RESPONSE_HEADER_BECAME_OPTIONAL]: 'breaking',
  [RESPONSE_HEADER_BECAME_REQUIRED]: 'compatible',
  [NEW_REQUIRED_REQUEST_PROPERTY]: 'breaking',
  [NEW_OPTIONAL_REQUEST_PROPERTY]: 'compatible',
  // A server that rejects unknown properties would reject clients still sending it.
  [REQUEST_PROPERTY_REMOVED]: 'warning',
  [REQUEST_PROPERTY_BECAME_REQUIRED]: 'breaking',
  [REQUEST_PROPERTY_BECAME_OPTIONAL]: 'compatible',
  [RESPONSE_REQUIRED_PROPERTY_REMOVED]: 'breaking',
  // oasdiff warns here; removing a value clients read is breaking for every policy this project follows.
  [RESPONSE_OPTIONAL_PROPERTY_REMOVED]: 'breaking',
  [RESPONSE_REQUIRED_PROPERTY_ADDED]: 'compatible',
  [RESPONSE_OPTIONAL_PROPERTY_ADDED]: 'compatible',
  [RESPONSE_PROPERTY_BECAME_OPTIONAL]: 'breaking',
  [RESPONSE_PROPERTY_BECAME_REQUIRED]: 'compatible',
  [API_SECURITY_ADDED]: 'breaking',
  // A new alternative way to authenticate: clients using an existing one are unaffected.
  [API_SECURITY_ALTERNATIVE_ADDED]: 'compatible',
  [API_SECURITY_REMOVED]: 'breaking',
  // Authentication no longer required: credentials clients still send are ignored.
  [API_SECURITY_NO_LONGER_REQUIRED]: 'compatible',
  [API_SECURITY_SCOPE_ADDED]: 'breaking',
  [API_SECURITY_SCOPE_REMOVED]: 'compatible',
  [API_SECURITY_COMPONENT_REMOVED]: 'breaking',
  [API_SECURITY_COMPONENT_TYPE_CHANGED]: 'breaking',
  [API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED]: 'breaking'
} as const satisfies Record<string, ChangeLevel>

export type StructuralRuleId = keyof typeof structuralRules

/** Where a schema is: the first part of a schema rule's id, `<subject>-<suffix>`. */
export const REQUEST_BODY = 'request-body'
export const REQUEST_PROPERTY = 'request-property'
export const REQUEST_PARAMETER = 'request-parameter'
export const RESPONSE_BODY = 'response-body'
export const RESPONSE_PROPERTY = 'response-property'
export const RESPONSE_HEADER = 'response-header'
export type SchemaSubject = typeof REQUEST_BODY | typeof REQUEST_PROPERTY | typeof REQUEST_PARAMETER | typeof RESPONSE_BODY | typeof RESPONSE_PROPERTY | typeof RESPONSE_HEADER

/**
 * Changes to a schema, by suffix; the id is `<subject>-<suffix>` with the subject one of
 * `request-body`, `request-property`, `request-parameter`, `response-body`, `response-property`,
 * `response-header`. The level depends on the side the schema is on.
 */
export const TYPE_CHANGED = 'type-changed'
export const TYPE_GENERALIZED = 'type-generalized'
export const TYPE_SPECIALIZED = 'type-specialized'
export const BECAME_NULLABLE = 'became-nullable'
export const BECAME_NOT_NULLABLE = 'became-not-nullable'
export const MAX_LENGTH_SET = 'max-length-set'
export const MAX_LENGTH_DECREASED = 'max-length-decreased'
export const MAX_LENGTH_INCREASED = 'max-length-increased'
export const MAX_LENGTH_UNSET = 'max-length-unset'
export const MIN_LENGTH_SET = 'min-length-set'
export const MIN_LENGTH_INCREASED = 'min-length-increased'
export const MIN_LENGTH_DECREASED = 'min-length-decreased'
export const MIN_LENGTH_UNSET = 'min-length-unset'
export const MAX_SET = 'max-set'
export const MAX_DECREASED = 'max-decreased'
export const MAX_INCREASED = 'max-increased'
export const MAX_UNSET = 'max-unset'
export const MIN_SET = 'min-set'
export const MIN_INCREASED = 'min-increased'
export const MIN_DECREASED = 'min-decreased'
export const MIN_UNSET = 'min-unset'
export const EXCLUSIVE_MAX_SET = 'exclusive-max-set'
export const EXCLUSIVE_MAX_DECREASED = 'exclusive-max-decreased'
export const EXCLUSIVE_MAX_INCREASED = 'exclusive-max-increased'
export const EXCLUSIVE_MAX_UNSET = 'exclusive-max-unset'
export const EXCLUSIVE_MIN_SET = 'exclusive-min-set'
export const EXCLUSIVE_MIN_INCREASED = 'exclusive-min-increased'
export const EXCLUSIVE_MIN_DECREASED = 'exclusive-min-decreased'
export const EXCLUSIVE_MIN_UNSET = 'exclusive-min-unset'
export const MAX_ITEMS_SET = 'max-items-set'
export const MAX_ITEMS_DECREASED = 'max-items-decreased'
export const MAX_ITEMS_INCREASED = 'max-items-increased'
export const MAX_ITEMS_UNSET = 'max-items-unset'
export const MIN_ITEMS_SET = 'min-items-set'
export const MIN_ITEMS_INCREASED = 'min-items-increased'
export const MIN_ITEMS_DECREASED = 'min-items-decreased'
export const MIN_ITEMS_UNSET = 'min-items-unset'
export const MULTIPLE_OF_SET = 'multiple-of-set'
export const MULTIPLE_OF_RELAXED = 'multiple-of-relaxed'
export const MULTIPLE_OF_CHANGED = 'multiple-of-changed'
export const MULTIPLE_OF_UNSET = 'multiple-of-unset'
export const UNIQUE_ITEMS_SET = 'unique-items-set'
export const UNIQUE_ITEMS_UNSET = 'unique-items-unset'
export const FORMAT_ADDED = 'format-added'
export const FORMAT_CHANGED = 'format-changed'
export const FORMAT_REMOVED = 'format-removed'
export const PATTERN_ADDED = 'pattern-added'
export const PATTERN_CHANGED = 'pattern-changed'
export const PATTERN_REMOVED = 'pattern-removed'
export const BECAME_ENUM = 'became-enum'
export const ENUM_REMOVED = 'enum-removed'
export const ENUM_VALUE_REMOVED = 'enum-value-removed'
export const ENUM_VALUE_ADDED = 'enum-value-added'
export const CONST_CHANGED = 'const-changed'
export const DEFAULT_VALUE_CHANGED = 'default-value-changed'
export const DEFAULT_VALUE_ADDED = 'default-value-added'
export const DEFAULT_VALUE_REMOVED = 'default-value-removed'
export const ADDITIONAL_PROPERTIES_DISALLOWED = 'additional-properties-disallowed'
export const ADDITIONAL_PROPERTIES_ALLOWED = 'additional-properties-allowed'
export const ONE_OF_ADDED = 'one-of-added'
export const ONE_OF_REMOVED = 'one-of-removed'
export const ANY_OF_ADDED = 'any-of-added'
export const ANY_OF_REMOVED = 'any-of-removed'

export const schemaRules = {
  [TYPE_CHANGED]: { request: 'breaking', response: 'breaking', text: 'type changed' },
  // Accepting more types (integer to number, string to [string, integer]) keeps old requests valid.
  [TYPE_GENERALIZED]: { request: 'compatible', response: 'breaking', text: 'type widened' },
  [TYPE_SPECIALIZED]: { request: 'breaking', response: 'compatible', text: 'type narrowed' },
  [BECAME_NULLABLE]: { request: 'compatible', response: 'breaking', text: 'became nullable' },
  [BECAME_NOT_NULLABLE]: { request: 'breaking', response: 'compatible', text: 'became not nullable' },
  [MAX_LENGTH_SET]: { request: 'breaking', response: 'compatible', text: 'maxLength set' },
  [MAX_LENGTH_DECREASED]: { request: 'breaking', response: 'compatible', text: 'maxLength decreased' },
  [MAX_LENGTH_INCREASED]: { request: 'compatible', response: 'warning', text: 'maxLength increased' },
  [MAX_LENGTH_UNSET]: { request: 'compatible', response: 'warning', text: 'maxLength removed' },
  [MIN_LENGTH_SET]: { request: 'breaking', response: 'compatible', text: 'minLength set' },
  [MIN_LENGTH_INCREASED]: { request: 'breaking', response: 'compatible', text: 'minLength increased' },
  [MIN_LENGTH_DECREASED]: { request: 'compatible', response: 'warning', text: 'minLength decreased' },
  [MIN_LENGTH_UNSET]: { request: 'compatible', response: 'warning', text: 'minLength removed' },
  [MAX_SET]: { request: 'breaking', response: 'compatible', text: 'maximum set' },
  [MAX_DECREASED]: { request: 'breaking', response: 'compatible', text: 'maximum decreased' },
  [MAX_INCREASED]: { request: 'compatible', response: 'warning', text: 'maximum increased' },
  [MAX_UNSET]: { request: 'compatible', response: 'warning', text: 'maximum removed' },
  [MIN_SET]: { request: 'breaking', response: 'compatible', text: 'minimum set' },
  [MIN_INCREASED]: { request: 'breaking', response: 'compatible', text: 'minimum increased' },
  [MIN_DECREASED]: { request: 'compatible', response: 'warning', text: 'minimum decreased' },
  [MIN_UNSET]: { request: 'compatible', response: 'warning', text: 'minimum removed' },
  [EXCLUSIVE_MAX_SET]: { request: 'breaking', response: 'compatible', text: 'exclusiveMaximum set' },
  [EXCLUSIVE_MAX_DECREASED]: { request: 'breaking', response: 'compatible', text: 'exclusiveMaximum decreased' },
  [EXCLUSIVE_MAX_INCREASED]: { request: 'compatible', response: 'warning', text: 'exclusiveMaximum increased' },
  [EXCLUSIVE_MAX_UNSET]: { request: 'compatible', response: 'warning', text: 'exclusiveMaximum removed' },
  [EXCLUSIVE_MIN_SET]: { request: 'breaking', response: 'compatible', text: 'exclusiveMinimum set' },
  [EXCLUSIVE_MIN_INCREASED]: { request: 'breaking', response: 'compatible', text: 'exclusiveMinimum increased' },
  [EXCLUSIVE_MIN_DECREASED]: { request: 'compatible', response: 'warning', text: 'exclusiveMinimum decreased' },
  [EXCLUSIVE_MIN_UNSET]: { request: 'compatible', response: 'warning', text: 'exclusiveMinimum removed' },
  [MAX_ITEMS_SET]: { request: 'breaking', response: 'compatible', text: 'maxItems set' },
  [MAX_ITEMS_DECREASED]: { request: 'breaking', response: 'compatible', text: 'maxItems decreased' },
  [MAX_ITEMS_INCREASED]: { request: 'compatible', response: 'warning', text: 'maxItems increased' },
  [MAX_ITEMS_UNSET]: { request: 'compatible', response: 'warning', text: 'maxItems removed' },
  [MIN_ITEMS_SET]: { request: 'breaking', response: 'compatible', text: 'minItems set' },
  [MIN_ITEMS_INCREASED]: { request: 'breaking', response: 'compatible', text: 'minItems increased' },
  [MIN_ITEMS_DECREASED]: { request: 'compatible', response: 'warning', text: 'minItems decreased' },
  [MIN_ITEMS_UNSET]: { request: 'compatible', response: 'warning', text: 'minItems removed' },
  [MULTIPLE_OF_SET]: { request: 'breaking', response: 'compatible', text: 'multipleOf set' },
  // 10 to 5 accepts more, 5 to 10 less: only a divisor of the old step keeps every old request valid.
  [MULTIPLE_OF_RELAXED]: { request: 'compatible', response: 'warning', text: 'multipleOf relaxed' },
  [MULTIPLE_OF_CHANGED]: { request: 'breaking', response: 'warning', text: 'multipleOf changed' },
  [MULTIPLE_OF_UNSET]: { request: 'compatible', response: 'warning', text: 'multipleOf removed' },
  [UNIQUE_ITEMS_SET]: { request: 'breaking', response: 'compatible', text: 'items must be unique' },
  [UNIQUE_ITEMS_UNSET]: { request: 'compatible', response: 'warning', text: 'items may repeat' },
  // A format is a constraint on the text (a date, an email): adding one rejects values accepted before.
  [FORMAT_ADDED]: { request: 'breaking', response: 'compatible', text: 'format added' },
  [FORMAT_CHANGED]: { request: 'breaking', response: 'breaking', text: 'format changed' },
  [FORMAT_REMOVED]: { request: 'compatible', response: 'warning', text: 'format removed' },
  [PATTERN_ADDED]: { request: 'breaking', response: 'compatible', text: 'pattern added' },
  // Whether one pattern accepts more than another is undecidable in general.
  [PATTERN_CHANGED]: { request: 'warning', response: 'warning', text: 'pattern changed' },
  [PATTERN_REMOVED]: { request: 'compatible', response: 'warning', text: 'pattern removed' },
  [BECAME_ENUM]: { request: 'breaking', response: 'compatible', text: 'restricted to a list of values' },
  [ENUM_REMOVED]: { request: 'compatible', response: 'warning', text: 'no longer restricted to a list of values' },
  [ENUM_VALUE_REMOVED]: { request: 'breaking', response: 'compatible', text: 'enum value removed' },
  [ENUM_VALUE_ADDED]: { request: 'compatible', response: 'warning', text: 'enum value added' },
  // Both sides state one value: the value clients sent is refused, the value they read is another (oasdiff
  // request- and response-property-const-changed, both errors). A const added or removed is an enum of one value.
  [CONST_CHANGED]: { request: 'breaking', response: 'breaking', text: 'const value changed' },
  [DEFAULT_VALUE_CHANGED]: { request: 'breaking', response: 'compatible', text: 'default value changed' },
  [DEFAULT_VALUE_ADDED]: { request: 'compatible', response: 'compatible', text: 'default value added' },
  // Omitting the value no longer means what it meant: the server now decides differently.
  [DEFAULT_VALUE_REMOVED]: { request: 'warning', response: 'compatible', text: 'default value removed' },
  [ADDITIONAL_PROPERTIES_DISALLOWED]: { request: 'breaking', response: 'compatible', text: 'additional properties no longer allowed' },
  // Unknown response properties are new response properties, which clients must tolerate.
  [ADDITIONAL_PROPERTIES_ALLOWED]: { request: 'compatible', response: 'compatible', text: 'additional properties allowed' },
  [ONE_OF_ADDED]: { request: 'compatible', response: 'warning', text: 'oneOf alternative added' },
  [ONE_OF_REMOVED]: { request: 'breaking', response: 'compatible', text: 'oneOf alternative removed' },
  [ANY_OF_ADDED]: { request: 'compatible', response: 'warning', text: 'anyOf alternative added' },
  [ANY_OF_REMOVED]: { request: 'breaking', response: 'compatible', text: 'anyOf alternative removed' }
} as const satisfies Record<string, Readonly<Record<Side, ChangeLevel>> & { text: string }>

export type SchemaRuleSuffix = keyof typeof schemaRules
