// Comparators "plain-hooks-*", "plain-constraint-*" and "plain-async-preview": the floor of any
// plugin that versions routes through Fastify's extension points the way this one does. Each is the
// "plain-*" route (the response headers given as JSON in the second argument, set by hand in the
// handler) plus the same number and shape of Fastify mechanisms as a versioned route of the plugin,
// each doing nothing of its own:
// - `hooks`: one route-level `onRequest` hook (callback form) and one `onSend` hook for every
//   route of the app, both empty;
// - `constraint`: the same, and a custom find-my-way constraint strategy whose deriveConstraint
//   returns a constant, the route's one handler constrained to it (a Map as the strategy's store);
// - `async`: the same hooks and a constraint strategy in the callback form, answering on the
//   promise of an async per-client lookup (a thousand pins by API key, as the plugin's
//   pinned-preview app has), and an `onRequest` hook that waits for an async feature flag.
// What the plugin costs beyond these is its own code; what these cost beyond "plain-*" is Fastify's
// and find-my-way's price for a hook or a constraint, whoever uses them.
import Fastify from 'fastify'
import { PREVIEW, PREVIEW_KEY, TIMELINE_VERSIONS, dailyDates } from '../timelines.mjs'
import { BODY, serveFastify } from './common.mjs'

const variant = process.argv[2]
const headers = JSON.parse(process.argv[3] ?? '{}')

const handler = (request, reply) => { reply.headers(headers).send(BODY) }

function emptyOnRequest (request, reply, done) { done() }
function emptyOnSend (request, reply, payload, done) { done(null, payload) }

/** The same value for every request: the route's one handler always matches. */
const CONSTANT = 'v1'
const constantStrategy = {
  name: 'floorVersion',
  storage: () => new Map(),
  deriveConstraint: () => CONSTANT,
  mustMatchWhenDerived: false
}

const pins = new Map(dailyDates(TIMELINE_VERSIONS).map((date, i) => [`key-${i}`, date]))
pins.set(PREVIEW_KEY, PREVIEW)
const previewers = new Set([PREVIEW_KEY])
const pinOf = async (request) => pins.get(request.headers['x-api-key'])
const isPreviewEnabled = async (request) => previewers.has(request.headers['x-api-key'])

const asyncStrategy = {
  name: 'floorPin',
  storage: () => new Map(),
  // Three declared parameters: find-my-way calls it in the callback form, as it does an async strategy.
  deriveConstraint (req, ctx, done) {
    pinOf(req).then(pin => done(null, pin))
  },
  mustMatchWhenDerived: false
}

function flagOnRequest (request, reply, done) {
  isPreviewEnabled(request).then(enabled => done(enabled ? undefined : new Error('preview off')))
}

const variants = {
  hooks: { onRequest: emptyOnRequest },
  constraint: { onRequest: emptyOnRequest, strategy: constantStrategy, value: CONSTANT },
  async: { onRequest: flagOnRequest, strategy: asyncStrategy, value: PREVIEW }
}
const chosen = variants[variant]
if (chosen === undefined) throw new Error(`unknown variant ${variant}; use ${Object.keys(variants).join(', ')}`)

const app = Fastify()
if (chosen.strategy !== undefined) app.addConstraintStrategy(chosen.strategy)
// For every route of the app, as a plugin registered with fastify-plugin adds it.
app.addHook('onSend', emptyOnSend)
app.register(async (scope) => {
  const constraints = chosen.strategy === undefined ? undefined : { [chosen.strategy.name]: chosen.value }
  scope.get('/item', { constraints, onRequest: [chosen.onRequest] }, handler)
})
await serveFastify(app)
