// Scenario "fastify-semver" and comparators "semver-*": Fastify's built-in `version` constraint
// (Accept-Version, semver), 20 versions of one route. With a JSON object as first argument, each
// handler also sets those response headers by hand (the ones the plugin would send), so the
// comparison holds the header work equal and leaves the routing and hooks.
import Fastify from 'fastify'
import { BODY, serveFastify } from './common.mjs'

const VERSIONS = 20
const headers = process.argv[2] === undefined ? undefined : JSON.parse(process.argv[2])

const app = Fastify()
const handler = headers === undefined
  ? (request, reply) => { reply.send(BODY) }
  : (request, reply) => { reply.headers(headers).send(BODY) }
for (let major = 1; major <= VERSIONS; major++) {
  app.get('/item', { constraints: { version: `${major}.0.0` } }, handler)
}
await serveFastify(app)
