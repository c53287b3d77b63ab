// Scenario "fastify": one route, no versioning. The baseline of every ratio.
import Fastify from 'fastify'
import { BODY, serveFastify } from './common.mjs'

const app = Fastify()
app.get('/item', (request, reply) => { reply.send(BODY) })
await serveFastify(app)
