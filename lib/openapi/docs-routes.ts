import type { FastifyInstance } from 'fastify'
import type { ApiVersionInfo } from '../api-versions.js'
import type { ContractChange } from '../contract/change.js'
import type { OpenApiDocument } from '../openapi-document.js'
import { buildChangelog, changelogMarkdown, contractChanges, type ChangelogEntry } from './changelog.js'
import { loadSwagger, type DocumentStore } from './documents.js'
import { servedDocument } from './served-document.js'
import type { UsageSection } from '../usage/usage-routes.js'

/**
 * The documentation routes of a registration: the timeline, each version's OpenAPI document, the
 * changelog and the documentation page. They are version-neutral and hidden from the application's
 * own @fastify/swagger. Without `previews`, preview versions are absent from all of them: a preview's
 * contract is as private as its flag.
 */

export interface DocsSettings {
  readonly prefix: string
  readonly openapi: Readonly<Record<string, unknown>>
  /** Whether the timeline and the documentation page list preview versions. */
  readonly previews: boolean
}

export interface DocsRouteSettings extends DocsSettings {
  readonly header: string
  /** The registration's documents, which `apiVersions.document()` serves too. */
  readonly documents: DocumentStore
  /** The registration's clock, which the statuses follow: the page marks its today on the timeline. */
  readonly now: () => number
  /** The private Usage section, shown to requests the usage view allows (`usage.authorize`). */
  readonly usageSection?: UsageSection | undefined
}

const hidden = { hide: true }

/** The value `make` promises for `key`, made once; a failure is not kept, so the next request tries again. */
function once<T> (cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key)
  if (value === undefined) {
    value = make()
    cache.set(key, value)
    value.catch(() => cache.delete(key))
  }
  return value
}

export async function registerDocsRoutes (fastify: FastifyInstance, settings: DocsRouteSettings): Promise<void> {
  // The page and its Markdown renderer are loaded with the documentation routes, not by every
  // application; @fastify/swagger now, so that its absence fails at start-up, not on the first request.
  // Under the test runner, tsx appends its own interop to a dynamic import, with branches of its own.
  /* c8 ignore next */
  const [, docsPage] = await Promise.all([loadSwagger(), import('./docs-page.js')])
  const { prefix, documents } = settings
  const diffs = new Map<string, Promise<ContractChange[]>>()
  const documentUrl = (version: string): string => `${prefix}/${version}/openapi.json`
  const listed = (version: ApiVersionInfo): boolean => settings.previews || version.status !== 'preview'
  const listedVersions = (): ApiVersionInfo[] => fastify.apiVersions.versions.filter(listed)

  fastify.get(prefix === '' ? '/' : prefix, { schema: hidden }, async () => {
    const { header, latest, oldest } = fastify.apiVersions
    return {
      header,
      latest,
      oldest,
      versions: listedVersions().map(v => ({ ...v, released: v.version, openapi: documentUrl(v.version) })),
      changelog: { json: `${prefix}/changelog.json`, markdown: `${prefix}/changelog.md` }
    }
  })

  // Built on first request, once the application's routes are all declared; the lifecycle is added per request.
  const documentOf = async (version: ApiVersionInfo): Promise<OpenApiDocument> => servedDocument(await documents.document(version.version), version)

  // Documents without their lifecycle: only what clients program against is compared.
  const diff = (from: string, to: string): Promise<ContractChange[]> =>
    once(diffs, `${from} ${to}`, async () => contractChanges(await documents.document(from), await documents.document(to)))
  const changelog = (): Promise<ChangelogEntry[]> => buildChangelog(listedVersions(), diff)

  fastify.get<{ Params: { version: string } }>(`${prefix}/:version/openapi.json`, { schema: hidden }, async (request, reply) => {
    const name = request.params.version === 'latest' ? fastify.apiVersions.latest : request.params.version
    const version = name === null ? null : fastify.apiVersions.get(name)
    if (version === null || !listed(version)) return reply.callNotFound()
    return await documentOf(version)
  })

  const info = settings.openapi.info as Record<string, unknown> | undefined
  const title = typeof info?.title === 'string' ? info.title : 'API reference'

  fastify.get<{ Querystring: { version?: unknown } }>(`${prefix}/docs`, { schema: hidden }, async (request, reply) => {
    const versions = listedVersions()
    // Without a choice, the version a client without the header would most likely want: the latest release.
    const wanted = request.query.version ?? fastify.apiVersions.latest ?? versions.at(-1)?.version
    const selected = versions.find(v => v.version === wanted)
    if (selected === undefined) return reply.callNotFound()
    const usage = settings.usageSection === undefined ? '' : await settings.usageSection(request, reply)
    const html = docsPage.renderDocsPage({
      title, prefix, header: settings.header, versions, selected, document: await documentOf(selected), changelog: await changelog(), today: settings.now(), usage
    })
    // The page runs no script and loads nothing: the policy says so to the browser, so that an
    // escaping mistake in the page can never become script execution or a request elsewhere.
    return reply.type('text/html; charset=utf-8').header('content-security-policy', docsPage.DOCS_PAGE_POLICY).send(html)
  })

  fastify.get(`${prefix}/changelog.json`, { schema: hidden }, async () => ({ versions: await changelog() }))

  fastify.get(`${prefix}/changelog.md`, { schema: hidden }, async (_request, reply) => {
    return reply.type('text/markdown; charset=utf-8').send(changelogMarkdown(await changelog()))
  })
}
