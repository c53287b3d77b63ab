import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import t from 'tap'

/**
 * The layers of lib/, from the bottom: the core and its Fastify glue (timeline, resolution, the
 * request path, the errors: lib/*.ts), the OpenAPI documents (openapi/), the plugin's entry that
 * assembles both (plugin.ts, index.ts), and the contract tools (contract/), which reach the plugin
 * only through `{ versions, document() }`. A layer imports only the layers below it, so that the
 * plugin runs without its tools and each layer can be read, tested and changed without those above
 * it. The one way up is lazy: the documentation's changelog loads the classifier on its first use.
 */

const layers = ['core', 'openapi', 'plugin', 'contract'] as const
type Layer = typeof layers[number]

interface Edge {
  readonly from: string
  readonly to: string
  readonly kind: 'runtime' | 'type' | 'lazy'
}

function layerOf (file: string): Layer {
  if (file.startsWith('contract/')) return 'contract'
  if (file.startsWith('openapi/')) return 'openapi'
  if (file === 'plugin.ts' || file === 'index.ts') return 'plugin'
  return 'core'
}

async function sources (dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true })
  return entries.filter(file => file.endsWith('.ts')).map(file => file.replaceAll('\\', '/')).sort()
}

/** Every relative import and re-export of lib/, with whether it exists at run time. */
async function imports (): Promise<Edge[]> {
  const lib = join(process.cwd(), 'lib')
  const edges: Edge[] = []
  for (const file of await sources(lib)) {
    const text = await readFile(join(lib, file), 'utf8')
    const target = (specifier: string): string => relative(lib, join(lib, dirname(file), specifier)).replaceAll('\\', '/').replace(/\.js$/, '.ts')
    for (const [, keyword, typeOnly, specifier] of text.matchAll(/^(import|export)\s+(type\s+)?[^']*?\sfrom\s+'(\.[^']+)'/gm)) {
      edges.push({ from: file, to: target(specifier as string), kind: typeOnly === undefined && keyword !== undefined ? 'runtime' : 'type' })
    }
    for (const [, specifier] of text.matchAll(/\bimport\('(\.[^']+)'\)/g)) edges.push({ from: file, to: target(specifier as string), kind: 'lazy' })
  }
  return edges
}

const upward = (edge: Edge): boolean => layers.indexOf(layerOf(edge.to)) > layers.indexOf(layerOf(edge.from))
const show = (edge: Edge): string => `${edge.from} -> ${edge.to} (${edge.kind})`

t.test('no layer imports a layer above it at run time; the changelog loads the classifier lazily', async t => {
  const edges = await imports()
  t.ok(edges.length > 50, 'the imports are read')
  t.same(edges.filter(edge => edge.kind === 'runtime' && upward(edge)).map(show), [], 'no runtime import goes up a layer')
  t.same(edges.filter(edge => edge.kind === 'lazy' && upward(edge)).map(show), ['openapi/changelog.ts -> contract/classify.ts (lazy)'], 'the one lazy import up a layer')
})

t.test('the core names no type of the tools, and of the documents only two records it fills in', async t => {
  const edges = await imports()
  t.same(edges.filter(edge => layerOf(edge.from) === 'core' && layerOf(edge.to) === 'contract').map(show), [])
  // The documents' settings and the route records are declared beside their reader, the documents.
  t.same(edges.filter(edge => layerOf(edge.from) === 'core' && upward(edge)).map(show),
    ['options.ts -> openapi/docs-routes.ts (type)', 'route-versioner.ts -> openapi/served-routes.ts (type)', 'swagger-check.ts -> openapi/served-routes.ts (type)'])
  t.same(edges.filter(edge => layerOf(edge.from) !== 'contract' && layerOf(edge.to) === 'contract' && edge.kind === 'type').map(show),
    ['openapi/change-text.ts -> contract/change.ts (type)', 'openapi/changelog.ts -> contract/change.ts (type)', 'openapi/docs-routes.ts -> contract/change.ts (type)'],
    'only the changelog names what the classifier returns')
})

t.test('the tools reach the plugin through its public surface, and have their own entry', async t => {
  const edges = await imports()
  t.same(edges.filter(edge => layerOf(edge.from) === 'contract' && layerOf(edge.to) === 'plugin').map(show), [], 'no tool imports the plugin\'s entry')
  t.same(edges.filter(edge => edge.from === 'contract/index.ts').map(edge => edge.to),
    ['contract/classify.ts', 'contract/classify.ts', 'openapi-document.ts', 'contract/snapshots.ts', 'contract/snapshots.ts', 'contract/report.ts', 'contract/report.ts', 'contract/cli.ts', 'contract/cli.ts'])
})
