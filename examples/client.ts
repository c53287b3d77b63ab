import createClient from 'openapi-fetch'
// The package imports itself by name, as a client application would (after `npm run build`).
import { createVersionedFetch, versioningMiddleware, versioningOf } from 'fastify-date-versioning/client'
import type { paths } from '../types/moves-api/2025-11-05.js'
import { buildApp } from './app.js'

/**
 * The example API called through the client: a client still on a deprecated version hears about
 * it once (a process warning, on stderr), and a client trying the preview falls back to the
 * latest release. Run it with `npm run build && npx tsx examples/client.ts`.
 */

const app = await buildApp()
const base = await app.listen({ host: '127.0.0.1', port: 0 })

// A client built against 2022-03-01, deprecated since 2025-03-01.
const legacy = createVersionedFetch({ version: '2022-03-01' })
for (const id of ['M-1001', 'M-1002']) {
  const response = await legacy(`${base}/moves/${id}`)
  const { served, deprecation, sunset, links } = versioningOf(response)!
  console.log(`GET /moves/${id} at 2022-03-01: ${response.status}, served by ${served}, deprecated ${deprecation?.toISOString()}, ` +
    `sunset ${sunset?.toISOString()}, successor ${links.successorVersion}: ${JSON.stringify((await response.json() as { person: unknown }).person)}`)
}

// A typed openapi-fetch client trying the preview, falling back to the latest release.
const moves = createClient<paths>({ baseUrl: base })
moves.use(versioningMiddleware({ version: '2030-01-01', fallbackVersion: '2025-11-05' }))
const { data, response } = await moves.GET('/moves/{id}', { params: { path: { id: 'M-1001' } } })
const { requested, served, fallback } = versioningOf(response)!
console.log(`GET /moves/M-1001 at 2030-01-01: ${fallback?.refusal.status} ${fallback?.refusal.code}; ` +
  `retried at ${requested}: ${response.status}, served by ${served}, person ${data?.person.firstName} ${data?.person.lastName}`)

// Without a fallback, the refusal is the answer; its problem document is read into an error.
const preview = createVersionedFetch({ version: '2030-01-01' })
const refused = await preview(`${base}/moves/M-1001`)
const problem = versioningOf(refused)!.problem
console.log(`GET /moves/M-1001 at 2030-01-01 without fallback: ${refused.status} ${problem?.code}; supported versions ${problem?.supportedVersions.join(', ')}, latest ${problem?.latestVersion}`)

await app.close()
