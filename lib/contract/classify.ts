import type { OpenApiDocument } from '../openapi-document.js'
import { pointerSegment, sortChanges, type ContractChange, type Scope } from './change.js'
import {
  API_PATH_REMOVED_WITHOUT_DEPRECATION, API_PATH_REMOVED_WITH_DEPRECATION, API_REMOVED_WITHOUT_DEPRECATION, API_REMOVED_WITH_DEPRECATION, API_SECURITY_ADDED, API_SECURITY_ALTERNATIVE_ADDED, API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED, API_SECURITY_COMPONENT_REMOVED, API_SECURITY_COMPONENT_TYPE_CHANGED, API_SECURITY_NO_LONGER_REQUIRED, API_SECURITY_REMOVED, API_SECURITY_SCOPE_ADDED, API_SECURITY_SCOPE_REMOVED, ENDPOINT_ADDED, NEW_OPTIONAL_REQUEST_PARAMETER, NEW_REQUIRED_REQUEST_PARAMETER, OPTIONAL_RESPONSE_HEADER_REMOVED, REQUEST_BODY_ADDED_OPTIONAL, REQUEST_BODY_ADDED_REQUIRED, REQUEST_BODY_BECAME_OPTIONAL, REQUEST_BODY_BECAME_REQUIRED, REQUEST_BODY_MEDIA_TYPE_ADDED, REQUEST_BODY_MEDIA_TYPE_REMOVED, REQUEST_BODY_REMOVED, REQUEST_PARAMETER_BECAME_OPTIONAL, REQUEST_PARAMETER_BECAME_REQUIRED, REQUEST_PARAMETER_REMOVED, REQUIRED_RESPONSE_HEADER_REMOVED, RESPONSE_HEADER_ADDED, RESPONSE_HEADER_BECAME_OPTIONAL, RESPONSE_HEADER_BECAME_REQUIRED, RESPONSE_MEDIA_TYPE_ADDED, RESPONSE_MEDIA_TYPE_REMOVED, RESPONSE_NON_SUCCESS_STATUS_ADDED, RESPONSE_NON_SUCCESS_STATUS_REMOVED, RESPONSE_SUCCESS_STATUS_ADDED, RESPONSE_SUCCESS_STATUS_REMOVED,
  structuralRules, type Side, type StructuralRuleId
} from './rules.js'
import { compareSchemas, newWalk, type SchemaWalk } from './schema-diff.js'
import { isObject, resolve, textOf, type RawSchema } from './schema-walk.js'
import { OPERATION_METHODS as methods } from '../util.js'

/**
 * The contract classifier: compares two OpenAPI 3.x documents, `before` and `after`, and lists
 * every change a client of `before` would feel, each with a rule id and a level. Walks paths,
 * operations, parameters, request bodies, responses and security; schemas are compared by
 * schema-diff.ts.
 */

export type { ContractChange } from './change.js'
export type { ChangeLevel } from './rules.js'
export type { OpenApiDocument } from '../openapi-document.js'

interface Comparison {
  readonly before: OpenApiDocument
  readonly after: OpenApiDocument
  readonly changes: ContractChange[]
  readonly walk: SchemaWalk
}

function report (comparison: Comparison, scope: Scope, id: StructuralRuleId, location: string, pointer: string, text: string): void {
  comparison.changes.push({ id, level: structuralRules[id], ...scope, location, pointer, message: `${location}${pointer === '' ? '' : ' ' + pointer}: ${text}` })
}

function objectAt (value: unknown, key: string): RawSchema {
  return isObject(value) && Object.hasOwn(value, key) && isObject(value[key]) ? value[key] : {}
}

/** Keys of both records, each once, sorted: the order of the findings must not depend on the order in the documents. */
function union (a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort()
}

/** `/moves/{id}` and `/moves/{moveId}` are the same endpoint: clients do not see parameter names. */
function pathsByTemplate (document: OpenApiDocument): Map<string, { path: string, item: RawSchema }> {
  const paths = new Map<string, { path: string, item: RawSchema }>()
  for (const [path, item] of Object.entries(objectAt(document, 'paths'))) {
    paths.set(path.replace(/\{[^}]*\}/g, '{}'), { path, item: isObject(item) ? item : {} })
  }
  return paths
}

function operations (item: RawSchema): Map<string, RawSchema> {
  return new Map(methods.filter(method => isObject(item[method])).map(method => [method, item[method] as RawSchema]))
}

/** Lists the changes from `before` to `after`, sorted by path, method, location and pointer. */
export function classifyChanges (before: OpenApiDocument, after: OpenApiDocument): ContractChange[] {
  const comparison: Comparison = { before, after, changes: [], walk: newWalk() }
  const from = pathsByTemplate(before)
  const to = pathsByTemplate(after)
  for (const template of union(from.keys(), to.keys())) {
    const old = from.get(template)
    const current = to.get(template)
    if (current === undefined) {
      const deprecated = [...operations(old!.item).values()].every(operation => operation.deprecated === true)
      report(comparison, { path: old!.path }, deprecated ? API_PATH_REMOVED_WITH_DEPRECATION : API_PATH_REMOVED_WITHOUT_DEPRECATION, 'paths', '', 'path removed')
      continue
    }
    const a = operations(old?.item ?? {})
    const b = operations(current.item)
    for (const method of union(a.keys(), b.keys())) {
      const scope = { method: method.toUpperCase(), path: old?.path ?? current.path }
      const operation = a.get(method)
      const next = b.get(method)
      if (operation === undefined) report(comparison, scope, ENDPOINT_ADDED, 'operation', '', 'operation added')
      else if (next === undefined) report(comparison, scope, operation.deprecated === true ? API_REMOVED_WITH_DEPRECATION : API_REMOVED_WITHOUT_DEPRECATION, 'operation', '', 'operation removed')
      else compareOperation(comparison, scope, old!, operation, current, next)
    }
  }
  compareSecuritySchemes(comparison)
  return sortChanges(comparison.changes)
}

interface PathEntry { readonly path: string, readonly item: RawSchema }

function compareOperation (comparison: Comparison, scope: Scope, itemA: PathEntry, a: RawSchema, itemB: PathEntry, b: RawSchema): void {
  compareParameters(comparison, scope, parameters(comparison.before, itemA.path, itemA.item, a), parameters(comparison.after, itemB.path, itemB.item, b))
  compareRequestBody(comparison, scope, resolve(a.requestBody, comparison.before), resolve(b.requestBody, comparison.after), a.requestBody !== undefined, b.requestBody !== undefined)
  const responsesA = objectAt(a, 'responses')
  const responsesB = objectAt(b, 'responses')
  for (const status of union(Object.keys(responsesA), Object.keys(responsesB))) {
    compareResponse(comparison, scope, status, responsesA[status], responsesB[status])
  }
  compareSecurity(comparison, scope, a.security ?? comparison.before.security, b.security ?? comparison.after.security)
}

/**
 * Parameters by `in` and name, path-level ones overridden by the operation's. Header names are
 * case-insensitive; path parameters are known by their position in the template, not their name.
 */
function parameters (document: OpenApiDocument, path: string, item: RawSchema, operation: RawSchema): Map<string, RawSchema> {
  const positions = [...path.matchAll(/\{([^}]*)\}/g)].map(match => match[1])
  const all = new Map<string, RawSchema>()
  for (const list of [item.parameters, operation.parameters]) {
    for (const entry of Array.isArray(list) ? list : []) {
      const parameter = resolve(entry, document)
      const place = textOf(parameter.in)
      const name = textOf(parameter.name)
      const position = place === 'path' ? positions.indexOf(name) : -1
      all.set(`${place}\n${place === 'header' ? name.toLowerCase() : position >= 0 ? `#${position}` : name}`, parameter)
    }
  }
  return all
}

function compareParameters (comparison: Comparison, scope: Scope, a: Map<string, RawSchema>, b: Map<string, RawSchema>): void {
  for (const key of union(a.keys(), b.keys())) {
    const before = a.get(key)
    const after = b.get(key)
    const parameter = (after ?? before)!
    const location = `request.${textOf(parameter.in)}`
    const pointer = pointerSegment(textOf(parameter.name))
    const required = after?.required === true
    if (after === undefined) report(comparison, scope, REQUEST_PARAMETER_REMOVED, location, pointer, 'parameter removed')
    else if (before === undefined) report(comparison, scope, required ? NEW_REQUIRED_REQUEST_PARAMETER : NEW_OPTIONAL_REQUEST_PARAMETER, location, pointer, `${required ? 'required' : 'optional'} parameter added`)
    else {
      if ((before.required === true) !== required) {
        report(comparison, scope, required ? REQUEST_PARAMETER_BECAME_REQUIRED : REQUEST_PARAMETER_BECAME_OPTIONAL, location, pointer, `parameter became ${required ? 'required' : 'optional'}`)
      }
      compareContentOrSchema(comparison, scope, 'request', 'parameter', location, pointer, before, after)
    }
  }
}

/** A parameter or header is described by `schema`, or by `content` with one media type. */
function schemaOf (holder: RawSchema): unknown {
  if (holder.schema !== undefined) return holder.schema
  const [media] = Object.values(objectAt(holder, 'content'))
  return isObject(media) ? media.schema : undefined
}

function compareContentOrSchema (comparison: Comparison, scope: Scope, side: Side, value: 'parameter' | 'header', location: string, pointer: string, a: RawSchema, b: RawSchema): void {
  const context = { before: comparison.before, after: comparison.after, side, value, root: pointer, scope, location, changes: comparison.changes, walk: comparison.walk }
  compareSchemas(context, schemaOf(a), schemaOf(b), pointer)
}

function compareRequestBody (comparison: Comparison, scope: Scope, a: RawSchema, b: RawSchema, hadBody: boolean, hasBody: boolean): void {
  const location = 'request.body'
  if (!hasBody) {
    if (hadBody) report(comparison, scope, REQUEST_BODY_REMOVED, location, '', 'request body removed')
    return
  }
  const required = b.required === true
  if (!hadBody) return report(comparison, scope, required ? REQUEST_BODY_ADDED_REQUIRED : REQUEST_BODY_ADDED_OPTIONAL, location, '', `${required ? 'required' : 'optional'} request body added`)
  if ((a.required === true) !== required) {
    report(comparison, scope, required ? REQUEST_BODY_BECAME_REQUIRED : REQUEST_BODY_BECAME_OPTIONAL, location, '', `request body became ${required ? 'required' : 'optional'}`)
  }
  compareContent(comparison, scope, 'request', location, a, b)
}

/** Compares the media types of a body; a media type removed is reported, not compared. */
function compareContent (comparison: Comparison, scope: Scope, side: Side, location: string, a: RawSchema, b: RawSchema): void {
  const contentA = objectAt(a, 'content')
  const contentB = objectAt(b, 'content')
  const removed: StructuralRuleId = side === 'request' ? REQUEST_BODY_MEDIA_TYPE_REMOVED : RESPONSE_MEDIA_TYPE_REMOVED
  const added: StructuralRuleId = side === 'request' ? REQUEST_BODY_MEDIA_TYPE_ADDED : RESPONSE_MEDIA_TYPE_ADDED
  for (const type of union(Object.keys(contentA), Object.keys(contentB))) {
    if (!Object.hasOwn(contentB, type)) report(comparison, scope, removed, location, '', `media type ${type} removed`)
    else if (!Object.hasOwn(contentA, type)) report(comparison, scope, added, location, '', `media type ${type} added`)
    else {
      const context = { before: comparison.before, after: comparison.after, side, value: 'body' as const, root: '', scope, location, changes: comparison.changes, walk: comparison.walk }
      compareSchemas(context, objectAt(contentA, type).schema, objectAt(contentB, type).schema)
    }
  }
}

function compareResponse (comparison: Comparison, scope: Scope, status: string, rawA: unknown, rawB: unknown): void {
  const location = `response.${status}`
  const success = status.startsWith('2')
  if (rawB === undefined) return report(comparison, scope, success ? RESPONSE_SUCCESS_STATUS_REMOVED : RESPONSE_NON_SUCCESS_STATUS_REMOVED, location, '', `status ${status} removed`)
  if (rawA === undefined) return report(comparison, scope, success ? RESPONSE_SUCCESS_STATUS_ADDED : RESPONSE_NON_SUCCESS_STATUS_ADDED, location, '', `status ${status} added`)
  const a = resolve(rawA, comparison.before)
  const b = resolve(rawB, comparison.after)
  compareContent(comparison, scope, 'response', `${location}.body`, a, b)
  const headersA = objectAt(a, 'headers')
  const headersB = objectAt(b, 'headers')
  const lower = (headers: RawSchema) => new Map(Object.entries(headers).map(([name, header]) => [name.toLowerCase(), header]))
  const byNameA = lower(headersA)
  const byNameB = lower(headersB)
  const headerLocation = `${location}.header`
  for (const name of union(byNameA.keys(), byNameB.keys())) {
    const before = resolve(byNameA.get(name), comparison.before)
    const after = resolve(byNameB.get(name), comparison.after)
    const pointer = pointerSegment(name)
    if (!byNameB.has(name)) report(comparison, scope, before.required === true ? REQUIRED_RESPONSE_HEADER_REMOVED : OPTIONAL_RESPONSE_HEADER_REMOVED, headerLocation, pointer, 'header removed')
    else if (!byNameA.has(name)) report(comparison, scope, RESPONSE_HEADER_ADDED, headerLocation, pointer, 'header added')
    else {
      if (before.required === true && after.required !== true) report(comparison, scope, RESPONSE_HEADER_BECAME_OPTIONAL, headerLocation, pointer, 'header became optional')
      if (before.required !== true && after.required === true) report(comparison, scope, RESPONSE_HEADER_BECAME_REQUIRED, headerLocation, pointer, 'header became required')
      compareContentOrSchema(comparison, scope, 'response', 'header', headerLocation, pointer, before, after)
    }
  }
}

/** A security requirement: the schemes a client must all satisfy, with their scopes. */
function requirements (security: unknown): Map<string, Map<string, string[]>> {
  const all = new Map<string, Map<string, string[]>>()
  for (const requirement of Array.isArray(security) ? security : []) {
    const schemes = new Map(Object.entries(isObject(requirement) ? requirement : {}).map(([name, scopes]) => [name, Array.isArray(scopes) ? scopes.map(textOf) : []]))
    // `{}` in the list means authentication is optional: it is the requirement of no scheme.
    all.set([...schemes.keys()].sort().join(' + '), schemes)
  }
  return all
}

/**
 * Requirements are alternatives: a client satisfies one of them. Removing the one a client uses
 * breaks it, adding one does not, unless the operation had no authentication at all.
 */
function compareSecurity (comparison: Comparison, scope: Scope, rawA: unknown, rawB: unknown): void {
  const a = requirements(rawA)
  const b = requirements(rawB)
  const open = (set: Map<string, unknown>) => set.size === 0 || set.has('')
  for (const key of union(a.keys(), b.keys())) {
    const pointer = pointerSegment(key)
    const before = a.get(key)
    const after = b.get(key)
    if (after === undefined) {
      report(comparison, scope, open(b) ? API_SECURITY_NO_LONGER_REQUIRED : API_SECURITY_REMOVED, 'security', pointer, `security requirement ${key || '(none)'} removed`)
    } else if (before === undefined) {
      report(comparison, scope, open(a) ? API_SECURITY_ADDED : API_SECURITY_ALTERNATIVE_ADDED, 'security', pointer, `security requirement ${key || '(none)'} added`)
    } else {
      for (const [scheme, scopes] of after) {
        // A scheme named "" shares its key with the empty requirement `{}`: it had no scopes there.
        const previous = before.get(scheme) ?? []
        for (const name of scopes.filter(s => !previous.includes(s)).sort()) report(comparison, scope, API_SECURITY_SCOPE_ADDED, 'security', pointer, `scope ${name} added to ${scheme}`)
        for (const name of previous.filter(s => !scopes.includes(s)).sort()) report(comparison, scope, API_SECURITY_SCOPE_REMOVED, 'security', pointer, `scope ${name} removed from ${scheme}`)
      }
    }
  }
}

/** What a client must send for a scheme: its kind and where the credential goes. */
function schemeIdentity (scheme: RawSchema): string {
  return ['type', 'scheme', 'in', 'name'].map(key => textOf(scheme[key] ?? '')).join(' ')
}

function oauthScopes (scheme: RawSchema): string[] {
  return Object.values(objectAt(scheme, 'flows')).flatMap(flow => Object.keys(objectAt(flow, 'scopes')))
}

function compareSecuritySchemes (comparison: Comparison): void {
  const a = objectAt(objectAt(comparison.before, 'components'), 'securitySchemes')
  const b = objectAt(objectAt(comparison.after, 'components'), 'securitySchemes')
  const location = 'components.securitySchemes'
  for (const name of Object.keys(a).sort()) {
    const pointer = pointerSegment(name)
    const before = resolve(a[name], comparison.before)
    if (!Object.hasOwn(b, name)) {
      report(comparison, {}, API_SECURITY_COMPONENT_REMOVED, location, pointer, 'security scheme removed')
      continue
    }
    const after = resolve(b[name], comparison.after)
    if (schemeIdentity(before) !== schemeIdentity(after)) {
      report(comparison, {}, API_SECURITY_COMPONENT_TYPE_CHANGED, location, pointer, `security scheme changed from ${schemeIdentity(before).trim()} to ${schemeIdentity(after).trim()}`)
    }
    const scopes = oauthScopes(after)
    for (const scope of [...new Set(oauthScopes(before))].filter(s => !scopes.includes(s)).sort()) {
      report(comparison, {}, API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED, location, pointer, `OAuth scope ${scope} removed`)
    }
  }
}
