import { OpenFeature, TypedInMemoryProvider } from '@openfeature/server-sdk'
import { Type, type Static, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
// The package imports itself by name, as an application would (after `npm run build`).
import dateVersioning, {
  memoryUsageStore, openFeaturePreviewFlags, responseMigration, retired, schema, versionChange, type UsageStore, type VersionDeclaration
} from 'fastify-date-versioning'

/**
 * A prisoner-escort "moves" API, versioned as a whole by release dates in the `Api-Version` header.
 * The store keeps the newest shape of a move. Handlers are written for the newest version they
 * serve; the version changes of the timeline describe the past, and the plugin derives each older
 * version's schemas and migrates the responses back to them, so every version reads the same data.
 */

// Response schemas. fast-json-stringify serialises with them (with each version's derived schema
// in older versions), so a field a version does not document never leaks into its responses.
const moveFields = {
  id: Type.String(),
  reference: Type.String(),
  status: Type.Union([Type.Literal('requested'), Type.Literal('booked'), Type.Literal('cancelled')]),
  date: Type.String({ format: 'date' })
}
const LocationCode = Type.String({ minLength: 4, maxLength: 4 })
const Location = Type.Object({ code: LocationCode, title: Type.String() })
const SplitName = Type.Object({ firstName: Type.String(), lastName: Type.String() })

const MoveWithSplitName = Type.Object({ ...moveFields, from: LocationCode, to: LocationCode, person: SplitName })
const MoveWithLocations = Type.Object({ ...moveFields, from: Location, to: Location, person: SplitName })

const pageOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ data: Type.Array(item), meta: Type.Object({ count: Type.Integer() }) })
const MovesPage = pageOf(MoveWithSplitName)

/** 2022-03-01: before it, GET /moves answered the bare array of moves. */
const movesPage = versionChange({
  description: 'GET /moves answers a page { data, meta } instead of a bare array',
  schemas: [schema(MovesPage).was(page => page.properties.data)],
  responses: [responseMigration('GET /moves', response => { response.body = response.body.data })]
})

/** 2025-11-05: before it, a person had one `name`. */
const splitName = versionChange({
  description: 'person.name is split into person.firstName and person.lastName',
  schemas: [
    schema(SplitName).property('name').existedAs(Type.String()),
    schema(SplitName).property('firstName').didNotExist(),
    schema(SplitName).property('lastName').didNotExist()
  ],
  // firstName and lastName stay: the older version's schema, which serializes the response, leaves
  // them out (and an object that keeps its properties stays fast in V8; one that loses some does not).
  responses: [responseMigration(SplitName, person => { person.name = `${person.firstName} ${person.lastName}` })]
})

/** The timeline. Dates are chosen so that the statuses hold for years on the real clock. */
export const versions: VersionDeclaration[] = [
  {
    version: '2020-06-12',
    changes: ['First release: moves, each with its person'],
    deprecated: '2023-06-01',
    sunset: '2024-06-30T23:59:59Z'
  },
  {
    version: '2022-03-01',
    changes: [movesPage],
    deprecated: '2025-03-01',
    sunset: '2029-12-31T23:59:59Z'
  },
  {
    version: '2024-09-01',
    changes: ['POST /moves/{id}/cancel replaces DELETE /moves/{id}, which is retired: a cancelled move is kept, not deleted']
  },
  {
    version: '2025-11-05',
    changes: [splitName]
  },
  {
    version: '2030-01-01',
    preview: true,
    changes: ['from and to are locations { code, title } instead of location codes']
  }
]

/** The request header and value that open the preview, as handed to clients of the integration environment. */
export const PREVIEW_HEADER = 'x-preview-token'
export const PREVIEW_TOKEN = 'let-me-in'

/** The header naming the calling client (a real API would take the id of the caller's API key). */
export const CLIENT_HEADER = 'x-client-id'
/** The bearer token that opens the usage view: a stand-in for the application's own authentication. */
export const USAGE_TOKEN = 'usage-admin'

const locations: Record<string, string> = {
  HMPA: 'HMP Ashbury',
  HMPB: 'HMP Brackley',
  CRTC: 'Castlegate Crown Court'
}

interface StoredMove {
  id: string
  reference: string
  status: 'requested' | 'booked' | 'cancelled'
  date: string
  from: string
  to: string
  person: { firstName: string, lastName: string }
}

function sampleMoves (): Map<string, StoredMove> {
  const moves: StoredMove[] = [
    { id: 'M-1001', reference: 'ASH4721A', status: 'booked', date: '2026-12-01', from: 'HMPA', to: 'CRTC', person: { firstName: 'Sam', lastName: 'Taylor' } },
    { id: 'M-1002', reference: 'BRK0193C', status: 'requested', date: '2026-12-03', from: 'HMPB', to: 'HMPA', person: { firstName: 'Jo', lastName: 'Evans' } }
  ]
  return new Map(moves.map(move => [move.id, move]))
}

const NotFound = Type.Object({ statusCode: Type.Literal(404), error: Type.String(), message: Type.String() })
const Cancelled = Type.Object({ id: Type.String(), status: Type.Literal('cancelled') })
const MoveParams = Type.Object({ id: Type.String() })

// One presenter per handler: older versions are the version changes' business.
const withSplitName = (move: StoredMove): Static<typeof MoveWithSplitName> => ({
  ...summary(move), from: move.from, to: move.to, person: { ...move.person }
})
const withLocations = (move: StoredMove): Static<typeof MoveWithLocations> => ({
  ...summary(move), from: location(move.from), to: location(move.to), person: { ...move.person }
})

function summary ({ id, reference, status, date }: StoredMove) {
  return { id, reference, status, date }
}

function location (code: string): Static<typeof Location> {
  return { code, title: locations[code] ?? code }
}

function moveNotFound (reply: FastifyReply, id: string) {
  return reply.code(404).send({ statusCode: 404 as const, error: 'Not Found', message: `No move ${id}` })
}

export interface BuildOptions {
  /** Fastify's logger option; off unless given. */
  logger?: FastifyServerOptions['logger']
  /** Where usage and pins are kept; in this process's memory unless given. */
  usageStore?: UsageStore
}

/** Builds the moves API, ready but not listening. */
export async function buildApp (options: BuildOptions = {}) {
  const app = Fastify({ logger: options.logger ?? false }).withTypeProvider<TypeBoxTypeProvider>()
  const moves = sampleMoves()

  // Each preview version is an OpenFeature flag (`api-version-<date>`); here an in-memory provider
  // turns it on for requests carrying the integration environment's token. A real deployment
  // points OpenFeature at its flag service instead and keeps the rest.
  const flags = new TypedInMemoryProvider({
    'api-version-2030-01-01': {
      variants: { on: true, off: false },
      defaultVariant: 'off',
      disabled: false,
      contextEvaluator: (context) => context.previewToken === PREVIEW_TOKEN ? 'on' : 'off'
    }
  })
  await OpenFeature.setProviderAndWait('moves-api', flags)

  await app.register(dateVersioning, {
    // The plugin's default name: this API is not tied to any vendor's header.
    header: 'Api-Version',
    versions,
    // Version dates begin at midnight where the service and its clients work.
    timeZone: 'Europe/London',
    isPreviewEnabled: openFeaturePreviewFlags<FastifyRequest>(OpenFeature.getClient('moves-api'), {
      context: (request) => ({ previewToken: String(request.headers[PREVIEW_HEADER] ?? '') })
    }),
    // {version} is the successor in successorVersion, and the served version in deprecation.
    links: {
      successorVersion: 'https://moves.example.com/changelog#{version}',
      deprecation: 'https://moves.example.com/changelog#{version}'
    },
    // The timeline, one OpenAPI document per version and the changelog, under /api-versions.
    docs: { openapi: { info: { title: 'Moves API', description: 'Prisoner-escort moves, versioned by release date in the Api-Version header.' } } },
    // Who calls which version, in memory: clients name themselves in a header, are pinned to the
    // version of their first request without the header, and the usage view (usage.json and the
    // documentation page's Usage section) opens to the usage token only.
    usage: {
      clientId: (request) => {
        const id = request.headers[CLIENT_HEADER]
        return typeof id === 'string' ? id : undefined
      },
      clientIds: 'as-given',
      store: options.usageStore ?? memoryUsageStore(),
      pin: true,
      authorize: (request) => request.headers.authorization === undefined ? 'unauthenticated' : request.headers.authorization === `Bearer ${USAGE_TOKEN}`
    }
  })

  // Version-neutral: no apiVersion constraint, no version headers, every client gets the same.
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/versions', async () => ({ header: app.apiVersions.header, latest: app.apiVersions.latest, versions: app.apiVersions.versions }))

  // GET /moves: one handler from the first release, written for the newest version it serves
  // (2025-11-05, the version before the next handler's); the changes of 2022-03-01 (a page instead of
  // a bare array) and 2025-11-05 (split names) give older clients their shapes. Locations as objects
  // come with the preview's own handler.
  app.get('/moves', {
    constraints: { apiVersion: '2020-06-12' },
    schema: { response: { 200: MovesPage } }
  }, async () => page([...moves.values()].map(withSplitName)))

  app.get('/moves', {
    constraints: { apiVersion: '2030-01-01' },
    schema: { response: { 200: pageOf(MoveWithLocations) } }
  }, async () => page([...moves.values()].map(withLocations)))

  // GET /moves/:id: written for 2025-11-05; the change of that day gives older clients person.name.
  app.get('/moves/:id', {
    constraints: { apiVersion: '2020-06-12' },
    schema: { params: MoveParams, response: { 200: MoveWithSplitName, 404: NotFound } }
  }, async (request, reply) => {
    const move = moves.get(request.params.id)
    return move === undefined ? moveNotFound(reply, request.params.id) : withSplitName(move)
  })

  app.get('/moves/:id', {
    constraints: { apiVersion: '2030-01-01' },
    schema: { params: MoveParams, response: { 200: MoveWithLocations, 404: NotFound } }
  }, async (request, reply) => {
    const move = moves.get(request.params.id)
    return move === undefined ? moveNotFound(reply, request.params.id) : withLocations(move)
  })

  // Cancelling: DELETE until 2024-09-01, then POST .../cancel. Older clients keep DELETE; the move
  // is kept as cancelled either way, so both versions see the same data.
  app.delete('/moves/:id', {
    constraints: { apiVersion: '2020-06-12' },
    schema: { params: MoveParams, response: { 204: Type.Null(), 404: NotFound } }
  }, async (request, reply) => {
    const move = moves.get(request.params.id)
    if (move === undefined) return moveNotFound(reply, request.params.id)
    move.status = 'cancelled'
    return reply.code(204).send(null)
  })
  app.delete('/moves/:id', { constraints: { apiVersion: '2024-09-01' } }, retired({ successor: 'POST /moves/{id}/cancel' }))

  app.post('/moves/:id/cancel', {
    constraints: { apiVersion: '2024-09-01' },
    schema: { params: MoveParams, response: { 200: Cancelled, 404: NotFound } }
  }, async (request, reply) => {
    const move = moves.get(request.params.id)
    if (move === undefined) return moveNotFound(reply, request.params.id)
    move.status = 'cancelled'
    return { id: move.id, status: 'cancelled' as const }
  })

  return app
}

function page<T> (data: T[]) {
  return { data, meta: { count: data.length } }
}
