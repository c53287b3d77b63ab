import type { IsPreviewEnabled } from './preview-gate.js'

/**
 * Feature flags for preview versions from an OpenFeature client. Only the client's shape is needed,
 * so `@openfeature/server-sdk` stays an optional peer dependency.
 */

/** The part of an OpenFeature `Client` the adapter uses. */
export interface OpenFeatureBooleanClient {
  // Method syntax on purpose: an OpenFeature Client, whose context type is narrower, fits it.
  getBooleanValue (flagKey: string, defaultValue: boolean, context?: Record<string, unknown>): PromiseLike<boolean>
}

export interface OpenFeaturePreviewOptions<Request> {
  /** The flag that enables a preview version; default `api-version-<version>`. */
  flagKey?: (version: string) => string
  /** The evaluation context of a request, e.g. `{ targetingKey: request.user.id }`; default `{}`. */
  context?: (request: Request, version: string) => Record<string, unknown>
}

/**
 * `isPreviewEnabled` backed by an OpenFeature client: each preview version is a boolean flag whose
 * default is off, so an unknown flag or a provider error keeps the preview closed.
 */
export function openFeaturePreviewFlags<Request = unknown> (client: OpenFeatureBooleanClient, options: OpenFeaturePreviewOptions<Request> = {}): IsPreviewEnabled<Request> {
  const flagKey = options.flagKey ?? ((version: string) => `api-version-${version}`)
  const context = options.context ?? (() => ({}))
  return (version, request) => client.getBooleanValue(flagKey(version), false, context(request, version))
}
