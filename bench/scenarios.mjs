/**
 * The HTTP scenarios: which server to start, what each request sends, and what its response must
 * show, checked once before measuring so that every figure is known to come from the intended path.
 */
import { PREVIEW, PREVIEW_KEY, ROUTE_HANDLERS, TIMELINE_VERSIONS, changeDates, dailyDates, handlerDates, listBody } from './timelines.mjs'

const timeline = dailyDates(TIMELINE_VERSIONS)
/** A declared version without a handler of its own, in the middle of the timeline. */
const MID = timeline[Math.floor(TIMELINE_VERSIONS / 2) + 10]
const lifecycleDates = handlerDates(dailyDates(ROUTE_HANDLERS * 30), ROUTE_HANDLERS)
/** One of the deprecated versions of the lifecycle app (deprecated in 2024, sunset in 2099). */
const DEPRECATED = lifecycleDates[ROUTE_HANDLERS / 4]
/** A deprecated version of the `deprecated` app (the older half of the timeline), without a handler of its own. */
const OLD = timeline[Math.floor(TIMELINE_VERSIONS / 4) + 10]
const LATEST = timeline.at(-1)

/**
 * The response headers the plugin sends in each case; the comparators set the same ones by hand,
 * under the lower-case names Fastify stores them by (a mixed-case name costs each reply.header()
 * a new string).
 */
const sent = {
  header: { 'api-version': MID, vary: 'Api-Version' },
  latest: { 'api-version': LATEST, vary: 'Api-Version' },
  deprecated: {
    'api-version': OLD,
    deprecation: `@${Date.parse('2024-01-01T00:00:00Z') / 1000}`,
    sunset: new Date('2099-12-31T00:00:00Z').toUTCString(),
    vary: 'Api-Version'
  },
  preview: { 'api-version': PREVIEW, vary: 'Api-Version' }
}
/**
 * What the request of each case carries: the plugin's scenario and its comparators are sent the
 * same request, so that Node's parsing of it is no part of the difference.
 */
const requested = {
  header: { 'api-version': MID },
  latest: {},
  deprecated: { 'api-version': OLD },
  preview: { 'x-api-key': PREVIEW_KEY }
}
/** What the client checks: the same headers, by their lower-case names. */
const expectOf = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))

/** A plain route with the headers set by hand, and Fastify's `version` constraint with the same headers. */
function comparators (key, what) {
  return [
    {
      name: `plain-${key}`,
      label: `Fastify, no versioning, ${what} set by hand`,
      server: 'fastify-headers.mjs',
      args: [JSON.stringify(sent[key])],
      headers: requested[key],
      expect: expectOf(sent[key]),
      comparator: true
    },
    {
      name: `semver-${key}`,
      label: `Fastify \`version\` constraint, 20 versions, ${what} set by hand`,
      server: 'fastify-semver.mjs',
      args: [JSON.stringify(sent[key])],
      headers: { 'accept-version': '10.x' },
      expect: expectOf(sent[key]),
      comparator: true
    }
  ]
}

/**
 * The floors: the "plain-*" route plus the Fastify mechanisms a versioned route of the plugin
 * carries (a route-level onRequest hook, an onSend hook for the whole app, a constraint strategy),
 * each doing nothing of its own. See bench/servers/fastify-floor.mjs.
 */
function floors (key, what) {
  return [
    {
      name: `plain-hooks-${key}`,
      label: `Fastify, no versioning, ${what} set by hand, an empty route onRequest hook and an empty app-wide onSend hook`,
      server: 'fastify-floor.mjs',
      args: ['hooks', JSON.stringify(sent[key])],
      headers: requested[key],
      expect: expectOf(sent[key]),
      comparator: true
    },
    {
      name: `plain-constraint-${key}`,
      label: `plain-hooks-${key} + a custom constraint deriving a constant, one handler`,
      server: 'fastify-floor.mjs',
      args: ['constraint', JSON.stringify(sent[key])],
      headers: requested[key],
      expect: expectOf(sent[key]),
      comparator: true
    }
  ]
}

export const scenarios = [
  {
    name: 'fastify',
    label: 'Fastify, no versioning',
    server: 'fastify.mjs',
    headers: {},
    expect: {}
  },
  {
    name: 'fastify-semver',
    label: 'Fastify `version` constraint (Accept-Version), 20 versions',
    server: 'fastify-semver.mjs',
    headers: { 'accept-version': '10.x' },
    expect: {}
  },
  {
    name: 'nest-header',
    label: 'NestJS + FastifyAdapter, header versioning, 20 versions',
    server: 'nest.mjs',
    headers: { 'api-version': '10' },
    expect: {}
  },
  {
    name: 'plugin-header',
    label: 'plugin, header sent (mid date), 20 handlers, 1,000 versions',
    server: 'plugin.mjs',
    args: ['timeline'],
    headers: requested.header,
    expect: expectOf(sent.header),
    against: ['semver-header', 'plain-header', 'plain-hooks-header', 'plain-constraint-header']
  },
  {
    name: 'plugin-default',
    label: 'plugin, no header (latest), 20 handlers, 1,000 versions',
    server: 'plugin.mjs',
    args: ['timeline'],
    headers: requested.latest,
    expect: expectOf(sent.latest),
    against: ['semver-latest', 'plain-latest', 'plain-hooks-latest', 'plain-constraint-latest']
  },
  {
    name: 'plugin-deprecated',
    label: 'plugin, deprecated version (Deprecation, Sunset), 20 handlers, 1,000 versions',
    server: 'plugin.mjs',
    args: ['deprecated'],
    headers: requested.deprecated,
    expect: expectOf(sent.deprecated),
    against: ['semver-deprecated', 'plain-deprecated', 'plain-hooks-deprecated', 'plain-constraint-deprecated']
  },
  {
    name: 'plugin-single',
    label: 'plugin, header sent, a route with one version only, 1,000 versions',
    server: 'plugin.mjs',
    args: ['single'],
    headers: requested.header,
    expect: expectOf(sent.header),
    against: ['plain-header', 'plain-hooks-header', 'plain-constraint-header']
  },
  {
    name: 'plugin-lifecycle',
    label: 'plugin, deprecated version, every lifecycle header',
    server: 'plugin.mjs',
    args: ['lifecycle'],
    headers: { 'api-version': DEPRECATED },
    expect: {
      'api-version': DEPRECATED,
      deprecation: `@${Date.parse('2024-01-01T00:00:00Z') / 1000}`,
      sunset: new Date('2099-12-31T00:00:00Z').toUTCString(),
      link: /rel="successor-version".*rel="deprecation".*rel="sunset"/,
      warning: /^299 - /,
      'api-supported-versions': lifecycleDates.join(', '),
      'api-deprecated-versions': lifecycleDates.slice(0, ROUTE_HANDLERS / 2).join(', ')
    }
  },
  {
    name: 'plugin-pinned-preview',
    label: 'plugin, async pin to a preview + async flag on',
    server: 'plugin.mjs',
    args: ['pinned-preview'],
    headers: { 'x-api-key': PREVIEW_KEY },
    expect: expectOf(sent.preview),
    against: ['semver-preview', 'plain-preview', 'plain-async-preview']
  },
  {
    name: 'plugin-metrics',
    label: 'plugin-header with metrics on: OpenTelemetry SDK, in-memory exporter, request counter',
    server: 'plugin-metrics.mjs',
    args: ['sdk'],
    headers: { 'api-version': MID },
    expect: expectOf(sent.header),
    against: ['plugin-header', 'plain-header']
  },
  {
    name: 'plugin-metrics-duration',
    label: 'plugin-metrics with the duration histogram too',
    server: 'plugin-metrics.mjs',
    args: ['sdk-duration'],
    headers: { 'api-version': MID },
    expect: expectOf(sent.header),
    against: ['plugin-header', 'plugin-metrics']
  },
  {
    name: 'plugin-metrics-no-provider',
    label: 'plugin-header with metrics: true and no MeterProvider registered',
    server: 'plugin-metrics.mjs',
    args: ['no-provider'],
    headers: { 'api-version': MID },
    expect: expectOf(sent.header),
    against: ['plugin-header']
  },
  {
    name: 'plugin-usage',
    label: 'plugin-header + per-client usage in memory (client id from a header, hashed)',
    server: 'plugin.mjs',
    args: ['usage'],
    headers: { 'api-version': MID, 'x-client-id': 'client-42' },
    expect: expectOf(sent.header),
    against: ['plugin-header-client', 'plugin-header']
  },
  {
    name: 'plugin-header-client',
    label: 'plugin-header, sent the x-client-id header of plugin-usage too (no usage)',
    server: 'plugin.mjs',
    args: ['timeline'],
    headers: { 'api-version': MID, 'x-client-id': 'client-42' },
    expect: expectOf(sent.header),
    comparator: true
  },
  {
    name: 'plugin-usage-pinned',
    label: 'plugin-default + usage in memory with automatic pinning (pin read per request)',
    server: 'plugin.mjs',
    args: ['usage-pinned'],
    headers: { 'x-client-id': 'client-42' },
    expect: expectOf(sent.latest),
    against: ['plugin-default-client', 'plugin-default']
  },
  {
    name: 'plugin-default-client',
    label: 'plugin-default, sent the x-client-id header of plugin-usage-pinned too (no usage)',
    server: 'plugin.mjs',
    args: ['timeline'],
    headers: { 'x-client-id': 'client-42' },
    expect: expectOf(sent.latest),
    comparator: true
  },
  {
    name: 'changes-head',
    label: 'plugin, latest version, a route whose schema 19 version changes touch (20 versions)',
    server: 'changes.mjs',
    args: ['head-changes'],
    headers: { 'api-version': changeDates().at(-1) },
    expect: { 'api-version': changeDates().at(-1) },
    against: ['changes-none']
  },
  {
    name: 'changes-none',
    label: 'plugin, latest version, the same route with no version change',
    server: 'changes.mjs',
    args: ['head-none'],
    headers: { 'api-version': changeDates().at(-1) },
    expect: { 'api-version': changeDates().at(-1) },
    comparator: true
  },
  {
    name: 'changes-oldest',
    label: 'plugin, oldest of 20 versions, 100 nested objects each migrated by 19 response migrations',
    server: 'changes.mjs',
    args: ['oldest-changes'],
    headers: { 'api-version': changeDates()[0] },
    expect: { 'api-version': changeDates()[0] },
    body: JSON.stringify(listBody(0)),
    against: ['changes-handwritten']
  },
  {
    name: 'changes-oldest-delete',
    label: 'plugin, oldest of 20 versions, the same 19 migrations each deleting the newer name too',
    server: 'changes.mjs',
    args: ['oldest-changes-delete'],
    headers: { 'api-version': changeDates()[0] },
    expect: { 'api-version': changeDates()[0] },
    body: JSON.stringify(listBody(0)),
    against: ['changes-handwritten']
  },
  {
    name: 'changes-handwritten',
    label: 'plugin, oldest of 20 versions, a handler written for it answering the old shape',
    server: 'changes.mjs',
    args: ['oldest-handwritten'],
    headers: { 'api-version': changeDates()[0] },
    expect: { 'api-version': changeDates()[0] },
    body: JSON.stringify(listBody(0)),
    comparator: true
  },
  ...comparators('header', 'version + Vary'),
  ...comparators('latest', 'latest version + Vary'),
  ...comparators('deprecated', 'version, Deprecation, Sunset + Vary'),
  ...comparators('preview', 'preview version + Vary'),
  ...floors('header', 'version + Vary'),
  ...floors('latest', 'latest version + Vary'),
  ...floors('deprecated', 'version, Deprecation, Sunset + Vary'),
  {
    name: 'plain-async-preview',
    label: 'Fastify, preview version + Vary set by hand, an async constraint (pin by API key, callback form), an onRequest hook awaiting an async flag, an empty app-wide onSend hook',
    server: 'fastify-floor.mjs',
    args: ['async', JSON.stringify(sent.preview)],
    headers: { 'x-api-key': PREVIEW_KEY },
    expect: expectOf(sent.preview),
    comparator: true
  }
]

/** The JSON every scenario answers. */
export const EXPECTED_BODY = '{"id":1,"name":"A B"}'

/** A reason the response differs from the scenario's expectation, or undefined. */
export function mismatch (scenario, status, headers, body) {
  if (status !== 200) return `status ${status} (${body.slice(0, 200)})`
  if (body !== (scenario.body ?? EXPECTED_BODY)) return `body ${body.slice(0, 200)}`
  for (const [name, expected] of Object.entries(scenario.expect)) {
    const actual = headers.get(name)
    const ok = expected instanceof RegExp ? expected.test(actual ?? '') : actual === expected
    if (!ok) return `header ${name}: ${actual} (expected ${expected})`
  }
  return undefined
}
