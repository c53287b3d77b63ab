/**
 * Automatic pinning as the version resolver sees it: a source of pins beside the header and the
 * default. Free of Fastify and of the store's details (see lib/usage/usage.ts, which builds it).
 */
export interface PinSource {
  /** The pinned version of the request's client, `undefined` when it has none (or is unknown). */
  read: (request: unknown) => string | undefined | PromiseLike<string | undefined>
  /** A request of a client without a pin was served `version` by the default: pin the client to it. */
  served: (request: unknown, version: string) => void
  /** The store failed, answered late or held something that is not a version. */
  failed: (error: unknown) => void
  /**
   * Whether `read` always answers at once and never throws (the built-in memory store): routing then needs no
   * callback, which costs more than the read itself. False for any other store, whose pinOf may
   * answer with a promise.
   */
  readonly synchronous: boolean
}
