import { configError } from '../errors.js'
import type { MetricsMeterProvider } from '../metrics/meter-provider.js'
import { isObject } from '../util.js'
import { rejectUnknownKeys } from './known-keys.js'

/** The `metrics` option: OpenTelemetry metrics of the requests to versioned routes. */
export interface MetricsOptions {
  /**
   * The OpenTelemetry `MeterProvider` to record with. Default: the one registered globally with
   * `@opentelemetry/api` (by the OpenTelemetry SDK), which must then be registered before the plugin.
   */
  meterProvider?: MetricsMeterProvider
  /** Also record each request's duration (histogram `api_version.request.duration`, seconds). Default `false`. */
  duration?: boolean
}

/** The `metrics` option, validated. */
export interface MetricsSettings {
  readonly meterProvider: MetricsMeterProvider | undefined
  readonly duration: boolean
}

const KNOWN = ['meterProvider', 'duration']

/** Validates the `metrics` option: `undefined` means metrics are off. */
export function parseMetrics (value: unknown): MetricsSettings | undefined {
  if (value === undefined || value === false) return undefined
  if (value !== true && !isObject(value)) {
    throw configError(`metrics must be true, false or an object such as { meterProvider }; received ${JSON.stringify(value)}.`)
  }
  const { meterProvider, duration } = value === true ? {} : value
  if (value !== true) rejectUnknownKeys(value, KNOWN, key => `metrics.${key} is not a known option; use ${KNOWN.join(' or ')}.`)
  if (meterProvider !== undefined && (!isObject(meterProvider) || typeof meterProvider.getMeter !== 'function')) {
    throw configError('metrics.meterProvider must be an OpenTelemetry MeterProvider (an object with getMeter()), such as the SDK\'s new MeterProvider({ readers }); leave it out to use the one registered with @opentelemetry/api.')
  }
  if (duration !== undefined && typeof duration !== 'boolean') {
    throw configError(`metrics.duration must be true or false; received ${JSON.stringify(duration)}.`)
  }
  return Object.freeze({ meterProvider: meterProvider as MetricsMeterProvider | undefined, duration: duration ?? false })
}
