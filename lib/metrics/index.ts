import type { FastifyBaseLogger, onRouteHookHandler } from 'fastify'
import type { ResolutionOf } from '../constraint-strategy.js'
import type { MetricsSettings } from '../options/metrics.js'
import { meterOf, type OpenTelemetryApi } from './meter-provider.js'
import { createRequestMetrics } from './request-metrics.js'

/**
 * The metrics of one registration: the onRoute hook that measures its versioned routes, or
 * `undefined` when metrics are off or there is nothing to record to, so that their routes get no
 * hook at all.
 */
export async function metricsRouteHook (settings: MetricsSettings | undefined, resolutionOf: ResolutionOf, log: FastifyBaseLogger,
  loadApi?: () => Promise<OpenTelemetryApi>): Promise<onRouteHookHandler | undefined> {
  if (settings === undefined) return undefined
  const meter = await meterOf(settings.meterProvider, loadApi)
  if (meter === undefined) {
    log.info('fastify-date-versioning: metrics are on, but no OpenTelemetry MeterProvider is registered, so none are recorded. Start the OpenTelemetry SDK before registering the plugin, or pass metrics: { meterProvider }.')
    return undefined
  }
  return createRequestMetrics({ meter, duration: settings.duration, resolutionOf })
}
