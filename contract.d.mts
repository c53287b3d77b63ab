// Types of the ESM entry of `fastify-date-versioning/contract` (contract.mjs).
export * from './dist/contract/index.js'
