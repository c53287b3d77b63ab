/**
 * fastify-date-versioning/client: a versioned fetch for the APIs the plugin serves. Standard web
 * APIs only (fetch, Headers, Response), no Node or Fastify import: it runs in Node 20+ and browsers.
 */
export { createVersionedFetch } from './fetch.js'
export type { VersionedFetch, VersionedFetchOptions, FetchFunction } from './fetch.js'
export { versioningMiddleware } from './openapi-fetch.js'
export type { VersioningMiddleware, MiddlewareParams } from './openapi-fetch.js'
export { versioningOf } from './versioning.js'
export type { VersioningOptions, ResponseVersioning, FallbackAttempt, FallbackSkipped } from './versioning.js'
export { VersionProblemError, versionProblemCodes } from './problem.js'
export type { VersionProblemCode } from './problem.js'
export { noticeCodes } from './notices.js'
export type { VersionNotice, VersionNoticeKind, NoticeListener } from './notices.js'
export type { VersionHeaders, VersionLinks } from './headers.js'
