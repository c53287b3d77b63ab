import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { usageProblem, type ApiUsageErrorCode } from '../errors.js'
import type { AuthorizeUsage } from '../options/usage.js'
import { settle, TimeLimit } from '../settle.js'
import type { ApiUsage } from './usage.js'
import { renderUsageSection } from './usage-section.js'

/**
 * The private usage view: `<prefix>/usage.json`, and the Usage section the documentation page shows
 * to requests `usage.authorize` allows. Everything else gets a 401 or 403 problem (the JSON) or the
 * page without the section. Answers are never cached by anyone else: they differ per requester.
 */

export interface UsageRouteSettings {
  readonly prefix: string
  readonly api: ApiUsage
  readonly authorize: AuthorizeUsage
  /** Milliseconds `authorize` may take before the request counts as refused. */
  readonly timeout: number
  readonly warn: (error: unknown, message: string) => void
}

/** The Usage section for a request: empty unless `authorize` allows it. */
export type UsageSection = (request: FastifyRequest, reply: FastifyReply) => Promise<string>

export const PRIVATE = 'private, no-store'

export function registerUsageRoutes (fastify: FastifyInstance, settings: UsageRouteSettings): UsageSection {
  const { prefix, api, authorize, timeout, warn } = settings
  const limit = new TimeLimit(timeout, 'usage.authorize')

  /** `undefined` when allowed; the problem's code otherwise. Fails closed. */
  async function refusal (request: FastifyRequest): Promise<ApiUsageErrorCode | undefined> {
    const settled = await settle(() => authorize(request), limit)
    if (settled.ok && settled.value === true) return undefined
    if (settled.ok && settled.value === 'unauthenticated') return 'ApiUsageUnauthorized'
    if (!settled.ok) warn(settled.error, 'fastify-date-versioning: usage.authorize failed; the usage view is refused')
    return 'ApiUsageForbidden'
  }

  fastify.get(`${prefix}/usage.json`, { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', PRIVATE)
    const code = await refusal(request)
    if (code !== undefined) {
      const problem = usageProblem(code)
      return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem)
    }
    return await api.report()
  })

  return async (request, reply) => {
    reply.header('cache-control', PRIVATE)
    if (await refusal(request) !== undefined) return ''
    return renderUsageSection(await api.report(), prefix)
  }
}
