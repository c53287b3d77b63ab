import type { FastifyInstance } from 'fastify'
import type { ApiVersionInfo } from '../api-versions.js'
import { renderDocsPage } from './docs-page.js'
import { buildDocument, loadSwagger, type DocumentSettings, type OpenApiDocument } from './documents.js'
import type { RouteRecord } from './served-routes.js'

/**
 * The documentation routes of a registration: the timeline, each version's OpenAPI document, the
 * changelog and the documentation page. They are version-neutral and hidden from the application's
 * own @fastify/swagger.
 */

export interface DocsSettings {
  readonly prefix: string
  readonly openapi: Readonly<Record<string, unknown>>
  /** Whether the timeline and the documentation page list preview versions. */
  readonly previews: boolean
}

export interface DocsRouteSettings extends DocsSettings {
  readonly header: string
  readonly requireHeader: boolean
  /** The registration's routes, filled in as the application declares them. */
  readonly routes: readonly RouteRecord[]
}

const hidden = { hide: true }

const newestFirst = (versions: ApiVersionInfo[]): ApiVersionInfo[] => [...versions].reverse()

/** The lifecycle of `info` as seed documents write it: dates of the version, null where none. */
function lifecycleOf (version: ApiVersionInfo): Record<string, unknown> {
  return {
    status: version.status,
    released: version.version,
    deprecated: version.deprecated,
    sunset: version.sunset,
    successor: version.successor
  }
}

function changelogMarkdown (versions: ApiVersionInfo[]): string {
  const sections = newestFirst(versions).map(v => {
    const changes = v.changes.length === 0 ? 'No changes listed.' : v.changes.map(change => `- ${change}`).join('\n')
    return `## ${v.version} (${v.status})\n\n${changes}\n`
  })
  return ['# Changelog\n', ...sections].join('\n')
}

export async function registerDocsRoutes (fastify: FastifyInstance, settings: DocsRouteSettings): Promise<void> {
  const swagger = await loadSwagger()
  const { prefix, routes } = settings
  const documentSettings: DocumentSettings = { openapi: settings.openapi, header: settings.header, requireHeader: settings.requireHeader }
  // Built on first request, once the application's routes are all declared; the lifecycle is added per request.
  const documents = new Map<string, Promise<OpenApiDocument>>()
  const documentUrl = (version: string): string => `${prefix}/${version}/openapi.json`

  fastify.get(prefix === '' ? '/' : prefix, { schema: hidden }, async () => {
    const { header, latest, oldest, versions } = fastify.apiVersions
    return {
      header,
      latest,
      oldest,
      versions: versions.filter(v => settings.previews || v.status !== 'preview')
        .map(v => ({ ...v, released: v.version, openapi: documentUrl(v.version) })),
      changelog: { json: `${prefix}/changelog.json`, markdown: `${prefix}/changelog.md` }
    }
  })

  async function documentOf (version: ApiVersionInfo): Promise<OpenApiDocument> {
    let document = documents.get(version.version)
    if (document === undefined) {
      document = buildDocument(swagger, routes, version.version, fastify.getSchemas(), documentSettings)
      documents.set(version.version, document)
    }
    const built = await document
    return { ...built, info: { ...built.info, version: version.version, 'x-api-lifecycle': lifecycleOf(version) } }
  }

  fastify.get<{ Params: { version: string } }>(`${prefix}/:version/openapi.json`, { schema: hidden }, async (request, reply) => {
    const name = request.params.version === 'latest' ? fastify.apiVersions.latest : request.params.version
    const version = name === null ? null : fastify.apiVersions.get(name)
    if (version === null) return reply.callNotFound()
    return await documentOf(version)
  })

  const info = settings.openapi.info as Record<string, unknown> | undefined
  const title = typeof info?.title === 'string' ? info.title : 'API reference'

  fastify.get<{ Querystring: { version?: unknown } }>(`${prefix}/docs`, { schema: hidden }, async (request, reply) => {
    const listed = fastify.apiVersions.versions.filter(v => settings.previews || v.status !== 'preview')
    // Without a choice, the version a client without the header would most likely want: the latest release.
    const wanted = request.query.version ?? fastify.apiVersions.latest ?? listed.at(-1)?.version
    const selected = listed.find(v => v.version === wanted)
    if (selected === undefined) return reply.callNotFound()
    const html = renderDocsPage({ title, prefix, header: settings.header, versions: listed, selected, document: await documentOf(selected) })
    return reply.type('text/html; charset=utf-8').send(html)
  })

  fastify.get(`${prefix}/changelog.json`, { schema: hidden }, async () => ({
    versions: newestFirst(fastify.apiVersions.versions).map(({ version, status, changes }) => ({ version, status, changes }))
  }))

  fastify.get(`${prefix}/changelog.md`, { schema: hidden }, async (_request, reply) => {
    return reply.type('text/markdown; charset=utf-8').send(changelogMarkdown(fastify.apiVersions.versions))
  })
}
