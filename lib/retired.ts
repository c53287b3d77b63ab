import type { FastifyReply, FastifyRequest } from 'fastify'
import { configError } from './errors.js'
import { rejectUnknownKeys } from './options/known-keys.js'
import { isObject } from './util.js'

/**
 * The handler that retires a route from a version on:
 *
 *     app.delete('/moves/:id', { constraints: { apiVersion: '2024-03-01' } }, retired)
 *     app.delete('/moves/:id', { constraints: { apiVersion: '2024-03-01' } },
 *       retired({ successor: 'POST /moves/{id}/cancel', link: 'https://docs.example.com/moves#cancel' }))
 *
 * Clients at 2024-03-01 or later get a 404 problem document (`ApiVersionEndpointNotFound`) that
 * names the retirement and, when given, the endpoint that replaces it; older clients keep their
 * handler. The router recognises these handlers: with the plugin they never run.
 */

/** What clients of a retired endpoint are told. */
export interface RetirementOptions {
  /** The endpoint that replaces the retired one, as clients call it, such as `POST /moves/{id}/cancel`: named in the 404's detail. */
  successor?: string
  /** Where the replacement is documented: sent with the 404 as `Link: <url>; rel="successor-version"`. */
  link?: string
}

/** A retirement as the router reads it. */
export interface Retirement {
  readonly successor: string | undefined
  readonly link: string | undefined
}

type RetiredHandler = (request: FastifyRequest, reply: FastifyReply) => void

const retirements = new WeakMap<RetiredHandler, Retirement>()

/**
 * Without the plugin in the route's scope nothing recognises the handler and it runs: the route
 * answers the application's 404, as it would once retired.
 */
function notFound (_request: FastifyRequest, reply: FastifyReply): void {
  reply.callNotFound()
}

export function retired (options: RetirementOptions): RetiredHandler
export function retired (request: FastifyRequest, reply: FastifyReply): void
export function retired (first: RetirementOptions | FastifyRequest, reply?: FastifyReply): RetiredHandler | undefined {
  if (reply !== undefined) {
    notFound(first as FastifyRequest, reply)
    return undefined
  }
  const retirement = retirementOptions(first)
  const handler: RetiredHandler = (request, reply) => { notFound(request, reply) }
  retirements.set(handler, retirement)
  return handler
}

function retirementOptions (options: unknown): Retirement {
  if (!isObject(options)) throw configError('retired(options) takes an object such as { successor: "POST /moves/{id}/cancel", link: "https://docs.example.com/moves#cancel" }.')
  rejectUnknownKeys(options, ['successor', 'link'], key => `retired() has no option "${key}"; use successor or link.`)
  const { successor, link } = options
  if (successor !== undefined && (typeof successor !== 'string' || successor === '')) throw configError(`retired({ successor }) must name the replacing endpoint, such as "POST /moves/{id}/cancel"; received ${JSON.stringify(successor)}.`)
  if (link !== undefined && (typeof link !== 'string' || !URL.canParse(link))) throw configError(`retired({ link }) must be an absolute URL; received ${JSON.stringify(link)}.`)
  // Serialised by the URL parser, so that it is safe between the <> of a Link header.
  return Object.freeze({ successor, link: link === undefined ? undefined : new URL(link).href })
}

const plainRetirement: Retirement = Object.freeze({ successor: undefined, link: undefined })

/** The retirement a route handler declares, or `undefined` for any other handler. */
export function retirementOf (handler: unknown): Retirement | undefined {
  return handler === retired ? plainRetirement : retirements.get(handler as RetiredHandler)
}
