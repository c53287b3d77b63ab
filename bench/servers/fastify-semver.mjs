// Scenario "fastify-semver": Fastify's built-in `version` constraint (Accept-Version, semver), 20
// versions of one route.
import Fastify from 'fastify'
import { BODY, serveFastify } from './common.mjs'

const VERSIONS = 20

const app = Fastify()
for (let major = 1; major <= VERSIONS; major++) {
  app.get('/item', { constraints: { version: `${major}.0.0` } }, (request, reply) => { reply.send(BODY) })
}
await serveFastify(app)
