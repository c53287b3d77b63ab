// ESM entry: one implementation (the CommonJS build) behind both entries, so `instanceof` checks on
// the error classes hold whichever way the package is loaded.
import lib from './dist/index.js'
export * from './dist/index.js'
export default lib.default
