import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The handler that retires a route from a version on:
 *
 *     app.delete('/moves/:id', { constraints: { apiVersion: '2024-03-01' } }, retired)
 *
 * Clients at 2024-03-01 or later get the application's 404, older clients keep their handler.
 * The router recognises this handler and never routes to it.
 */
/* c8 ignore start */
export function retired (_request: FastifyRequest, reply: FastifyReply): void {
  // Never runs (see above); answering "not found" is the only safe fallback should it ever run.
  reply.callNotFound()
}
/* c8 ignore stop */
