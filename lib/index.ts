import type { ApiVersions } from './api-versions.js'
import type { RequestApiVersion } from './version-resolver.js'
import dateVersioning from './plugin.js'

export default dateVersioning
export { dateVersioning }
export { retired } from './retired.js'
export type { RetirementOptions } from './retired.js'
export { versionChange, schema, endpoint, requestMigration, responseMigration, VersionChange } from './changes/version-change.js'
export type {
  VersionChangeSpec, SchemaInstructions, PropertyInstructions, SchemaInstruction, EndpointInstruction, RequestMigration,
  ResponseMigration, ResponseMigrationOptions, MigratingRequest, MigratingResponse, Migrating, StaticOf, RouteName, SchemaTarget, VersionedRequest
} from './changes/version-change.js'
export { openFeaturePreviewFlags } from './openfeature.js'
export type { OpenFeatureBooleanClient, OpenFeaturePreviewOptions } from './openfeature.js'
export type { DateVersioningOptions, DocsOptions } from './options.js'
export type { MetricsOptions } from './options/metrics.js'
export type { MetricsMeterProvider, MetricsMeter, MetricsHistogram, MetricsObservableCounter, MetricsObservableResult, MetricsInstrumentOptions, MetricAttributes } from './metrics/meter-provider.js'
export { memoryUsageStore } from './usage/memory-store.js'
export type { MemoryUsageStoreOptions } from './usage/memory-store.js'
export { redisUsageStore } from './usage/redis-store.js'
export type { RedisUsageStoreOptions, RedisClient } from './usage/redis-store.js'
export type { UsageOptions, AuthorizeUsage } from './options/usage.js'
export type { UsageStore, UsageBatch, ClientFacts, DailyCounts, UsageWarning, UsageWarningKind, MaybePromise } from './usage/store.js'
export type { ApiUsage } from './usage/usage.js'
export type { UsageAlert, UsageAlertReason } from './usage/alerts.js'
export type { UsageReport, VersionUsage, MigrationStatus, ClientToContact } from './usage/report.js'
export type { ApiVersions, ApiVersionInfo, ApiVersionResolution } from './api-versions.js'
export type { VersionDeclaration, LifecyclePolicy, VersionStatus } from './timeline.js'
export type { RequestApiVersion, DefaultVersion, DefaultVersionFunction, VersionSource } from './version-resolver.js'
export type { IsPreviewEnabled } from './preview-gate.js'
export type { LinkOptions, LinkTarget } from './response-headers.js'
export type { SunsetPolicy } from './resolution.js'
export type { OpenApiDocument } from './openapi-document.js'
// The contract guard's tools are exported by 'fastify-date-versioning/contract' (lib/contract/index.ts).
export {
  ApiVersionError,
  InvalidApiVersionError,
  UnsupportedApiVersionError,
  ApiVersionUnspecifiedError,
  ApiVersionSunsetError,
  ApiVersionNotImplementedError,
  ApiVersionDefaultFailedError,
  ApiVersionEndpointNotFoundError,
  ApiVersionMigrationFailedError,
  ApiVersionConfigError,
  ApiVersionUsageError,
  ApiVersionContractError,
  errorCatalog,
  toProblem,
  usageErrorCatalog
} from './errors.js'
export type { ApiVersionErrorCode, ApiVersionProblem, ApiUsageErrorCode, ApiUsageProblem } from './errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The version the request resolved to and its status: the version that served it, or the one
     * that refused it once resolved (410 sunset, 501 preview not enabled, 404 endpoint not in that
     * version), for hooks that count usage. `null` on routes without the `apiVersion` constraint and
     * when no version was resolved (a malformed or unsupported header, a failed default).
     */
    apiVersion: RequestApiVersion | null
  }
  interface FastifyInstance {
    /** The version timeline of this scope's registration of fastify-date-versioning. */
    apiVersions: ApiVersions
  }
}

// RouteConstraint is declared there and not re-exported by 'fastify', so it is augmented where it lives.
declare module 'fastify/types/route.js' {
  interface RouteConstraint {
    /** The version (a declared `YYYY-MM-DD`) from which this handler serves the route. */
    apiVersion?: string
  }
}
