// Types of the ESM entry (index.mjs): the default export is the plugin itself. It is taken by name:
// how a default import of the CommonJS build is typed depends on the consumer's moduleResolution
// (under node16/nodenext it is the whole module, under bundler its `default`), a named one does not.
import { dateVersioning } from './dist/index.js'

export * from './dist/index.js'
export default dateVersioning
