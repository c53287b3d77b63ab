import { metrics } from '@opentelemetry/api'
import { MeterProvider } from '@opentelemetry/sdk-metrics'
import { expectAssignable, expectNotAssignable } from 'tsd'
import type { DateVersioningOptions, MetricsMeterProvider, MetricsOptions } from 'fastify-date-versioning'

// The metrics option, and OpenTelemetry's own MeterProviders fitting the plugin's structural type
// (the package's declarations never name @opentelemetry/api).

const versions = [{ version: '2024-03-01' }]

expectAssignable<DateVersioningOptions>({ versions, metrics: true })
expectAssignable<DateVersioningOptions>({ versions, metrics: false })
expectAssignable<DateVersioningOptions>({ versions, metrics: {} })
expectAssignable<DateVersioningOptions>({ versions, metrics: { meterProvider: new MeterProvider(), duration: true } })
expectNotAssignable<DateVersioningOptions>({ versions, metrics: 'yes' })
expectNotAssignable<DateVersioningOptions>({ versions, metrics: { duration: 'yes' } })
expectNotAssignable<DateVersioningOptions>({ versions, metrics: { meterProvider: {} } })
expectNotAssignable<MetricsOptions>({ meterprovider: new MeterProvider() })

// The SDK's MeterProvider, and the API's (global, or no-op), are MeterProviders to the plugin.
expectAssignable<MetricsMeterProvider>(new MeterProvider())
expectAssignable<MetricsMeterProvider>(metrics.getMeterProvider())
