// ESM entry of `fastify-date-versioning/client`: the CommonJS build behind both entries, so
// `instanceof VersionProblemError` holds whichever way the module is loaded.
export * from './dist/client/index.js'
