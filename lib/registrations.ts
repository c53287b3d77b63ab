import type { FastifyInstance } from 'fastify'

/**
 * The scopes an application registers the plugin in, found from any instance of the application:
 * tools such as the contract CLI are handed the root instance, while `/v1` and `/v2` registrations
 * live in encapsulated scopes the root cannot see into.
 */

export interface Registration {
  /** The scope's route prefix, `''` at the root. */
  readonly prefix: string
  /** The instance `apiVersions` is decorated on. */
  readonly instance: FastifyInstance
}

// Kept on the HTTP server, which every scope of one application shares; a global symbol, so that two
// copies of this package in one application (an app and a tool each with its own) see the same list.
const REGISTRATIONS = Symbol.for('fastify-date-versioning.registrations')

type Server = { [REGISTRATIONS]?: Registration[] }

export function recordRegistration (fastify: FastifyInstance): void {
  const server = fastify.server as unknown as Server
  server[REGISTRATIONS] ??= []
  server[REGISTRATIONS].push({ prefix: fastify.prefix, instance: fastify })
}

/** The registrations of the application `app` belongs to, in registration order. */
export function registrationsOf (app: FastifyInstance): readonly Registration[] {
  return (app.server as unknown as Server)[REGISTRATIONS] ?? []
}

/** How a prefix is shown and chosen: `/` for the root. */
export const scopeName = (registration: Registration): string => registration.prefix === '' ? '/' : registration.prefix
