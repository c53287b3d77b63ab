// Comparator "plain-*": one route, no versioning, whose handler sets by hand the response headers
// the plugin would send (given as JSON in the first argument). What versioning adds over this is the
// whole price of the plugin, routing and hooks included.
import Fastify from 'fastify'
import { BODY, serveFastify } from './common.mjs'

const headers = JSON.parse(process.argv[2] ?? '{}')
const app = Fastify()
app.get('/item', (request, reply) => { reply.headers(headers).send(BODY) })
await serveFastify(app)
