import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { configError, usageError } from '../errors.js'
import { isObject } from '../util.js'
import type { OpenApiDocument } from '../openapi-document.js'
import type { VersionStatus } from '../timeline.js'
import type { ContractChange } from './change.js'
import { classifyChanges } from './classify.js'

/**
 * The contract guard: each released version's OpenAPI document is committed as a snapshot, and the
 * application's current documents are compared with them, so that a release cannot change what its
 * clients rely on without someone seeing it.
 */

/**
 * What the contract tools need of an application: its versions and their documents. `app.apiVersions`
 * is one; anything else that can tell them (a test double, another framework) can stand in for it.
 */
export interface ContractSource {
  /** Every declared version with its status now, oldest first. */
  readonly versions: ReadonlyArray<{ readonly version: string, readonly status: VersionStatus }>
  /** The contract of `version`: its OpenAPI document, without what follows the clock. */
  document (version: string): Promise<OpenApiDocument>
}

/** A Fastify instance the plugin is registered on (its `apiVersions` is used), or a source itself. */
export type ContractSubject = FastifyInstance | ContractSource

/** What became of one snapshot file. */
export interface SnapshotWrite {
  readonly version: string
  readonly file: string
  /** `written`: created or changed; `unchanged`: the file already held this contract. */
  readonly outcome: 'written' | 'unchanged'
}

export interface SnapshotResult {
  readonly dir: string
  readonly versions: SnapshotWrite[]
}

/**
 * The comparison of one version with its snapshot:
 * - `unchanged`: the document is the snapshot;
 * - `changed`: it differs, with no breaking change (`changes` may hold warnings, or nothing a client sees);
 * - `breaking`: at least one change is breaking;
 * - `missing`: a released version without a snapshot: its contract is not frozen, which fails the check
 *   unless the snapshot is written (`update`) or new versions are accepted (`allowNew`);
 * - `skipped`: a preview, free to change until released, or a sunset version, which no client reaches;
 * - `undeclared`: a snapshot of a version the application no longer declares.
 */
export type ContractOutcome = 'unchanged' | 'changed' | 'breaking' | 'missing' | 'skipped' | 'undeclared'

export interface ContractCheck {
  readonly version: string
  /** The version's status now, `null` for an undeclared one. */
  readonly status: VersionStatus | null
  readonly outcome: ContractOutcome
  /** The classified changes from the snapshot to the current document, sorted. */
  readonly changes: ContractChange[]
  /** Whether the snapshot file was created or rewritten (`update`). */
  readonly written: boolean
  readonly file: string
}

export interface CheckResult {
  readonly dir: string
  /**
   * False when a version has breaking changes, a snapshot names an undeclared version, or a released
   * version has no snapshot (unless `allowNew`).
   */
  readonly ok: boolean
  /** Whether released versions without a snapshot were accepted (`allowNew`). */
  readonly allowNew: boolean
  readonly versions: ContractCheck[]
}

export interface CheckOptions {
  /** Rewrite the snapshots of versions without breaking changes, and write missing ones. */
  readonly update?: boolean
  /**
   * Accept released versions without a snapshot instead of failing, without writing them: for the
   * first run of the guard, or a release whose snapshot is committed separately.
   */
  readonly allowNew?: boolean
}

export interface DiffResult {
  readonly from: string
  readonly to: string
  readonly changes: ContractChange[]
}

/** Keys sorted at every level: a snapshot's text depends on its content, not on declaration order. */
function sortKeys (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.keys(value).sort().map(key => [key, sortKeys(value[key])]))
}

/** The text of a snapshot: pretty JSON with sorted keys and a final newline, so diffs in review stay small. */
export function serialiseContract (document: OpenApiDocument): string {
  return JSON.stringify(sortKeys(document), null, 2) + '\n'
}

// A Fastify instance has no `document`: the plugin decorates it with `apiVersions`, which has one.
const isSource = (subject: ContractSubject): subject is ContractSource => typeof (subject as Partial<ContractSource>).document === 'function'

function sourceOf (subject: ContractSubject): ContractSource {
  if (isSource(subject)) return subject
  const apiVersions = (subject as { apiVersions?: ContractSource }).apiVersions
  if (apiVersions === undefined) {
    throw usageError('the application does not register fastify-date-versioning on this instance; pass the instance (or scope) the plugin is registered on.')
  }
  return apiVersions
}

/** The contract of `version`: its OpenAPI document without the lifecycle, which follows the clock. */
export async function contractOf (subject: ContractSubject, version: string): Promise<OpenApiDocument> {
  return sourceOf(subject).document(version)
}

type VersionState = ContractSource['versions'][number]

/** Versions whose contract is guarded: released, and not sunset. */
const guarded = (info: VersionState): boolean => info.status === 'active' || info.status === 'deprecated'

const fileOf = (dir: string, version: string): string => join(dir, `${version}.json`)

async function readText (file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
}

async function write (file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, text)
}

/** Writes the contract of every released, not sunset, version to `<dir>/<version>.json`. */
export async function snapshotContracts (subject: ContractSubject, dir: string): Promise<SnapshotResult> {
  const source = sourceOf(subject)
  const versions: SnapshotWrite[] = []
  for (const info of source.versions.filter(guarded)) {
    const file = fileOf(dir, info.version)
    const text = serialiseContract(await source.document(info.version))
    const unchanged = await readText(file) === text
    if (!unchanged) await write(file, text)
    versions.push({ version: info.version, file, outcome: unchanged ? 'unchanged' : 'written' })
  }
  return { dir, versions }
}

function parseSnapshot (file: string, text: string): OpenApiDocument {
  try {
    const parsed: unknown = JSON.parse(text)
    if (isObject(parsed)) return parsed
  } catch {}
  throw configError(`${file} is not a contract snapshot (a JSON object); restore it from version control or delete it and run the snapshot command.`)
}

/** The snapshots in `dir`, by version, ignoring files not named `YYYY-MM-DD.json`. */
async function snapshotFiles (dir: string): Promise<string[]> {
  // A folder that cannot be listed holds no snapshot this check could read either.
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter(name => /^\d{4}-\d{2}-\d{2}\.json$/.test(name)).map(name => name.slice(0, -'.json'.length))
}

async function checkVersion (source: ContractSource, info: VersionState, file: string, update: boolean): Promise<ContractCheck> {
  const base = { version: info.version, status: info.status, file }
  if (!guarded(info)) return { ...base, outcome: 'skipped', changes: [], written: false }
  const saved = await readText(file)
  const text = serialiseContract(await source.document(info.version))
  if (saved === undefined) {
    if (update) await write(file, text)
    return { ...base, outcome: 'missing', changes: [], written: update }
  }
  if (saved === text) return { ...base, outcome: 'unchanged', changes: [], written: false }
  const changes = classifyChanges(parseSnapshot(file, saved), JSON.parse(text) as OpenApiDocument)
  if (changes.some(change => change.level === 'breaking')) return { ...base, outcome: 'breaking', changes, written: false }
  if (update) await write(file, text)
  return { ...base, outcome: 'changed', changes, written: update }
}

/** Whether a version's check fails the whole check. */
function fails (check: ContractCheck, allowNew: boolean): boolean {
  if (check.outcome === 'missing') return !check.written && !allowNew
  return check.outcome === 'breaking' || check.outcome === 'undeclared'
}

/**
 * Compares the current contract of every declared version with its snapshot in `dir`. Fails
 * (`ok: false`) on a breaking change, on a snapshot of an undeclared version, and on a released
 * version without a snapshot unless `allowNew`; with `update`, accepts the other changes by
 * rewriting their snapshots and writes the missing ones.
 */
export async function checkContracts (subject: ContractSubject, dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const source = sourceOf(subject)
  const allowNew = options.allowNew === true
  const versions: ContractCheck[] = []
  for (const info of source.versions) {
    versions.push(await checkVersion(source, info, fileOf(dir, info.version), options.update === true))
  }
  for (const version of await snapshotFiles(dir)) {
    if (source.versions.some(info => info.version === version)) continue
    versions.push({ version, status: null, outcome: 'undeclared', changes: [], written: false, file: fileOf(dir, version) })
  }
  versions.sort((a, b) => Number(a.version > b.version) - Number(a.version < b.version))
  return { dir, ok: !versions.some(check => fails(check, allowNew)), allowNew, versions }
}

/** The changes a client moving from version `from` to version `to` meets, both read from the application. */
export async function diffContracts (subject: ContractSubject, from: string, to: string): Promise<DiffResult> {
  const source = sourceOf(subject)
  return { from, to, changes: classifyChanges(await source.document(from), await source.document(to)) }
}
