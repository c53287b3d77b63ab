// Types of the ESM entry of `fastify-date-versioning/client` (client.mjs).
export * from './dist/client/index.js'
