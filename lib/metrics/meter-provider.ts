import { configError } from '../errors.js'

/**
 * Where the plugin's instruments come from: a MeterProvider the application passes, or the one it
 * registered globally with OpenTelemetry's API. Only the shapes below are needed, so
 * `@opentelemetry/api` stays an optional peer dependency: the declarations this package ships never
 * name it, and it is imported only when metrics are on without a provider of their own.
 */

/** Attribute values the plugin records: strings and numbers. */
export type MetricAttributes = Record<string, string | number>

/** The part of an OpenTelemetry `Histogram` the plugin uses. */
export interface MetricsHistogram {
  // Method syntax on purpose: OpenTelemetry's instruments, whose attribute types are wider, fit it.
  record (value: number, attributes?: MetricAttributes): void
}

/** The part of OpenTelemetry's `ObservableResult` the plugin uses. */
export interface MetricsObservableResult {
  observe (value: number, attributes?: MetricAttributes): void
}

/** The part of an OpenTelemetry `ObservableCounter` the plugin uses. */
export interface MetricsObservableCounter {
  addCallback (callback: (result: MetricsObservableResult) => void): void
}

/** Options of an instrument, as OpenTelemetry's `MetricOptions` has them. */
export interface MetricsInstrumentOptions {
  description?: string
  unit?: string
  advice?: { explicitBucketBoundaries?: number[] }
}

/** The part of an OpenTelemetry `Meter` the plugin uses. */
export interface MetricsMeter {
  createHistogram (name: string, options?: MetricsInstrumentOptions): MetricsHistogram
  createObservableCounter (name: string, options?: MetricsInstrumentOptions): MetricsObservableCounter
}

/** The part of an OpenTelemetry `MeterProvider` the plugin uses: the SDK's `MeterProvider` fits it. */
export interface MetricsMeterProvider {
  getMeter (name: string, version?: string): MetricsMeter
}

/** The part of `@opentelemetry/api` the plugin uses when no provider is passed. */
export interface OpenTelemetryApi {
  metrics: { getMeter: (name: string) => MetricsMeter }
  createNoopMeter: () => MetricsMeter
}

/** The instrumentation scope of the plugin's instruments. */
export const METER_NAME = 'fastify-date-versioning'

/**
 * Loads `@opentelemetry/api`, which an application that records metrics has installed (its SDK
 * depends on it). Without it, the configuration error says what to install.
 */
// Under the test runner, tsx wraps a dynamic import in interop code with branches of its own.
/* c8 ignore next */
export async function loadOpenTelemetryApi (load: () => Promise<unknown> = () => import('@opentelemetry/api')): Promise<OpenTelemetryApi> {
  const loaded = await load().catch((error: Error) => {
    throw configError(`metrics without a meterProvider record through the MeterProvider registered with @opentelemetry/api, an optional peer dependency: npm install @opentelemetry/api, or pass metrics: { meterProvider } (${error.message}).`)
  })
  return loaded as OpenTelemetryApi
}

/**
 * The meter to record with, or `undefined` when there is nothing to record to: no meter provider is
 * passed and none is registered globally. OpenTelemetry's API then answers its no-op meter; the
 * plugin adds no hook at all instead, so that metrics cost nothing until an SDK is started.
 */
export async function meterOf (meterProvider: MetricsMeterProvider | undefined, loadApi: () => Promise<OpenTelemetryApi> = loadOpenTelemetryApi): Promise<MetricsMeter | undefined> {
  if (meterProvider !== undefined) return meterProvider.getMeter(METER_NAME)
  const api = await loadApi()
  const meter = api.metrics.getMeter(METER_NAME)
  return meter === api.createNoopMeter() ? undefined : meter
}
