// Types of the ESM entry (index.mjs): the default export is the plugin itself.
import lib from './dist/index.js'

export * from './dist/index.js'
declare const dateVersioning: typeof lib.default
export default dateVersioning
