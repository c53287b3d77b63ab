import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { registrationsOf, scopeName } from '../registrations.js'
import { formatCheck, formatDiff, formatSnapshot, reportFormats, type ReportFormat } from './report.js'
import { checkContracts, diffContracts, snapshotContracts } from './snapshots.js'
import { runTypesCli } from './typegen.js'

/**
 * `fastify-date-versioning contract snapshot|check|diff`: loads the application from a module,
 * starts it with `ready()` (never `listen()`), runs one command of the contract guard and closes it.
 */

export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** Where relative paths start. Default `process.cwd()`. */
  readonly cwd?: string
  /**
   * Imports a module by URL. The default is this module's `import()`; the `bin` script passes its
   * own, because the CommonJS build of this module turns `import()` into `require()`.
   */
  readonly importModule?: (url: string) => Promise<unknown>
}

/** Exit codes of the CLI. */
export const exitCodes = { ok: 0, breaking: 1, error: 2 } as const

export const usage = `Usage: fastify-date-versioning contract <command> --app <module>[#export] [options]

Commands:
  snapshot   write the contract (OpenAPI document) of every released version to <dir>/<version>.json
  check      compare each released version's contract with its snapshot; fail on breaking changes
  diff       list the changes between two versions of the application (--from, --to)

Options:
  --app <module>[#export]  the application: a module whose export (default: default) is a Fastify
                           instance or a function, possibly async, returning one; it is started
                           with ready(), never listen(), and closed afterwards
  --scope <prefix>         the registration to use when the application registers the plugin in
                           several scopes, by route prefix: /v1, /v2 (give each its own --dir)
  --dir <folder>           the snapshots folder (default: contracts)
  --format <format>        text (default), json or markdown
  --update                 check: rewrite snapshots whose changes are not breaking; write missing ones
  --allow-new              check: accept released versions that have no snapshot yet (without it,
                           they fail the check: a release nobody froze is a release nobody guards)
  --from <version>         diff: the older version (default: the version before --to)
  --to <version>           diff: the newer version (default: the latest released version)
  -h, --help               print this help

Exit codes:
  0  done; check found no breaking change
  1  check found a breaking change, a released version without a snapshot (see --allow-new), or a
     snapshot of a version no longer declared
  2  usage error, the application could not be loaded or started, or a contract could not be
     read or compared

TypeScript applications (--app src/app.ts) load through tsx when the application has it installed.
With another loader, or to choose yourself, run node with it:
  node --import tsx node_modules/.bin/fastify-date-versioning contract check --app src/app.ts#buildApp
`

const options = {
  app: { type: 'string' },
  scope: { type: 'string' },
  dir: { type: 'string', default: 'contracts' },
  format: { type: 'string', default: 'text' },
  update: { type: 'boolean', default: false },
  'allow-new': { type: 'boolean', default: false },
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} as const

type Command = 'snapshot' | 'check' | 'diff'

interface Invocation {
  readonly command: Command
  readonly app: string
  readonly scope: string | undefined
  readonly dir: string
  readonly format: ReportFormat
  readonly update: boolean
  readonly allowNew: boolean
  readonly from: string | undefined
  readonly to: string | undefined
}

function parse (argv: readonly string[]): Invocation | 'help' {
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  if (values.help) return 'help'
  const [group, command, ...extra] = positionals
  if (group !== 'contract' || !['snapshot', 'check', 'diff'].includes(String(command)) || extra.length > 0) {
    throw new Error(`expected "contract snapshot", "contract check" or "contract diff"; received ${JSON.stringify(positionals.join(' '))}.`)
  }
  if (values.app === undefined || values.app === '') throw new Error('--app <module>[#export] is required.')
  if (!reportFormats.includes(values.format as ReportFormat)) throw new Error(`--format must be text, json or markdown; received ${JSON.stringify(values.format)}.`)
  if (values.update && command !== 'check') throw new Error('--update applies to check only.')
  if (values['allow-new'] && command !== 'check') throw new Error('--allow-new applies to check only.')
  if ((values.from !== undefined || values.to !== undefined) && command !== 'diff') throw new Error('--from and --to apply to diff only.')
  return { command: command as Command, app: values.app, scope: values.scope, dir: values.dir, format: values.format as ReportFormat, update: values.update, allowNew: values['allow-new'], from: values.from, to: values.to }
}

// Under tsx, `import()` is compiled with a branch for CommonJS modules that the suite's ESM modules never take.
/* c8 ignore next 3 */
async function importByUrl (url: string): Promise<unknown> {
  return import(url)
}

const isFastify = (value: unknown): value is FastifyInstance =>
  value !== null && typeof value === 'object' && typeof (value as FastifyInstance).ready === 'function' && typeof (value as FastifyInstance).close === 'function'

const TYPESCRIPT = /\.[cm]?tsx?$/
// How Node refuses a TypeScript file it cannot run by itself (the last two: Node's own type stripping).
const TYPESCRIPT_REFUSALS = new Set(['ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX', 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING'])

/** Where tsx is installed for the application: beside it, or in the working directory. */
function findTsx (file: string, cwd: string): string | undefined {
  for (const from of [dirname(file), cwd]) {
    try {
      return createRequire(join(from, 'noop.js')).resolve('tsx')
    } catch {}
  }
  return undefined
}

/**
 * Imports the application's module. A TypeScript module that Node refuses is loaded again through
 * tsx, found where the application or the working directory has it, the way `node --import tsx`
 * would; the retry uses a fresh URL, since Node keeps the failed import of the first.
 */
async function importApp (path: string, io: CliIo): Promise<Record<string, unknown>> {
  const cwd = io.cwd ?? process.cwd()
  const file = resolve(cwd, path)
  const url = pathToFileURL(file).href
  const importModule = io.importModule ?? importByUrl
  const cannotLoad = (error: unknown): Error => new Error(`cannot load ${path}: ${firstLine(error)}`)
  try {
    return await importModule(url) as Record<string, unknown>
  } catch (error) {
    if (!TYPESCRIPT.test(file) || !TYPESCRIPT_REFUSALS.has((error as NodeJS.ErrnoException).code as string)) throw cannotLoad(error)
  }
  const tsx = findTsx(file, cwd)
  if (tsx === undefined) {
    throw new Error(`cannot load ${path}: Node cannot run TypeScript by itself, and tsx is not installed in the application or the working directory. Install it (npm install --save-dev tsx), or run the CLI under a TypeScript loader: node --import tsx node_modules/.bin/fastify-date-versioning …`)
  }
  try {
    await importModule(pathToFileURL(tsx).href)
    return await importModule(`${url}?tsx`) as Record<string, unknown>
  } catch (error) {
    throw cannotLoad(error)
  }
}

/** The application named by `--app`, started. */
async function loadApp (spec: string, io: CliIo): Promise<FastifyInstance> {
  const hash = spec.lastIndexOf('#')
  const path = hash === -1 ? spec : spec.slice(0, hash)
  const name = hash === -1 ? 'default' : spec.slice(hash + 1)
  const loaded = await importApp(path, io)
  const value = loaded[name]
  if (value === undefined) {
    throw new Error(`${path} has no export named "${name}"; its exports: ${Object.keys(loaded).join(', ') || 'none'}. Name one with --app ${path}#<export>.`)
  }
  let app: unknown
  try {
    // Awaiting a Fastify instance (what an async function returns) starts it: its `then` is `ready()`.
    app = typeof value === 'function' ? await (value as () => unknown)() : value
    if (isFastify(app)) await app.ready()
  } catch (error) {
    throw new Error(`the application failed to start: ${firstLine(error)}`)
  }
  if (!isFastify(app)) throw new Error(`export "${name}" of ${path} is neither a Fastify instance nor a function returning one.`)
  return app
}

/** The instance the plugin is registered on: the one named by `--scope`, or the only one. */
function scopeOf (app: FastifyInstance, wanted: string | undefined): FastifyInstance {
  const registrations = registrationsOf(app)
  const names = registrations.map(scopeName).join(', ')
  if (wanted !== undefined) {
    const found = registrations.find(registration => scopeName(registration) === wanted)
    if (found === undefined) throw new Error(`--scope ${wanted} names no registration of fastify-date-versioning; the application registers it at: ${names === '' ? 'none' : names}.`)
    return found.instance
  }
  if (registrations.length > 1) {
    throw new Error(`the application registers fastify-date-versioning in ${registrations.length} scopes (${names}); choose one with --scope <prefix>, each with its own --dir.`)
  }
  // Without a registration, the instance itself: the contract functions explain what is missing.
  return registrations[0]?.instance ?? app
}

function firstLine (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0] as string
}

/** The default versions of `diff`: the latest released version, and the version declared before it. */
function diffVersions (app: FastifyInstance, invocation: Invocation): [string, string] {
  const { versions, latest } = app.apiVersions
  const to = invocation.to ?? latest
  if (to === null) throw new Error('the application has no released version; name one with --to.')
  if (invocation.from !== undefined) return [invocation.from, to]
  const index = versions.findIndex(v => v.version === to)
  const from = versions[index - 1]?.version
  if (from === undefined) throw new Error(`no version is declared before ${to}; name one with --from.`)
  return [from, to]
}

async function run (app: FastifyInstance, invocation: Invocation, io: CliIo): Promise<number> {
  const dir = resolve(io.cwd ?? process.cwd(), invocation.dir)
  const shown = (text: string): string => text.replaceAll(dir, invocation.dir)
  switch (invocation.command) {
    case 'snapshot': {
      io.stdout(shown(formatSnapshot(await snapshotContracts(app, dir), invocation.format)))
      return exitCodes.ok
    }
    case 'check': {
      const result = await checkContracts(app, dir, { update: invocation.update, allowNew: invocation.allowNew })
      io.stdout(shown(formatCheck(result, invocation.format)))
      return result.ok ? exitCodes.ok : exitCodes.breaking
    }
    case 'diff': {
      const [from, to] = diffVersions(app, invocation)
      io.stdout(formatDiff(await diffContracts(app, from, to), invocation.format))
      return exitCodes.ok
    }
  }
}

/** Runs the CLI on `argv` (the arguments after the program name) and answers its exit code. */
export async function runCli (argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'types') return await runTypesCli(argv.slice(1), io, { load: loadApp, scope: scopeOf })
  let invocation: Invocation | 'help'
  try {
    invocation = parse(argv)
  } catch (error) {
    io.stderr(`error: ${firstLine(error)}\n\n${usage}`)
    return exitCodes.error
  }
  if (invocation === 'help') {
    io.stdout(usage)
    return exitCodes.ok
  }
  let app: FastifyInstance | undefined
  try {
    app = await loadApp(invocation.app, io)
    return await run(scopeOf(app, invocation.scope), invocation, io)
  } catch (error) {
    io.stderr(`error: ${firstLine(error)}\n`)
    return exitCodes.error
  } finally {
    await app?.close()
  }
}
