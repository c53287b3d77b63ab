/**
 * The fastify-date-versioning scenarios. One file, three apps, chosen by the first argument:
 * - `timeline`: 1,000 daily versions from 2020-01-01, 20 of them with a handler on the route
 *   (the request sends a mid date, or no header for the default, the latest);
 * - `lifecycle`: 20 versions 30 days apart, all with a handler, the older half deprecated with a
 *   sunset still to come, and every lifecycle header on (links, Warning, reporting headers); 20
 *   rather than 1,000 versions, since `reportVersions` lists every supported version in each response;
 * - `pinned-preview`: the `timeline` app plus a preview version with a handler, an async
 *   per-client `defaultVersion` (pins by API key) and an async `isPreviewEnabled`;
 * - `deprecated`: the `timeline` app with the older half of its versions deprecated (2024) and a
 *   sunset to come (2099), no links: four response headers (version, Deprecation, Sunset, Vary);
 * - `single`: 1,000 versions and a route with one handler only (the first version), the common case
 *   of a route that never changed;
 * - `usage`, `usage-pinned`: the `timeline` app with per-client usage in the memory store (client id
 *   from the `x-client-id` header), and with automatic pinning too.
 */
import Fastify from 'fastify'
import dateVersioning from 'fastify-date-versioning'
import { PREVIEW, PREVIEW_KEY, ROUTE_HANDLERS, TIMELINE_VERSIONS, dailyDates, handlerDates } from '../timelines.mjs'
import { BODY, serveFastify } from './common.mjs'

const handler = (request, reply) => { reply.send(BODY) }

function timelineApp (extra = {}, previewHandler = false, lifecycle = (version) => ({ version })) {
  const dates = dailyDates(TIMELINE_VERSIONS)
  const versions = dates.map(lifecycle)
  if (previewHandler) versions.push({ version: PREVIEW, preview: true })
  const app = Fastify()
  app.register(dateVersioning, { versions, ...extra })
  app.register(async (scope) => {
    for (const version of handlerDates(dates, ROUTE_HANDLERS)) scope.get('/item', { constraints: { apiVersion: version } }, handler)
    if (previewHandler) scope.get('/item', { constraints: { apiVersion: PREVIEW } }, handler)
  })
  return app
}

function lifecycleApp () {
  const dates = handlerDates(dailyDates(ROUTE_HANDLERS * 30), ROUTE_HANDLERS)
  // The older half is deprecated and will be sunset in the future: still served, with every header.
  const versions = dates.map((version, i) => i < ROUTE_HANDLERS / 2
    ? { version, deprecated: '2024-01-01', sunset: '2099-12-31' }
    : { version })
  const app = Fastify()
  app.register(dateVersioning, {
    versions,
    links: {
      successorVersion: 'https://example.com/changelog#{version}',
      deprecation: 'https://example.com/deprecations/{version}',
      sunset: 'https://example.com/sunset/{version}'
    },
    warning: true,
    reportVersions: true
  })
  app.register(async (scope) => {
    for (const version of dates) scope.get('/item', { constraints: { apiVersion: version } }, handler)
  })
  return app
}

function pinnedPreviewApp () {
  // Per-client pins as a store lookup would answer them: a thousand clients on assorted versions,
  // and one client pinned to the preview, whose flag is on.
  const dates = dailyDates(TIMELINE_VERSIONS)
  const pins = new Map(dates.map((date, i) => [`key-${i}`, date]))
  pins.set(PREVIEW_KEY, PREVIEW)
  const previewers = new Set([PREVIEW_KEY])
  return timelineApp({
    defaultVersion: async (req) => pins.get(req.headers['x-api-key']),
    isPreviewEnabled: async (version, request) => previewers.has(request.headers['x-api-key'])
  }, true)
}

function deprecatedApp () {
  return timelineApp({}, false, (version, i) => i < TIMELINE_VERSIONS / 2
    ? { version, deprecated: '2024-01-01', sunset: '2099-12-31' }
    : { version })
}

function singleApp () {
  const dates = dailyDates(TIMELINE_VERSIONS)
  const app = Fastify()
  app.register(dateVersioning, { versions: dates.map(version => ({ version })) })
  app.register(async (scope) => {
    scope.get('/item', { constraints: { apiVersion: dates[0] } }, handler)
  })
  return app
}

const clientId = (request) => request.headers['x-client-id']
const usageApp = () => timelineApp({ usage: { clientId } })
const usagePinnedApp = () => timelineApp({ usage: { clientId, pin: true } })

const apps = { usage: usageApp, 'usage-pinned': usagePinnedApp, timeline: timelineApp, lifecycle: lifecycleApp, 'pinned-preview': pinnedPreviewApp, deprecated: deprecatedApp, single: singleApp }
const variant = process.argv[2] ?? 'timeline'
if (apps[variant] === undefined) throw new Error(`unknown variant ${variant}; use ${Object.keys(apps).join(', ')}`)
await serveFastify(apps[variant]())
