import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { configError } from '../errors.js'
import type { OpenApiDocument } from '../openapi-document.js'
import { routesServing, type RouteRecord } from './served-routes.js'

/**
 * One OpenAPI document per version, converted by @fastify/swagger: the routes serving a version are
 * declared on a private Fastify instance that exists only to run @fastify/swagger over them, so the
 * conversion is @fastify/swagger's own while each method and path keeps the one handler the version sees.
 */

type Parameter = Record<string, unknown> & { name: string, in: string }

interface Operation {
  parameters?: Parameter[]
  'x-api-version'?: string
}

export interface DocumentSettings {
  /** @fastify/swagger's `openapi` option: info, servers, components, tags, security… */
  readonly openapi: Readonly<Record<string, unknown>>
  readonly header: string
  readonly requireHeader: boolean
}

// The options this module passes to @fastify/swagger, typed here so that the declarations this
// package ships never name the optional dependency.
type SwaggerPlugin = FastifyPluginAsync<{ openapi: Record<string, unknown> }>

/**
 * @fastify/swagger is an optional peer dependency: loaded only when a document is built. Without
 * it, the user is told what to install (test/optional-swagger.test.ts removes it in a child process).
 */
// Under the test runner, tsx wraps a dynamic import in interop code with branches of its own.
/* c8 ignore next */
export async function loadSwagger (load: () => Promise<unknown> = () => import('@fastify/swagger')): Promise<SwaggerPlugin> {
  const loaded = await load().catch((error: Error) => {
    throw configError(`OpenAPI documents (the docs option, apiVersions.document and the contract guard) need @fastify/swagger, an optional peer dependency: npm install @fastify/swagger (${error.message}).`)
  })
  return (loaded as { default: unknown }).default as SwaggerPlugin
}

/** The documents of one registration, by version: what `apiVersions.document()` and the docs routes serve. */
export interface DocumentStore {
  /** The document of `version`, without its lifecycle, which changes with the clock and is added per request. */
  readonly document: (version: string) => Promise<OpenApiDocument>
}

/**
 * The one way a registration builds its documents. Until the application is ready its routes may still
 * change, so each call builds anew; from `ready()` on they are final, so each version is built once and
 * shared (a failure is not kept: the next call tries again). Callers must not change what they receive.
 */
export function createDocumentStore (fastify: FastifyInstance, routes: readonly RouteRecord[], settings: DocumentSettings): DocumentStore {
  const built = new Map<string, Promise<OpenApiDocument>>()
  let ready = false
  fastify.addHook('onReady', async () => { ready = true })
  const build = async (version: string): Promise<OpenApiDocument> =>
    buildDocument(await loadSwagger(), routes, version, fastify.getSchemas(), settings)
  return {
    document (version) {
      if (!ready) return build(version)
      let document = built.get(version)
      if (document === undefined) {
        document = build(version)
        built.set(version, document)
        document.catch(() => built.delete(version))
      }
      return document
    }
  }
}

/** The document of `version`, without its lifecycle, which changes with the clock and is added per request. */
export async function buildDocument (swagger: SwaggerPlugin, routes: readonly RouteRecord[], version: string,
  sharedSchemas: Readonly<Record<string, unknown>>, settings: DocumentSettings): Promise<OpenApiDocument> {
  try {
    return await convert(swagger, routesServing(routes, version), sharedSchemas, settings)
  } catch (error) {
    // The application started, so its schemas compile; @fastify/swagger reads them differently (a null where a schema is expected).
    throw configError(`the OpenAPI document of version ${version} cannot be built: @fastify/swagger failed on the schemas of the routes serving it (${(error as Error).message}). Check those route schemas and the docs.openapi option.`)
  }
}

async function convert (swagger: SwaggerPlugin, serving: readonly RouteRecord[], sharedSchemas: Readonly<Record<string, unknown>>,
  settings: DocumentSettings): Promise<OpenApiDocument> {
  // Schemas are only converted here, never compiled: validation and serialisation are the application's.
  const converter = Fastify({ exposeHeadRoutes: false })
  converter.setValidatorCompiler(() => () => true)
  converter.setSerializerCompiler(() => data => JSON.stringify(data))
  for (const schema of schemasOf(sharedSchemas, serving)) converter.addSchema(schema)
  await converter.register(swagger, { openapi: { openapi: '3.1.0', ...settings.openapi } })
  const declared = new Set<string>()
  for (const route of serving) {
    const id = `${route.method} ${route.url}`
    // HEAD is documented by GET, as @fastify/swagger does; a second handler of one method and path
    // differs only by another constraint (a host), which a document cannot tell apart.
    if (route.method === 'HEAD' || declared.has(id)) continue
    declared.add(id)
    const schema = route.version === null ? route.schema : { ...route.schema, 'x-api-version': route.version }
    converter.route({ method: route.method, url: route.url, schema, handler: async () => null })
  }
  await converter.ready()
  // The converter is discarded, so its document is ours to complete.
  const document = converter.swagger() as unknown as { paths: Record<string, Record<string, unknown>> }
  await converter.close()
  for (const path of Object.values(document.paths)) {
    // Path-level fields (summary, parameters) carry no mark and are left alone.
    for (const operation of Object.values(path)) addVersionHeader(operation as Operation, settings)
  }
  return document
}

/**
 * The shared schemas the routes may name: the plugin's scope's and those of each route's own scope
 * (a plugin that adds its schemas and routes in an encapsulated scope). Once per `$id`: the first wins.
 */
function schemasOf (sharedSchemas: Readonly<Record<string, unknown>>, routes: readonly RouteRecord[]): unknown[] {
  const byId = new Map(Object.entries(sharedSchemas))
  for (const route of routes) {
    for (const [id, schema] of Object.entries(route.sharedSchemas())) if (!byId.has(id)) byId.set(id, schema)
  }
  return [...byId.values()]
}

/** Documents the version header on an operation of a versioned route (marked `x-api-version` above). */
function addVersionHeader (operation: Operation, { header, requireHeader }: DocumentSettings): void {
  if (operation['x-api-version'] === undefined) return
  const parameters = operation.parameters ?? []
  if (parameters.some(p => p.in === 'header' && p.name.toLowerCase() === header.toLowerCase())) return
  operation.parameters = [{
    name: header,
    in: 'header',
    required: requireHeader,
    description: 'The API version: a declared release date, YYYY-MM-DD. The handler with the greatest version on or before it serves the request.',
    schema: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }
  }, ...parameters]
}
