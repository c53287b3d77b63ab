// ESM entry of `fastify-date-versioning/contract`: one implementation (the CommonJS build) behind
// both entries, as for the main entry.
export * from './dist/contract/index.js'
