import type { IncomingMessage } from 'node:http'
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify'
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { OpenFeature } from '@openfeature/server-sdk'
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd'
import dateVersioningDefault, {
  dateVersioning,
  retired,
  openFeaturePreviewFlags,
  ApiVersionError,
  InvalidApiVersionError,
  UnsupportedApiVersionError,
  ApiVersionUnspecifiedError,
  ApiVersionSunsetError,
  ApiVersionNotImplementedError,
  ApiVersionDefaultFailedError,
  ApiVersionEndpointNotFoundError,
  ApiVersionConfigError,
  ApiVersionUsageError,
  ApiVersionContractError,
  errorCatalog,
  toProblem,
  type DocsOptions,
  type ApiVersionErrorCode,
  type ApiVersionInfo,
  type ApiVersionProblem,
  type ApiVersionResolution,
  type ApiVersions,
  type DateVersioningOptions,
  type RetirementOptions,
  type DefaultVersion,
  type DefaultVersionFunction,
  type IsPreviewEnabled,
  type LifecyclePolicy,
  type LinkOptions,
  type LinkTarget,
  type OpenFeatureBooleanClient,
  type OpenFeaturePreviewOptions,
  type RequestApiVersion,
  type SunsetPolicy,
  type VersionDeclaration,
  type VersionStatus,
  type OpenApiDocument
} from 'fastify-date-versioning'
import * as entry from 'fastify-date-versioning'
import {
  classifyChanges,
  checkContracts,
  diffContracts,
  formatCheck,
  runCli,
  snapshotContracts,
  type ChangeLevel,
  type CheckResult,
  type CliIo,
  type ContractChange,
  type ContractSource,
  type DiffResult,
  type OpenApiDocument as ContractOpenApiDocument,
  type SnapshotResult
} from 'fastify-date-versioning/contract'

const versions = [
  { version: '2022-05-18', changes: ['First release'] },
  { version: '2024-03-01' }
]

// ---------------------------------------------------------------------------------------------
// The plugin
// ---------------------------------------------------------------------------------------------

expectType<FastifyPluginAsync<DateVersioningOptions>>(dateVersioningDefault)
expectType<FastifyPluginAsync<DateVersioningOptions>>(dateVersioning)

const app = Fastify()

// Every option at once.
app.register(dateVersioningDefault, {
  versions: [
    { version: '2021-01-01', sunset: '2022-01-01' },
    { version: '2022-05-18', changes: ['First release'] },
    { version: '2023-01-10', deprecated: '2024-01-01', sunset: '2026-06-30T23:59:59Z' },
    { version: '2024-03-01', deprecated: new Date('2027-01-01'), sunset: new Date('2028-01-01') },
    { version: '2027-01-15', preview: true }
  ],
  header: 'Harness-Version',
  defaultVersion: 'oldest',
  requireHeader: false,
  onSunset: 'upgrade',
  isPreviewEnabled: (version, request) => request.headers['x-preview'] === version,
  previewFlagTimeout: 250,
  defaultVersionTimeout: 2000,
  timeZone: 'Europe/London',
  lifecycle: { deprecateAfter: 'P2Y', sunsetAfter: 'P3Y' },
  now: () => Date.now(),
  deprecationHeader: 'boolean',
  links: {
    successorVersion: 'https://example.com/changelog#{version}',
    deprecation: (version) => `https://example.com/deprecations/${version}`,
    sunset: () => undefined
  },
  warning: true,
  reportVersions: true,
  problemType: (code) => `https://example.com/problems/${code}`
})

// Only `versions` is required; Fastify's own register options still apply.
app.register(dateVersioningDefault, { versions })
app.register(dateVersioning, { versions, prefix: '/v2' })
app.register(dateVersioningDefault, () => ({ versions }))

// The plugin awaited, as in an async start-up.
async function start (): Promise<FastifyInstance> {
  const server = Fastify()
  await server.register(dateVersioningDefault, { versions, header: 'Api-Version' })
  return server
}
expectType<Promise<FastifyInstance>>(start())

// versions
expectError(app.register(dateVersioningDefault, { header: 'Api-Version' }))
expectError(app.register(dateVersioningDefault, { versions: '2024-03-01' }))
expectError(app.register(dateVersioningDefault, { versions: [{ version: 20240301 }] }))
expectError(app.register(dateVersioningDefault, { versions: [{ changes: ['no version'] }] }))
expectError(app.register(dateVersioningDefault, { versions, unknownOption: true }))
expectAssignable<DateVersioningOptions['versions']>(versions)
expectAssignable<DateVersioningOptions['versions']>([] as readonly VersionDeclaration[])

// header
expectAssignable<DateVersioningOptions>({ versions, header: 'Harness-Version' })
expectError(app.register(dateVersioningDefault, { versions, header: 1 }))

// defaultVersion: 'latest' | 'oldest' | a date | a sync or async function of the Node request
expectAssignable<DateVersioningOptions>({ versions, defaultVersion: 'latest' })
expectAssignable<DateVersioningOptions>({ versions, defaultVersion: 'oldest' })
expectAssignable<DateVersioningOptions>({ versions, defaultVersion: '2022-05-18' })
expectAssignable<DateVersioningOptions>({
  versions,
  defaultVersion: (request) => {
    expectType<IncomingMessage>(request)
    return typeof request.headers['x-client'] === 'string' ? '2022-05-18' : undefined
  }
})
expectAssignable<DateVersioningOptions>({
  versions,
  defaultVersion: async (request: IncomingMessage) => request.url === '/legacy' ? '2022-05-18' : undefined
})
expectAssignable<DateVersioningOptions>({ versions, defaultVersion: () => undefined })
expectError(app.register(dateVersioningDefault, { versions, defaultVersion: 20220518 }))
expectError(app.register(dateVersioningDefault, { versions, defaultVersion: () => 20220518 }))
expectError(app.register(dateVersioningDefault, { versions, defaultVersion: async () => null }))
expectNotAssignable<DateVersioningOptions['defaultVersion']>(new Date())

// requireHeader
expectAssignable<DateVersioningOptions>({ versions, requireHeader: true })
expectError(app.register(dateVersioningDefault, { versions, requireHeader: 'yes' }))

// onSunset
expectAssignable<DateVersioningOptions>({ versions, onSunset: 'gone' })
expectAssignable<DateVersioningOptions>({ versions, onSunset: 'upgrade' })
expectError(app.register(dateVersioningDefault, { versions, onSunset: 'x' }))
expectType<SunsetPolicy>({} as 'gone' | 'upgrade')

// isPreviewEnabled: sync or async, given the Fastify request
expectAssignable<DateVersioningOptions>({ versions, isPreviewEnabled: () => true })
expectAssignable<DateVersioningOptions>({
  versions,
  isPreviewEnabled: async (version, request) => {
    expectType<string>(version)
    expectType<FastifyRequest>(request)
    return request.headers['x-beta'] === version
  }
})
expectError(app.register(dateVersioningDefault, { versions, isPreviewEnabled: () => 'yes' }))
expectError(app.register(dateVersioningDefault, { versions, isPreviewEnabled: true }))

// previewFlagTimeout and defaultVersionTimeout
expectAssignable<DateVersioningOptions>({ versions, previewFlagTimeout: 100 })
expectError(app.register(dateVersioningDefault, { versions, previewFlagTimeout: '100ms' }))
expectAssignable<DateVersioningOptions>({ versions, defaultVersionTimeout: 100 })
expectError(app.register(dateVersioningDefault, { versions, defaultVersionTimeout: '1s' }))

// timeZone
expectAssignable<DateVersioningOptions>({ versions, timeZone: 'America/New_York' })
expectError(app.register(dateVersioningDefault, { versions, timeZone: -5 }))

// lifecycle
expectAssignable<DateVersioningOptions>({ versions, lifecycle: {} })
expectAssignable<DateVersioningOptions>({ versions, lifecycle: { sunsetAfter: 'P18M' } })
expectAssignable<LifecyclePolicy>({ deprecateAfter: 'P2Y', sunsetAfter: 'P3Y' })
expectError(app.register(dateVersioningDefault, { versions, lifecycle: { deprecateAfter: 2 } }))
expectError(app.register(dateVersioningDefault, { versions, lifecycle: { retireAfter: 'P1Y' } }))
expectError(app.register(dateVersioningDefault, { versions, lifecycle: 'P2Y' }))

// now: epoch milliseconds or a Date
expectAssignable<DateVersioningOptions>({ versions, now: () => 1_700_000_000_000 })
expectAssignable<DateVersioningOptions>({ versions, now: () => new Date('2025-06-01T12:00:00Z') })
expectError(app.register(dateVersioningDefault, { versions, now: () => '2025-06-01' }))
expectError(app.register(dateVersioningDefault, { versions, now: new Date() }))

// deprecationHeader
expectAssignable<DateVersioningOptions>({ versions, deprecationHeader: 'date' })
expectAssignable<DateVersioningOptions>({ versions, deprecationHeader: 'boolean' })
expectError(app.register(dateVersioningDefault, { versions, deprecationHeader: 'no' }))
expectError(app.register(dateVersioningDefault, { versions, deprecationHeader: true }))

// links: URL templates or functions of a version (the successor for successorVersion)
expectAssignable<DateVersioningOptions>({ versions, links: {} })
expectAssignable<LinkOptions>({
  successorVersion: (successor) => {
    expectType<string>(successor)
    return `https://example.com/changelog#${successor}`
  },
  deprecation: (version) => version < '2023-01-01' ? `https://example.com/deprecations/${version}` : undefined,
  sunset: 'https://example.com/sunsets/{version}'
})
expectAssignable<LinkTarget>('https://example.com/changelog#{version}')
expectNotAssignable<LinkTarget>(42)
expectNotAssignable<LinkTarget>(() => 42)
expectError(app.register(dateVersioningDefault, { versions, links: { successorVersion: true } }))
expectError(app.register(dateVersioningDefault, { versions, links: { changelog: 'https://example.com' } }))

// warning and reportVersions
expectAssignable<DateVersioningOptions>({ versions, warning: false })
expectError(app.register(dateVersioningDefault, { versions, warning: 'yes' }))
expectAssignable<DateVersioningOptions>({ versions, reportVersions: false })
expectError(app.register(dateVersioningDefault, { versions, reportVersions: 1 }))

// problemType
expectAssignable<DateVersioningOptions>({
  versions,
  problemType: (code) => {
    expectType<ApiVersionErrorCode>(code)
    return `https://example.com/problems/${code}`
  }
})
expectError(app.register(dateVersioningDefault, { versions, problemType: 'https://example.com/problems' }))
expectError(app.register(dateVersioningDefault, { versions, problemType: () => 404 }))

// ---------------------------------------------------------------------------------------------
// Versions and their lifecycle
// ---------------------------------------------------------------------------------------------

expectAssignable<VersionDeclaration>({ version: '2024-03-01' })
expectAssignable<VersionDeclaration>({
  version: '2023-01-10',
  changes: ['`name` split'] as const,
  preview: false,
  deprecated: '2024-01-01',
  sunset: new Date('2026-06-30T23:59:59Z')
})
expectNotAssignable<VersionDeclaration>({ changes: [] })
expectNotAssignable<VersionDeclaration>({ version: '2024-03-01', preview: 'yes' })
expectNotAssignable<VersionDeclaration>({ version: '2024-03-01', deprecated: 1_700_000_000_000 })
expectNotAssignable<VersionDeclaration>({ version: '2024-03-01', sunset: 1_700_000_000_000 })
expectNotAssignable<VersionDeclaration>({ version: '2024-03-01', changes: 'one change' })
expectType<VersionStatus>({} as 'preview' | 'active' | 'deprecated' | 'sunset')
expectNotAssignable<VersionStatus>('retired')

// ---------------------------------------------------------------------------------------------
// Routes: the apiVersion constraint and request.apiVersion
// ---------------------------------------------------------------------------------------------

app.get('/moves', { constraints: { apiVersion: '2022-05-18' } }, async () => ({ name: 'A B' }))
app.route({
  method: 'GET',
  url: '/moves',
  constraints: { apiVersion: '2024-03-01', host: 'api.example.com' },
  handler: async () => ({ firstName: 'A', lastName: 'B' })
})
expectError(app.get('/moves', { constraints: { apiVersion: 5 } }, async () => ({})))
expectError(app.route({ method: 'GET', url: '/moves', constraints: { apiVersion: new Date() }, handler: async () => ({}) }))

app.get('/moves/:id', async (request) => {
  expectType<RequestApiVersion | null>(request.apiVersion)
  if (request.apiVersion === null) return { neutral: true }
  expectType<string>(request.apiVersion.version)
  expectType<string | null>(request.apiVersion.requested)
  expectType<'header' | 'default' | 'pin'>(request.apiVersion.source)
  expectType<VersionStatus>(request.apiVersion.status)
  expectError(request.apiVersion.version = '2024-03-01')
  return { version: request.apiVersion.version }
})

// retired is a route handler, and retired(options) makes one that names the replacement
app.delete('/moves/:id', { constraints: { apiVersion: '2024-03-01' } }, retired)
app.route({ method: 'PUT', url: '/moves/:id', constraints: { apiVersion: '2024-03-01' }, handler: retired })
expectAssignable<(request: FastifyRequest, reply: FastifyReply) => void>(retired)
app.delete('/orders/:id', { constraints: { apiVersion: '2024-03-01' } }, retired({ successor: 'POST /orders/{id}/cancel', link: 'https://docs.example.com/orders#cancel' }))
expectType<(request: FastifyRequest, reply: FastifyReply) => void>(retired({}))
expectAssignable<RetirementOptions>({ successor: 'POST /orders/{id}/cancel' })
expectError(retired({ successor: 5 }))

// ---------------------------------------------------------------------------------------------
// fastify.apiVersions
// ---------------------------------------------------------------------------------------------

expectType<ApiVersions>(app.apiVersions)
expectType<string>(app.apiVersions.header)
expectType<ApiVersionInfo[]>(app.apiVersions.versions)
expectType<string | null>(app.apiVersions.latest)
expectType<string | null>(app.apiVersions.oldest)
expectType<ApiVersionInfo | null>(app.apiVersions.get('2024-03-01'))
expectType<ApiVersionResolution>(app.apiVersions.resolve('2023-06-01'))
expectError(app.apiVersions.get(20240301))
expectError(app.apiVersions.resolve(new Date()))

const info = app.apiVersions.versions[0] as ApiVersionInfo
expectType<string>(info.version)
expectType<VersionStatus>(info.status)
expectType<readonly string[]>(info.changes)
expectType<string | null>(info.deprecated)
expectType<string | null>(info.sunset)
expectType<string | null>(info.successor)
expectError(info.status = 'active')

const resolution = app.apiVersions.resolve('2023-06-01')
expectType<'serve' | 'preview' | 'error'>(resolution.outcome)
if (resolution.outcome === 'error') {
  expectType<ApiVersionErrorCode>(resolution.code)
  expectType<ApiVersionInfo | null>(resolution.version)
} else {
  expectType<'serve' | 'preview'>(resolution.outcome)
  expectType<ApiVersionInfo>(resolution.version)
  expectError(resolution.code)
}

// The decoration is visible in plugins and on the request's server.
app.register(async (scope) => {
  expectType<ApiVersions>(scope.apiVersions)
  scope.get('/versions', async (request) => {
    expectType<ApiVersions>(request.server.apiVersions)
    return request.server.apiVersions.versions.map(v => v.version)
  })
})

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

expectType<ApiVersionErrorCode>({} as
  | 'InvalidApiVersion'
  | 'UnsupportedApiVersion'
  | 'ApiVersionUnspecified'
  | 'ApiVersionSunset'
  | 'ApiVersionNotImplemented'
  | 'ApiVersionDefaultFailed'
  | 'ApiVersionEndpointNotFound'
  | 'ApiVersionMigrationFailed')
expectNotAssignable<ApiVersionErrorCode>('INVALID_API_VERSION')

app.setErrorHandler((error, _request, reply) => {
  if (error instanceof ApiVersionError) {
    expectType<ApiVersionErrorCode>(error.code)
    expectType<number>(error.statusCode)
    expectType<string>(error.header)
    expectType<string | null>(error.requestedVersion)
    expectType<string | null>(error.version)
    expectType<readonly string[]>(error.supportedVersions)
    expectType<string | null>(error.latestVersion)
    expectType<string>(error.message)
    const problem = toProblem(error)
    expectType<ApiVersionProblem>(problem)
    expectType<ApiVersionProblem>(toProblem(error, (code) => `https://example.com/problems/${code}`))
    return reply.code(problem.status).type('application/problem+json').send(problem)
  }
  return reply.send(error)
})
expectAssignable<Error>(new ApiVersionError())
expectError(toProblem(new Error('not one of the plugin\'s errors')))
expectError(toProblem(new ApiVersionError(), 'urn:problem'))

for (const ErrorClass of [InvalidApiVersionError, UnsupportedApiVersionError, ApiVersionUnspecifiedError,
  ApiVersionSunsetError, ApiVersionNotImplementedError, ApiVersionDefaultFailedError, ApiVersionEndpointNotFoundError]) {
  expectType<ApiVersionError>(new ErrorClass())
  const error: unknown = new Error('x')
  if (error instanceof ErrorClass) expectType<ApiVersionErrorCode>(error.code)
}

const configError = new ApiVersionConfigError('versions must be a non-empty array')
expectAssignable<Error>(configError)
expectType<string>(configError.code)
expectType<number | undefined>(configError.statusCode)
expectError(new ApiVersionConfigError(42))

const usageError = new ApiVersionUsageError('"not-a-version" is not a declared version')
expectAssignable<Error>(usageError)
expectType<string>(usageError.code)
expectType<number | undefined>(usageError.statusCode)
expectError(new ApiVersionUsageError(42))

const contractError = new ApiVersionContractError('the contracts are too recursive to compare')
expectAssignable<Error>(contractError)
expectType<string>(contractError.code)
expectError(new ApiVersionContractError(42))

const problem: ApiVersionProblem = toProblem(new InvalidApiVersionError())
expectType<string>(problem.type)
expectType<string>(problem.title)
expectType<number>(problem.status)
expectType<string>(problem.detail)
expectType<ApiVersionErrorCode>(problem.code)
expectType<string | null>(problem.requestedVersion)
expectType<string[]>(problem.supportedVersions)
expectType<string | null>(problem.latestVersion)

expectType<number>(errorCatalog.ApiVersionSunset.status)
expectType<string>(errorCatalog.InvalidApiVersion.title)
expectError(errorCatalog.NotACode)
expectError(errorCatalog.ApiVersionSunset = { status: 410, title: 'Gone' })
for (const code of Object.keys(errorCatalog) as ApiVersionErrorCode[]) {
  expectType<{ readonly status: number, readonly title: string }>(errorCatalog[code])
}

// ---------------------------------------------------------------------------------------------
// Previews and the OpenFeature adapter
// ---------------------------------------------------------------------------------------------

const client = OpenFeature.getClient()
expectAssignable<OpenFeatureBooleanClient>(client)
const flags = openFeaturePreviewFlags(client)
expectType<IsPreviewEnabled<unknown>>(flags)
expectAssignable<DateVersioningOptions['isPreviewEnabled']>(flags)
app.register(dateVersioningDefault, { versions, isPreviewEnabled: openFeaturePreviewFlags(client) })

const flagsWithContext = openFeaturePreviewFlags<FastifyRequest>(client, {
  flagKey: (version) => `preview-${version}`,
  context: (request, version) => {
    expectType<FastifyRequest>(request)
    expectType<string>(version)
    return { targetingKey: request.ip, version }
  }
})
expectType<IsPreviewEnabled<FastifyRequest>>(flagsWithContext)
app.register(dateVersioningDefault, { versions, isPreviewEnabled: flagsWithContext })
expectAssignable<OpenFeaturePreviewOptions<FastifyRequest>>({ flagKey: (version: string) => version })
expectError(openFeaturePreviewFlags(client, { flagKey: 'api-version' }))
expectError(openFeaturePreviewFlags({ getBooleanValue: () => true }))

expectAssignable<IsPreviewEnabled<FastifyRequest>>(() => false)
expectAssignable<IsPreviewEnabled<FastifyRequest>>(async () => true)
expectNotAssignable<IsPreviewEnabled<FastifyRequest>>(() => 'true')

// ---------------------------------------------------------------------------------------------
// The per-client default as a standalone type
// ---------------------------------------------------------------------------------------------

const pin: DefaultVersionFunction<IncomingMessage> = (request) => request.headers['x-pin'] as string | undefined
expectAssignable<DateVersioningOptions['defaultVersion']>(pin)
expectAssignable<DefaultVersionFunction>(async () => '2024-03-01')
expectNotAssignable<DefaultVersionFunction>(() => 20240301)
expectAssignable<DefaultVersion>('latest')
expectAssignable<DefaultVersion>('2024-03-01')
expectAssignable<DefaultVersion<IncomingMessage>>(pin)

// ---------------------------------------------------------------------------------------------
// TypeBox type provider: a per-version response schema
// ---------------------------------------------------------------------------------------------

const typed = Fastify().withTypeProvider<TypeBoxTypeProvider>()
typed.register(dateVersioningDefault, { versions })

typed.get('/moves/:id', {
  constraints: { apiVersion: '2022-05-18' },
  schema: {
    params: Type.Object({ id: Type.String() }),
    response: { 200: Type.Object({ id: Type.String(), name: Type.String() }) }
  }
}, async (request) => {
  expectType<string>(request.params.id)
  expectType<RequestApiVersion | null>(request.apiVersion)
  return { id: request.params.id, name: 'A B' }
})

typed.get('/moves/:id', {
  constraints: { apiVersion: '2024-03-01' },
  schema: {
    params: Type.Object({ id: Type.String() }),
    response: { 200: Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() }) }
  }
}, async (request) => ({ id: request.params.id, firstName: 'A', lastName: 'B' }))

// The 2024-03-01 schema no longer has `name`: returning the old shape is a type error.
expectError(typed.get('/moves/:id', {
  constraints: { apiVersion: '2024-03-01' },
  schema: {
    params: Type.Object({ id: Type.String() }),
    response: { 200: Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() }) }
  }
}, async (request) => ({ id: request.params.id, name: 'A B' })))

// The contract tools live in their own entry, fastify-date-versioning/contract, not in the plugin's.
expectError(entry.classifyChanges)
expectError(entry.runCli)
const findings = classifyChanges({ openapi: '3.1.0', paths: {} }, { openapi: '3.1.0', paths: {} })
expectType<ContractChange[]>(findings)
expectType<ChangeLevel>(findings[0]!.level)
expectError(classifyChanges('not a document'))
// The document apiVersions.document() gives is what the classifier compares and the snapshots hold.
expectType<Promise<OpenApiDocument>>(app.apiVersions.document('2024-03-01'))
expectAssignable<ContractOpenApiDocument>(await app.apiVersions.document('2024-03-01'))
expectAssignable<ContractSource>(app.apiVersions)
expectType<Promise<CheckResult>>(checkContracts(app, 'contracts', { allowNew: true, update: false }))
expectType<Promise<CheckResult>>(checkContracts(app.apiVersions, 'contracts'))
expectType<boolean>((await checkContracts(app, 'contracts')).allowNew)
expectType<Promise<SnapshotResult>>(snapshotContracts({ versions: [{ version: '2024-03-01', status: 'active' }], document: async () => ({ openapi: '3.1.0' }) }, 'contracts'))
expectError(checkContracts(app, 'contracts', { allowNew: 'yes' }))
expectError(snapshotContracts({ versions: [] }, 'contracts'))
expectType<Promise<DiffResult>>(diffContracts(app, '2022-05-18', '2024-03-01'))
expectType<string>(formatCheck(await checkContracts(app, 'contracts'), 'markdown'))
expectError(formatCheck(await checkContracts(app, 'contracts'), 'yaml'))
expectType<Promise<number>>(runCli(['contract', 'check', '--app', 'app.ts'], { stdout: () => {}, stderr: () => {} } satisfies CliIo))

// The documentation routes option.
expectAssignable<DocsOptions>({ prefix: '/api-versions', openapi: { info: { title: 'Moves API' } } })
expectAssignable<DateVersioningOptions>({ versions, docs: true })
expectNotAssignable<DateVersioningOptions>({ versions, docs: 'yes' })
